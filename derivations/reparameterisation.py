r"""The reparameterisation trick for an arbitrary smooth f (lecture: "why re-parameter?"; Kingma & Welling 2014, §2.4).

For :math:`z \sim p_θ = \mathcal N(μ, σ^2)` the gradient of :math:`\mathbb E_{p_θ}[f(z)]` has two unbiased forms:

* **score function** (the lecture's "what about this?" term — the density depends on θ): differentiate the density,
  :math:`\partial_θ \int f(z)\,p_θ(z)\,dz = \mathbb E_{p_θ}[f(z)\,\partial_θ \log p_θ(z)]`, i.e. with
  :math:`z = μ + σε`: :math:`\partial_μ = \mathbb E_ε[f(z)\,ε/σ]`, :math:`\partial_σ = \mathbb E_ε[f(z)(ε^2 - 1)/σ]`;
* **pathwise** (reparameterised): with :math:`z = g_θ(ε) = μ + σε`, :math:`ε \sim \mathcal N(0, 1)` the expectation is
  over a fixed density, so the gradient moves inside: :math:`\partial_μ = \mathbb E_ε[f'(z)]`,
  :math:`\partial_σ = \mathbb E_ε[ε f'(z)]`.

SymPy derives both for an undefined function ``f``: the score forms by differentiating :math:`\int f(z)\,p_θ(z)\,dz`
under the integral and changing variables :math:`z = μ + σε`; the pathwise forms by differentiating
:math:`\int f(μ + σε)\,φ(ε)\,dε`. They are equal because their integrands differ by an exact derivative,
:math:`\frac1σ\frac{d}{dε}[f(μ+σε)\,φ(ε)]` (for μ) and :math:`\frac1σ\frac{d}{dε}[ε f(μ+σε)\,φ(ε)]` (for σ), whose
integrals vanish when :math:`f(μ+σε)\,φ(ε) \to 0` as :math:`|ε| \to \infty` (integration by parts; stated). For the
test function :math:`f(z) = z^3` the closed forms are :math:`3μ^2 + 3σ^2` and :math:`6μσ`.

Numeric, for several smooth f (sin, tanh, log(1 + z²), z·e^{−z²/8}): each claimed form (its integrand over ε by
adaptive quadrature) against (1) a 4-point central difference of :math:`\mathbb E[f]` computed by adaptive
quadrature of :math:`f(z)\,p_θ(z)` over z — no reparameterisation in it — and (2) the *other* estimator by Monte Carlo:
the pathwise form against the score-function estimator :math:`\frac1L\sum f(z_l)\,\partial_θ\log p_θ(z_l)` and the
score form against the pathwise estimator :math:`\frac1L\sum \partial_θ f(g_θ(ε_l))`, within 5 combined standard
errors.
"""
import numpy as np
import sympy as sp
from scipy import integrate

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import verify_statement
from .independence import oracle
from .vae import PHI, eps, expect, mu, sigma

f = sp.Function("f")
z = sp.Symbol("z", real=True)
u = sp.Symbol("u", real=True)
DENSITY = sp.exp(-(z - mu) ** 2 / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi))
Z = mu + sigma * eps
MC_SAMPLES, MC_SIGMAS = 20000, 5.0
# (SymPy form for the claimed integrands, NumPy form and its derivative for the oracles): smooth, of moderate growth
TEST_FUNCTIONS = {  # z³ has its own closed-form claims below
    "sin": (sp.sin(u), np.sin, np.cos),
    "tanh": (sp.tanh(u), np.tanh, lambda v: 1 - np.tanh(v) ** 2),
    "log(1+z²)": (sp.log(1 + u**2), lambda v: np.log1p(v**2), lambda v: 2 * v / (1 + v**2)),
    "z·exp(−z²/8)": (u * sp.exp(-u**2 / 8), lambda v: v * np.exp(-v**2 / 8),
                     lambda v: (1 - v**2 / 4) * np.exp(-v**2 / 8)),
}
THETA = {"mu": mu, "sigma": sigma}
SCORE = {"mu": eps / sigma, "sigma": (eps**2 - 1) / sigma}  # ∂_θ log p_θ(z) at z = μ + σε


def expectation(integrand):
    return sp.Integral(integrand, (eps, -sp.oo, sp.oo))


def pathwise(theta):
    return expectation(sp.diff(f(Z), THETA[theta]) * PHI)


def score(theta):
    return expectation(f(Z) * SCORE[theta] * PHI)


def _score_derived(theta):
    """SymPy: ∂_θ ∫ f(z) p_θ(z) dz under the integral sign, then z = μ + σε."""
    return sp.diff(sp.Integral(f(z) * DENSITY, (z, -sp.oo, sp.oo)), THETA[theta]).transform(z, (Z, eps))


def _pathwise_derived(theta):
    return sp.diff(expectation(f(Z) * PHI), THETA[theta])


def _integrand(form):
    """The integrand over ε of a claimed form, a linear combination of integrals over ε and of terms free of them
    (∫ c·φ dε = c, so a term c contributes c·φ)."""
    out = 0
    for term in sp.Add.make_args(sp.expand(sp.sympify(form))):
        integrals = [a for a in sp.Mul.make_args(term) if isinstance(a, sp.Integral)]
        if len(integrals) == 1:
            out += sp.Mul(*(a for a in sp.Mul.make_args(term) if a is not integrals[0])) * integrals[0].function
        else:
            out += term * PHI
    return out


def decide(claimed, derived):
    """Equal integrands over the same ε-range (sound: equal integrands give equal integrals)."""
    a, b = _integrand(claimed).doit(), _integrand(derived).doit()
    return sp.simplify(sp.expand(a - b)) == 0


def _by_parts(theta):
    """pathwise − score integrands = (1/σ) d/dε[k(ε) f(μ + σε) φ(ε)] with k = 1 (μ) or ε (σ)."""
    k = 1 if theta == "mu" else eps
    difference = (pathwise(theta).function - score(theta).function).doit()
    return sp.simplify(difference - sp.diff(k * f(Z) * PHI, eps).doit() / sigma) == 0


CLAIMS = {"pathwise d/dmu": ("mu", pathwise), "pathwise d/dsigma": ("sigma", pathwise),
          "score d/dmu": ("mu", score), "score d/dsigma": ("sigma", score)}


def _numeric_form(form, fn):
    """The claimed form with ``f`` replaced by a concrete test function, as a NumPy function of (ε, μ, σ)."""
    concrete = _integrand(form).subs(f, sp.Lambda(u, fn)).doit()
    return sp.lambdify((eps, mu, sigma), concrete, "numpy")


def over_eps(g, m, s):
    """∫ g(ε) dε over ε ∈ [−14, 14] (φ(14) ≈ 1e-43: the rest is negligible) by adaptive quadrature."""
    return integrate.quad(lambda e: float(g(e, m, s)), -14.0, 14.0, epsabs=1e-12, epsrel=1e-12, limit=200)[0]


@oracle("quadrature", "4-point central difference (h = 0.01) of E[f] = ∫ f(z) N(z; μ, σ²) dz by adaptive quadrature "
                      "over z")
def finite_difference(fn, m, s, theta, h=1e-2):
    def mean(mm, ss):
        return integrate.quad(lambda v: fn(v) * np.exp(oracles.normal_logpdf(v, mm, ss)), mm - 14 * ss, mm + 14 * ss,
                              epsabs=1e-12, epsrel=1e-12, limit=200)[0]

    shift = np.array([h, 0.0] if theta == "mu" else [0.0, h])
    at = [mean(*(np.array([m, s]) + k * shift)) for k in (-2, -1, 1, 2)]
    # truncation O(h⁴) ≈ 1e-9; quad's 1e-12 amplified by 18/12h = 150: 2e-10
    return (at[0] - 8 * at[1] + 8 * at[2] - at[3]) / (12 * h)


@oracle("Monte Carlo", "the other estimator's Monte Carlo mean: score function f(z)·∂θ log p(z), z ~ N(μ, σ²), or "
                       "pathwise ∂θ f(μ + σε), ε ~ N(0, 1); with its standard error")
def other_estimator(fn, dfn, m, s, theta, kind, rng, n=MC_SAMPLES):
    e = rng.standard_normal(n)
    v = m + s * e
    if kind == "score":  # the claim is pathwise: estimate with the score function of the density
        samples = fn(v) * ((v - m) / s**2 if theta == "mu" else ((v - m) ** 2 - s**2) / s**3)
    else:
        samples = dfn(v) * (1.0 if theta == "mu" else e)
    return {"mean": samples.mean(), "se": samples.std(ddof=1) / np.sqrt(n)}


def numeric(rng, forms):
    out = []
    for name, (sym, fn, dfn) in TEST_FUNCTIONS.items():
        m, s = rng.uniform([-1.0, 0.5], [1.0, 1.5])
        for label, (theta, _) in CLAIMS.items():
            got = over_eps(_numeric_form(forms[label], sym), m, s)
            out.append(Comparison(f"{label} vs finite difference", np.array(got),
                                  finite_difference(fn, m, s, theta), 1e-7, 1e-7))
            mc = other_estimator(fn, dfn, m, s, theta, "score" if label.startswith("pathwise") else "pathwise", rng)
            # the claimed value is exact (quadrature); the Monte Carlo mean carries the whole standard error
            out.append(Comparison(f"{label} vs the other estimator", np.array(got), mc["mean"],
                                  MC_SIGMAS * mc.value["se"], 0.0,
                                  criterion=f"within {MC_SIGMAS:g} standard errors of the other estimator's Monte "
                                            f"Carlo mean ({MC_SAMPLES} samples)"))
    for label, expected in (("reparam d/dmu", 3 * mu**2 + 3 * sigma**2), ("reparam d/dsigma", 6 * mu * sigma)):
        theta = "mu" if label.endswith("mu") else "sigma"
        for m, s in rng.uniform([-2.0, 0.3], [2.0, 2.0], (2, 2)):
            value = float(sp.sympify(forms[label]).subs({mu: m, sigma: s}))
            out.append(Comparison(f"{label} (f = z³) vs finite difference", np.array(value),
                                  finite_difference(lambda v: v**3, m, s, theta), 1e-7, 1e-7))
    return out


def _derived(label):
    if label in CLAIMS:
        theta, kind = CLAIMS[label]
        return (_score_derived if kind is score else _pathwise_derived)(theta)
    return expect(sp.diff(Z**3, mu if label.endswith("mu") else sigma))  # f = z³: by the normal moments


def prover(forms):
    return {label: decide(form, _derived(label)) if label in CLAIMS else verify_statement(form, _derived(label))
            for label, form in forms.items()}


def derive():
    E = sp.Function("E")
    steps = (
        definition(sp.Eq(E(f(z)), sp.Integral(f(z) * DENSITY, (z, -sp.oo, sp.oo))), "z ~ p_θ = N(μ, σ²): the density "
                   "depends on θ = (μ, σ)"),
        identity(sp.Derivative(sp.log(DENSITY), mu), (z - mu) / sigma**2,
                 "the score in μ: ∂_μ log p_θ(z) = (z − μ)/σ²"),
        identity(sp.Derivative(sp.log(DENSITY), sigma), ((z - mu) ** 2 - sigma**2) / sigma**3,
                 "the score in σ: ((z − μ)² − σ²)/σ³"),
        definition(sp.Eq(z, Z), "reparameterise: z = g_θ(ε) = μ + σε, ε ~ N(0, 1), a density free of θ"),
        definition(sp.Eq(sp.Limit(f(Z) * PHI, eps, sp.oo), 0), "hypothesis: f(μ + σε)φ(ε) → 0 as |ε| → ∞ (f grows "
                   "slower than exp(ε²/2)), so the boundary terms of integration by parts vanish"),
        Step(sp.Eq(pathwise("mu").function - score("mu").function, sp.diff(f(Z) * PHI, eps) / sigma),
             "μ: the two integrands differ by an exact derivative (1/σ) d/dε[f(μ + σε)φ(ε)]: equal expectations",
             lambda: _by_parts("mu")),
        Step(sp.Eq(pathwise("sigma").function - score("sigma").function, sp.diff(eps * f(Z) * PHI, eps) / sigma),
             "σ: they differ by (1/σ) d/dε[ε f(μ + σε)φ(ε)]: equal expectations", lambda: _by_parts("sigma")),
    )
    lhs = {"mu": sp.Derivative(E(f(z)), mu), "sigma": sp.Derivative(E(f(z)), sigma)}
    claims = tuple(Claim(label, lhs[theta], kind(theta), None,
                         ("pathwise (reparameterised): E_ε[∂θ f(μ + σε)]" if kind is pathwise else
                          "score function: E[f(z) ∂θ log p_θ(z)] — the term the lecture asks about")
                         + f", for any smooth f, θ = {theta}") for label, (theta, kind) in CLAIMS.items())
    claims += (Claim("reparam d/dmu", sp.Symbol(r"\mathbb{E}[\partial_\mu (\mu + \sigma\varepsilon)^{3}]"),
                     3 * mu**2 + 3 * sigma**2, None,
                     "f(z) = z³: equals ∂_μ(μ³ + 3μσ²)"),
               Claim("reparam d/dsigma", sp.Symbol(r"\mathbb{E}[\partial_\sigma (\mu + \sigma\varepsilon)^{3}]"),
                     6 * mu * sigma, None,
                     "f(z) = z³: equals ∂_σ(μ³ + 3μσ²)"))
    return Derivation("reparameterisation", "The reparameterisation trick: pathwise and score-function gradients",
                      "lecture (why re-parameter?); Kingma & Welling 2014, §2.4; Williams 1992 (score function)",
                      steps, claims, numeric, prover=prover,
                      lecture="Why re-parameter? ∇_θ E_{p_θ(z)}[f(z)] = E_{p(ε)}[∇_θ f(g_θ(ε))]")
