r"""Central finite differences of a student's own loss, in float64, with a step chosen per coordinate's scale.

.. math:: \frac{\partial l}{\partial θ_i} \approx \frac{l(θ + h_i e_i) - l(θ - h_i e_i)}{2h_i},
          \qquad h_i = ε^{1/3}\,\max(|θ_i|,\ s), \qquad s = \max(\mathrm{rms}(θ),\ 10^{-3})

The error is :math:`O(h^2 l''') + O(ε\,|l|/h)`; :math:`h ∝ ε^{1/3}` balances the two (Nocedal & Wright, *Numerical
Optimization*, 2nd ed., §8.1), giving about :math:`ε^{2/3} ≈ 4\cdot10^{-11}` relative on smooth losses. Scaling by
the coordinate (or by the array's typical size, for a weight near 0) keeps the step meaningful for weights of 1e-3
as for weights of 10. A ReLU kink inside :math:`[θ_i - h_i, θ_i + h_i]` spoils that coordinate; the step check
therefore draws inputs whose pre-activations stay away from 0 (:mod:`.inputs`).

Large arrays are checked on a random subset of their coordinates (``at_most``); the others are NaN.
"""
import numpy as np

CBRT_EPS = np.finfo(float).eps ** (1 / 3)
FLOOR = 1e-3


def steps(theta):
    """The step :math:`h_i` of every coordinate of ``theta``."""
    theta = np.asarray(theta, dtype=float)
    rms = float(np.sqrt(np.mean(theta ** 2))) if theta.size else 0.0
    return CBRT_EPS * np.maximum(np.abs(theta), max(rms, FLOOR))


def gradient(loss, params, at_most=None, rng=None, batched=False):
    r"""``{name: ∂l/∂θ}`` of the scalar ``loss(params)`` by central differences, each array perturbed on a copy.

    ``loss`` receives a fresh ``{name: array}`` dict each time (the student's code may keep or modify it); with
    ``batched``, it receives the list of all of them at once and returns the list of their losses (one request to a
    student's sandbox instead of one per coordinate). Arrays larger than ``at_most`` get ``at_most`` coordinates drawn
    from ``rng``; the rest are NaN."""
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    rng = rng or np.random.default_rng(0)
    trials, where = [], []
    for name, theta in params.items():
        flat, h = theta.reshape(-1), steps(theta).reshape(-1)
        chosen = range(flat.size) if at_most is None or flat.size <= at_most else sorted(
            rng.choice(flat.size, at_most, replace=False))
        for i in chosen:
            for sign in (1.0, -1.0):
                moved = flat.copy()
                moved[i] += sign * h[i]
                trials.append({k: (moved.reshape(theta.shape) if k == name else v.copy()) for k, v in params.items()})
            where.append((name, i, h[i]))
    values = loss(trials) if batched else [loss(trial) for trial in trials]
    values = np.asarray(values, dtype=float).reshape(-1, 2)
    grads = {name: np.full(theta.size, np.nan) for name, theta in params.items()}
    for (name, i, h), (up, down) in zip(where, values):
        grads[name][i] = (up - down) / (2 * h)
    return {name: grad.reshape(params[name].shape) for name, grad in grads.items()}
