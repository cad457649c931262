r"""Discriminator backprop: the chain of :mod:`derivations.backprop` for D, proved and checked.

Model (lecture notation; Keras layout in :mod:`gancheck.nn`, where ``W`` of the first layer is :math:`U^\top`):

.. math:: g = Ux + b,\quad h = \mathrm{relu}(g),\quad z = Wh + c,\quad y = σ(z),\quad
          L = \frac1N\sum_n \big[t\log(1+e^{-z}) + (1-t)\log(1+e^{z})\big]

Symbolic: :class:`derivations.netproof.ChainProof` differentiates this composite loss at :math:`n = 2` inputs,
:math:`H = 3` hidden units, :math:`N = 2` samples and shows every element of :math:`\bar z, \bar W, \bar c, \bar h,
\bar g, \bar U, \bar b, \bar x` equal to the scalar chain. Numeric: the chain's local forms on the tutorial's 2-25-1
network with random parameters and a batch of :math:`N = 64`, each fed with the exact upstream gradients, against
complex-step derivatives of the loss through a forward pass written separately from any backward
(:mod:`derivations.oracles`) — gancheck's own backward is not consulted.
"""
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy.special import expit

from . import backprop as bp
from . import oracles
from .activations import Relu, Softplus, lemmas, relu_lemma
from .core import Claim, Comparison, Derivation, definition
from .independence import oracle
from .indexed import evaluate
from .netproof import ChainProof, Level

SOURCE = "lecture (homework: backprop of the 1-D GAN's discriminator); Goodfellow et al. 2014, eq. 1"
D = bp.forward_symbols("D")
SIZES = {"n": 2, "k": 2, "l": 3}  # N = 2 samples, n = 2 inputs (index k), H = 3 hidden units (index l)
# The complex step is exact to rounding, and the claimed forms are float64 sums over ≤ 64 terms: errors ≲ 1e-15
# relative (1e-13 absolute where a gradient sums to ~0), while a wrong formula is off by O(1). Tolerances sit between.
ATOL, RTOL = 1e-13, 1e-9


BCE = (D["t"] * Softplus(-D["z"]) + (1 - D["t"]) * Softplus(D["z"])) / bp.N  # ζ(u) = log(1 + e^u)

LEVELS = (
    Level({}, ("D.z_bar",)),
    Level({D["z"]: D["W"] * D["h"] + D["c"]}, ("D.W_bar", "D.c_bar", "D.h_bar")),
    Level({D["h"]: Relu(D["g"])}, ("D.g_bar",)),
    Level({D["g"]: D["U"] * D["x"] + D["b"]}, ("D.U_bar", "D.b_bar", "D.x_bar")),
)


def forward_steps(s, top):
    """A 2-layer MLP's definitions as steps, in the net's symbols ``s`` (shared with the generator's derivation)."""
    return [definition(sp.Eq(s["g"], s["U"] * s["x"] + s["b"]), "hidden pre-activation; sum over inputs implicit"),
            definition(sp.Eq(s["h"], Relu(s["g"])), "ReLU"),
            definition(sp.Eq(s[top], s["W"] * s["h"] + s["c"]), "output layer; sum over hidden units implicit")]


def claims_of(chain):
    return tuple(Claim(q.name, q.symbol, q.local, meaning=q.meaning) for q in chain)


@lru_cache(maxsize=None)
def proof():
    return ChainProof(BCE, LEVELS, bp.chain("D"), SIZES)


def random_net(rng, sizes, scale=0.5):
    """Lecture-layout parameters ``U`` (hidden, inputs), ``b``, ``W``, ``c`` with sizes ``(inputs, hidden, outputs)``,
    all drawn from N(0, scale²) (random biases too, unlike an initialiser, so no unit is trivially inactive)."""
    n_in, n_hidden, n_out = sizes
    P = {"U": rng.normal(0.0, scale, (n_hidden, n_in)), "b": rng.normal(0.0, scale, n_hidden)}
    if n_out == 1:
        P |= {"W": rng.normal(0.0, scale, n_hidden), "c": float(rng.normal(0.0, scale))}
    else:
        P |= {"W": rng.normal(0.0, scale, (n_out, n_hidden)), "c": rng.normal(0.0, scale, n_out)}
    return P


@oracle("complex step", "complex-step derivatives of a forward pass written separately (derivations.oracles)")
def d_gradients(P, x, t):
    """∂L/∂q for every quantity of D's chain, each by the complex step of the forward pass from q's stage on."""
    g, h, z = oracles.mlp_forward(P, x)
    rows = {"D.z_bar": ("z", z), "D.h_bar": ("h", h), "D.g_bar": ("g", g), "D.x_bar": ("x", x)}
    out = {name: oracles.complex_step_rows(lambda v, s=stage: oracles.mlp_d_terms(P, t, **{s: v}), value)
           for name, (stage, value) in rows.items()}
    for name in ("W", "c", "U", "b"):
        out[f"D.{name}_bar"] = oracles.complex_step_params(
            lambda v, name=name: np.sum(oracles.mlp_d_terms(P | {name: v}, t, x=x)), P[name])
    return out


def arrays_of(s, P, x, g, h):
    """Index-ordered arrays of one net's forward symbols ``s`` (lecture layout already)."""
    return {s["x"]: x, s["g"]: g, s["h"]: h, s["U"]: P["U"], s["b"]: P["b"], s["W"]: P["W"], s["c"]: P["c"]}


def compare(forms, chain, arrays, want):
    """One :class:`Comparison` per quantity: its claimed form, with earlier quantities set to the oracle's values
    (so that each claim is judged on its own)."""
    roles, arrays, out = bp.index_roles(), dict(arrays), []
    for q in chain:
        expected = want[q.name]
        got = np.broadcast_to(evaluate(forms[q.name], roles[q.symbol], arrays, roles), np.shape(expected.value))
        out.append(Comparison(q.name, got, expected, ATOL, RTOL))
        arrays[q.symbol] = expected.value
    return out


def numeric(rng, forms, trials=3, batch=64):
    chain, out = bp.chain("D"), []
    for _ in range(trials):
        P = random_net(rng, (2, 25, 1))  # the tutorial's 2-25-1 discriminator
        x = rng.normal(0.0, 1.0, (batch, 2))
        t = rng.integers(0, 2, batch).astype(float)
        g, h, z = oracles.mlp_forward(P, x)
        arrays = arrays_of(D, P, x, g, h) | {D["z"]: z, D["y"]: expit(z), D["t"]: t, bp.N: float(batch)}
        out += compare(forms, chain, arrays, d_gradients(P, x, t))
    return out


def derive():
    chain = bp.chain("D")
    loss = definition(sp.Eq(sp.Symbol("L"), BCE), "BCE on the logit, ζ(u) = log(1 + e^u), averaged over the batch "
                      "(sum over n implicit)")
    return Derivation(
        name="disc-backprop", title="Backprop through the discriminator (2-H-1 MLP, BCE)", source=SOURCE,
        steps=tuple(forward_steps(D, "z") + [loss] + lemmas() + [relu_lemma()]),
        claims=claims_of(chain), numeric=numeric,
        prover=lambda forms: {name: proof().decide(name, form) for name, form in forms.items()},
        notes=("scalar form: indices the left side lacks are summed (batch n, hidden l, input k)",
               f"symbolic proof at sizes {SIZES} (n: batch, k: input, l: hidden)"),
        lecture="Learning D: gradient ascent on V' — backprop through the discriminator (homework, 2-25-1)")
