r"""Is a student's parameter change a gradient step on their *own* loss? :math:`θ' = θ - α\,\nabla_θ l(θ)`.

The gradient :math:`\nabla_θ l` is the central-difference gradient (:mod:`.fd`) of the loss the student's own forward
pass computes; nothing here knows a reference network. Steps:

1. **α.** Declared, or recovered per parameter as the least-squares factor
   :math:`α_p = -\langle Δθ_p, g_p\rangle / \|g_p\|^2` over its checked coordinates; α is the value most parameters
   agree on (a parameter with a wrong gradient does not move along it and gets no vote). Recover it at N = 1, where a
   missing or extra 1/N cannot show (:func:`recover_alpha`).
2. **Compare.** Every checked coordinate must satisfy :math:`|Δθ_i + α g_i| \le τ\,α \max_j |g_j|` with
   :math:`τ` = :data:`RTOL` (+ the declared ε of clipped logs, see :func:`tolerance`), the max over *all* parameters.
3. **Explain** a failure: a factor common to every gradient (the wrong sign, N times too large: a sum where the mean
   belongs, …), then per parameter (shape, NaN, a factor, a transpose read back with ``reshape``, the worst element).

A gradient that is exactly 0 everywhere gives no α and no verdict: :class:`StepVerdict` says so (``inconclusive``).
"""
from dataclasses import dataclass, field

import numpy as np

from ..diagnose import name_factor

RTOL = 1e-5          # central differences are good to ~1e-10 relative on smooth losses; a real mistake is O(1)
CLIP_Y_MIN = 0.05    # inputs are drawn so that every σ(z) lies in [0.05, 0.95] (see .inputs)


def tolerance(epsilon=0.0):
    r"""Relative tolerance of a step. A loss written :math:`-\log(y + ε)` has gradient factor
    :math:`y/(y+ε) = 1 - ε/y + O(ε^2)`; with :math:`y \ge` :data:`CLIP_Y_MIN` that is within :math:`ε / 0.05 = 20ε`
    of the exact one, so a declared ε widens the tolerance by exactly that."""
    return RTOL + float(epsilon) / CLIP_Y_MIN


@dataclass
class StepVerdict:
    passed: bool
    alpha: float = None
    message: str = ""
    wrong: dict = field(default_factory=dict)   # parameter → what is wrong with its gradient
    inconclusive: bool = False


def _masked(a, g):
    mask = ~np.isnan(g)
    return np.asarray(a, dtype=float)[mask], np.asarray(g, dtype=float)[mask]


def _factor(mine, ref):
    """``k`` of ``mine ≈ k·ref`` (least squares) and whether it holds to RTOL of ref's scale."""
    mine, ref = _masked(mine, ref)
    norm = float(ref @ ref)
    if norm == 0.0 or not np.all(np.isfinite(mine)):
        return None, False
    k = float(mine @ ref) / norm
    return k, bool(np.all(np.abs(mine - k * ref) <= RTOL * np.max(np.abs(k * ref))))


def recover_alpha(before, after, grads):
    """The α most parameters agree on (ties: the last parameter, nearest the loss in the usual order); ``None``."""
    votes = []
    for name in reversed(list(grads)):
        k, fits = _factor(np.asarray(before[name], dtype=float) - np.asarray(after[name], dtype=float), grads[name])
        if fits and k:
            votes.append(k)
    if not votes:
        return None
    return max(votes, key=lambda a: sum(abs(b - a) <= 1e-6 * abs(a) for b in votes))


def check_step(before, after, grads, alpha=None, N=1, epsilon=0.0, names=None):
    """A :class:`StepVerdict` for the parameter change ``after - before`` against the gradient ``grads`` (NaN where not
    checked); ``alpha`` known or recovered here; ``names`` maps a parameter to the student's own name."""
    names = names or {}
    shown = {p: names.get(p, p) for p in grads}
    for p in grads:
        if np.shape(after[p]) != np.shape(before[p]):
            return StepVerdict(False, alpha, f"{shown[p]} comes back with shape {np.shape(after[p])}, it was "
                                             f"{np.shape(before[p])}", {p: "changed shape"})
        if not np.all(np.isfinite(after[p])):
            return StepVerdict(False, alpha, f"{shown[p]} contains NaN or inf after the step", {p: "not finite"})
    deltas = {p: np.asarray(after[p], dtype=float) - np.asarray(before[p], dtype=float) for p in grads}
    scale = max(float(np.nanmax(np.abs(g), initial=0.0)) for g in grads.values())
    if scale == 0.0:
        return StepVerdict(False, alpha, "the gradient of your loss is exactly 0 at this input (no unit is active?), "
                                         "so no learning rate can be recovered: no verdict here", inconclusive=True)
    if all(not np.any(d) for d in deltas.values()):
        return StepVerdict(False, alpha, "the step leaves every parameter unchanged", {p: "unchanged" for p in grads})
    alpha = recover_alpha(before, after, grads) if alpha is None else alpha
    tol = tolerance(epsilon)
    if alpha is not None and alpha > 0:
        bound = tol * alpha * scale
        if all(np.all(np.abs(_masked(deltas[p], grads[p])[0] + alpha * _masked(deltas[p], grads[p])[1]) <= bound)
               for p in grads):
            return StepVerdict(True, alpha, f"every parameter moves to θ − α∇θ with α = {alpha:.4g}")
    return _explain(deltas, grads, alpha, N, shown)


def _explain(deltas, grads, alpha, N, shown):
    origin = ""
    if alpha is None or not np.isfinite(alpha) or alpha == 0:
        den = sum(float(_masked(g, g)[1] @ _masked(g, g)[1]) for g in grads.values())
        alpha = -sum(float(np.dot(*_masked(deltas[p], grads[p]))) for p in grads) / den
        origin = ", fitted to the whole step: no parameter moved along its own gradient"
    alpha = abs(alpha) or 1.0
    wrong = {}
    for p in grads:
        mine, ref = -deltas[p] / alpha, grads[p]
        m, r = _masked(mine, ref)
        if np.all(np.abs(m - r) <= RTOL * max(float(np.max(np.abs(r), initial=0.0)), 1e-300)):
            continue
        k, fits = _factor(mine, ref)
        if fits and k is not None and abs(k - 1.0) > 1e-3:
            wrong[p] = name_factor(k, N)
        elif _transposed(mine, ref):
            wrong[p] = f"is the transpose {ref.shape[::-1]} read back with reshape — use .T, not reshape"
        else:
            i = int(np.nanargmax(np.abs(np.where(np.isnan(ref), 0, mine - np.nan_to_num(ref)))))
            idx = np.unravel_index(i, np.shape(ref)) if np.ndim(ref) else ()
            where = f" at index {tuple(int(j) for j in idx)}" if idx else ""
            wrong[p] = (f"disagrees with finite differences of your loss{where}: yours {np.reshape(mine, -1)[i]:.6g}, "
                        f"finite differences {np.reshape(ref, -1)[i]:.6g}")
    phrases = set(wrong.values())
    if len(wrong) == len(grads) and len(phrases) == 1 and "finite differences" not in next(iter(phrases)):
        text = f"every gradient {phrases.pop()}"
    else:
        text = "; ".join(f"∂l/∂{shown[p]} {why}" for p, why in wrong.items())
        right = [shown[p] for p in grads if p not in wrong]
        if right and wrong:
            text += f" (∂l/∂{', ∂l/∂'.join(right)} right)"
    return StepVerdict(False, alpha, (text or "the step is not −α∇ of your loss") + f" [α = {alpha:.4g}{origin}]",
                       wrong)


def _transposed(mine, ref):
    """Whether ``mine = reshape(refᵀ, ref.shape)``, i.e. ``ref = reshape(mine, shape[::-1])ᵀ`` on the checked entries."""
    if np.ndim(ref) != 2 or ref.shape[0] == ref.shape[1] or np.shape(mine) != np.shape(ref):
        return False
    undone, r = _masked(np.reshape(mine, ref.shape[::-1]).T, ref)
    return bool(np.all(np.abs(undone - r) <= RTOL * np.max(np.abs(r), initial=0.0)))
