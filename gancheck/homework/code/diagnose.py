r"""Naming what is wrong with a student's array, given the reference: a constant factor (a flipped sign, a missing or
doubled 1/N, a factor 2), a transpose read back with ``reshape``, a known mistake model — or else the worst element.

Tolerance. A correct float64 implementation differs from the reference only by summation order: at these sizes
(≤ 64 × 25 terms) that is ≲ 1e-13 of the largest element. :data:`RTOL` = 1e-6 of the largest reference element
leaves four orders of magnitude for that, while each diagnosed mistake changes some element by at least its own size.
Comparisons scale by the *largest* element, not elementwise: a gradient element that is exactly 0 (a dead ReLU unit)
must stay within 1e-6 of the others' scale, not within 1e-6 of 0.
"""
import numpy as np

RTOL = 1e-6
EPS = np.finfo(float).eps


def close(mine, ref, rtol=RTOL, atol=0.0):
    r"""Same shape, finite, and :math:`|m - r| \le \text{atol} + \text{rtol}\cdot\max|r|` elementwise."""
    mine, ref = np.asarray(mine, dtype=float), np.asarray(ref, dtype=float)
    if mine.shape != ref.shape or not np.all(np.isfinite(mine)):
        return False
    scale = float(np.max(np.abs(ref), initial=0.0))
    return bool(np.all(np.abs(mine - ref) <= atol + rtol * scale))


def fit_factor(mine, ref):
    r"""The scalar :math:`k = \langle m, r\rangle / \langle r, r\rangle` and whether :math:`m = k\,r` holds."""
    mine, ref = np.asarray(mine, dtype=float), np.asarray(ref, dtype=float)
    norm = float(np.sum(ref * ref))
    if mine.shape != ref.shape or norm == 0.0 or not np.all(np.isfinite(mine)):
        return None, False
    k = float(np.sum(mine * ref)) / norm
    return k, close(mine, k * ref)


def _near(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def name_factor(k, N):
    """A phrase for ``yours = k × reference`` at batch size ``N``."""
    sign = "has the wrong sign and " if k < 0 else ""
    a = abs(k)
    if _near(k, 0.0):
        return "is zero"
    if _near(k, -1.0):
        return "has the wrong sign"
    if N > 1 and _near(a, N):
        return f"{sign}is N = {N} times too large (the 1/N of the mean is missing)"
    if N > 1 and _near(a, 1.0 / N):
        return f"{sign}is divided by N = {N} once too often"
    return f"{sign}is {a:.4g}× the reference"


def name_scaling(ratios):
    r"""How a factor ``ratios = {N: k}`` depends on the batch size: constant, :math:`\propto N` (``divides by d instead
    of N``; d = 1: the 1/N is missing) or :math:`\propto 1/N`; ``None`` if it is no such law."""
    ns, ks = list(ratios), [ratios[n] for n in ratios]
    if any(k is None for k in ks) or len(ns) < 2:
        return None
    sign = "has the wrong sign and " if ks[0] < 0 else ""
    if all(_near(k, ks[0]) for k in ks):
        return name_factor(ks[0], 1)
    per_n = [k / n for k, n in zip(ks, ns)]
    if all(_near(p, per_n[0]) for p in per_n):
        d = 1.0 / abs(per_n[0])
        return sign + ("grows like N: the 1/N of the mean is missing" if _near(d, 1.0)
                       else f"divides by {d:.4g} instead of N")
    times_n = [k * n for k, n in zip(ks, ns)]
    if all(_near(p, times_n[0]) for p in times_n):
        return sign + "shrinks like 1/N: it divides by N once too often"
    return None


def explain(mine, ref, N, alternatives=()):
    """Why ``mine`` is not ``ref`` (``None`` if it is): shape, non-finite values, a factor, a transposed reshape, one of
    the ``alternatives`` — ``(description, array)`` pairs — or the worst element."""
    mine, ref = np.asarray(mine, dtype=float), np.asarray(ref, dtype=float)
    if close(mine, ref):
        return None
    if mine.shape != ref.shape:
        hint = ", the transpose of the expected" if mine.shape == ref.shape[::-1] and mine.ndim == 2 else ", expected"
        return f"has shape {mine.shape}{hint} {ref.shape}"
    if not np.all(np.isfinite(mine)):
        return "contains " + " and ".join(n for n, bad in (("NaN", np.isnan(mine)), ("inf", np.isinf(mine)))
                                          if np.any(bad))
    for description, alternative in alternatives:
        if close(mine, alternative):
            return description
    k, fits = fit_factor(mine, ref)
    if fits and abs(k - 1.0) > 1e-3:   # k ≈ 1 that fits is one element slightly off, not a factor
        return name_factor(k, N)
    if ref.ndim == 2 and ref.shape[0] != ref.shape[1] and close(mine, np.reshape(ref.T, ref.shape)):
        return (f"has its elements in the wrong order: it is the transpose ({ref.shape[1]}, {ref.shape[0]}) read back "
                f"with reshape — use .T, not reshape")
    i = np.unravel_index(np.argmax(np.abs(mine - ref)), ref.shape)
    where = f" at index {tuple(int(j) for j in i)}" if ref.ndim else ""
    return f"differs{where}: yours {mine[i]:.6g}, expected {ref[i]:.6g}"
