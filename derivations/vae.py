r"""The VAE's KL term (lecture: "var. loss"; Kingma & Welling 2014, Appendix B).

.. math:: \mathrm{KL}\big(\mathcal N(μ,σ^2)\,\|\,\mathcal N(0,1)\big) = \tfrac12\big(μ^2 + σ^2 - 1 - \log σ^2\big),
          \qquad \text{diagonal } d\text{-dim: } \tfrac12\sum_i \big(μ_i^2 + σ_i^2 - 1 - \log σ_i^2\big)

Derived by integration: with :math:`x = μ + σε`, :math:`ε \sim \mathcal N(0,1)`, :math:`\log(p/q)` is a quadratic
in :math:`ε`, and SymPy integrates the standard normal's moments :math:`E[ε^k]`, :math:`k \le 3`. The loss adds this
term (it is :math:`\ge 0`, a penalty) to the reconstruction loss; the sign is discussed with the ELBO
(:mod:`derivations.elbo`), the reparameterisation in :mod:`derivations.reparameterisation`. Numeric: adaptive
quadrature of :math:`\int p\log(p/q)` written in log-densities (1-D), and a Monte Carlo mean of the log-ratio within 5
standard errors (diagonal, :math:`P(|Z| > 5) ≈ 6\cdot10^{-7}` under the CLT).
"""
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy import integrate

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function
from .independence import oracle

x, eps = sp.symbols("x epsilon", real=True)
mu, mu2 = sp.symbols("mu mu_2", real=True)
sigma, sigma2 = sp.symbols("sigma sigma_2", positive=True)
PHI = sp.exp(-eps**2 / 2) / sp.sqrt(2 * sp.pi)


def normal_pdf(v, m, s):
    return sp.exp(-(v - m) ** 2 / (2 * s**2)) / (s * sp.sqrt(2 * sp.pi))


@lru_cache(maxsize=None)
def moments(k_max=3):
    """:math:`E[ε^k]` for :math:`k = 0..k_{max}`, integrated by SymPy."""
    return tuple(sp.integrate(eps**k * PHI, (eps, -sp.oo, sp.oo), conds="none") for k in range(k_max + 1))


def expect(expr):
    """:math:`E_ε[\\,\\text{expr}\\,]` for a polynomial in :math:`ε`, by linearity over its moments."""
    poly = sp.Poly(sp.expand(expr), eps)
    return sp.expand(sum(c * moments(max(poly.degree(), 3))[k] for (k,), c in poly.terms()))


def log_ratio(m, s):
    return sp.expand(sp.expand_log(sp.log(normal_pdf(x, m, s) / normal_pdf(x, 0, 1))))


def kl_closed(m, s):
    return (m**2 + s**2 - 1 - sp.log(s**2)) / 2


MC_SAMPLES, MC_SIGMAS = 20000, 5.0


@oracle("quadrature", "scipy.integrate.quad of p·(log p − log q), log-densities written out, on μ ± 30σ")
def kl_quadrature(m, s):
    def integrand(v):
        lp = oracles.normal_logpdf(v, m, s)
        return np.exp(lp) * (lp - oracles.normal_logpdf(v, 0.0, 1.0))

    return integrate.quad(integrand, m - 30 * s, m + 30 * s, limit=200, epsabs=1e-13, epsrel=1e-13)[0]


@oracle("Monte Carlo", "Monte Carlo mean of log p(z) − log q(z), z ~ p, with its standard error")
def kl_monte_carlo(m, s, rng, n=MC_SAMPLES):
    z = m + s * rng.standard_normal((n, m.size))
    log_w = np.sum(oracles.normal_logpdf(z, m, s) - oracles.normal_logpdf(z, 0.0, 1.0), axis=1)
    return {"mean": log_w.mean(), "se": log_w.std(ddof=1) / np.sqrt(n)}


def numeric(rng, forms):
    out = []
    kl1 = numeric_function(forms["KL 1-D"], (mu, sigma))
    for m, s in rng.uniform([-2.0, 0.3], [2.0, 2.0], (4, 2)):
        out.append(Comparison("KL 1-D vs quadrature", np.array(kl1(m, s), dtype=float), kl_quadrature(m, s), 1e-9,
                              1e-9))
    kl2 = numeric_function(forms["KL diagonal d=2"], (mu, sigma, mu2, sigma2))
    for _ in range(2):
        m, s = rng.uniform(-1.5, 1.5, 2), rng.uniform(0.5, 1.5, 2)
        mc = kl_monte_carlo(m, s, rng)
        out.append(Comparison("KL diagonal: Monte Carlo", np.array(kl2(m[0], s[0], m[1], s[1]), dtype=float),
                              mc["mean"], MC_SIGMAS * mc.value["se"], 0.0,
                              criterion=f"within {MC_SIGMAS:g} standard errors of the Monte Carlo mean "
                                        f"({MC_SAMPLES} samples)"))
    return out


def _moments_step():
    return moments() == (1, 0, 1, 0)


def derive():
    KL = sp.Symbol("KL")
    z = mu + sigma * eps
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    separable_lhs = sp.log(normal_pdf(x1, mu, sigma) * normal_pdf(x2, mu2, sigma2)
                           / (normal_pdf(x1, 0, 1) * normal_pdf(x2, 0, 1)))
    separable_rhs = log_ratio(mu, sigma).subs(x, x1) + log_ratio(mu2, sigma2).subs(x, x2)
    steps = (
        definition(sp.Eq(KL, sp.Integral(normal_pdf(x, mu, sigma) * sp.log(sp.Symbol("p(x)") / sp.Symbol("q(x)")),
                                         (x, -sp.oo, sp.oo))), "p = N(μ, σ²), q = N(0, 1)"),
        identity(sp.log(normal_pdf(x, mu, sigma) / normal_pdf(x, 0, 1)), log_ratio(mu, sigma),
                 "log p − log q is a quadratic in x"),
        Step(sp.Eq(sp.Tuple(*(sp.Symbol(f"m_{k}") for k in range(4))), sp.Tuple(1, 0, 1, 0)),
             "the standard normal's moments m_k = E[ε^k], k = 0…3, integrated by SymPy", _moments_step),
        definition(sp.Eq(x, z), "change of variables: E_p[g(x)] = E_ε[g(μ + σε)]"),
        identity(separable_lhs, separable_rhs, "diagonal Gaussians: the log-ratio is a sum over coordinates, so the "
                 "KL is the sum of the 1-D KLs (Fubini)"),
    )

    def kl_1d():
        return expect(log_ratio(mu, sigma).subs(x, z))

    claims = (
        Claim("KL 1-D", KL, kl_closed(mu, sigma), kl_1d, "KL(N(μ, σ²) ‖ N(0, 1))"),
        Claim("KL diagonal d=2", sp.Symbol("KL_2"), kl_closed(mu, sigma) + kl_closed(mu2, sigma2),
              lambda: kl_1d() + kl_1d().subs({mu: mu2, sigma: sigma2}), "the sum over coordinates"),
    )
    return Derivation("vae", "The VAE's KL(N(μ, σ²) ‖ N(0, 1))", "lecture (VAE: variational loss); Kingma & Welling "
                      "2014, Appendix B", steps, claims, numeric,
                      lecture="VAE: variational loss KL[N(μ_x, σ_x) ‖ N(0, I)]")
