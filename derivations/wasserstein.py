r"""The earth mover's distance in one dimension, from the coupling definition (lecture: "earth mover's distance: the
average distance in the best plan"; Villani 2009, Remark 6.2; Arjovsky et al. 2017).

.. math:: W_1(P, Q) = \inf_{γ \in Π(P, Q)} \mathbb E_{(x, y) \sim γ} |x - y|

For each of the lecture's kinds of example the value is pinned from both sides: an explicit **coupling** gives an
upper bound (its cost), and a **1-Lipschitz potential** f gives a lower bound, because for every coupling
:math:`\mathbb E_γ|x - y| \ge \mathbb E_γ[f(x) - f(y)] = \mathbb E_P f - \mathbb E_Q f`. When the two meet, that is
:math:`W_1`; SymPy computes both, and the area :math:`\int|F_P - F_Q|` between the CDFs, and shows all three equal:

* **shift**: :math:`P = U[0, 1]`, :math:`Q = U[θ, θ + 1]`, :math:`0 < θ < 1`; coupling :math:`y = x + θ`, potential
  :math:`f(x) = -x`: :math:`W_1 = θ`;
* **two points**: :math:`P = \mathrm{Bernoulli}(p)`, :math:`Q = \mathrm{Bernoulli}(q)` on :math:`\{0, 1\}`; every
  coupling moves :math:`c` from 1 to 0 and :math:`c + q - p` from 0 to 1, costing :math:`2c + q - p`, least at
  :math:`c = \max(0, p - q)`; potential :math:`f(x) = \pm x`: :math:`W_1 = |p - q|`;
* **uniforms of different widths**: :math:`P = U[-1, 1]`, :math:`Q = U[-\tfrac12, \tfrac12]` (the CDFs cross); the
  quantile coupling :math:`y = x/2`, potential :math:`f(x) = |x|`: :math:`W_1 = \tfrac14`.

Numeric: the transport linear programme itself (``scipy.optimize.linprog``) between discretisations — exact for the
two-point laws; for the uniforms, midpoint quantisations with n atoms, within the quantisation bound
:math:`W_1(U[a, b], \text{its } n\text{-point quantisation}) = (b - a)/4n` for each side.
"""
import numpy as np
import sympy as sp

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition
from .decide import numeric_function, verify_statement
from .independence import oracle

x, u = sp.symbols("x u", real=True)
theta = sp.Symbol("theta", positive=True)  # the shift example's 0 < θ < 1
s = sp.Symbol("s", positive=True)  # θ = s/(1+s) runs over (0, 1) as s runs over (0, ∞)
p, q, c, d = sp.symbols("p q c d", positive=True)
HALF = sp.Rational(1, 2)


def uniform_cdf(v, a=0, b=1):
    return sp.Piecewise((0, v < a), ((v - a) / (b - a), v < b), (1, True))


def mean(f, a, b):
    """E f(X) for X ~ U[a, b]."""
    return sp.integrate(f, (x, a, b)) / (b - a)


def _shift_area():
    th = s / (1 + s)
    area = sp.integrate(uniform_cdf(x) - uniform_cdf(x - th), (x, -1, 3))  # F_P ≥ F_Q: |F_P − F_Q| = F_P − F_Q
    return sp.simplify(area.subs(s, theta / (1 - theta)))


def _widths_area():
    return sp.integrate(sp.Abs(uniform_cdf(x, -1, 1) - uniform_cdf(x, -HALF, HALF)), (x, -2, 2))


def two_point_coupling():
    """The cheapest coupling of Bernoulli(p) and Bernoulli(q): cost 2c + q − p is increasing in c (the mass moved
    from 1 to 0), so it is least at the smallest feasible c = max(0, p − q)."""
    cost = 2 * c + q - p
    return cost.subs(c, sp.Max(0, p - q)) if sp.diff(cost, c).is_positive else sp.nan


def both_orders(a, b):
    """``a == b`` for expressions in p, q with kinks at p = q: decided for p = q + d and for q = p + d, d > 0."""
    return all(verify_statement(sp.sympify(a).subs(sub), sp.sympify(b).subs(sub)) for sub in ({p: q + d}, {q: p + d}))


LOWER = {  # potential f (1-Lipschitz) → E_P f − E_Q f, a lower bound of every coupling's cost
    "W1 uniform shift": lambda: mean(-x, 0, 1) - mean(-x, theta, theta + 1),
    "W1 two-point": lambda: sp.Piecewise((1, p >= q), (-1, True)) * (p - q),
    "W1 uniform widths": lambda: mean(sp.Abs(x), -1, 1) - mean(sp.Abs(x), -HALF, HALF),
}
AREA = {"W1 uniform shift": _shift_area, "W1 two-point": lambda: sp.integrate(sp.Abs((1 - p) - (1 - q)), (x, 0, 1)),
        "W1 uniform widths": _widths_area}
UPPER = {  # an explicit coupling's cost
    "W1 uniform shift": lambda: sp.integrate(sp.Abs(-theta), (u, 0, 1)),  # y = x + θ
    "W1 two-point": two_point_coupling,
    "W1 uniform widths": lambda: sp.integrate(sp.Abs((2 * u - 1) - (u - HALF)), (u, 0, 1)),  # quantiles 2u−1, u−½
}


def _equal(label, a, b):
    return both_orders(a, b) if label == "W1 two-point" else verify_statement(a, b)


def prover(forms):
    return {label: _equal(label, UPPER[label](), form) for label, form in forms.items()}


def midpoints(a, b, n):
    return a + (b - a) * (np.arange(n) + 0.5) / n


@oracle("linprog", "the transport linear programme min Σγ_ij|x_i − y_j| over couplings (scipy.optimize.linprog, HiGHS)")
def transport_value(xs, ps, ys, qs):
    return oracles.transport(xs, ps, ys, qs)


def numeric(rng, forms, n=30, m=45):
    out = []
    shift = numeric_function(forms["W1 uniform shift"], (theta,))
    bound = 1 / (4 * n) + 1 / (4 * m)
    for th in rng.uniform(0.1, 0.9, 3):
        out += [Comparison("W1 uniform shift, n = m", np.array(float(shift(th))),
                           transport_value(midpoints(0, 1, n), np.full(n, 1 / n), midpoints(th, th + 1, n),
                                           np.full(n, 1 / n)), 1e-9, 0.0,
                           criterion="equal to 1e-9: the two n-point quantisations are shifts of each other"),
                Comparison("W1 uniform shift, n ≠ m", np.array(float(shift(th))),
                           transport_value(midpoints(0, 1, n), np.full(n, 1 / n), midpoints(th, th + 1, m),
                                           np.full(m, 1 / m)), bound, 0.0,
                           criterion=f"within the quantisation bound 1/4n + 1/4m = {bound:.4f} (n = {n}, m = {m})")]
    two = numeric_function(forms["W1 two-point"], (p, q))
    for a, b in rng.uniform(0.02, 0.98, (4, 2)):
        out.append(Comparison("W1 two-point", np.array(float(two(a, b))),
                              transport_value([0.0, 1.0], [1 - a, a], [0.0, 1.0], [1 - b, b]), 1e-9, 0.0))
    widths = float(forms["W1 uniform widths"])
    for k in (1, 2):
        bound = 2 / (4 * k * n) + 1 / (4 * k * m)
        out.append(Comparison("W1 uniform widths", np.array(widths),
                              transport_value(midpoints(-1, 1, k * n), np.full(k * n, 1 / (k * n)),
                                              midpoints(-0.5, 0.5, k * m), np.full(k * m, 1 / (k * m))), bound, 0.0,
                              criterion=f"within the quantisation bound 2/4n + 1/4m (n = {k * n}, m = {k * m})"))
    return out


def derive():
    F_P, F_Q = sp.Function("F_P")(x), sp.Function("F_Q")(x)
    W1 = sp.Function("W_1")
    steps = [definition(sp.Eq(W1(*sp.symbols("P Q")), sp.Symbol(r"\inf_{\gamma \in \Pi(P, Q)} E_\gamma |x - y|")),
                        "the coupling definition: the least average distance over transport plans γ"),
             definition(sp.GreaterThan(sp.Symbol(r"\mathbb{E}_{\gamma}|x - y|"),
                                       sp.Symbol(r"\mathbb{E}_{P} f - \mathbb{E}_{Q} f")),
                        "for every coupling γ and every 1-Lipschitz f: |x − y| ≥ f(x) − f(y), then take E_γ")]
    for label in UPPER:
        case = label[3:]
        steps += [Step(sp.Eq(sp.Symbol(rf"\left(\mathbb{{E}}_P f - \mathbb{{E}}_Q f\right)_{{\text{{{case}}}}}"),
                             sp.Symbol(rf"\left(\mathbb{{E}}_\gamma |x - y|\right)_{{\text{{{case}}}}}")),
                       f"{case}: a 1-Lipschitz potential reaches the coupling's cost — both are W₁",
                       lambda label=label: _equal(label, LOWER[label](), UPPER[label]())),
                  Step(sp.Eq(sp.Integral(sp.Abs(F_P - F_Q), (x, -sp.oo, sp.oo)),
                             sp.Symbol(rf"W_1^{{\text{{{case}}}}}")),
                       f"{case}: the area between the CDFs is the same number", lambda label=label: _equal(
                           label, AREA[label](), UPPER[label]()))]
    claims = (
        Claim("W1 uniform shift", W1(sp.Symbol("U_{[0,1]}"), sp.Symbol(r"U_{[\theta,\theta+1]}")), theta, None,
              "the mass moves by θ", domain=(sp.StrictLessThan(theta, 1),)),
        Claim("W1 two-point", W1(sp.Symbol(r"\mathrm{Bernoulli}{(p)}"), sp.Symbol(r"\mathrm{Bernoulli}{(q)}")),
              sp.Abs(p - q), None,
              "mass |p − q| moves a distance 1", domain=(sp.StrictLessThan(p, 1), sp.StrictLessThan(q, 1))),
        Claim("W1 uniform widths", W1(sp.Symbol("U_{[-1,1]}"), sp.Symbol(r"U_{[-1/2,1/2]}")), sp.Rational(1, 4), None,
              "the CDFs cross at 0: the quantile coupling y = x/2"),
    )
    return Derivation("wasserstein", "The earth mover's distance W₁ in 1-D: coupling, potential and ∫|F_P − F_Q|",
                      "lecture (earth mover's distance); Villani 2009, Remark 6.2", tuple(steps), claims, numeric,
                      prover=prover, lecture="Earth mover's distance: the average distance of the best plan "
                                             "(1-D: ∫|F_P − F_Q|)")
