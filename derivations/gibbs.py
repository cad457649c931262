r"""Gibbs' inequality, proved: :math:`\mathrm{KL}(P\|Q) \ge 0` on a finite support, with equality iff :math:`P = Q`.

The steps (each returned as a :class:`derivations.core.Step` with a SymPy proof):

1. :math:`g(u) = u - 1 - \log u \ge 0` for :math:`u > 0`, with equality iff :math:`u = 1`: :math:`g(1) = 0`,
   :math:`g'(u) = 1 - 1/u` vanishes only at 1, and :math:`g'' = 1/u^2 > 0`, so 1 is the unique global minimum;
2. termwise, for :math:`p, q > 0`: :math:`p\log\frac pq = p\,g\!\left(\frac qp\right) + (p - q)` (an identity);
3. summed over the atoms, the difference of :math:`\mathrm{KL}(P\|Q)` and :math:`\sum_i p_i\,g(q_i/p_i)` is exactly
   :math:`\sum p_i - \sum q_i`, which is 0 for probability vectors; so :math:`\mathrm{KL}` is a sum of non-negative
   terms that vanishes iff every :math:`q_i/p_i = 1` (shown on four atoms; step 2 is the same for any number).

Everything that rests on :math:`\mathrm{KL} \ge 0` — cross-entropy minimal at :math:`Q = P`, :math:`\mathrm{JSD} \ge 0`,
the GAN's optimum at :math:`P_G = P_{\text{data}}`, the ELBO's gap — uses these steps.
"""
from functools import lru_cache

import sympy as sp

from .core import Step
from .decide import verify_statement

u = sp.Symbol("u", positive=True)
G = u - 1 - sp.log(u)
K = 4
P_SYM = sp.symbols(f"p1:{K + 1}", positive=True)
Q_SYM = sp.symbols(f"q1:{K + 1}", positive=True)


def normalised(ps):
    """Substitution making the last atom ``1 − Σ others`` (a probability vector)."""
    return {ps[-1]: 1 - sum(ps[:-1])}


def kl(ps, qs):
    return sum(a * sp.log(a / b) for a, b in zip(ps, qs))


@lru_cache(maxsize=None)  # one lemma, used by every derivation that rests on Gibbs' inequality
def _lemma():
    stationary = sp.solve(sp.diff(G, u), u) == [1]
    return (stationary and G.subs(u, 1) == 0 and bool(sp.diff(G, u, 2).is_positive)
            and sp.solve(G, u) == [1])  # the only zero: equality iff u = 1


def _termwise():
    p, q = sp.symbols("p q", positive=True)
    return verify_statement(p * sp.log(p / q), p * G.subs(u, q / p) + p - q)


def _summed(ps, qs):
    """The difference of the two sides is exactly Σp − Σq (an identity in free positive symbols), which the
    normalisation Σp = Σq = 1 makes 0."""
    difference = sp.expand(sp.expand_log(kl(ps, qs) - sum(a * G.subs(u, b / a) for a, b in zip(ps, qs))))
    on_simplex = normalised(P_SYM) | normalised(Q_SYM)  # ps, qs are probability vectors built from P_SYM, Q_SYM
    return sp.expand(difference - (sum(ps) - sum(qs))) == 0 and sp.expand((sum(ps) - sum(qs)).subs(on_simplex)) == 0


def steps(ps=P_SYM, qs=Q_SYM, what="KL(P‖Q)"):
    """The proof of ``what = Σ p_i g(q_i/p_i) ≥ 0`` for probability vectors ``ps``, ``qs`` (built from P_SYM and Q_SYM,
    e.g. the mixture M = (P + Q)/2), as three steps."""
    p, q = sp.symbols("p q", positive=True)
    return (
        Step(sp.LessThan(sp.log(u), u - 1), "g(u) = u − 1 − log u ≥ 0: g(1) = 0, g' = 1 − 1/u vanishes only at 1, "
             "g'' = 1/u² > 0; its only zero is u = 1 (equality iff u = 1)", _lemma),
        Step(sp.Eq(p * sp.log(p / q), p * G.subs(u, q / p) + p - q, evaluate=False),
             "termwise identity for p, q > 0", _termwise),
        Step(sp.Eq(kl(ps, qs), sum(a * G.subs(u, b / a) for a, b in zip(ps, qs)), evaluate=False),
             f"Σp = Σq = 1: the (p − q) terms cancel; each p·g(q/p) ≥ 0, so {what} ≥ 0, with equality iff q_i = p_i "
             "for every i (Gibbs)", lambda: _summed(ps, qs)),
    )
