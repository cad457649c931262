r"""Entropy, cross-entropy, KL, Jensen–Shannon and f-divergences, numerically (NumPy/SciPy; no SymPy).

Every function takes either two probability vectors (discrete, summed) or, with ``support=(a, b)``, two 1-D density
callables (integrated by ``scipy.integrate.quad``; infinite ends allowed). ``base=None`` gives nats, ``base=2`` bits.
Densities are evaluated in float64: keep the support where Q does not underflow to 0 while P is still positive (for a
Gaussian Q, within about 35 of its standard deviations), or the KL there is, correctly for the floats, infinite.
Conventions (lecture; Cover & Thomas §2): :math:`0\log 0 = 0`, :math:`p\log(p/0) = +\infty` for :math:`p > 0`.

.. math:: H(P) = -\sum_i p_i\log p_i, \qquad H(P, Q) = -\sum_i p_i \log q_i, \qquad
          \mathrm{KL}(P\|Q) = \sum_i p_i\log\frac{p_i}{q_i},

.. math:: \mathrm{JSD}(P\|Q) = \tfrac12\mathrm{KL}(P\|M) + \tfrac12\mathrm{KL}(Q\|M),\quad M = \tfrac12(P+Q),
          \qquad D_f(P\|Q) = \sum_i q_i\, f(p_i/q_i)

JSD here is the standard one, in :math:`[0, \log 2]`; the f-GAN paper's Jensen–Shannon generator is twice ours (see
:data:`F_GENERATORS`).
"""
import numpy as np
from scipy import integrate
from scipy.special import rel_entr, xlogy

from . import GancheckError

_ATOL = 1e-9  # how far from 1 a probability vector's sum may be: float64 round-off of a normalisation, with margin


def _jsd_terms(p, q):
    # ½[p log(2p/(p+q)) + q log(2q/(p+q))]: no m = (p+q)/2, which underflows to 0 for a subnormal q and would make
    # q log(q/m) infinite; where p + q = 0 both terms are 0
    s = p + q
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio_p, ratio_q = np.where(s > 0, 2 * p / s, 1.0), np.where(s > 0, 2 * q / s, 1.0)
    return 0.5 * (xlogy(p, ratio_p) + xlogy(q, ratio_q))


# Pointwise terms whose sum (or integral) is the quantity.
_TERMS = {
    "entropy": lambda p, q: -xlogy(p, p),
    "cross_entropy": lambda p, q: -xlogy(p, q),
    "kl": rel_entr,
    "jsd": _jsd_terms,
}

# f-divergence generators f(u), u = p/q, with f(1) = 0 and f convex (Nowozin et al. 2016, Table 1; the lecture's table).
F_GENERATORS = {
    "kl": lambda u: xlogy(u, u),                                   # KL(P‖Q)
    "reverse_kl": lambda u: -np.log(u),                            # KL(Q‖P)
    "jensen_shannon": lambda u: 0.5 * (xlogy(u, u) - xlogy(u + 1, (u + 1) / 2)),  # JSD, standard scale: ½ f-GAN's
    "jeffrey": lambda u: (u - 1) * np.log(u),                      # KL(P‖Q) + KL(Q‖P)
    "pearson": lambda u: (u - 1) ** 2,                             # Pearson χ²
}


def _vector(p, name):
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise GancheckError(f"{name} must be a non-empty 1-D probability vector, got shape {p.shape}")
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise GancheckError(f"{name} has negative or non-finite entries")
    if abs(p.sum() - 1.0) > _ATOL:
        raise GancheckError(f"{name} sums to {p.sum():.12g}, not 1")
    return p


def _support(support):
    try:
        a, b = (float(v) for v in support)
    except (TypeError, ValueError):
        raise GancheckError(f"support must be a pair (a, b), got {support!r}") from None
    if not a < b:
        raise GancheckError(f"support must have a < b, got ({a}, {b})")
    return a, b


def _integrate(fn, support):
    a, b = _support(support)
    value, _ = integrate.quad(fn, a, b, limit=200, epsabs=1e-12, epsrel=1e-10)
    return value


def _scale(value, base):
    if base is None:
        return value
    if base <= 0 or base == 1:
        raise GancheckError(f"log base must be positive and not 1, got {base}")
    return value / np.log(base)


def _quantity(kind, p, q, base, support):
    terms = _TERMS[kind]
    if support is None:
        p = _vector(p, "P")
        q = p if q is None else _vector(q, "Q")
        if p.shape != q.shape:
            raise GancheckError(f"P and Q differ in length: {p.size} and {q.size}")
        value = float(np.sum(terms(p, q)))
    else:
        q = p if q is None else q
        value = _integrate(lambda x: float(terms(np.float64(p(x)), np.float64(q(x)))), support)
    return _scale(value, base)


def entropy(p, *, base=None, support=None):
    r"""Shannon entropy :math:`H(P) = -\sum p\log p` (differential entropy for a density)."""
    return _quantity("entropy", p, None, base, support)


def cross_entropy(p, q, *, base=None, support=None):
    r""":math:`H(P, Q) = -\sum p\log q = H(P) + \mathrm{KL}(P\|Q)`: the expected code length when coding P's symbols
    with the code that is optimal for Q (lecture: the weather example)."""
    return _quantity("cross_entropy", p, q, base, support)


def kl_divergence(p, q, *, base=None, support=None):
    r""":math:`\mathrm{KL}(P\|Q) = \sum p\log(p/q) \ge 0`, with equality iff :math:`P = Q` (Gibbs)."""
    return _quantity("kl", p, q, base, support)


def js_divergence(p, q, *, base=None, support=None):
    r"""Jensen–Shannon divergence :math:`\tfrac12\mathrm{KL}(P\|M) + \tfrac12\mathrm{KL}(Q\|M)` in
    :math:`[0, \log 2]`; ``scipy.spatial.distance.jensenshannon`` returns its square root."""
    return _quantity("jsd", p, q, base, support)


def f_divergence(p, q, f, *, support=None):
    r""":math:`D_f(P\|Q) = \sum q\, f(p/q)` (Csiszár; Nowozin et al. 2016, eq. 2). ``f`` is a callable or a name in
    :data:`F_GENERATORS`. Needs :math:`q > 0` wherever it is evaluated."""
    if isinstance(f, str):
        if f not in F_GENERATORS:
            raise GancheckError(f"unknown f-divergence {f!r}; choose from {', '.join(F_GENERATORS)}")
        f = F_GENERATORS[f]
    if support is None:
        p, q = _vector(p, "P"), _vector(q, "Q")
        if p.shape != q.shape:
            raise GancheckError(f"P and Q differ in length: {p.size} and {q.size}")
        if np.any(q == 0):
            raise GancheckError("Q has zero entries: q·f(p/q) is undefined there")
        return float(np.sum(q * f(p / q)))

    def integrand(x):
        px, qx = float(p(x)), float(q(x))
        if qx > 0:
            return qx * float(f(px / qx))
        if px == 0:  # both densities vanish (or underflow): no mass, no contribution
            return 0.0
        raise GancheckError(f"Q vanishes at x = {x:.6g} where P does not; restrict the support")

    return _integrate(integrand, support)


def wasserstein_1d(cdf_p, cdf_q, *, support):
    r""":math:`W_1(P, Q) = \int |F_P(x) - F_Q(x)|\,dx` in one dimension (Villani 2009, Remark 2.19), from the CDFs."""
    return _integrate(lambda x: abs(float(cdf_p(x)) - float(cdf_q(x))), support)
