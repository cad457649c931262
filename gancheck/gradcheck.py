r"""Central finite differences, the independent check of every hand-written backward pass.

.. math:: \frac{\partial f}{\partial θ_i} \approx \frac{f(θ + h e_i) - f(θ - h e_i)}{2h}, \qquad
          \text{error } O(h^2 f''') + O(ε_{\text{mach}} |f| / h)

With float64 and :math:`h = 10^{-6}` both terms sit near :math:`10^{-10}` relative for the smooth functions here, so
a relative error of :math:`10^{-6}` leaves four orders of magnitude of margin and still catches any real mistake.
"""
import numpy as np


def numeric_grad(f, x, h=1e-6, indices=None):
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``, perturbed in place and
    restored. ``indices`` (flat) limits the coordinates checked; the others are returned as NaN."""
    flat = x.reshape(-1)  # a view: perturbing it perturbs x
    grad = np.full(flat.shape, np.nan)
    for i in range(flat.size) if indices is None else indices:
        saved = flat[i]
        flat[i] = saved + h
        f_plus = f()
        flat[i] = saved - h
        f_minus = f()
        flat[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad.reshape(x.shape)


def relative_error(analytic, numeric):
    r"""Norm-wise relative error :math:`\|(a - n)_S\| / \max(\|a\|, \|n_S\|)` over the checked entries :math:`S`
    (those ``numeric`` holds, not NaN), scaled by the *whole* analytic gradient: a subset that happens to hold only tiny
    entries is judged against the gradient's size, not against round-off. 0 when both vanish."""
    analytic = np.asarray(analytic)
    mask = ~np.isnan(numeric)
    diff, n = analytic[mask] - numeric[mask], numeric[mask]
    scale = max(np.linalg.norm(analytic), np.linalg.norm(n))
    return 0.0 if scale == 0.0 else float(np.linalg.norm(diff) / scale)


def sample_indices(size, rng, at_most=40):
    """At most ``at_most`` distinct flat indices: large arrays are checked on a random subset of their coordinates."""
    return np.arange(size) if size <= at_most else rng.choice(size, at_most, replace=False)
