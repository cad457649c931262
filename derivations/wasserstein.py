r"""Wasserstein distance (issue 3, item 9; lecture; Arjovsky et al. 2017, Example 1 and Remark after Thm 1).

In one dimension :math:`W_1(P, Q) = \int |F_P(x) - F_Q(x)|\,dx`; for :math:`P = U[0,1]` and its shift
:math:`Q = U[θ, θ+1]`, :math:`0 < θ < 1`, this is :math:`θ` (SymPy integrates the piecewise CDFs).

Parallel lines: :math:`P_0` is the law of :math:`(0, Z)`, :math:`P_θ` of :math:`(θ, Z)`, :math:`Z \sim U[0,1]`. Every
coupling moves each point by :math:`\sqrt{θ^2 + d^2} \ge |θ|`, and the coupling :math:`(0,Z) \mapsto (θ,Z)` costs
exactly :math:`|θ|`: :math:`W(P_0, P_θ) = |θ|`, continuous in :math:`θ`. The supports are disjoint for
:math:`θ \ne 0`: :math:`\mathrm{JSD} = \log 2` and :math:`\mathrm{KL} = +\infty`, constant and uninformative.
Numeric: ``scipy.stats.wasserstein_distance``, :func:`gancheck.divergences.wasserstein_1d` by quadrature, JSD and KL of
the discretised lines.
"""
import numpy as np
import sympy as sp
from scipy import stats
from scipy.spatial.distance import jensenshannon

from gancheck import divergences

from .core import Claim, Comparison, Derivation, Step, definition
from .decide import numeric_function
from .jsd import disjoint_jsd

x, z = sp.symbols("x z", real=True)
theta = sp.Symbol("theta", real=True)
theta_in = sp.Symbol("theta", positive=True)  # the shift example's 0 < θ < 1
s = sp.Symbol("s", positive=True)  # θ = s/(1+s) runs over (0, 1) as s runs over (0, ∞)
LINES = sp.symbols("P_0 P_theta")


def uniform_cdf(v):
    return sp.Piecewise((0, v < 0), (v, v < 1), (1, True))


def _shift_w1():
    th = s / (1 + s)
    area = sp.integrate(uniform_cdf(x) - uniform_cdf(x - th), (x, -1, 3))  # F_P ≥ F_Q: |F_P − F_Q| = F_P − F_Q
    return sp.simplify(area.subs(s, theta_in / (1 - theta_in)))


def _coupling_lower_bound():
    d = sp.Symbol("d", real=True)
    return sp.expand((theta**2 + d**2) - theta**2) == d**2 and bool((d**2).is_nonnegative)


def _kl_parallel():
    p, q = sp.symbols("p q", positive=True)
    return sp.limit(p * sp.log(p / q), q, 0, "+")


def numeric(rng, forms, n=400):
    out = []
    w_shift = numeric_function(forms["W1 uniform shift"], (theta_in,))
    grid = (np.arange(n) + 0.5) / n
    for th in rng.uniform(0.05, 0.95, 4):
        claimed = np.array(w_shift(th), dtype=float)
        # the grid and its shift are the same discrete law moved by θ: scipy's W1 is θ up to rounding
        out.append(Comparison("W1 shift vs scipy", claimed, np.array(stats.wasserstein_distance(grid, grid + th)),
                              1e-12, 0.0))
        quad = divergences.wasserstein_1d(lambda v: np.clip(v, 0, 1), lambda v, th=th: np.clip(v - th, 0, 1),
                                          support=(-1.0, 3.0))
        out.append(Comparison("W1 shift vs ∫|F_P − F_Q|", claimed, np.array(quad), 1e-8, 0.0))
    w_par, js_par = numeric_function(forms["W parallel lines"], (theta,)), float(forms["JSD parallel lines"])
    for th in rng.choice([-1.0, 1.0], 4) * rng.uniform(0.01, 2.0, 4):
        # first coordinates 0 and θ, second coordinates coupled identically: the 1-D W1 of the first coordinates
        out.append(Comparison("W parallel vs scipy", np.array(w_par(th), dtype=float),
                              np.array(stats.wasserstein_distance(np.zeros(n), np.full(n, th))), 1e-12, 0.0))
        # atoms (0, z_i) and (θ, z_i): 2n distinct points, P on the first n, Q on the last n
        P, Q = np.r_[np.full(n, 1 / n), np.zeros(n)], np.r_[np.zeros(n), np.full(n, 1 / n)]
        out += [Comparison("JSD parallel", np.array(js_par), np.array(divergences.js_divergence(P, Q)), 1e-12, 0.0),
                Comparison("JSD parallel vs scipy", np.array(js_par), np.array(jensenshannon(P, Q) ** 2), 1e-12, 0.0),
                # +∞ compared through arctan: arctan(+∞) = π/2
                Comparison("KL parallel (arctan)", np.arctan(float(forms["KL parallel lines"])),
                           np.arctan(divergences.kl_divergence(P, Q)), 1e-12, 0.0)]
    return out


def derive():
    F_P, F_Q = sp.Function("F_P")(x), sp.Function("F_Q")(x)
    W = sp.Function("W")
    steps = (
        definition(sp.Eq(sp.Function("W_1")(*sp.symbols("P Q")), sp.Integral(sp.Abs(F_P - F_Q), (x, -sp.oo, sp.oo))),
                   "1-D Wasserstein-1 from the CDFs (the lecture's earth mover's distance)"),
        definition(sp.Eq(F_Q, uniform_cdf(x - theta_in)), "Q = U[θ, θ+1], 0 < θ < 1: F_Q ≤ F_P, so |F_P − F_Q| = "
                   "F_P − F_Q"),
        Step(sp.GreaterThan(sp.sqrt(theta**2 + sp.Symbol("d") ** 2), sp.Abs(theta)), "any coupling of the parallel "
             "lines moves each point by √(θ² + d²) ≥ |θ|: W ≥ |θ|", _coupling_lower_bound),
        definition(sp.Eq(W(theta), sp.Integral(sp.sqrt(theta**2), (z, 0, 1))),
                   "the coupling (0, z) ↦ (θ, z) costs |θ|: W ≤ |θ|"),
    )
    claims = (
        Claim("W1 uniform shift", sp.Function("W_1")(sp.Symbol("U_{[0,1]}"), sp.Symbol(r"U_{[\theta,\theta+1]}")),
              theta_in, _shift_w1,
              "∫|F_P − F_Q| = θ: the mass moves by θ"),
        Claim("W parallel lines", W(theta), sp.Abs(theta), lambda: sp.integrate(sp.sqrt(theta**2), (z, 0, 1)),
              "continuous in θ, a useful gradient (Arjovsky et al. 2017, Example 1)"),
        Claim("JSD parallel lines", sp.Function("JSD")(*LINES), sp.log(2), disjoint_jsd,
              "θ ≠ 0: disjoint supports, constant in θ"),
        Claim("KL parallel lines", sp.Function("KL")(*LINES), sp.oo, _kl_parallel, "θ ≠ 0: p log(p/q) with q = 0"),
    )
    return Derivation("wasserstein", "Wasserstein-1: the 1-D formula and the parallel lines",
                      "lecture (earth mover's distance, JS vs EMD slides); Arjovsky et al. 2017, Example 1",
                      steps, claims, numeric)
