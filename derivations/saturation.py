r"""Saturation of the minimax generator loss (Goodfellow et al. 2014, §3; lecture: "training slow at
the beginning", "objective function for generator in real implementation").

Per sample, on D's logit :math:`z` of a fake (:math:`D(G(z)) = σ(z)`):

.. math:: \frac{d}{dz}\log(1-σ(z)) = -σ(z), \qquad \frac{d}{dz}\big(-\log σ(z)\big) = -(1-σ(z)),
          \qquad \text{ratio } e^{z}

As :math:`D(G(z)) \to 0` (:math:`z \to -\infty`, a confident D early in training) the minimax gradient vanishes while
the non-saturating one tends to :math:`-1`. Numeric: the two losses written from their definitions in mpmath and
differentiated by the complex step in mpmath at 30 digits, on logits in :math:`[-30, 10]`; the limits from the same
derivatives far out, at :math:`z = -40, -80, -160`.
"""
import mpmath
import numpy as np
import sympy as sp

from .activations import Sigmoid
from .core import Claim, Comparison, Derivation, identity
from .decide import numeric_function
from . import oracles
from .independence import oracle

z = sp.Symbol("z", real=True)
SIGMA = 1 / (1 + sp.exp(-z))
MINIMAX, NONSAT = sp.log(1 - SIGMA), -sp.log(SIGMA)
# mpmath's 30 digits are exact at float64's scale; the claimed forms are float64 evaluations, and 1 − σ(z) cancels
# there: relative error ≈ 2⁻⁵²·(1 + e^z) ≤ 5e-12 for z ≤ 10, against O(1) for a wrong form
RTOL = 1e-10
LIMIT_AT = (-40.0, -80.0, -160.0)  # σ(−40) ≈ 4e-18: both derivatives are within 1e-17 of their limits there


def _loss(kind, u):
    s = 1 / (1 + mpmath.exp(-u))
    return mpmath.log(1 - s) if kind == "minimax" else -mpmath.log(s)


@oracle("mpmath", "complex-step derivatives in mpmath of log(1 − σ(z)) and −log σ(z), written from their "
                  "definitions, at 30 digits")
def loss_derivatives(zs):
    with mpmath.workdps(30):
        out = {kind: [oracles.mp_derivative(lambda u, kind=kind: _loss(kind, u), mpmath.mpf(v)) for v in zs]
               for kind in ("minimax", "nonsaturating")}
        out["ratio"] = [a / b for a, b in zip(out["minimax"], out["nonsaturating"])]
    return {k: np.array(v, dtype=float) for k, v in out.items()}


def numeric(rng, forms):
    zs = rng.uniform(-30.0, 10.0, 200)
    want = loss_derivatives(zs)
    out = []
    for label, key in (("d/dz log(1-σ)", "minimax"), ("d/dz -log σ", "nonsaturating"), ("ratio", "ratio")):
        got = np.broadcast_to(numeric_function(forms[label], (z,))(zs), zs.shape)
        out.append(Comparison(label, got, want[key], 0.0, RTOL, criterion="relative error ≤ 1e-10 (the values span "
                                                                             "1e-13 … 1: relative is the measure)"))
    far = loss_derivatives(np.array(LIMIT_AT))
    for label, key in (("minimax limit", "minimax"), ("nonsaturating limit", "nonsaturating")):
        out.append(Comparison(label, np.full(len(LIMIT_AT), float(forms[label])), far[key], 1e-15, 0.0,
                              criterion="|claimed limit − derivative at z = −40, −80, −160| ≤ 1e-15"))
    return out


def derive():
    steps = (
        identity(1 - SIGMA, 1 / (1 + sp.exp(z)), "1 − σ(z) = σ(−z)"),
        identity(sp.Derivative(SIGMA, z), SIGMA * (1 - SIGMA), "σ' = σ(1 − σ)"),
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
                      "Goodfellow et al. 2014, §3; lecture (training slow at the beginning)", steps, claims, numeric,
                      lecture="Training slow at the beginning: V = E_{x∼P_G}[−log D(x)] for the generator")
