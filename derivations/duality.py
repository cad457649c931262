r"""Kantorovich–Rubinstein duality as the lecture uses it, on the parallel lines (lecture: "explaining WGAN";
Villani 2009, Theorem 5.10 and Remark 6.5; Arjovsky et al. 2017, eq. 2).

.. math:: W(P_{\text{data}}, P_G) = \max_{\|f\|_L \le 1}\ \mathbb E_{x \sim P_{\text{data}}} f(x)
          - \mathbb E_{x \sim P_G} f(x)

Weak duality is one line: for any coupling γ and 1-Lipschitz f, :math:`\mathbb E_P f - \mathbb E_Q f =
\mathbb E_γ[f(x) - f(y)] \le \mathbb E_γ\|x - y\|`, so the maximum is at most W. On the parallel lines
(:mod:`derivations.parallel_lines`, :math:`W = |θ|`) the critic :math:`f^*(x) = -\operatorname{sign}(θ)\,x_1` has
gradient :math:`(-\operatorname{sign} θ, 0)` of norm 1 (1-Lipschitz) and reaches :math:`\mathbb E_{P_0} f^* -
\mathbb E_{P_θ} f^* = |θ|`: the maximum equals W and :math:`f^*` is an optimal critic. A claimed critic is decided
the same way: a constant gradient of norm at most 1 and the value |θ|.

Numeric: the dual linear programme itself — maximise :math:`\sum_i p_i f_i - \sum_j q_j f_j` subject to
:math:`f_a - f_b \le \|a - b\|` for every pair of support points (``scipy.optimize.linprog``) — on discretisations of
the lines; the claimed critic against pairwise distances (Lipschitz) and against the LP's optimal value.
"""
import numpy as np
import sympy as sp
from scipy.spatial.distance import pdist

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition
from .decide import numeric_function, verify_statement
from .independence import oracle
from .parallel_lines import line, theta

x1, x2, z = sp.symbols("x_1 x_2 z", real=True)
d = sp.Symbol("d", positive=True)
SIGNS = ({theta: d}, {theta: -d})  # decide for θ > 0 and θ < 0 separately


def value(f):
    """E_{P_0} f − E_{P_θ} f for a critic f(x_1, x_2): P_0 on {0} × [0, 1], P_θ on {θ} × [0, 1]."""
    return sp.integrate(f.subs({x1: 0, x2: z}) - f.subs({x1: theta, x2: z}), (z, 0, 1))


def is_optimal_critic(f):
    """f has a constant gradient of norm ≤ 1 (so it is 1-Lipschitz) and reaches |θ|, for θ > 0 and θ < 0."""
    f = sp.sympify(f)
    grad = [sp.diff(f, v) for v in (x1, x2)]
    if any(g.has(x1, x2) for g in grad):
        return False
    for sub in SIGNS:
        norm2 = sp.simplify(sum(g.subs(sub) ** 2 for g in grad))
        if not (norm2.is_number and norm2 <= 1) or not verify_statement(value(f).subs(sub), sp.Abs(theta).subs(sub)):
            return False
    return True


CRITIC = -sp.sign(theta) * x1


def prover(forms):
    out = {}
    if "KR dual value" in forms:
        out["KR dual value"] = all(verify_statement(value(CRITIC).subs(s), sp.sympify(forms["KR dual value"]).subs(s))
                                   for s in SIGNS)
    if "optimal critic" in forms:
        out["optimal critic"] = is_optimal_critic(forms["optimal critic"])
    return out


@oracle("linprog", "the Kantorovich–Rubinstein dual LP: max Σp f − Σq f subject to f_a − f_b ≤ ‖a − b‖ on the support "
                   "(scipy.optimize.linprog, HiGHS)")
def dual_value(xs, ps, ys, qs):
    return oracles.lipschitz_dual(xs, ps, ys, qs)[0]


@oracle("distances", "pairwise Euclidean distances of the support points (scipy.spatial.distance.pdist)")
def distances(points):
    return pdist(points)


def numeric(rng, forms, n=12, m=17):
    value_fn = numeric_function(forms["KR dual value"], (theta,))
    critic = numeric_function(forms["optimal critic"], (x1, x2, theta))
    out = []
    bound = 1 / (4 * n) + 1 / (4 * m)
    for th in rng.choice([-1.0, 1.0], 4) * rng.uniform(0.05, 2.0, 4):
        for k, label, tol, criterion in ((n, "same grid", 1e-9, "equal to 1e-9 (the LP's accuracy)"),
                                         (m, "different grids", bound, f"within the quantisation bound 1/4n + 1/4m = "
                                                                       f"{bound:.4f}")):
            P, Q = line(0.0, n), line(th, k)
            lp = dual_value(P, np.full(n, 1 / n), Q, np.full(k, 1 / k))
            out.append(Comparison(f"KR dual value, {label}", np.array(float(value_fn(th))), lp, tol, 0.0,
                                  criterion=criterion))
            f = np.broadcast_to(critic(*np.vstack([P, Q]).T, th), (n + k,))
            reached = f[:n].mean() - f[n:].mean()
            out.append(Comparison(f"optimal critic reaches the dual LP, {label}", np.array(reached), lp, tol, 0.0,
                                  criterion=criterion))
            diffs = np.abs(f[:, None] - f[None, :])[np.triu_indices(n + k, 1)]
            out.append(Comparison("optimal critic is 1-Lipschitz", diffs, distances(np.vstack([P, Q])), 1e-12, 0.0,
                                  relation="<="))
    return out


def derive():
    f = sp.Function("f")
    steps = (
        definition(sp.LessThan(sp.Symbol(r"\mathbb{E}_{P} f - \mathbb{E}_{Q} f"),
                               sp.Symbol(r"\mathbb{E}_{\gamma}\|x - y\|")),
                   "weak duality: for any coupling γ and 1-Lipschitz f, f(x) − f(y) ≤ ‖x − y‖; take E_γ: max_f ≤ W"),
        Step(sp.Eq(sp.Symbol(r"\|\nabla f^{*}\|"), 1),
             "f*(x) = −sign(θ) x₁ has the constant gradient (−sign θ, 0): 1-Lipschitz",
             lambda: is_optimal_critic(CRITIC)),
        Step(sp.Eq(value(f(x1, x2)).subs(f(x1, x2), CRITIC), sp.Abs(theta)), "E_P₀ f* − E_Pθ f* = |θ| = W "
             "(parallel-lines): the bound is reached, so max = W and f* is optimal",
             lambda: all(verify_statement(value(CRITIC).subs(s), sp.Abs(theta).subs(s)) for s in SIGNS)),
    )
    claims = (
        Claim("KR dual value", sp.Symbol(r"\max_{\|f\|_{L} \le 1} \mathbb{E}_{P_0} f - \mathbb{E}_{P_\theta} f"),
              sp.Abs(theta), None,
              "the dual side equals W(P_0, P_θ) = |θ|: strong duality"),
        Claim("optimal critic", sp.Function("f^*")(x1, x2), CRITIC, None,
              "a 1-Lipschitz critic that reaches the maximum (unique up to a constant on the supports)"),
    )
    return Derivation("kantorovich-rubinstein", "Kantorovich–Rubinstein duality on the parallel lines",
                      "lecture (explaining WGAN); Villani 2009, Thm 5.10; Arjovsky et al. 2017, eq. 2", steps,
                      claims, numeric, prover=prover,
                      lecture="Explaining WGAN: W = max over 1-Lipschitz D of E_data D(x) − E_G D(x)")
