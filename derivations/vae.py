r"""The VAE's KL term and the reparameterisation trick (issue 3, item 8; lecture; Kingma & Welling 2014, App. B).

.. math:: \mathrm{KL}\big(\mathcal N(μ,σ^2)\,\|\,\mathcal N(0,1)\big) = \tfrac12\big(μ^2 + σ^2 - 1 - \log σ^2\big),
          \qquad \text{diagonal } d\text{-dim: } \tfrac12\sum_i \big(μ_i^2 + σ_i^2 - 1 - \log σ_i^2\big)

Derived by integration: with :math:`x = μ + σε`, :math:`ε \sim \mathcal N(0,1)`, :math:`\log(p/q)` is a quadratic
in :math:`ε`, and SymPy integrates the standard normal's moments :math:`E[ε^k]`, :math:`k \le 3`. Reparameterisation:
:math:`E_ε[\partial_μ f(μ+σε)] = \partial_μ E[f(z)]` (likewise for :math:`σ`), shown for :math:`f(z) = z^3`, and
checked by Monte Carlo within 5 standard errors (two-sided, :math:`P(|Z| > 5) ≈ 6\cdot10^{-7}` under the CLT).
"""
from functools import lru_cache

import numpy as np
import sympy as sp
from numpy.polynomial.hermite_e import hermegauss
from scipy import stats

from gancheck import divergences

from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function

x, eps = sp.symbols("x epsilon", real=True)
mu, mu2 = sp.symbols("mu mu_2", real=True)
sigma, sigma2 = sp.symbols("sigma sigma_2", positive=True)
PHI = sp.exp(-eps**2 / 2) / sp.sqrt(2 * sp.pi)


def normal_pdf(v, m, s):
    return sp.exp(-(v - m) ** 2 / (2 * s**2)) / (s * sp.sqrt(2 * sp.pi))


def f(v):
    return v**3  # the test function of the reparameterisation claims


@lru_cache(maxsize=None)
def moments(k_max=3):
    """:math:`E[ε^k]` for :math:`k = 0..k_{max}`, integrated by SymPy."""
    return tuple(sp.integrate(eps**k * PHI, (eps, -sp.oo, sp.oo), conds="none") for k in range(k_max + 1))


def expect(expr):
    """:math:`E_ε[\\,\\text{expr}\\,]` for a polynomial in :math:`ε`, by linearity over its moments."""
    poly = sp.Poly(sp.expand(expr), eps)
    return sp.expand(sum(c * moments()[k] for (k,), c in poly.terms()))


def log_ratio(m, s):
    return sp.expand(sp.expand_log(sp.log(normal_pdf(x, m, s) / normal_pdf(x, 0, 1))))


def kl_closed(m, s):
    return (m**2 + s**2 - 1 - sp.log(s**2)) / 2


MC_SAMPLES, MC_SIGMAS = 20000, 5.0


def _mc(samples, forms_value):
    """A Monte Carlo mean against a claimed value: passes within MC_SIGMAS standard errors."""
    se = samples.std(ddof=1) / np.sqrt(samples.size)
    return np.array(samples.mean()), np.array(float(forms_value)), MC_SIGMAS * se


def numeric(rng, forms):
    out = []
    kl1 = numeric_function(forms["KL 1-D"], (mu, sigma))
    for m, s in rng.uniform([-2.0, 0.3], [2.0, 2.0], (4, 2)):
        want = divergences.kl_divergence(stats.norm(m, s).pdf, stats.norm(0, 1).pdf, support=(-20.0, 20.0))
        out.append(Comparison("KL 1-D vs quadrature", np.array(kl1(m, s)), np.array(want), 1e-9, 1e-9))
    kl2 = numeric_function(forms["KL diagonal d=2"], (mu, sigma, mu2, sigma2))
    m, s = rng.uniform(-1.5, 1.5, 2), rng.uniform(0.5, 1.5, 2)
    z = m + s * rng.standard_normal((MC_SAMPLES, 2))
    log_w = stats.multivariate_normal(m, np.diag(s**2)).logpdf(z) - stats.multivariate_normal(np.zeros(2)).logpdf(z)
    mean, claimed, tol = _mc(log_w, kl2(m[0], s[0], m[1], s[1]))
    out.append(Comparison("KL diagonal: Monte Carlo", mean, claimed, tol, 0.0))
    nodes, weights = hermegauss(8)  # exact for polynomials of degree ≤ 15 under N(0, 1)
    weights = weights / weights.sum()
    for m, s in rng.uniform([-2.0, 0.3], [2.0, 2.0], (3, 2)):
        e = rng.standard_normal(MC_SAMPLES)
        for label, estimator, shift in (("reparam d/dmu", 3 * (m + s * e) ** 2, (1.0, 0.0)),
                                        ("reparam d/dsigma", 3 * (m + s * e) ** 2 * e, (0.0, 1.0))):
            claimed = numeric_function(forms[label], (mu, sigma))(m, s)
            mean, value, tol = _mc(estimator, claimed)
            out.append(Comparison(f"{label}: Monte Carlo", mean, value, tol, 0.0))
            h = 1e-5  # central difference of E[f] (Gauss–Hermite, exact): truncation O(h²·f''') ≈ 1e-9

            def expected(dm, ds):
                return weights @ ((m + dm + (s + ds) * nodes) ** 3)

            fd = (expected(h * shift[0], h * shift[1]) - expected(-h * shift[0], -h * shift[1])) / (2 * h)
            out.append(Comparison(f"{label}: d E[f] by finite difference", np.array(claimed), np.array(fd), 1e-7, 1e-7))
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
        Step(sp.Eq(sp.Symbol("E[ε^k], k=0..3"), sp.Tuple(1, 0, 1, 0)), "standard normal moments, integrated by SymPy",
             _moments_step),
        definition(sp.Eq(x, z), "change of variables: E_p[g(x)] = E_ε[g(μ + σε)]"),
        identity(separable_lhs, separable_rhs, "diagonal Gaussians: the log-ratio is a sum over coordinates, so the "
                 "KL is the sum of the 1-D KLs (Fubini)"),
        identity(sp.diff(expect(f(z)), mu), expect(sp.diff(f(z), mu)), "∂_μ E[f(z)] = E[∂_μ f(μ + σε)]: unbiased"),
        identity(sp.diff(expect(f(z)), sigma), expect(sp.diff(f(z), sigma)), "∂_σ E[f(z)] = E[∂_σ f(μ + σε)]"),
    )
    def kl_1d():
        return expect(log_ratio(mu, sigma).subs(x, z))

    claims = (
        Claim("KL 1-D", KL, kl_closed(mu, sigma), kl_1d, "KL(N(μ, σ²) ‖ N(0, 1))"),
        Claim("KL diagonal d=2", sp.Symbol("KL_2"), kl_closed(mu, sigma) + kl_closed(mu2, sigma2),
              lambda: kl_1d() + kl_1d().subs({mu: mu2, sigma: sigma2}), "the sum over coordinates"),
        Claim("reparam d/dmu", sp.Symbol("E[∂_μ f(μ+σε)]"), 3 * mu**2 + 3 * sigma**2, lambda: expect(sp.diff(f(z), mu)),
              "f(z) = z³: equals ∂_μ(μ³ + 3μσ²)"),
        Claim("reparam d/dsigma", sp.Symbol("E[∂_σ f(μ+σε)]"), 6 * mu * sigma, lambda: expect(sp.diff(f(z), sigma)),
              "f(z) = z³: equals ∂_σ(μ³ + 3μσ²)"),
    )
    return Derivation("vae", "The VAE's KL(N(μ, σ²) ‖ N(0, 1)) and the reparameterisation trick",
                      "lecture (VAE slides); Kingma & Welling 2014, Appendix B and §2.4", steps, claims, numeric)
