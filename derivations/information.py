r"""Information theory of the lecture: entropy, cross-entropy and KL, on the weather example and in general.

.. math:: H(P) = -\sum_i p_i\log p_i,\quad H(P,Q) = -\sum_i p_i\log q_i = H(P) + \mathrm{KL}(P\|Q),\quad
          \mathrm{KL}(P\|Q) = \sum_i p_i\log\frac{p_i}{q_i} \ge 0

Three derivations (``derive(kind)``): ``"entropy"`` (the average bits, :math:`\log_2 N` for N equally likely signals,
the two code tables), ``"cross-entropy"`` (minimal over Q exactly at Q = P: Lagrange's stationary point, and global by
Gibbs' inequality, :mod:`derivations.gibbs`), ``"kl"`` (the extra bits, not symmetric).

The lecture's weather example (sunny, rainy, cloudy, snowy): :math:`P = (0.11, 0.29, 0.41, 0.19)` measured in 2023,
:math:`Q = (0.1, 0.3, 0.4, 0.2)` from 2022; exact expressions in bits, and the expected lengths of the two code tables
(lengths 1, 1, 2, 2 and 2, 2, 1, 1). Numeric: the definitions evaluated in mpmath at 40 digits, and minima over the
simplex found by SciPy's optimiser.
"""
import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import minimize
from scipy.special import softmax

from . import gibbs, oracles
from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function
from .independence import oracle

K = gibbs.K
P_SYM, Q_SYM = gibbs.P_SYM, gibbs.Q_SYM
SIMPLEX = (sp.Eq(sum(P_SYM), 1), sp.Eq(sum(Q_SYM), 1))
WEATHER_P = tuple(sp.Rational(v, 100) for v in (11, 29, 41, 19))
WEATHER_Q = tuple(sp.Rational(v, 10) for v in (1, 3, 4, 2))
TABLE_1 = {"sunny": "0", "rainy": "1", "cloudy": "10", "snowy": "11"}
TABLE_2 = {"sunny": "11", "rainy": "01", "cloudy": "0", "snowy": "1"}
BITS = sp.log(2)
N_SIGNALS = sp.Symbol("N", integer=True, positive=True)
TOL = 1e-13  # exact numbers evaluated in float64: a few ulps of a value ≈ 2; the oracle has 40 digits


def entropy(ps):
    return -sum(a * sp.log(a) for a in ps)


def cross_entropy(ps, qs):
    return -sum(a * sp.log(b) for a, b in zip(ps, qs))


kl = gibbs.kl


def jsd(ps, qs):
    ms = [(a + b) / 2 for a, b in zip(ps, qs)]
    return (kl(ps, ms) + kl(qs, ms)) / 2


def expected_length(table, ps):
    return sum(a * len(code) for a, code in zip(ps, table.values()))


def weather(expr):
    """``expr`` in P_SYM, Q_SYM at the weather example, in bits."""
    return expr.subs(dict(zip(P_SYM + Q_SYM, WEATHER_P + WEATHER_Q))) / BITS


def _kraft():
    return all(sum(sp.Rational(1, 2 ** len(c)) for c in t.values()) == sp.Rational(3, 2) for t in (TABLE_1, TABLE_2))


@oracle("mpmath", "the definitions −Σp log p, −Σp log q, Σp log(p/q), Σp·ℓ in mpmath at 40 digits")
def weather_values(p, q, tables):
    """The weather example's quantities from their definitions, in bits."""
    p, q = [mpmath.mpf(v) for v in p], [mpmath.mpf(v) for v in q]
    with mpmath.workdps(oracles.DIGITS):
        bit = mpmath.log(2)
        out = {"H(P)": oracles.mp_entropy(p) / bit, "H(P,Q)": oracles.mp_cross_entropy(p, q) / bit,
               "KL(P||Q)": oracles.mp_kl(p, q) / bit, "KL(Q||P)": oracles.mp_kl(q, p) / bit,
               "JSD": oracles.mp_jsd(p, q) / bit}
        out |= {f"table {i}": oracles.mp_sum(a * len(c) for a, c in zip(p, t.values()))
                for i, t in enumerate(tables, 1)}
    return {k: float(v) for k, v in out.items()}


@oracle("mpmath", "−Σ (1/N) log₂(1/N) summed term by term in mpmath at 40 digits")
def uniform_bits(ns):
    with mpmath.workdps(oracles.DIGITS):
        return np.array([float(oracles.mp_entropy([mpmath.mpf(1) / n] * n) / mpmath.log(2)) for n in ns])


@oracle("mpmath", "the definitions in mpmath at 40 digits, on random probability vectors")
def definitions(pairs):
    with mpmath.workdps(oracles.DIGITS):
        return {name: np.array([float(fn(p, q)) for p, q in pairs]) for name, fn in (
            ("H(P,Q)", oracles.mp_cross_entropy), ("KL", oracles.mp_kl), ("H(P)", lambda p, q: oracles.mp_entropy(p)),
            ("JSD(Q||P)", lambda p, q: oracles.mp_jsd(q, p)), ("JSD", oracles.mp_jsd))}


@oracle("scipy.optimize", "BFGS over softmax logits of the objective written in NumPy (its minimum and minimiser)")
def simplex_minimum(p, objective):
    """min over probability vectors q of ``objective(p, q)`` ("cross-entropy", "kl" or "V", the GAN value at D*);
    returns ``(value, argmin)``. Each objective is convex in q and the softmax maps onto the open simplex, so a
    stationary point of the composite is the minimum: one start."""
    def f(v):
        q = softmax(v)
        return {"cross-entropy": -p @ np.log(q), "kl": p @ (np.log(p) - np.log(q)),
                "V": p @ np.log(p / (p + q)) + q @ np.log(q / (p + q))}[objective]

    best = minimize(f, np.zeros(len(p)), method="BFGS", options={"gtol": 1e-11})
    return best.fun, softmax(best.x)


def random_pairs(rng, trials=12):
    return [(rng.dirichlet(np.ones(K)), rng.dirichlet(np.ones(K))) for _ in range(trials)]


def _weather_comparisons(forms, labels):
    want = weather_values(np.array(WEATHER_P, dtype=float), np.array(WEATHER_Q, dtype=float), (TABLE_1, TABLE_2))
    return [Comparison(label, np.array(float(forms[label])), want[key], TOL, 0.0) for label, key in labels]


def _numeric_entropy(rng, forms):
    out = _weather_comparisons(forms, (("H(P) bits", "H(P)"), ("table 1 length", "table 1"),
                                       ("table 2 length", "table 2")))
    ns = np.arange(2, 65)
    got = np.broadcast_to(numeric_function(forms["H uniform"], (N_SIGNALS,))(ns), ns.shape).astype(float)
    return out + [Comparison("H uniform", got, uniform_bits(ns), TOL, 0.0)]


def _numeric_cross_entropy(rng, forms):
    out = _weather_comparisons(forms, (("H(P,Q) bits", "H(P,Q)"),))
    minimum = numeric_function(forms["min_Q H(P,Q)"], P_SYM)
    pairs = random_pairs(rng, 6)
    want = definitions(pairs)["H(P,Q)"]
    for i, (p, _) in enumerate(pairs):
        claimed = np.array(float(minimum(*p)))
        out += [Comparison("min_Q H(P,Q)", claimed, simplex_minimum(p, "cross-entropy")[0], 1e-10, 0.0,
                           criterion="|claimed − optimiser's minimum| ≤ 1e-10 (BFGS to gradient 1e-11)"),
                Comparison("min_Q H(P,Q) ≤ H(P,Q)", claimed, want[i], 1e-13, 0.0, relation="<=")]
    return out


def _numeric_kl(rng, forms):
    out = _weather_comparisons(forms, (("KL(P||Q) bits", "KL(P||Q)"), ("KL(Q||P) bits", "KL(Q||P)")))
    pairs = random_pairs(rng)
    want = definitions(pairs)
    decomposition = numeric_function(forms["H(P,Q) = H(P) + KL(P||Q)"], P_SYM + Q_SYM)
    got = np.array([decomposition(*p, *q) for p, q in pairs], dtype=float)
    out.append(Comparison("H(P,Q) = H(P) + KL(P||Q)", got, want["H(P,Q)"], TOL, 0.0))
    minimum = float(forms["min_Q KL(P||Q)"])
    out.append(Comparison("min_Q KL(P||Q) ≤ KL(P||Q)", np.full(len(pairs), minimum), want["KL"], 1e-13, 0.0,
                          relation="<="))
    for p, _ in pairs[:4]:
        out.append(Comparison("min_Q KL(P||Q)", np.array(minimum), simplex_minimum(p, "kl")[0], 1e-10, 0.0,
                              criterion="|claimed − optimiser's minimum| ≤ 1e-10 (BFGS to gradient 1e-11)"))
    return out


def _lagrange_minimum():
    """The stationary point of H(P, Q) + λ(Σq − 1) in q: q_i = p_i/λ, and Σq = 1 gives λ = Σp; the value there."""
    lam = sp.Symbol("lambda", positive=True)
    stationary = [sp.solve(sp.diff(cross_entropy(P_SYM, Q_SYM) + lam * (sum(Q_SYM) - 1), b), b)[0] for b in Q_SYM]
    lam_value = sp.solve(sum(stationary) - 1, lam)[0]
    return cross_entropy(P_SYM, [v.subs(lam, lam_value) for v in stationary])


def derive(kind="entropy"):
    H, CE, KL = sp.Symbol("H(P)"), sp.Symbol("H(P, Q)"), sp.Symbol(r"\mathrm{KL}(P \| Q)")
    defs = {"H": definition(sp.Eq(H, entropy(P_SYM)), "entropy: the expected optimal code length (nats; divide by "
                                                       "log 2 for bits)"),
            "CE": definition(sp.Eq(CE, cross_entropy(P_SYM, Q_SYM)), "cross-entropy: the expected length with Q's "
                                                                      "optimal code"),
            "KL": definition(sp.Eq(KL, kl(P_SYM, Q_SYM)), "KL: the extra length")}
    if kind == "entropy":
        n = N_SIGNALS
        uniform = -sp.Sum(sp.log(1 / n) / n, (sp.Symbol("i"), 1, n)).doit() / BITS
        steps = (defs["H"],
                 identity(uniform, sp.log(n) / BITS, "N equally likely signals, p = 1/N: −log₂ p = log₂ N bits each"),
                 Step(sp.Eq(sp.Symbol(r"\sum 2^{-\ell}"), sp.Rational(3, 2)),
                      "Σ 2^(−ℓ) = 3/2 > 1 for both tables: neither code is uniquely decodable, which is how their "
                      "lengths can undercut H(P) (Kraft–McMillan)", _kraft))
        claims = (Claim("H(P) bits", H, -sum(v * sp.log(v, 2) for v in WEATHER_P), weather(entropy(P_SYM)),
                        "weather 2023, in bits (≈ 1.8508)"),
                  Claim("H uniform", sp.Symbol(r"H(U_{N})"), sp.log(n, 2), uniform, "N equally likely signals: log₂ N "
                        "bits"),
                  Claim("table 1 length", sp.Symbol("L_1"), sp.Rational(8, 5), expected_length(TABLE_1, WEATHER_P),
                        "Σ p·ℓ with ℓ = 1, 1, 2, 2 (sunny 0, rainy 1, cloudy 10, snowy 11)"),
                  Claim("table 2 length", sp.Symbol("L_2"), sp.Rational(7, 5), expected_length(TABLE_2, WEATHER_P),
                        "Σ p·ℓ with ℓ = 2, 2, 1, 1 (sunny 11, rainy 01, cloudy 0, snowy 1)"))
        return Derivation("entropy", "Entropy: the average number of bits; the weather example's code tables",
                          "lecture (entropy slides; weather example, encode tables 1 and 2)", steps, claims,
                          _numeric_entropy, lecture="Entropy = −Σ pᵢ log₂ pᵢ: average bits (weather, encode tables)")
    if kind == "cross-entropy":
        steps = (defs["H"], defs["CE"], *gibbs.steps(what="H(P, Q) − H(P) = KL(P‖Q)"),
                 identity(sp.Derivative(cross_entropy(P_SYM, Q_SYM), Q_SYM[0]), -P_SYM[0] / Q_SYM[0],
                          "Lagrange: −p_i/q_i + λ = 0, so q_i = p_i/λ, and Σq = 1 gives λ = 1: Q = P"))
        claims = (Claim("H(P,Q) bits", CE, -sum(a * sp.log(b, 2) for a, b in zip(WEATHER_P, WEATHER_Q)),
                        weather(cross_entropy(P_SYM, Q_SYM)), "2023's weather coded with 2022's optimal code "
                        "(≈ 1.8523)"),
                  Claim("min_Q H(P,Q)", sp.Symbol(r"\min_{Q} H(P, Q)"), entropy(P_SYM), _lagrange_minimum,
                        "reached only at Q = P (Gibbs): the entropy", domain=SIMPLEX[:1]))
        return Derivation("cross-entropy", "Cross-entropy, minimal exactly at Q = P",
                          "lecture (cross entropy slide: minimum if P = Q); Gibbs' inequality", steps, claims,
                          _numeric_cross_entropy, lecture="Cross entropy −Σ pᵢ log₂ qᵢ: minimum if P = Q")
    steps = (defs["H"], defs["CE"], defs["KL"], *gibbs.steps())
    claims = (Claim("KL(P||Q) bits", KL, sum(a * sp.log(a / b, 2) for a, b in zip(WEATHER_P, WEATHER_Q)),
                    weather(kl(P_SYM, Q_SYM)), "the extra bits per symbol (≈ 0.00149)"),
              Claim("KL(Q||P) bits", sp.Symbol(r"\mathrm{KL}(Q \| P)"),
                    sum(b * sp.log(b / a, 2) for a, b in zip(WEATHER_P, WEATHER_Q)),
                    weather(kl(Q_SYM, P_SYM)), "the other way round: a different number, KL is not symmetric"),
              Claim("H(P,Q) = H(P) + KL(P||Q)", CE, entropy(P_SYM) + kl(P_SYM, Q_SYM), cross_entropy(P_SYM, Q_SYM),
                    "cross-entropy = entropy + KL"),
              Claim("min_Q KL(P||Q)", sp.Symbol(r"\min_{Q} \mathrm{KL}(P \| Q)"), sp.Integer(0),
                    lambda: sp.simplify(kl(P_SYM, P_SYM)), "KL ≥ 0, reached only at Q = P (Gibbs)"))
    return Derivation("kl", "KL divergence: the extra bits, never negative, not symmetric",
                      "lecture (KL divergence slide; weather example)", steps, claims, _numeric_kl,
                      lecture="KL divergence Σ P(i) log[P(i)/Q(i)]: the extra bits")
