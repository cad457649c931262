r"""Information theory of the lecture (issue 3, item 6): entropy, cross-entropy, KL, JSD, the weather example.

.. math:: H(P) = -\sum_i p_i\log p_i,\quad H(P,Q) = -\sum_i p_i\log q_i = H(P) + \mathrm{KL}(P\|Q),\quad
          \mathrm{KL}(P\|Q) = \sum_i p_i\log\frac{p_i}{q_i} \ge 0

Gibbs' inequality from :math:`\log u \le u - 1` (equality iff :math:`u = 1`):
:math:`-\mathrm{KL} = \sum p\log\frac qp \le \sum p(\frac qp - 1) = \sum q - \sum p = 0`.

The lecture's weather example (sunny, rainy, cloudy, snowy): :math:`P = (0.11, 0.29, 0.41, 0.19)` measured in 2023,
:math:`Q = (0.1, 0.3, 0.4, 0.2)` from 2022; exact expressions in bits, and the expected lengths of the two code tables
(lengths 1, 1, 2, 2 and 2, 2, 1, 1).
"""
import numpy as np
import sympy as sp
from scipy import stats
from scipy.spatial.distance import jensenshannon

from gancheck import divergences

from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function

K = 4
P_SYM = sp.symbols(f"p1:{K + 1}", positive=True)
Q_SYM = sp.symbols(f"q1:{K + 1}", positive=True)
WEATHER_P = tuple(sp.Rational(v, 100) for v in (11, 29, 41, 19))
WEATHER_Q = tuple(sp.Rational(v, 10) for v in (1, 3, 4, 2))
TABLE_1 = {"sunny": "0", "rainy": "1", "cloudy": "10", "snowy": "11"}
TABLE_2 = {"sunny": "11", "rainy": "01", "cloudy": "0", "snowy": "1"}
BITS = sp.log(2)


def entropy(ps):
    return -sum(a * sp.log(a) for a in ps)


def cross_entropy(ps, qs):
    return -sum(a * sp.log(b) for a, b in zip(ps, qs))


def kl(ps, qs):
    return sum(a * sp.log(a / b) for a, b in zip(ps, qs))


def jsd(ps, qs):
    ms = [(a + b) / 2 for a, b in zip(ps, qs)]
    return (kl(ps, ms) + kl(qs, ms)) / 2


def expected_length(table, ps):
    return sum(a * len(code) for a, code in zip(ps, table.values()))


def _gibbs_lemma():
    u = sp.Symbol("u", positive=True)
    g = u - 1 - sp.log(u)
    return sp.solve(sp.diff(g, u), u) == [1] and g.subs(u, 1) == 0 and bool(sp.diff(g, u, 2).is_positive)


def _kraft():
    return all(sum(sp.Rational(1, 2 ** len(c)) for c in t.values()) == sp.Rational(3, 2) for t in (TABLE_1, TABLE_2))


def numeric(rng, forms, trials=20):
    P, Q = np.array(WEATHER_P, dtype=float), np.array(WEATHER_Q, dtype=float)
    lengths = [np.array([len(c) for c in t.values()], dtype=float) for t in (TABLE_1, TABLE_2)]
    # exact numbers in float64: a few ulps of a value ≈ 1
    tol = 1e-13
    out = [Comparison("H(P) bits", np.array(float(forms["H(P) bits"])), np.array(stats.entropy(P, base=2)), tol, 0),
           Comparison("H(P,Q) bits", np.array(float(forms["H(P,Q) bits"])),
                      np.array(divergences.cross_entropy(P, Q, base=2)), tol, 0),
           Comparison("KL(P||Q) bits", np.array(float(forms["KL(P||Q) bits"])), np.array(stats.entropy(P, Q, base=2)),
                      tol, 0),
           Comparison("table 1 length", np.array(float(forms["table 1 length"])), np.array(P @ lengths[0]), tol, 0),
           Comparison("table 2 length", np.array(float(forms["table 2 length"])), np.array(P @ lengths[1]), tol, 0)]
    decomposition = numeric_function(forms["H(P,Q) = H(P) + KL(P||Q)"], P_SYM + Q_SYM)
    symmetric = numeric_function(forms["JSD symmetric"], P_SYM + Q_SYM)
    for _ in range(trials):
        p, q = rng.dirichlet(np.ones(K)), rng.dirichlet(np.ones(K))
        out += [Comparison("H(P,Q) = H(P) + KL(P||Q)", np.array(decomposition(*p, *q)),
                           np.array(divergences.cross_entropy(p, q)), tol, 0),
                Comparison("JSD symmetric", np.array(symmetric(*p, *q)), np.array(0.0), tol, 0),
                Comparison("KL ≥ 0 (scipy)", np.array(min(stats.entropy(p, q), 0.0)), np.array(0.0), 0, 0),
                Comparison("JSD vs scipy jensenshannon²", np.array(divergences.js_divergence(p, q)),
                           np.array(jensenshannon(p, q) ** 2), tol, 0),
                Comparison("KL(P||P) = 0", np.array(divergences.kl_divergence(p, p)), np.array(0.0), tol, 0)]
    return out


def derive():
    H, CE, KL = sp.Symbol("H(P)"), sp.Symbol("H(P, Q)"), sp.Symbol("KL(P‖Q)")
    u = sp.Symbol("u", positive=True)
    steps = (
        definition(sp.Eq(H, entropy(P_SYM)), "entropy: expected optimal code length (nats; divide by log 2 for bits)"),
        definition(sp.Eq(CE, cross_entropy(P_SYM, Q_SYM)), "cross-entropy: expected length with Q's optimal code"),
        definition(sp.Eq(KL, kl(P_SYM, Q_SYM)), "KL: the extra length"),
        Step(sp.LessThan(sp.log(u), u - 1), "u − 1 − log u is convex with its only critical point at u = 1, "
             "where it is 0: equality iff u = 1", _gibbs_lemma),
        identity(sum(a * (b / a - 1) for a, b in zip(P_SYM, Q_SYM)), sum(Q_SYM) - sum(P_SYM),
                 "with u = q/p: −KL ≤ Σq − Σp = 0, so KL ≥ 0, = 0 iff P = Q (Gibbs)"),
        Step(sp.Eq(sp.Symbol(r"\sum 2^{-\ell}"), sp.Rational(3, 2)),
             "Σ 2^(−ℓ) = 3/2 > 1 for both tables: neither code is uniquely decodable, which is how their lengths "
             "can undercut H(P) (Kraft–McMillan)", _kraft),
    )
    weather = {a: v for a, v in zip(P_SYM + Q_SYM, WEATHER_P + WEATHER_Q)}

    def bits(expr):
        return expr.subs(weather) / BITS

    claims = (
        Claim("H(P) bits", H, -sum(v * sp.log(v, 2) for v in WEATHER_P), bits(entropy(P_SYM)),
              "weather 2023, in bits (≈ 1.8508)"),
        Claim("H(P,Q) bits", CE, -sum(a * sp.log(b, 2) for a, b in zip(WEATHER_P, WEATHER_Q)),
              bits(cross_entropy(P_SYM, Q_SYM)), "2023's weather coded with 2022's optimal code (≈ 1.8523)"),
        Claim("KL(P||Q) bits", KL, sum(a * sp.log(a / b, 2) for a, b in zip(WEATHER_P, WEATHER_Q)),
              bits(kl(P_SYM, Q_SYM)), "the extra bits per symbol (≈ 0.00149)"),
        Claim("table 1 length", sp.Symbol("L_1"), sp.Rational(8, 5), expected_length(TABLE_1, WEATHER_P),
              "Σ p·ℓ with ℓ = 1, 1, 2, 2 (sunny 0, rainy 1, cloudy 10, snowy 11)"),
        Claim("table 2 length", sp.Symbol("L_2"), sp.Rational(7, 5), expected_length(TABLE_2, WEATHER_P),
              "Σ p·ℓ with ℓ = 2, 2, 1, 1 (sunny 11, rainy 01, cloudy 0, snowy 1)"),
        Claim("H(P,Q) = H(P) + KL(P||Q)", CE, entropy(P_SYM) + kl(P_SYM, Q_SYM), cross_entropy(P_SYM, Q_SYM),
              "cross-entropy = entropy + KL"),
        Claim("JSD symmetric", sp.Symbol("JSD(P‖Q) − JSD(Q‖P)"), sp.Integer(0),
              jsd(P_SYM, Q_SYM) - jsd(Q_SYM, P_SYM), "JSD is symmetric (KL is not)"),
    )
    return Derivation("information", "Entropy, cross-entropy, KL and JSD; the weather example in bits",
                      "lecture (entropy, cross entropy, KL divergence slides; weather example)", steps, claims, numeric)
