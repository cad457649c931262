r"""Stability at large logits: a sigmoid or a loss must stay finite and right for :math:`|z| \ge 710`.

:math:`e^{710}` overflows float64 (its largest value is :math:`e^{709.78}`), so ``np.exp(z)/(1+np.exp(z))`` returns
``nan`` (``inf/inf``) at :math:`z = 710` and ``log(1+np.exp(-z))`` returns ``inf`` at :math:`z = -710`. The expected
values are SciPy's, an implementation independent of gancheck's: ``scipy.special.expit`` for
:math:`σ(z)` and the softplus written with ``np.logaddexp`` for the cross-entropy
:math:`t\,ζ(-z) + (1-t)\,ζ(z)`, :math:`ζ(u) = \log(1+e^u)`.
"""
import numpy as np
from scipy.special import expit

LARGE = np.array([-1000.0, -745.0, -710.0, -30.0, 0.0, 30.0, 710.0, 745.0, 1000.0])
LOSS_RTOL = 1e-9


def check_sigmoid(sigmoid, z=LARGE):
    """``None`` if ``sigmoid(z)`` is finite and within 1e-12 of σ(z) for every large z; else the reason."""
    with np.errstate(all="ignore"):
        mine = np.asarray(sigmoid(np.array(z, dtype=float)), dtype=float)
    return sigmoid_reason(np.asarray(z, dtype=float), mine)


def sigmoid_reason(z, mine):
    """``None`` if ``mine`` is σ(z) — finite and within 1e-12 — at every logit of ``z``; else the reason."""
    ref = expit(z)
    if mine.shape != ref.shape:
        return f"returns shape {mine.shape} for {ref.shape} logits"
    bad = ~np.isfinite(mine) | (np.abs(mine - ref) > 1e-12)
    if not np.any(bad):
        return None
    i = int(np.flatnonzero(bad)[0])
    return (f"σ({z[i]:.6g}) = {mine[i]:.6g}, expected {ref[i]:.6g} — e^|z| overflows for |z| > 709.8 "
            "(np.exp(z)/(1 + np.exp(z)) is inf/inf = nan there): compute σ without it, e.g. scipy.special.expit(z), "
            "or np.exp(-np.logaddexp(0, -z))")


def bce(z, t, reduction="mean"):
    r"""The cross-entropy on logits, :math:`t\,ζ(-z) + (1-t)\,ζ(z)`, summed or averaged over the batch."""
    per = t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z)
    return float(np.sum(per) if reduction == "sum" else np.mean(per))


def check_loss(loss, z=LARGE, reduction="mean"):
    """``None`` if ``loss(z, t)`` matches the cross-entropy for both labels at every large z; else the reason."""
    for label in (1.0, 0.0):
        t = np.full(np.shape(z), label)
        with np.errstate(all="ignore"):
            mine = float(np.asarray(loss(np.array(z, dtype=float), t), dtype=float))
        ref = bce(np.asarray(z), t, reduction)
        if not np.isfinite(mine) or abs(mine - ref) > LOSS_RTOL * abs(ref):
            return (f"with t = {label:g} at logits up to |z| = {np.max(np.abs(z)):g} returns {mine:.6g}, expected "
                    f"{ref:.6g} — write log(1+e^z) as np.logaddexp(0, z)")
    return None
