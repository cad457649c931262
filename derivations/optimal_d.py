r"""The optimal discriminator (Goodfellow et al. 2014, Proposition 1).

For fixed G, :math:`V(G, D) = \int p_{\text{data}}(x)\log D(x) + p_G(x)\log(1-D(x))\,dx` is maximised pointwise. At one
:math:`x`, with :math:`a = p_{\text{data}}(x) > 0` and :math:`b = p_G(x) > 0`,

.. math:: f(D) = a\log D + b\log(1-D),\quad f'(D) = \frac aD - \frac b{1-D},\quad
          f''(D) = -\frac a{D^2} - \frac b{(1-D)^2} < 0

so :math:`f` is strictly concave on :math:`(0,1)`, tends to :math:`-\infty` at both ends, and its unique critical point
:math:`D^* = a/(a+b)` is its unique maximum: :math:`D^*(x) = p_{\text{data}}(x)/(p_{\text{data}}(x) + p_G(x))`.
Numeric: against a golden-section search that uses only values of :math:`f` and random perturbations on discrete
distributions, and by quadrature on Gaussian pairs.
"""
import numpy as np
import sympy as sp
from scipy import integrate

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function
from .independence import oracle

a, b = sp.symbols("a b", positive=True)
D = sp.Symbol("D", positive=True)
u = sp.Symbol("u", positive=True)  # D = u/(1+u) maps u ∈ (0, ∞) onto D ∈ (0, 1)
F = a * sp.log(D) + b * sp.log(1 - D)


def _unique_root():
    roots = sp.solve(sp.diff(F, D), D)
    return roots[0] if len(roots) == 1 else sp.nan


def _root_inside():
    r = _unique_root()
    return r is not sp.nan and bool(r.is_positive) and bool(sp.simplify(1 - r).is_positive)


def _concave():
    return bool(sp.simplify(sp.diff(F, D, 2).subs(D, u / (1 + u))).is_negative)


def _ends():
    return sp.limit(F, D, 0, "+") == -sp.oo and sp.limit(F.subs(D, 1 - u), u, 0, "+") == -sp.oo


def _V(p, q, d):
    return np.sum(p * np.log(d) + q * np.log1p(-d), axis=-1)


@oracle("golden section", "golden-section search of a·log D + b·log(1 − D) on (0, 1), from its values only")
def golden_argmax(p, q, iterations=90):
    """Vectorised golden-section search for the maximiser of the unimodal f(D) = p log D + q log(1 − D), element-wise;
    it uses values of f only, so it is independent of the first-order condition being checked."""
    def f(d):
        return p * np.log(d) + q * np.log1p(-d)

    r = (np.sqrt(5.0) - 1.0) / 2.0
    lo, hi = np.full(p.shape, 1e-12), np.full(p.shape, 1 - 1e-12)
    for _ in range(iterations):
        c, d = hi - r * (hi - lo), lo + r * (hi - lo)
        left = f(c) > f(d)
        hi, lo = np.where(left, d, hi), np.where(left, lo, c)
    return 0.5 * (lo + hi)


@oracle("perturbation", "V = Σ p log D' + q log(1 − D') at 50 random perturbations D' of the candidate: the best")
def best_perturbed(p, q, d, rng):
    perturbed = np.clip(d + rng.normal(0.0, 0.05, (50, d.size)), 1e-9, 1 - 1e-9)
    return float(np.max(_V(p, q, perturbed)))


@oracle("quadrature", "Simpson's rule (step 1e-3 on [−12, 12]) of V at D*·(1 + ε sin 3x), ε = ±0.05, 0.2: the best")
def best_perturbed_gaussian(x, p_data, p_g, d0):
    values = []
    for e in (0.05, -0.05, 0.2):
        d = np.clip(d0 * (1 + e * np.sin(3 * x)), 1e-300, 1 - 1e-16)
        values.append(integrate.simpson(p_data * np.log(d) + p_g * np.log1p(-d), x=x))
    return max(values)


def numeric(rng, forms, atoms=12, trials=10):
    d_star = numeric_function(forms["D*"], (a, b))
    out = []
    with np.errstate(invalid="ignore", divide="ignore"):  # a wrong D* may leave (0, 1): NaN counts as failure
        for _ in range(trials):
            p, q = rng.dirichlet(np.ones(atoms)), rng.dirichlet(np.ones(atoms))
            got = np.broadcast_to(d_star(p, q), p.shape)
            # the maximum is flat: f-values agree to 1e-16 within ~1e-8 of it, so argmax is good to ~1e-7
            out.append(Comparison("D* = argmax f", got, golden_argmax(p, q), 1e-6, 0.0))
            # V(D*) ≥ V(D') up to rounding of sums of 12 terms
            out.append(Comparison("V(D*) ≥ V(D')", np.array(_V(p, q, got)), best_perturbed(p, q, got, rng), 1e-12,
                                  0.0, relation=">="))
        x = np.linspace(-12.0, 12.0, 24001)  # Simpson on a 1e-3 grid: error ≪ 1e-10 for these smooth integrands
        for mu, s in rng.uniform([-2.0, 0.5], [2.0, 2.0], (3, 2)):
            p_data, p_g = np.exp(oracles.normal_logpdf(x, 0.0, 1.0)), np.exp(oracles.normal_logpdf(x, mu, s))
            # where p_G ≪ p_data, D* rounds to 1 and log(1 − D*) to −∞ against a p_G of 1e-100: clip both D* and D'
            # to [1e-300, 1 − 1e-16]; the terms this changes are below p_G·(log 1e-300) ≈ 1e-97
            d0 = np.clip(np.broadcast_to(d_star(p_data, p_g), x.shape), 1e-300, 1 - 1e-16)
            v0 = integrate.simpson(p_data * np.log(d0) + p_g * np.log1p(-d0), x=x)
            out.append(Comparison("V(D*) ≥ V(D') on Gaussians", np.array(v0),
                                  best_perturbed_gaussian(x, p_data, p_g, d0), 1e-10, 0.0, relation=">="))
    return out


def derive():
    f, x = sp.Function("f"), sp.Symbol("x")
    p_data, p_g = sp.Function("p_{data}")(x), sp.Function("p_G")(x)
    dstar = sp.Symbol("D^*")
    steps = (
        definition(sp.Eq(f(D), F), "V's integrand at one x, a = p_data(x) > 0, b = p_G(x) > 0 (maximised pointwise)"),
        identity(sp.Derivative(F, D), a / D - b / (1 - D), "first-order condition"),
        Step(sp.Eq(sp.Symbol("D_0"), a / (a + b)), "the only root of f'(D) = 0; it lies inside (0, 1)", _root_inside),
        Step(sp.StrictLessThan(sp.diff(F, D, 2), 0), "f'' < 0 on (0, 1) (substitute D = u/(1+u), u > 0): strictly "
             "concave", _concave),
        Step(sp.Eq(sp.Limit(F, D, 0, "+"), -sp.oo), "f → −∞ at both ends of (0, 1): the critical point is the "
             "unique maximum", _ends),
        definition(sp.Eq(sp.Function("D^*")(x), p_data / (p_data + p_g)), "apply at every x"),
    )
    claims = (Claim("D*", dstar, a / (a + b), _unique_root, "the unique maximiser of a·log D + b·log(1 − D)"),)
    return Derivation("optimal-d", "The optimal discriminator D* = p_data/(p_data + p_G)",
                      "Goodfellow et al. 2014, Proposition 1; lecture (f(D) = a log D + b log(1 − D))",
                      steps, claims, numeric, lecture="Optimal D*: f(D) = a log D + b log(1 − D) → D* = a/(a + b)")
