r"""BCE on a logit (issue 3, item 1): the homework's stable ``loss_stable`` form and its gradient.

.. math:: -\big[t\log σ(z) + (1-t)\log(1-σ(z))\big] = t\log(1+e^{-z}) + (1-t)\log(1+e^{z}) = ζ(z) - tz,
          \qquad \frac{d}{dz} = σ(z) - t

with :math:`ζ(z) = \log(1+e^z)` the softplus. The stable form never takes the log of a probability that rounds to 0.
Numeric check: against :func:`gancheck.losses.bce_logits` (one sample at a time), logits in :math:`[-30, 30]`, hard and
soft labels.
"""
import numpy as np
import sympy as sp

from gancheck.losses import bce_logits

from .activations import log_one_minus_sigmoid
from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function, same_function

z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)
SIGMA = 1 / (1 + sp.exp(-z))
NAIVE = -(t * sp.log(SIGMA) + (1 - t) * sp.log(1 - SIGMA))
ZETA_DIFF = sp.log(1 + sp.exp(z)) - sp.log(1 + sp.exp(-z))
STABLE = t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z))
# gancheck computes the stable form t·ζ(−z) + (1 − t)·ζ(z); the softplus form ζ(z) − t·z, evaluated here in float64,
# cancels: at |z| ≤ 30 that costs ≤ 30·2⁻⁵² ≈ 7e-15 absolute, while a wrong form is off by O(1). Relative error is no
# measure near the loss's zero (t = 1, z = 30 gives 1e-13), so atol carries it.
ATOL, RTOL = 1e-12, 1e-12


def numeric(rng, forms, n=400):
    zs = rng.uniform(-30.0, 30.0, n)
    ts = np.where(np.arange(n) % 2 == 0, rng.integers(0, 2, n), rng.uniform(0.0, 1.0, n)).astype(float)
    want = np.array([(lambda l, g: (l, g[0]))(*bce_logits(np.array([a]), b)) for a, b in zip(zs, ts)])  # (loss, dz)
    out = []
    for label, column in (("loss", 0), ("softplus form", 0), ("dL/dz", 1)):
        got = numeric_function(forms[label], (z, t))(zs, ts)
        out.append(Comparison(label, np.broadcast_to(got, zs.shape), want[:, column], ATOL, RTOL))
    return out


def derive():
    L = sp.Symbol("L")
    steps = (
        definition(sp.Eq(sp.Symbol("σ(z)"), SIGMA), "the logistic sigmoid: D's probability that x is real"),
        definition(sp.Eq(L, NAIVE), "Bernoulli cross-entropy of label t against prediction σ(z)"),
        identity(-sp.log(SIGMA), sp.log(1 + sp.exp(-z)), "−log σ(z) = ζ(−z)"),
        log_one_minus_sigmoid(),
        Step(sp.Eq(ZETA_DIFF, z), "ζ(z) − ζ(−z) = z (equal derivatives on ℝ, "
             "equal at 0), so the loss is ζ(z) − tz", lambda: same_function(ZETA_DIFF, z, z)),
    )
    claims = (
        Claim("loss", L, STABLE, NAIVE, "the homework's loss_stable, which gancheck.losses.bce_logits computes: "
              "no log of a rounded-off probability"),
        Claim("softplus form", L, sp.log(1 + sp.exp(z)) - t * z, NAIVE, "an equal form with one softplus fewer, "
              "which cancels where the loss is small"),
        Claim("dL/dz", sp.Derivative(L, z), SIGMA - t, sp.diff(NAIVE, z), "the gradient on the logit: σ(z) − t"),
    )
    return Derivation("bce", "Binary cross-entropy on a logit, and its gradient",
                      "lecture (homework loss_stable); Goodfellow et al. 2014, eq. 1", steps, claims, numeric)
