r"""The value of the game at the optimal discriminator (Goodfellow et al. 2014, Theorem 1).

With :math:`D^* = p/(p+q)` (:mod:`derivations.optimal_d`), :math:`p = p_{\text{data}}(x)`, :math:`q = p_G(x)` and
:math:`m = (p+q)/2`, pointwise

.. math:: p\log\frac{p}{p+q} + q\log\frac{q}{p+q} = -(p+q)\log 2 + p\log\frac pm + q\log\frac qm

and integrating (:math:`\int p = \int q = 1`): :math:`V(G, D^*) = -2\log 2 + 2\,\mathrm{JSD}(P_{\text{data}}\|P_G)`.
What follows from it — the minimum :math:`-\log 4` exactly at :math:`P_G = P_{\text{data}}` — is
:mod:`derivations.optimal_g`; the bounds of JSD are :mod:`derivations.jsd_definition`. Numeric: on random discrete
distributions against the definition :math:`\sum p\log D^* + q\log(1 - D^*)` in mpmath at 40 digits, and on Gaussian
pairs against adaptive quadrature of the same definition, written in log-densities.
"""
import mpmath
import numpy as np
import sympy as sp
from scipy import integrate

from . import oracles
from .core import Claim, Comparison, Derivation, definition, identity
from .decide import numeric_function
from .independence import oracle

p, q = sp.symbols("p q", positive=True)
M = (p + q) / 2
AT_DSTAR = p * sp.log(p / (p + q)) + q * sp.log(q / (p + q))  # p log D* + q log(1 − D*)
J = (p * sp.log(p / M) + q * sp.log(q / M)) / 2  # JSD's integrand
TOL = 1e-12  # sums of ≤ 8 float64 terms of size ≤ 1: rounding ≲ 1e-15; the oracle has 40 digits
QUAD_TOL = 1e-9  # quad's requested absolute accuracy 1e-12 on each of two integrals over [−20, 20]


def _discrete_identity(k=2):
    ps, qs = sp.symbols(f"p1:{k + 1}", positive=True), sp.symbols(f"q1:{k + 1}", positive=True)
    lhs = sum(AT_DSTAR.subs({p: a, q: b}) for a, b in zip(ps, qs))
    rhs = -(sum(ps) + sum(qs)) * sp.log(2) + 2 * sum(J.subs({p: a, q: b}) for a, b in zip(ps, qs))
    return lhs, rhs


@oracle("mpmath", "Σ p log D* + q log(1 − D*) with D* = p/(p + q), in mpmath at 40 digits")
def value_at_dstar(pairs):
    with mpmath.workdps(oracles.DIGITS):
        out = []
        for P, Q in pairs:
            P, Q = [mpmath.mpf(v) for v in P], [mpmath.mpf(v) for v in Q]
            out.append(oracles.mp_sum(a * mpmath.log(a / (a + b)) + b * mpmath.log(b / (a + b)) for a, b in zip(P, Q)))
    return np.array(out, dtype=float)


@oracle("quadrature", "scipy.integrate.quad of p log D* + q log(1 − D*) written in log-densities, on [−20, 20]")
def gaussian_value(mu, s):
    def integrand(x):
        lp, lq = oracles.normal_logpdf(x, 0.0, 1.0), oracles.normal_logpdf(x, mu, s)
        lpq = np.logaddexp(lp, lq)  # log(p + q): in the tails 1 − D* rounds to 0 while q does not vanish
        return np.exp(lp) * (lp - lpq) + np.exp(lq) * (lq - lpq)

    return integrate.quad(integrand, -20.0, 20.0, limit=200, epsabs=1e-12)[0]


def numeric(rng, forms, atoms=8, trials=12):
    value = numeric_function(forms["V(G,D*)"], (p, q))
    pairs = [(rng.dirichlet(np.ones(atoms)), rng.dirichlet(np.ones(atoms))) for _ in range(trials)]
    got = np.array([np.sum(np.broadcast_to(value(P, Q), P.shape)) for P, Q in pairs])
    out = [Comparison("V(D*) on discrete pairs", got, value_at_dstar(pairs), TOL, 0.0)]
    for mu, s in rng.uniform([-3.0, 0.5], [3.0, 2.0], (3, 2)):
        def claimed(x, mu=mu, s=s):
            return value(np.exp(oracles.normal_logpdf(x, 0.0, 1.0)), np.exp(oracles.normal_logpdf(x, mu, s)))

        # the claimed integrand in densities: where both underflow it is 0·log(0/0); quad never samples there
        # (|x| ≤ 20, densities ≥ 1e-87)
        got = integrate.quad(claimed, -20.0, 20.0, limit=200, epsabs=1e-12)[0]
        out.append(Comparison("V(D*) on Gaussians", np.array(got), gaussian_value(mu, s), QUAD_TOL, 0.0))
    return out


def derive():
    steps = (
        definition(sp.Eq(sp.Symbol("v(D)"), p * sp.log(sp.Symbol("D")) + q * sp.log(1 - sp.Symbol("D"))),
                   "V's integrand at one x: p = p_data(x), q = p_G(x)"),
        definition(sp.Eq(sp.Symbol("D^*"), p / (p + q)), "the optimal discriminator (optimal-d)"),
        identity(p * sp.log(p / (p + q)), p * sp.log(p / M) - p * sp.log(2), "p/(p+q) = (p/m)/2, m = (p+q)/2"),
        identity(*_discrete_identity(), "summed over atoms (two shown); with Σp = Σq = 1 the first term is −2 log 2"),
    )
    claims = (
        Claim("V(G,D*)", sp.Function("v")(sp.Symbol("D^*")), -(p + q) * sp.log(2) + 2 * J, AT_DSTAR,
              "pointwise; integrated: V(G, D*) = −2 log 2 + 2 JSD(P_data‖P_G)"),
    )
    return Derivation("jsd", "V(G, D*) = −2 log 2 + 2 JSD(P_data‖P_G)",
                      "Goodfellow et al. 2014, Theorem 1; lecture (max_D V(G, D))", steps, claims, numeric,
                      lecture="max_D V(G, D) = −2 log 2 + 2 JSD(P_data ‖ P_G)")
