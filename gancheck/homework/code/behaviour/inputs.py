r"""Inputs on which a finite-difference check means something: no unit at a kink, no saturated output.

Central differences of a loss through a ReLU are exact only if no pre-activation crosses 0 within the step
(:mod:`.fd`: :math:`|Δg| \lesssim 10^{-5}`), and a saturated sigmoid (:math:`σ(z) ≈ 0` or 1) makes every gradient
tiny, so that a wrong one hides below the tolerance. :func:`safe_batch` therefore redraws (at most :data:`TRIES`
times) until every hidden pre-activation has :math:`|g| \ge` :data:`KINK_MARGIN` and every output of a sigmoid — or
every logit of a BCE loss — satisfies :math:`σ(z) \in [0.05, 0.95]`, i.e. :math:`|z| \le 2.944`.
"""
import numpy as np

from .network import draw_params, forward

KINK_MARGIN = 1e-3
Z_MAX = float(np.log(0.95 / 0.05))   # σ(2.944) = 0.95
TRIES = 200


class NoSafeInput(Exception):
    """No input without kinks and saturation was found: the architecture is too large for a safe draw."""


def safe(layers, params, x, samples="rows", logits=False):
    """Whether ``x`` through the declared network stays off the kinks and out of saturation."""
    passes = forward(layers, params, x, samples)
    for layer, (g, _) in zip(layers, passes):
        if layer.activation in ("relu", "leaky_relu") and np.min(np.abs(g), initial=np.inf) < KINK_MARGIN:
            return False
    last, (g, _) = layers[-1], passes[-1]
    if (last.activation == "sigmoid" or logits) and np.max(np.abs(g), initial=0.0) > Z_MAX:
        return False
    return True


def safe_batch(layers, N, rng, x_scale=1.0, samples="rows", logits=False, params=None):
    """``(params, x)``: fan-in-scaled parameters (unless given) and a batch of N inputs of unit size, both safe."""
    for attempt in range(TRIES):
        gain = 1.0 if attempt < TRIES // 2 else 0.5     # smaller weights if large ones keep saturating
        trial = params if params is not None else draw_params(layers, rng, gain)
        x = rng.normal(0.0, x_scale, (N, layers[0].n_in))
        x = x.T.copy() if samples == "columns" else x
        if safe(layers, trial, x, samples, logits):
            return trial, x
    raise NoSafeInput(f"no input of N = {N} keeps every unit off its kink and σ(z) within [0.05, 0.95]")
