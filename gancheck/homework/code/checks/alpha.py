r"""Recovering the learning rate α that a student fixed inside a gradient-descent step, from the step itself.

A right step moves each parameter by :math:`Δθ_p = -α\nabla_p l`. At a fixed input with N = 1 — where a missing
1/N cannot show — each parameter gives its own estimate, the least-squares factor

.. math:: α_p = -\frac{\langle Δθ_p, \nabla_p\rangle}{\|\nabla_p\|^2},

valid when :math:`Δθ_p` is that multiple of :math:`\nabla_p` (within :func:`tolerance`). α is the value the most
parameters agree on: a parameter whose gradient is wrong does not move along it and gets no vote; ties go to the
parameter nearest the loss (c, then W, b, U), whose gradient depends on the fewest others. A negative consensus is
a step up the loss. :func:`fit_alpha` fits one α to all parameters at once, to test whole-step mistake models.
"""
import numpy as np

from ..diagnose import EPS, RTOL, close, fit_factor


def tolerance(grads, alpha, example, roles):
    """Absolute tolerance of a step: RTOL of the largest α∇ over all parameters, plus the rounding of θ − αg − θ."""
    step = max(float(np.max(np.abs(alpha * grads[r]), initial=0.0)) for r in roles)
    theta = max(float(np.max(np.abs(example[r]), initial=0.0)) for r in roles)
    return RTOL * step + 4 * EPS * max(1.0, theta)


def fit_alpha(deltas, grads, example, roles):
    r"""The one α of :math:`Δθ = -α\nabla` fitted over all parameters, and whether it fits each of them."""
    den = sum(float(np.sum(grads[r] ** 2)) for r in roles)
    if den == 0.0:
        return None, False
    alpha = -sum(float(np.sum(deltas[r] * grads[r])) for r in roles) / den
    atol = tolerance(grads, alpha, example, roles)
    return alpha, all(close(deltas[r], -alpha * grads[r], rtol=0.0, atol=atol) for r in roles)


def consensus_alpha(deltas, grads, roles):
    """The α most parameters agree on (ties: the parameter nearest the loss wins); ``None`` if none moves along −∇."""
    votes = []
    for r in reversed(roles):   # c, W, b, U: from the loss backwards
        k, fits = fit_factor(-deltas[r], grads[r])
        if fits and k:
            votes.append(k)
    if not votes:
        return None
    return max(votes, key=lambda a: sum(abs(b - a) <= 1e-6 * abs(a) for b in votes))
