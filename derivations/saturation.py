r"""Saturation of the minimax generator loss (issue 3, item 7; Goodfellow et al. 2014, §3; Arjovsky & Bottou 2017).

Per sample, on D's logit :math:`z` of a fake (:math:`D(G(z)) = σ(z)`):

.. math:: \frac{d}{dz}\log(1-σ(z)) = -σ(z), \qquad \frac{d}{dz}\big(-\log σ(z)\big) = -(1-σ(z)),
          \qquad \text{ratio } e^{z}

As :math:`D(G(z)) \to 0` (:math:`z \to -\infty`, a confident D early in training) the minimax gradient vanishes while
the non-saturating one tends to :math:`-1`. Arjovsky & Bottou (2017, Thm 2.4): on disjoint supports, if
:math:`|D| \le ε` and :math:`|D'| \le ε` on the fakes and :math:`|\partial x/\partial θ| \le M`, the minimax gradient
:math:`|D'\,\partial_θ x/(1 - D)|` is at most :math:`Mε/(1-ε) \to 0` as D approaches :math:`D^*`. Numeric: against
:mod:`gancheck.losses`, and a 1-D GAN with disjoint supports and :math:`D_k(x) = σ(kx)`, :math:`k \to \infty`.
"""
import numpy as np
import sympy as sp
from scipy.special import expit

from gancheck.losses import generator_minimax, generator_nonsaturating

from .activations import Sigmoid
from .core import Claim, Comparison, Derivation, identity
from .decide import numeric_function

z = sp.Symbol("z", real=True)
SIGMA = 1 / (1 + sp.exp(-z))
MINIMAX, NONSAT = sp.log(1 - SIGMA), -sp.log(SIGMA)
RTOL = 1e-12  # the same float64 functions, evaluated two ways


def _per_sample(loss, zs):
    return np.array([loss(np.array([v]))[1][0] for v in zs])  # N = 1: dz is the per-sample derivative


def numeric(rng, forms):
    zs = rng.uniform(-30.0, 10.0, 300)
    out = []
    for label, loss in (("d/dz log(1-σ)", generator_minimax), ("d/dz -log σ", generator_nonsaturating)):
        got = np.broadcast_to(numeric_function(forms[label], (z,))(zs), zs.shape)
        out.append(Comparison(label, got, _per_sample(loss, zs), 1e-300, RTOL))
    ratio = _per_sample(generator_minimax, zs) / _per_sample(generator_nonsaturating, zs)
    out.append(Comparison("ratio", np.broadcast_to(numeric_function(forms["ratio"], (z,))(zs), zs.shape), ratio,
                          1e-300, 1e-10))
    far = np.array([-50.0])  # σ(−50) ≈ 2e-22: the limits hold to that
    out += [Comparison("minimax limit", np.array(float(forms["minimax limit"])),
                       _per_sample(generator_minimax, far)[0], 1e-20, 0.0),
            Comparison("nonsaturating limit", np.array(float(forms["nonsaturating limit"])),
                       _per_sample(generator_nonsaturating, far)[0], 1e-15, 0.0)]
    # Disjoint supports: fakes x = u + θ, u ~ U[−2, −1], θ = 0; reals on [1, 2]. D_k(x) = σ(kx) → D* as k → ∞.
    u = rng.uniform(-2.0, -1.0, 256)
    for k in (1.0, 4.0, 16.0, 64.0):
        _, dz = generator_minimax(k * u[:, None])
        grad = k * float(np.sum(dz))  # ∂L/∂θ = Σ ∂L/∂z · ∂z/∂θ, z = k(u + θ)
        h = 1e-6
        fd = (generator_minimax(k * (u[:, None] + h))[0] - generator_minimax(k * (u[:, None] - h))[0]) / (2 * h)
        eps = max(expit(-k), k * expit(-k) * (1 - expit(-k)))  # max of D and |D'| on the fakes (x ≤ −1)
        out += [Comparison(f"minimax ∂θ vs finite difference, k={k:g}", np.array(grad), np.array(fd), 1e-8, 1e-6),
                Comparison(f"|∂θ| ≤ ε/(1−ε), k={k:g}", np.array(max(abs(grad) - eps / (1 - eps), 0.0)),
                           np.array(0.0), 0.0, 0.0)]
    return out


def derive():
    Dv, eps = sp.symbols("D epsilon", positive=True)
    steps = (
        identity(1 - SIGMA, 1 / (1 + sp.exp(z)), "1 − σ(z) = σ(−z)"),
        identity(sp.Derivative(SIGMA, z), SIGMA * (1 - SIGMA), "σ' = σ(1 − σ)"),
        identity(1 / (1 - eps) - 1 / (1 - Dv), (eps - Dv) / ((1 - eps) * (1 - Dv)),
                 "for 0 ≤ D ≤ ε < 1 this is ≥ 0: |D'/(1 − D)| ≤ ε/(1 − ε) when |D'| ≤ ε (Arjovsky & Bottou, Thm 2.4)"),
    )
    minimax_grad, nonsat_grad = sp.diff(MINIMAX, z), sp.diff(NONSAT, z)
    claims = (
        Claim("d/dz log(1-σ)", sp.Derivative(sp.log(1 - Sigmoid(z)), z), -SIGMA, minimax_grad,
              "minimax: the gradient is −D(G(z))"),
        Claim("d/dz -log σ", sp.Derivative(-sp.log(Sigmoid(z)), z), -(1 - SIGMA), nonsat_grad,
              "non-saturating: the gradient is −(1 − D(G(z)))"),
        Claim("ratio", sp.Derivative(sp.log(1 - Sigmoid(z)), z) / sp.Derivative(-sp.log(Sigmoid(z)), z), sp.exp(z),
              lambda: sp.simplify(minimax_grad / nonsat_grad),
              "minimax / non-saturating = D/(1 − D) = e^z"),
        Claim("minimax limit", sp.Limit(-Sigmoid(z), z, -sp.oo), sp.Integer(0),
              lambda: sp.limit(minimax_grad, z, -sp.oo), "vanishes as D(G(z)) → 0"),
        Claim("nonsaturating limit", sp.Limit(Sigmoid(z) - 1, z, -sp.oo), sp.Integer(-1),
              lambda: sp.limit(nonsat_grad, z, -sp.oo), "stays −1 as D(G(z)) → 0"),
    )
    return Derivation("saturation", "Why the minimax generator loss saturates",
                      "Goodfellow et al. 2014, §3; Arjovsky & Bottou 2017, Theorem 2.4; lecture (training slow at the "
                      "beginning)", steps, claims, numeric)
