r"""BCE on a logit: the homework's stable ``loss_stable`` form and its gradient.

.. math:: -\big[t\log σ(z) + (1-t)\log(1-σ(z))\big] = t\log(1+e^{-z}) + (1-t)\log(1+e^{z}) = ζ(z) - tz,
          \qquad \frac{d}{dz} = σ(z) - t

with :math:`ζ(z) = \log(1+e^z)` the softplus. The stable form never takes the log of a probability that rounds to 0.
The lecture's Algorithm maximises :math:`V' = \frac1m\sum_i \log D(x^i) + \frac1m\sum_i \log(1 - D(x^{*i}))`; per pair
of a real logit :math:`z_r` and a fake :math:`z_f`, :math:`-V'` is the BCE with label 1 plus the BCE with label 0,
:math:`ζ(-z_r) + ζ(z_f)` — the exercise's ``d_loss = d_loss_real + d_loss_fake`` with ``from_logits=True``.
Numeric check: the definition :math:`-[t\log σ(z) + (1-t)\log(1-σ(z))]` and its complex-step derivative in mpmath at
30 digits, logits in :math:`[-30, 30]`, hard and soft labels.
"""
import mpmath
import numpy as np
import sympy as sp

from .activations import log_one_minus_sigmoid
from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function, same_function
from . import oracles
from .independence import oracle

z = sp.Symbol("z", real=True)
t = sp.Symbol("t", real=True)
SIGMA = 1 / (1 + sp.exp(-z))
NAIVE = -(t * sp.log(SIGMA) + (1 - t) * sp.log(1 - SIGMA))
ZETA_DIFF = sp.log(1 + sp.exp(z)) - sp.log(1 + sp.exp(-z))
STABLE = t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z))
z_r, z_f = sp.symbols("z_r z_f", real=True)
PAIR = -(sp.log(SIGMA.subs(z, z_r)) + sp.log(1 - SIGMA.subs(z, z_f)))  # −V' for one real and one fake logit
# The claimed forms are evaluated in float64; the softplus form ζ(z) − t·z cancels: at |z| ≤ 30 that costs
# ≤ 30·2⁻⁵² ≈ 7e-15 absolute, while a wrong form is off by O(1). Relative error is no measure near the loss's zero
# (t = 1, z = 30 gives 1e-13), so atol carries it; the oracle's 30 digits are exact at this scale.
ATOL, RTOL = 1e-12, 1e-12
DIGITS = 30


def _naive(u, label):
    s = 1 / (1 + mpmath.exp(-u))
    return -(label * mpmath.log(s) + (1 - label) * mpmath.log(1 - s))


@oracle("mpmath", "the definition −[t log σ(z) + (1 − t) log(1 − σ(z))] and its complex-step derivative, in mpmath "
                  "at 30 digits")
def bce_definition(zs, ts):
    with mpmath.workdps(DIGITS):
        loss = [_naive(mpmath.mpf(a), mpmath.mpf(b)) for a, b in zip(zs, ts)]
        grad = [oracles.mp_derivative(lambda u, b=b: _naive(u, mpmath.mpf(b)), mpmath.mpf(a)) for a, b in zip(zs, ts)]
    return {"loss": np.array(loss, dtype=float), "dL/dz": np.array(grad, dtype=float)}


@oracle("mpmath", "−[log σ(z_r) + log(1 − σ(z_f))] at 30 digits")
def pair_definition(real, fake):
    with mpmath.workdps(DIGITS):
        return np.array([_naive(mpmath.mpf(a), 1) + _naive(mpmath.mpf(b), 0) for a, b in zip(real, fake)],
                        dtype=float)


def numeric(rng, forms, n=200):
    zs = rng.uniform(-30.0, 30.0, n)
    ts = np.where(np.arange(n) % 2 == 0, rng.integers(0, 2, n), rng.uniform(0.0, 1.0, n)).astype(float)
    want = bce_definition(zs, ts)
    out = [Comparison(label, np.broadcast_to(numeric_function(forms[label], (z, t))(zs, ts), zs.shape),
                      want["dL/dz" if label == "dL/dz" else "loss"], ATOL, RTOL)
           for label in ("loss", "softplus form", "dL/dz")]
    real, fake = rng.uniform(-30.0, 30.0, (2, n))
    got = np.broadcast_to(numeric_function(forms["-V' per pair"], (z_r, z_f))(real, fake), real.shape)
    return out + [Comparison("-V' per pair", got, pair_definition(real, fake), ATOL, RTOL)]


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
        Claim("-V' per pair", sp.Symbol("-V'_i"), sp.log(1 + sp.exp(-z_r)) + sp.log(1 + sp.exp(z_f)), PAIR,
              "one real and one fake term of −V': BCE with label 1 plus BCE with label 0, ζ(−z_r) + ζ(z_f)"),
    )
    return Derivation("bce", "Binary cross-entropy on a logit, and its gradient",
                      "lecture (Algorithm: V'; exercise: BinaryCrossentropy(from_logits=True)); Goodfellow et al. "
                      "2014, eq. 1", steps, claims, numeric,
                      lecture="Algorithm: maximising V' is minimising BinaryCrossentropy(from_logits=True)")
