r"""The reference answers: gancheck's core networks, read and written in the homework's layout.

The homework writes a layer as the lecture does, :math:`g = xU^\top + b` for rows :math:`x`, with :math:`U` of shape
(n_out, n_in) — a one-output layer may keep its weight as a vector and its bias as a scalar. The core
(:class:`gancheck.nn.Dense`) stores the Keras kernel :math:`U^\top` of shape (n_in, n_out). This module only converts
between the two layouts: every value and every gradient comes from :mod:`gancheck.models`, :mod:`gancheck.nn` and
:mod:`gancheck.losses`; there is no second backprop here. The *mistake models* used to name a student's error are the
same networks with one piece swapped (a ReLU whose backward is wrong, the saturating generator loss).

Parameters travel as a dict ``role → array``; the roles an assignment can use are :data:`ROLES`.
"""
import numpy as np

from ...losses import bce_logits, generator_minimax
from ...models import discriminator_1d, generator_1d
from ...nn import ReLU, Sigmoid, Stacked

ROLES = {
    "D.x": "discriminator input (points)", "D.t": "labels (1 real, 0 fake)",
    "D.U": "discriminator hidden weight (n_out, n_in)", "D.b": "discriminator hidden bias",
    "D.W": "discriminator output weight", "D.c": "discriminator output bias",
    "D.g": "pre-activations x·Uᵀ + b", "D.h": "relu(g)", "D.z": "logits h·Wᵀ + c", "D.y": "σ(z)",
    "D.loss": "binary cross-entropy, mean over the batch", "mask": "the ReLU derivative 1[g > 0]",
    "G.x": "latent points", "G.t": "generator targets (all ones)",
    "G.U": "generator hidden weight", "G.b": "generator hidden bias", "G.W": "generator output weight",
    "G.c": "generator output bias", "G.g": "generator pre-activations", "G.h": "relu(g)",
    "G.y": "generated points", "G.loss": "generator loss through the frozen discriminator",
    "N": "batch size (an int)", "latent_dim": "latent dimension (an int)",
}


class ReLUGradientOneAtZero(ReLU):
    r"""ReLU with :math:`\mathrm{relu}'(0) = 1` (``g >= 0``): the other convention at the kink, accepted."""

    def derivative(self, g):
        return g >= 0.0


class ReLUActivationAsMask(ReLU):
    r"""Mistake model: :math:`\bar g = \bar h \odot \mathrm{relu}(g)`, the activation where its derivative belongs."""

    def derivative(self, g):
        return np.maximum(g, 0.0)


class ReLUInvertedMask(ReLU):
    r"""Mistake model: :math:`\bar g = \bar h \odot \mathbb 1[g < 0]`, the mask of the inactive units."""

    def derivative(self, g):
        return g < 0.0


def relu_derivative(g):
    r"""The 0/1 array :math:`\mathbb 1[g > 0]`, as the core's ReLU backward computes it from :math:`\bar h = 1`."""
    return ReLU().backward(np.ones_like(g), g)[0]


def bce_loss(z, t, N):
    r"""The homework's ``loss_stable``: :math:`l = \frac1N\sum_n \big[t_n ζ(-z_n) + (1-t_n) ζ(z_n)\big]`, ζ the softplus
    (:func:`gancheck.losses.bce_logits`, which averages over ``len(z)``; rescaled here for an explicit N)."""
    z = np.asarray(z, dtype=float).reshape(-1)
    return bce_logits(z, np.asarray(t, dtype=float).reshape(-1))[0] * z.size / N


def _build(make, params, net, relu):
    """A core MLP (``make(n_in, hidden, n_out)``) holding the homework's parameters of ``net`` ("D" or "G")."""
    U, W = params[f"{net}.U"], params[f"{net}.W"]
    n_out = np.size(W) // U.shape[0]
    mlp = make(U.shape[1], U.shape[0], n_out)
    mlp.layers[1] = relu()
    for layer, w, b in ((mlp.layers[0], U, params[f"{net}.b"]), (mlp.layers[2], W, params[f"{net}.c"])):
        layer.W[...] = np.reshape(w, (layer.n_out, layer.n_in)).T  # lecture (n_out, n_in) → Keras kernel
        layer.b[...] = np.reshape(b, layer.n_out)
    return mlp


def discriminator(params, relu=ReLU):
    """The tutorial's discriminator (:func:`gancheck.models.discriminator_1d`) holding the ``D.*`` parameters."""
    return _build(lambda n_in, hidden, n_out: discriminator_1d(n_in, hidden), params, "D", relu)


def generator(params, relu=ReLU):
    """The tutorial's generator (:func:`gancheck.models.generator_1d`) with the homework's ``G.*`` parameters."""
    return _build(lambda n_in, hidden, n_out: generator_1d(n_in, hidden, n_out), params, "G", relu)


def _gradients(mlp, params, net):
    """The core's flat gradient, read back in the homework's layout and shapes."""
    first, second = mlp.layers[0], mlp.layers[2]
    return {f"{net}.U": first.dW.T.reshape(np.shape(params[f"{net}.U"])),
            f"{net}.b": first.db.reshape(np.shape(params[f"{net}.b"])),
            f"{net}.W": second.dW.T.reshape(np.shape(params[f"{net}.W"])),
            f"{net}.c": second.db.reshape(np.shape(params[f"{net}.c"]))}


def discriminator_forward(params, x):
    r""":math:`g = xU^\top + b,\ h = \mathrm{relu}(g),\ z = hW^\top + c,\ y = σ(z)`; returns ``{role: array}``."""
    z, caches = discriminator(params).forward(np.asarray(x, dtype=float))
    return {"D.g": caches[1], "D.h": caches[2], "D.z": z, "D.y": Sigmoid().forward(z)[0]}


def generator_forward(params, x):
    r""":math:`g = xU^\top + b,\ h = \mathrm{relu}(g),\ y = hW^\top + c`; returns ``{role: array}``."""
    y, caches = generator(params).forward(np.asarray(x, dtype=float))
    return {"G.g": caches[1], "G.h": caches[2], "G.y": y}


def discriminator_step(params, x, t, relu=ReLU):
    r"""Loss and gradients of one discriminator step: :math:`\bar z = (y - t)/N`, :math:`\bar W = \bar z^\top h`,
    :math:`\bar c = \sum_n \bar z_n`, :math:`\bar g = \bar z W \odot \mathbb 1[g>0]`, :math:`\bar U = \bar g^\top x`,
    :math:`\bar b = \sum_n \bar g_n` (the homework's chain, derived symbolically in :mod:`derivations.backprop`) —
    computed by the core's backward. Returns ``(loss, {role: gradient})``."""
    D = discriminator(params, relu)
    z, caches = D.forward(np.asarray(x, dtype=float))
    loss, dz = bce_logits(z, np.reshape(t, z.shape))
    D.backward(dz, caches)
    return loss, _gradients(D, params, "D")


GENERATOR_LOSSES = {
    "nonsaturating": lambda z, t: bce_logits(z, t),   # −log D(G(z)) for t = 1 (Goodfellow et al. 2014, §3)
    "minimax": lambda z, t: generator_minimax(z),     # log(1 − D(G(z))), the saturating loss (eq. 1)
}


def generator_step(params, latent, t, loss="nonsaturating", relu=ReLU, d_relu=None):
    r"""Loss and gradients of one generator step through the frozen discriminator, :math:`D(G(x))` with
    :math:`\bar z = (σ(z) - t)/N`, flowing through :math:`D` to its input and on into :math:`G`
    (:class:`gancheck.nn.Stacked`; derived in :mod:`derivations.backprop`); the loss is the non-saturating one of
    Goodfellow et al. 2014, §3, or their eq. 1's saturating one (``loss="minimax"``). Returns ``(loss, {role:
    gradient})`` for the ``G.*`` parameters. ``relu`` is the generator's ReLU, ``d_relu`` the discriminator's (the same
    by default)."""
    G, D = generator(params, relu), discriminator(params, d_relu or relu)
    gan = Stacked(G, D)
    z, caches = gan.forward(np.asarray(latent, dtype=float))
    value, dz = GENERATOR_LOSSES[loss](z, np.reshape(t, z.shape))
    gan.backward(dz, caches)
    return value, _gradients(G, params, "G")


MASKS = {"the ReLU mask replaced by relu(g) (the activation where its derivative belongs)": ReLUActivationAsMask,
         "the inverted ReLU mask 1[g < 0]": ReLUInvertedMask}
WHERE = {  # for the generator step: which backward the wrong mask is in → keyword arguments of the reference
    "in the generator's backward": lambda relu: {"relu": relu, "d_relu": ReLU},
    "in the backward through the discriminator": lambda relu: {"relu": ReLU, "d_relu": relu},
    "in both backwards": lambda relu: {"relu": relu},
}
SATURATING = "the saturating loss log(1 − D(G(z))) instead of the non-saturating −log D(G(z))"


def mistake_models(net):
    """Whole-step mistake models of a net's step, description → keyword arguments of its reference step
    (:func:`discriminator_step`, :func:`generator_step`): the two wrong ReLU masks — for the generator in its own
    backward, in the backward through the discriminator, or in both — and the saturating generator loss."""
    if net == "D":
        return {description: {"relu": relu} for description, relu in MASKS.items()}
    models = {f"{description} {where}": place(relu) for description, relu in MASKS.items()
              for where, place in WHERE.items()}
    return dict(models, **{SATURATING: {"loss": "minimax"}})
