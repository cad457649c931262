r"""A discriminator that is too strong (lecture: "evaluating JS divergence"; Arjovsky & Bottou 2017, Theorem 2.4).

When :math:`P_{\text{data}}` and :math:`P_G` have disjoint supports, :math:`\mathrm{JSD} = \log 2` whatever their
distance, so :math:`\max_D V = -2\log 2 + 2\log 2 = 0` tells the generator nothing. Worse, its minimax gradient
vanishes as D approaches the optimum: for fakes :math:`x_θ = G_θ(z)`,

.. math:: \partial_θ \log\big(1 - D(x_θ)\big) = -\frac{D'(x_θ)\,\partial_θ x_θ}{1 - D(x_θ)}, \qquad
          \big|\partial_θ \log(1 - D(x_θ))\big| \le \frac{M ε}{1 - ε}

whenever :math:`D \le ε` and :math:`|D'| \le ε` on the fakes and :math:`|\partial_θ x| \le M`: the bound is
increasing in both :math:`D` and :math:`|D'|`, so its supremum over that box is at the corner :math:`(ε, ε)`, and it
tends to 0 with ε. Numeric: mpmath at 40 digits for the divergences on disjoint supports; for the bound, complex-step
derivatives of the generator's loss written out — equality at a discriminator that sits on the corner
(:math:`D = ε e^{x - x_0}` at :math:`x_0`, so :math:`D = D' = ε`), and the inequality along :math:`D_k(x) = σ(kx)` on
the 1-D GAN with fakes in :math:`[-2, -1]` and data in :math:`[1, 2]` as :math:`k` grows.
"""
import mpmath
import numpy as np
import sympy as sp

from . import oracles
from .core import Claim, Comparison, Derivation, Step, identity
from .decide import numeric_function
from .independence import oracle
from .jsd_definition import disjoint_jsd, disjoint_values

M, eps, w = sp.symbols("M epsilon w", positive=True)
Dv, Dp = sp.symbols("D D'", positive=True)
theta = sp.Symbol("theta", real=True)
BOUND = Dp * M / (1 - Dv)


def _corner():
    """The bound's supremum over 0 < D ≤ ε, 0 < D' ≤ ε: increasing in both (D = w/(1 + w) maps w > 0 onto (0, 1))."""
    inside = {Dv: w / (1 + w)}
    increasing = all(bool(sp.simplify(sp.diff(BOUND, v).subs(inside)).is_positive) for v in (Dv, Dp))
    return BOUND.subs({Dv: eps, Dp: eps}) if increasing else sp.nan


def _chain_rule():
    D, x = sp.Function("D"), sp.Function("x")
    lhs = sp.diff(sp.log(1 - D(x(theta))), theta)
    rhs = -sp.Subs(sp.Derivative(D(sp.Symbol("u")), sp.Symbol("u")), sp.Symbol("u"), x(theta)) * sp.diff(
        x(theta), theta) / (1 - D(x(theta)))
    return sp.simplify(lhs.doit() - rhs.doit()) == 0


@oracle("mpmath", "Σ p log(p/(p+q)) + q log(q/(p+q)) (0 log 0 = 0) in mpmath at 40 digits, on disjoint supports")
def value_disjoint(pairs):
    with mpmath.workdps(oracles.DIGITS):
        return np.array([float(oracles.mp_sum(mpmath.mpf(a) * mpmath.log(a / (a + b)) if a > 0 else mpmath.mpf(b) *
                                              mpmath.log(b / (a + b)) for a, b in zip(P, Q))) for P, Q in pairs])


@oracle("mpmath", "complex-step derivative in mpmath (30 digits) of log(1 − D(x₀ + Mθ)), D(x) = ε·exp(x − x₀)")
def corner_gradient(cases):
    with mpmath.workdps(30):
        return np.array([float(abs(oracles.mp_derivative(lambda t, m=m, e=e: mpmath.log(1 - e * mpmath.exp(m * t)),
                                                         mpmath.mpf(0)))) for m, e in cases])


@oracle("complex step", "complex-step derivative of the minimax loss (1/n)Σ log(1 − σ(k(u + θ))) written out")
def sigmoid_gradient(u, ks):
    # log(1 − σ(v)) = −ζ(v)
    return np.array([abs(np.imag(np.mean(-oracles.softplus(k * (u + 1j * oracles.STEP))))) / oracles.STEP
                     for k in ks])


def numeric(rng, forms):
    pairs = []
    for k in (2, 3, 6):
        a, b = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))
        pairs.append((np.r_[a, np.zeros(k)], np.r_[np.zeros(k), b]))
    n = len(pairs)
    out = [Comparison("JSD disjoint", np.full(n, float(forms["JSD disjoint"])), disjoint_values(pairs), 1e-13, 0.0),
           Comparison("max V disjoint", np.full(n, float(forms["max V disjoint"])), value_disjoint(pairs), 1e-13,
                      0.0)]
    bound = numeric_function(forms["minimax gradient bound"], (M, eps))
    cases = np.c_[rng.uniform(0.5, 3.0, 4), rng.uniform(0.01, 0.5, 4)]
    out.append(Comparison("minimax gradient bound", np.array([bound(m, e) for m, e in cases], dtype=float),
                          corner_gradient(cases), 1e-12, 1e-12,
                          criterion="equal (rel. 1e-12) where D = D' = ε: the bound is attained"))
    u, ks = rng.uniform(-2.0, -1.0, 256), np.array([1.0, 4.0, 16.0, 64.0, 256.0])
    # ε_k: the largest D_k and |D_k'| on the fakes (x ≤ −1), D_k(x) = σ(kx); M = 1 since ∂x/∂θ = 1
    s = 1 / (1 + np.exp(-ks[:, None] * u))
    eps_k = np.maximum(s, ks[:, None] * s * (1 - s)).max(axis=1)
    measured = sigmoid_gradient(u, ks)
    out.append(Comparison("bound holds for D_k = σ(kx)", np.array([bound(1.0, e) for e in eps_k], dtype=float),
                          measured, 1e-15, 0.0, relation=">="))
    out.append(Comparison("bound as ε → 0", np.full(2, float(forms["bound as ε → 0"])), measured[-2:], 1e-20, 0.0,
                          criterion="|claimed limit − measured gradient| ≤ 1e-20 at k = 64 and 256"))
    return out


def derive():
    D = sp.Function("D")
    steps = (
        Step(sp.Eq(sp.Derivative(sp.log(1 - D(sp.Function("x")(theta))), theta),
                   sp.Symbol(r"-\frac{D'(x)\,\partial_\theta x}{1 - D(x)}")),
             "the chain rule through the discriminator", _chain_rule),
        Step(sp.GreaterThan(sp.Derivative(BOUND, Dv), 0), "|D'|·M/(1 − D) increases in D and in |D'| on 0 < D < 1: "
             "its supremum over D ≤ ε, |D'| ≤ ε is at D = |D'| = ε", lambda: _corner() is not sp.nan),
        identity(1 / (1 - eps) - 1 / (1 - Dv), (eps - Dv) / ((1 - eps) * (1 - Dv)),
                 "for 0 ≤ D ≤ ε < 1 this is ≥ 0: 1/(1 − D) ≤ 1/(1 − ε)"),
    )
    claims = (
        Claim("JSD disjoint", sp.Symbol(r"\mathrm{JSD}(P_{\text{data}} \| P_G)"), sp.log(2), disjoint_jsd,
              "P_data and P_G differ completely: log 2, whatever their distance"),
        Claim("max V disjoint", sp.Symbol(r"\max_{D} V(G, D)"), sp.Integer(0),
              lambda: -2 * sp.log(2) + 2 * disjoint_jsd(),
              "−2 log 2 + 2 log 2 = 0: constant, no signal for G"),
        Claim("minimax gradient bound", sp.Symbol(r"\sup |\partial_\theta \log(1 - D(G_\theta(z)))|"),
              M * eps / (1 - eps), _corner,
              "|D| ≤ ε, |D'| ≤ ε on the fakes, |∂θ G| ≤ M (Arjovsky & Bottou 2017, Thm 2.4)",
              domain=(sp.StrictLessThan(eps, 1),)),
        Claim("bound as ε → 0", sp.Limit(M * eps / (1 - eps), eps, 0), sp.Integer(0),
              lambda: sp.limit(_corner(), eps, 0, "+"), "the gradient vanishes as D approaches D* = 1[x real]"),
    )
    return Derivation("strong-discriminator", "A too-strong discriminator: JSD stuck at log 2, vanishing gradients",
                      "lecture (evaluating JS divergence: discriminator too strong); Arjovsky & Bottou 2017, "
                      "Theorem 2.4", steps, claims, numeric,
                      lecture="Evaluating JS divergence: log 2 when P_data and P_G differ completely")
