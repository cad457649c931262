r"""Discriminator backprop (issue 3, item 2): the chain of :mod:`derivations.backprop` for D, proved and checked.

Model (lecture notation; Keras layout in :mod:`gancheck.nn`, where ``W`` of the first layer is :math:`U^\top`):

.. math:: g = Ux + b,\quad h = \mathrm{relu}(g),\quad z = Wh + c,\quad y = σ(z),\quad
          L = \frac1N\sum_n \big[t\log(1+e^{-z}) + (1-t)\log(1+e^{z})\big]

Symbolic: :class:`derivations.netproof.ChainProof` differentiates this composite loss at :math:`n = 2` inputs,
:math:`H = 3` hidden units, :math:`N = 2` samples and shows every element of :math:`\bar z, \bar W, \bar c, \bar h,
\bar g, \bar U, \bar b, \bar x` equal to the scalar chain. Numeric: the chain's local forms, fed with the upstream
gradients gancheck computes, against gancheck's NumPy backward of ``discriminator_1d()`` (2-25-1) on a batch of
:math:`N = 64`.
"""
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy.special import expit

from gancheck.losses import bce_logits
from gancheck.models import discriminator_1d

from . import backprop as bp
from .core import Claim, Comparison, Derivation, definition
from .indexed import evaluate
from .activations import Relu, Softplus, lemmas, relu_lemma
from .netproof import ChainProof, Level

SOURCE = "lecture (homework: backprop of the 1-D GAN's discriminator); Goodfellow et al. 2014, eq. 1"
D = bp.forward_symbols("D")
SIZES = {"n": 2, "k": 2, "l": 3}  # N = 2 samples, n = 2 inputs (index k), H = 3 hidden units (index l)
# Same float64 operations as gancheck up to the order of the batch sums: errors are rounding (≲ 1e-16 relative),
# while a wrong formula is off by O(1) relative. Tolerances sit far between.
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


def numeric_arrays(D_net, x, caches, logits):
    """Forward values of D as index-ordered arrays (lecture layout: :math:`U = W_{\\text{Keras}}^\\top`)."""
    dense0, dense2 = D_net.layers[0], D_net.layers[2]
    z = logits[:, 0]
    return {D["x"]: x, D["g"]: caches[1], D["h"]: caches[2], D["z"]: z, D["y"]: expit(z), D["U"]: dense0.W.T,
            D["b"]: dense0.b, D["W"]: dense2.W[:, 0], D["c"]: dense2.b[0], bp.N: float(x.shape[0])}


def backward_to_input(D_net, dz, caches, param_grads):
    """gancheck's backward through D's layers one by one: ``(h_bar, g_bar, x_bar)``."""
    h_bar, _ = D_net.layers[2].backward(dz, caches[2], param_grads)
    g_bar, _ = D_net.layers[1].backward(h_bar, caches[1], param_grads)
    x_bar, _ = D_net.layers[0].backward(g_bar, caches[0], param_grads)
    return h_bar, g_bar, x_bar


def compare(forms, chain, arrays, want):
    """One :class:`Comparison` per quantity: its claimed form, with earlier quantities set to gancheck's values."""
    roles, arrays, out = bp.index_roles(), dict(arrays), []
    for q in chain:
        got = np.broadcast_to(evaluate(forms[q.name], roles[q.symbol], arrays, roles), want[q.name].shape)
        out.append(Comparison(q.name, got, want[q.name], ATOL, RTOL))
        arrays[q.symbol] = want[q.name]
    return out


def numeric(rng, forms, trials=3, batch=64):
    chain, out = bp.chain("D"), []
    for _ in range(trials):
        net = discriminator_1d()
        net.theta[:] = rng.normal(0.0, 0.5, net.n_params)  # random biases too, unlike the initialiser
        x = rng.normal(0.0, 1.0, (batch, 2))
        t = rng.integers(0, 2, batch).astype(float)
        logits, caches = net.forward(x)
        _, dz = bce_logits(logits, t[:, None])
        h_bar, g_bar, x_bar = backward_to_input(net, dz, caches, param_grads=True)
        dense0, dense2 = net.layers[0], net.layers[2]
        want = {"D.z_bar": dz[:, 0], "D.W_bar": dense2.dW[:, 0], "D.c_bar": dense2.db[0], "D.h_bar": h_bar,
                "D.g_bar": g_bar, "D.U_bar": dense0.dW.T, "D.b_bar": dense0.db, "D.x_bar": x_bar}
        arrays = numeric_arrays(net, x, caches, logits) | {D["t"]: t}
        out += compare(forms, chain, arrays, want)
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
               f"symbolic proof at sizes {SIZES} (n: batch, k: input, l: hidden)"))
