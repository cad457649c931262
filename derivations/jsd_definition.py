r"""The Jensen–Shannon divergence as the lecture defines it: symmetric, and bounded by 0 and :math:`\log 2`.

.. math:: \mathrm{JSD}(P\|Q) = \tfrac12\mathrm{KL}(P\|M) + \tfrac12\mathrm{KL}(Q\|M),\quad M = \tfrac12(P+Q)

* **Symmetric**: SymPy builds :math:`\mathrm{JSD}(Q\|P)` from the definition with the arguments swapped and proves it
  equal to the form written for :math:`\mathrm{JSD}(P\|Q)`; numerically, that form is compared with the definition
  evaluated with swapped arguments in mpmath — a non-symmetric candidate (KL itself, or the KLs taken the other way,
  :math:`\mathrm{KL}(M\|P)`) fails both.
* **0 ≤ JSD**, with equality iff :math:`P = Q`: Gibbs' inequality (:mod:`derivations.gibbs`) for each of
  :math:`\mathrm{KL}(P\|M)` and :math:`\mathrm{KL}(Q\|M)` (M is a probability vector).
* **JSD ≤ log 2**, with equality iff the supports are disjoint: :math:`m \ge p/2` gives
  :math:`p\log(p/m) \le p\log 2`, with equality iff :math:`q = 0` where :math:`p > 0`.

Numeric: mpmath at 40 digits on random pairs (the bounds as inequalities), on disjoint supports (the maximum), and on
the weather example.
"""
import mpmath
import numpy as np
import sympy as sp

from . import gibbs, oracles
from .core import Claim, Comparison, Derivation, Step, definition
from .decide import numeric_function, verify_statement
from .independence import oracle
from .information import P_SYM, Q_SYM, TOL, WEATHER_P, WEATHER_Q, definitions, jsd, random_pairs, weather

p, q = sp.symbols("p q", positive=True)
M = (p + q) / 2
J = (p * sp.log(p / M) + q * sp.log(q / M)) / 2  # one atom's term of JSD


def disjoint_jsd():
    """JSD of two distributions with disjoint supports: ½ p log 2 where q = 0, ½ q log 2 where p = 0, per unit mass."""
    return sp.simplify(sp.limit(J, q, 0, "+") / p + sp.limit(J, p, 0, "+") / q)


def _upper_bound():
    gap = sp.log(2) - sp.log(p / M)
    return verify_statement(gap, sp.log(1 + q / p)) and bool(sp.log(1 + q / p).is_nonnegative)


@oracle("mpmath", "½KL(P‖M) + ½KL(Q‖M) in mpmath at 40 digits, on disjoint supports")
def disjoint_values(pairs):
    with mpmath.workdps(oracles.DIGITS):
        return np.array([float(oracles.mp_jsd(a, b)) for a, b in pairs])


@oracle("mpmath", "½KL(P‖M) + ½KL(Q‖M) in bits, in mpmath at 40 digits")
def weather_jsd(P, Q):
    with mpmath.workdps(oracles.DIGITS):
        return float(oracles.mp_jsd([mpmath.mpf(v) for v in P], [mpmath.mpf(v) for v in Q]) / mpmath.log(2))


def numeric(rng, forms):
    pairs = random_pairs(rng)
    want = definitions(pairs)
    swapped = numeric_function(forms["JSD(Q||P)"], P_SYM + Q_SYM)
    got = np.array([swapped(*a, *b) for a, b in pairs], dtype=float)
    n = len(pairs)
    out = [Comparison("JSD(Q||P)", got, want["JSD(Q||P)"], TOL, 0.0),
           Comparison("JSD min ≤ JSD", np.full(n, float(forms["JSD min"])), want["JSD"], TOL, 0.0, relation="<="),
           Comparison("JSD max ≥ JSD", np.full(n, float(forms["JSD max"])), want["JSD"], TOL, 0.0, relation=">="),
           Comparison("JSD min", np.full(n, float(forms["JSD min"])), definitions([(a, a) for a, _ in pairs])["JSD"],
                      TOL, 0.0)]
    disjoint = []
    for k in (2, 4, 7):
        a, b = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))
        disjoint.append((np.r_[a, np.zeros(k)], np.r_[np.zeros(k), b]))
    out.append(Comparison("JSD max", np.full(len(disjoint), float(forms["JSD max"])), disjoint_values(disjoint), TOL,
                          0.0))
    P, Q = np.array(WEATHER_P, dtype=float), np.array(WEATHER_Q, dtype=float)
    out.append(Comparison("JSD(P||Q) bits", np.array(float(forms["JSD(P||Q) bits"])), weather_jsd(P, Q), TOL, 0.0))
    return out


def derive():
    JSD = sp.Symbol(r"\mathrm{JSD}(P \| Q)")
    m_sym = [(a + b) / 2 for a, b in zip(P_SYM, Q_SYM)]
    steps = (
        definition(sp.Eq(JSD, jsd(P_SYM, Q_SYM)), "½KL(P‖M) + ½KL(Q‖M), M = ½(P + Q)"),
        *gibbs.steps(P_SYM, m_sym, what="KL(P‖M)"),
        Step(sp.LessThan(p * sp.log(p / M), p * sp.log(2)), "log 2 − log(p/m) = log(1 + q/p) ≥ 0, with equality iff "
             "q = 0: JSD ≤ log 2, equal iff the supports are disjoint", _upper_bound),
    )
    claims = (
        Claim("JSD(Q||P)", sp.Symbol(r"\mathrm{JSD}(Q \| P)"), sum(J.subs({p: a, q: b}) for a, b in zip(P_SYM, Q_SYM)),
              lambda: jsd(Q_SYM, P_SYM), "JSD with its arguments swapped is the same expression: symmetric (KL is "
              "not)"),
        Claim("JSD min", sp.Symbol(r"\min{\mathrm{JSD}}"), sp.Integer(0), lambda: sp.simplify(jsd(P_SYM, P_SYM)),
              "JSD ≥ 0 by Gibbs for KL(P‖M) and KL(Q‖M), reached only at P = Q"),
        Claim("JSD max", sp.Symbol(r"\max{\mathrm{JSD}}"), sp.log(2), disjoint_jsd,
              "JSD ≤ log 2, reached only for disjoint "
              "supports (½ p log 2 where q = 0 and ½ q log 2 where p = 0)"),
        Claim("JSD(P||Q) bits", sp.Symbol(r"\mathrm{JSD}_{\text{weather}}"),
              sum(a * sp.log(2 * a / (a + b), 2) + b * sp.log(2 * b / (a + b), 2) for a, b in zip(WEATHER_P, WEATHER_Q))
              / 2, weather(jsd(P_SYM, Q_SYM)), "the weather example, in bits (≈ 0.00037)"),
    )
    return Derivation("jsd-definition", "The Jensen–Shannon divergence: symmetric, between 0 and log 2",
                      "lecture (KL divergence slide: JSD, symmetric KL); Lin 1991", steps, claims, numeric,
                      lecture="JSD(P‖Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P+Q): symmetric KL")
