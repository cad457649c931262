r"""The value of the game at the optimal discriminator (issue 3, item 5; Goodfellow et al. 2014, Theorem 1).

With :math:`D^* = p/(p+q)` (:mod:`derivations.optimal_d`), :math:`p = p_{\text{data}}(x)`, :math:`q = p_G(x)` and
:math:`m = (p+q)/2`, pointwise

.. math:: p\log\frac{p}{p+q} + q\log\frac{q}{p+q} = -(p+q)\log 2 + p\log\frac pm + q\log\frac qm

and integrating (:math:`\int p = \int q = 1`): :math:`V(G, D^*) = -2\log 2 + 2\,\mathrm{JSD}(P_{\text{data}}\|P_G)`.
Consequences: :math:`0 \le \mathrm{JSD} \le \log 2`; the minimum :math:`-\log 4` is reached iff :math:`P_G =
P_{\text{data}}`; :math:`\mathrm{JSD} = \log 2` for disjoint supports. Numeric: random discrete distributions and
Gaussian pairs (Simpson quadrature), cross-checked with ``scipy.spatial.distance.jensenshannon`` (which returns
:math:`\sqrt{\mathrm{JSD}}`, natural log by default).
"""
import numpy as np
import sympy as sp
from scipy import integrate, stats
from scipy.spatial.distance import jensenshannon

from gancheck import divergences

from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function, verify_statement

p, q = sp.symbols("p q", positive=True)
M = (p + q) / 2
AT_DSTAR = p * sp.log(p / (p + q)) + q * sp.log(q / (p + q))  # p log D* + q log(1 − D*)
J = (p * sp.log(p / M) + q * sp.log(q / M)) / 2  # JSD's integrand
LOG4 = 2 * sp.log(2)
TOL = 1e-12  # sums of ≤ 8 float64 terms of size ≤ 1: rounding ≲ 1e-15


def _discrete_identity(k=2):
    ps, qs = sp.symbols(f"p1:{k + 1}", positive=True), sp.symbols(f"q1:{k + 1}", positive=True)
    lhs = sum(AT_DSTAR.subs({p: a, q: b}) for a, b in zip(ps, qs))
    rhs = -(sum(ps) + sum(qs)) * sp.log(2) + 2 * sum(J.subs({p: a, q: b}) for a, b in zip(ps, qs))
    return lhs, rhs


def _upper_bound():
    gap = sp.log(2) - sp.log(p / M)
    return verify_statement(gap, sp.log(1 + q / p)) and bool(sp.log(1 + q / p).is_nonnegative)


def disjoint_jsd():
    """JSD of two distributions with disjoint supports: ½ p log 2 where q = 0, ½ q log 2 where p = 0, per unit mass."""
    return sp.simplify(sp.limit(J, q, 0, "+") / p + sp.limit(J, p, 0, "+") / q)


def numeric(rng, forms, atoms=8, trials=20):
    value = numeric_function(forms["V(G,D*)"], (p, q))
    out = []
    for _ in range(trials):
        P, Q = rng.dirichlet(np.ones(atoms)), rng.dirichlet(np.ones(atoms))
        d = P / (P + Q)
        v_direct = np.sum(P * np.log(d) + Q * np.log1p(-d))
        got = float(np.sum(np.broadcast_to(value(P, Q), P.shape)))
        out += [Comparison("V(D*) direct", np.array(got), np.array(v_direct), TOL, 0.0),
                Comparison("V(D*) = -log4 + 2 jensenshannon²", np.array(got),
                           np.array(-2 * np.log(2) + 2 * jensenshannon(P, Q) ** 2), TOL, 0.0)]
        jsd = divergences.js_divergence(P, Q)
        out.append(Comparison("0 ≤ JSD ≤ log 2", np.array(min(jsd, 0.0) + max(jsd - np.log(2), 0.0)), np.array(0.0),
                              0.0, 0.0))
        same = float(np.sum(np.broadcast_to(value(P, P), P.shape)))
        out.append(Comparison("V = -log 4 at P_G = P_data", np.array(same), np.array(-np.log(4)), TOL, 0.0))
    disjoint_p = np.r_[rng.dirichlet(np.ones(4)), np.zeros(4)]
    disjoint_q = np.r_[np.zeros(4), rng.dirichlet(np.ones(4))]
    claimed = float(forms["JSD disjoint"])
    out += [Comparison("JSD of disjoint supports", np.array(claimed),
                       np.array(divergences.js_divergence(disjoint_p, disjoint_q)), TOL, 0.0),
            Comparison("scipy: disjoint supports", np.array(claimed),
                       np.array(jensenshannon(disjoint_p, disjoint_q) ** 2), TOL, 0.0)]
    x = np.linspace(-15.0, 15.0, 30001)  # Simpson, step 1e-3: error ≪ 1e-9 on these Gaussian integrands
    for mu, s in rng.uniform([-3.0, 0.5], [3.0, 2.0], (3, 2)):
        P_x, Q_x = stats.norm(0.0, 1.0).pdf(x), stats.norm(mu, s).pdf(x)
        got = integrate.simpson(np.broadcast_to(value(P_x, Q_x), x.shape), x=x)
        jsd_quad = divergences.js_divergence(stats.norm(0, 1).pdf, stats.norm(mu, s).pdf, support=(-15.0, 15.0))
        out += [Comparison("Gaussians: V(D*) = -log4 + 2 JSD (quad)", np.array(got),
                           np.array(-2 * np.log(2) + 2 * jsd_quad), 1e-9, 0.0),
                # scipy on the grid's weights is a Riemann sum of the same integral: O(h²) ≈ 1e-6 from the quad
                Comparison("Gaussians: quad JSD vs scipy jensenshannon²", np.array(jsd_quad),
                           np.array(jensenshannon(P_x, Q_x) ** 2), 1e-6, 0.0)]
    return out


def derive():
    jsd = sp.Symbol("JSD")
    steps = (
        definition(sp.Eq(sp.Symbol("v(D)"), p * sp.log(sp.Symbol("D")) + q * sp.log(1 - sp.Symbol("D"))),
                   "V's integrand at one x: p = p_data(x), q = p_G(x)"),
        definition(sp.Eq(sp.Symbol("D^*"), p / (p + q)), "the optimal discriminator (optimal-d)"),
        identity(p * sp.log(p / (p + q)), p * sp.log(p / M) - p * sp.log(2), "p/(p+q) = (p/m)/2, m = (p+q)/2"),
        identity(*_discrete_identity(), "summed over atoms (two shown); with Σp = Σq = 1 the first term is −2 log 2"),
        Step(sp.LessThan(p * sp.log(p / M), p * sp.log(2)), "log 2 − log(p/m) = log(1 + q/p) ≥ 0, hence JSD ≤ log 2",
             _upper_bound),
        identity(sp.Subs(AT_DSTAR, q, p), -2 * p * sp.log(2), "at P_G = P_data the integrand is −2p log 2: V = −log 4"),
        definition(sp.GreaterThan(jsd, 0), "JSD = ½KL(P‖M) + ½KL(Q‖M) and KL ≥ 0 (information), = 0 iff P = Q = M"),
    )
    claims = (
        Claim("V(G,D*)", sp.Function("v")(sp.Symbol("D^*")), -(p + q) * sp.log(2) + 2 * J, AT_DSTAR,
              "pointwise; integrated: V(G, D*) = −2 log 2 + 2 JSD(P_data‖P_G)"),
        Claim("JSD disjoint", jsd, sp.log(2), disjoint_jsd, "½ p log 2 where q = 0 and ½ q log 2 where p = 0"),
    )
    return Derivation("jsd", "V(G, D*) = −2 log 2 + 2 JSD(P_data‖P_G)",
                      "Goodfellow et al. 2014, Theorem 1; lecture (max_D V(G, D))", steps, claims, numeric)
