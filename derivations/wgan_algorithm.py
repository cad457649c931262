r"""The WGAN algorithm's objectives (lecture: "Algorithm WGAN"; Arjovsky et al. 2017, Algorithm 1).

With m real samples :math:`x^i` and m generated :math:`x^{*i} = G(z^i)`, the critic f ascends and the generator
descends

.. math:: V' = \frac1m\sum_{i=1}^m f(x^i) - \frac1m\sum_{i=1}^m f(x^{*i}), \qquad
          L_G = -\frac1m\sum_{i=1}^m f(G(z^i))

— no logarithms (the critic outputs a score, not a probability: V' is the Kantorovich–Rubinstein objective of
:mod:`derivations.duality` with expectations replaced by sample means) and a factor :math:`1/m` on *both* sums (each
estimates an expectation). SymPy derives, for every m, :math:`\mathbb E[V'] = \mathbb E_P f - \mathbb E_Q f` (an
unbiased estimate, by linearity) and the gradients :math:`\partial V'/\partial f(x^i) = 1/m`,
:math:`\partial V'/\partial f(x^{*i}) = -1/m`, :math:`\partial L_G/\partial f(G(z^i)) = -1/m` that the critic's and the
generator's backprop start from.

Numeric: complex-step derivatives of V' and :math:`L_G` written out, for several m; and the mean of V' over many
minibatches (Monte Carlo, within 5 standard errors) for a fixed random critic on the parallel lines, against
:math:`\mathbb E_P f - \mathbb E_Q f` by the midpoint rule along the lines.
"""
import numpy as np
import sympy as sp

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition
from .decide import numeric_function
from .disc_backprop import random_net
from .independence import oracle

m = sp.Symbol("m", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True, positive=True)
r = sp.Symbol("r", integer=True, nonnegative=True)
mu_P, mu_Q = sp.symbols("mu_P mu_Q", real=True)
F_REAL, F_FAKE = sp.IndexedBase("f_r"), sp.IndexedBase("f_f")  # f(x^i), f(x*^i)
V = sp.Sum(F_REAL[i], (i, 1, m)) / m - sp.Sum(F_FAKE[i], (i, 1, m)) / m
L_G = -sp.Sum(F_FAKE[i], (i, 1, m)) / m


def gradient(expr, of):
    """∂expr/∂of[j] for an index 1 ≤ j ≤ m: SymPy's Σ KroneckerDelta gives a Piecewise, resolved by m = j + r."""
    return sp.diff(expr, of[j]).doit().subs(m, j + r).subs(r, m - j)


def expectation():
    """E[V'] by linearity: each f(x^i) has mean μ_P, each f(x*^i) has mean μ_Q."""
    return V.replace(lambda e: isinstance(e, sp.Indexed), lambda e: mu_P if e.base == F_REAL else mu_Q).doit()


@oracle("complex step", "complex-step derivatives of V' = mean f(x) − mean f(x*) and L_G = −mean f(x*), written out")
def objective_gradients(f_real, f_fake):
    def v(a, b):
        return np.mean(a) - np.mean(b)

    return {"real": oracles.complex_step_params(lambda a: v(a, f_fake), f_real),
            "fake": oracles.complex_step_params(lambda b: v(f_real, b), f_fake),
            "generator": oracles.complex_step_params(lambda b: -np.mean(b), f_fake)}


@oracle("Monte Carlo", "mean of V' over 400 minibatches of parallel-line samples, critic forward pass written "
                       "separately; with its standard error")
def minibatch_mean(P, theta, size, rng, batches=400):
    values = []
    for _ in range(batches):
        real = np.c_[np.zeros(size), rng.uniform(0.0, 1.0, size)]
        fake = np.c_[np.full(size, theta), rng.uniform(0.0, 1.0, size)]
        values.append(oracles.mlp_forward(P, real)[2].mean() - oracles.mlp_forward(P, fake)[2].mean())
    values = np.array(values)
    return {"mean": values.mean(), "se": values.std(ddof=1) / np.sqrt(batches)}


def line_means(P, theta, n=20000):
    """E f over each line by the midpoint rule on n points of [0, 1]: the critic is piecewise linear along a line, so
    the error is O(kinks·slope jump/n²) ≲ 1e-8."""
    zs = (np.arange(n) + 0.5) / n
    return [oracles.mlp_forward(P, np.c_[np.full(n, x0), zs])[2].mean() for x0 in (0.0, theta)]


def numeric(rng, forms):
    out = []
    grads = {label: numeric_function(forms[label], (m,)) for label in
             ("dV'/df(x^i)", "dV'/df(x*^i)", "dL_G/df(G(z^i))")}
    for size in (4, 16, 64):
        f_real, f_fake = rng.normal(0.0, 1.0, size), rng.normal(0.0, 1.0, size)
        want = objective_gradients(f_real, f_fake)
        for label, key in (("dV'/df(x^i)", "real"), ("dV'/df(x*^i)", "fake"), ("dL_G/df(G(z^i))", "generator")):
            out.append(Comparison(label, np.full(size, float(grads[label](size))), want[key], 1e-15, 1e-12))
    expected = numeric_function(forms["E[V']"], (m, mu_P, mu_Q))
    for size in (8, 64):
        P, theta = random_net(rng, (2, 25, 1)), float(rng.uniform(0.5, 2.0))
        mc = minibatch_mean(P, theta, size, rng)
        out.append(Comparison("E[V']", np.array(float(expected(size, *line_means(P, theta)))), mc["mean"],
                              5 * mc.value["se"] + 1e-8, 0.0,
                              criterion="within 5 standard errors of the minibatch mean (+1e-8 for the midpoint rule)"))
    return out


def _chain_rule(size=3):
    """∂V'/∂w = (1/m) Σ ∂f(x^i)/∂w − (1/m) Σ ∂f(x*^i)/∂w for a critic f(x; w), shown at m = 3."""
    f, w = sp.Function("f"), sp.Symbol("w")
    xs, ys = sp.symbols(f"x1:{size + 1}"), sp.symbols(f"y1:{size + 1}")
    v = V.subs(m, size).doit().subs({F_REAL[k + 1]: f(xs[k], w) for k in range(size)}
                                    | {F_FAKE[k + 1]: f(ys[k], w) for k in range(size)})
    rhs = sum(sp.diff(f(a, w), w) for a in xs) / size - sum(sp.diff(f(b, w), w) for b in ys) / size
    return sp.expand(sp.diff(v, w) - rhs) == 0


def derive():
    steps = (
        definition(sp.Eq(sp.Symbol("V'"), V), "the critic's objective, ascended; f outputs a score: no logarithms"),
        definition(sp.Eq(sp.Symbol("L_G"), L_G), "the generator's loss, descended through the frozen critic"),
        Step(sp.Eq(sp.Symbol(r"\frac{\partial V'}{\partial w}"),
                   sp.Symbol(r"\frac{1}{m}\sum_i \frac{\partial f(x^i)}{\partial w} - \frac{1}{m}\sum_i "
                             r"\frac{\partial f(x^{*i})}{\partial w}")), "the chain rule: "
             "backprop through the critic starts from ±1/m per sample (m = 3 shown)", _chain_rule),
    )
    claims = (
        Claim("E[V']", sp.Symbol(r"\mathbb{E}[V']"), mu_P - mu_Q, expectation,
              "an unbiased estimate of the Kantorovich–Rubinstein objective E_P f − E_Q f, for every m"),
        Claim("dV'/df(x^i)", sp.Derivative(sp.Symbol("V'"), F_REAL[j]), 1 / m, lambda: gradient(V, F_REAL),
              "each real sample's output pulls with weight 1/m"),
        Claim("dV'/df(x*^i)", sp.Derivative(sp.Symbol("V'"), F_FAKE[j]), -1 / m, lambda: gradient(V, F_FAKE),
              "each generated sample's with −1/m"),
        Claim("dL_G/df(G(z^i))", sp.Derivative(sp.Symbol("L_G"), F_FAKE[j]), -1 / m, lambda: gradient(L_G, F_FAKE),
              "the generator's backprop starts from −1/m"),
    )
    return Derivation("wgan-algorithm", "The WGAN algorithm: the critic's V' and the generator's loss",
                      "lecture (Algorithm WGAN); Arjovsky et al. 2017, Algorithm 1", steps, claims, numeric,
                      lecture="Algorithm WGAN: V' = 1/m Σ D(x^i) − 1/m Σ D(x*^i), weight clipping")
