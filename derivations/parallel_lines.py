r"""JS against the earth mover's distance on parallel lines (lecture: "JS vs Earth Mover's Distance"; Arjovsky et al.
2017, Example 1).

:math:`P_0` is the law of :math:`(0, Z)` and :math:`P_θ` of :math:`(θ, Z)`, :math:`Z \sim U[0, 1]`. Every coupling moves
each point from :math:`(0, z)` to some :math:`(θ, z')` at distance :math:`\sqrt{θ^2 + (z - z')^2} \ge |θ|`, and the
coupling :math:`(0, z) \mapsto (θ, z)` costs exactly :math:`|θ|`: :math:`W(P_0, P_θ) = |θ|`, continuous in θ. For
:math:`θ \ne 0` the supports are disjoint: :math:`\mathrm{JSD} = \log 2` and :math:`\mathrm{KL} = +\infty`, constant and
uninformative — the lecture's :math:`JS(P_{G_0}, P_{\text{data}}) = JS(P_{G_{50}}, P_{\text{data}}) = \log 2` while
:math:`W = d_0, d_{50}`. Numeric: exact optimal transport between discretisations of the two lines in the plane by
linear programming (``scipy.optimize.linprog``), and the divergences of the discretised (disjoint) laws in mpmath.
"""
import mpmath
import numpy as np
import sympy as sp

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition
from .decide import numeric_function
from .independence import oracle
from .jsd_definition import disjoint_jsd, disjoint_values
from .wasserstein import midpoints, transport_value

z = sp.Symbol("z", real=True)
theta = sp.Symbol("theta", real=True)
LINES = sp.symbols("P_0 P_theta")


def _coupling_lower_bound():
    dz = sp.Symbol("d", real=True)
    return sp.expand((theta**2 + dz**2) - theta**2) == dz**2 and bool((dz**2).is_nonnegative)


def _kl_disjoint():
    p, q = sp.symbols("p q", positive=True)
    return sp.limit(p * sp.log(p / q), q, 0, "+")


def line(x0, n):
    return np.c_[np.full(n, x0), midpoints(0.0, 1.0, n)]


@oracle("mpmath", "Σ p log(p/q) in mpmath (+∞ where q = 0 < p), on the discretised lines")
def kl_value(P, Q):
    with mpmath.workdps(oracles.DIGITS):
        return float(oracles.mp_kl(P, Q))


def numeric(rng, forms, n=20, m=27):
    w = numeric_function(forms["W parallel lines"], (theta,))
    out = []
    bound = 1 / (4 * n) + 1 / (4 * m)
    thetas = rng.choice([-1.0, 1.0], 4) * rng.uniform(0.05, 2.0, 4)
    for th in thetas:
        claimed = np.array(float(w(th)))
        out += [Comparison("W parallel lines, same grid", claimed,
                           transport_value(line(0.0, n), np.full(n, 1 / n), line(th, n), np.full(n, 1 / n)), 1e-9,
                           0.0, criterion="equal to 1e-9 (the LP's accuracy) on the same grid of both lines"),
                Comparison("W parallel lines, different grids", claimed,
                           transport_value(line(0.0, n), np.full(n, 1 / n), line(th, m), np.full(m, 1 / m)), bound,
                           0.0, criterion=f"within the quantisation bound 1/4n + 1/4m = {bound:.4f} "
                                          f"(n = {n}, m = {m})")]
    # atoms (0, z_i) and (θ, z_i): 2n distinct points, P on the first n, Q on the last n
    P, Q = np.r_[np.full(n, 1 / n), np.zeros(n)], np.r_[np.zeros(n), np.full(n, 1 / n)]
    out += [Comparison("JSD parallel lines", np.array(float(forms["JSD parallel lines"])),
                       disjoint_values([(P, Q)]), 1e-13, 0.0),
            Comparison("KL parallel lines", np.array(float(forms["KL parallel lines"])), kl_value(P, Q), 0.0, 0.0,
                       criterion="+∞ exactly (a finite value fails)")]
    return out


def derive():
    W = sp.Function("W")
    steps = (
        definition(sp.Eq(W(*LINES), sp.Symbol(r"\inf_{\gamma} E_\gamma \|x - y\|")), "P_0 = law of (0, Z), P_θ = law "
                   "of (θ, Z), Z ~ U[0, 1]; the coupling definition of the earth mover's distance"),
        Step(sp.GreaterThan(sp.sqrt(theta**2 + sp.Symbol("d") ** 2), sp.Abs(theta)), "any coupling moves each point by "
             "√(θ² + d²) ≥ |θ|: W ≥ |θ|", _coupling_lower_bound),
        definition(sp.Eq(sp.Symbol(r"\text{cost}{((0, z) \mapsto (\theta, z))}"),
                         sp.Integral(sp.sqrt(theta**2), (z, 0, 1))),
                   "the coupling that moves each point sideways costs |θ|: W ≤ |θ|"),
    )
    claims = (
        Claim("W parallel lines", W(theta), sp.Abs(theta), lambda: sp.integrate(sp.sqrt(theta**2), (z, 0, 1)),
              "continuous in θ, a useful gradient (Arjovsky et al. 2017, Example 1)"),
        Claim("JSD parallel lines", sp.Function("JSD")(*LINES), sp.log(2), disjoint_jsd,
              "θ ≠ 0: disjoint supports, constant in θ", domain=(sp.Ne(theta, 0),)),
        Claim("KL parallel lines", sp.Function("KL")(*LINES), sp.oo, _kl_disjoint, "θ ≠ 0: p log(p/q) with q = 0",
              domain=(sp.Ne(theta, 0),)),
    )
    return Derivation("parallel-lines", "JS against the earth mover's distance: the parallel lines",
                      "lecture (JS vs earth mover's distance); Arjovsky et al. 2017, Example 1", steps, claims,
                      numeric, lecture="JS vs Earth Mover's Distance: JS = log 2 while W = d₀ (parallel lines)")
