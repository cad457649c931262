r"""A declared network — layer sizes, activations, the layout of every weight and bias — as gancheck's core MLP.

An assignment states how a student stores each layer (never guessed from shapes):

==========  =============================  ==================================================================
layout      shape                          the layer computes
==========  =============================  ==================================================================
``out_in``  weight (n_out, n_in)           :math:`g = xW^\top + b` (the lecture's :math:`U`, rows = samples)
``in_out``  weight (n_in, n_out)           :math:`g = xW + b` (Keras' kernel)
``vector``  weight (n_in,) when n_out = 1  :math:`g = x\cdot w + b`
``vector``  bias (n_out,)                  added to every row
``row``     bias (1, n_out)                the Keras-style row vector
``column``  bias (n_out, 1)                with samples in columns
``scalar``  bias () when n_out = 1
==========  =============================  ==================================================================

Data are rows (N, n) or, with ``samples = "columns"``, columns (n, N) — a network written :math:`g = Wx + b`.
:func:`to_core`/:func:`from_core` convert exactly (a transpose, never a reshape of a transposed array); the forward
pass is :class:`gancheck.nn.MLP`'s, so this module holds no second implementation of a layer.
"""
from dataclasses import dataclass

import numpy as np

from .... import GancheckError
from ....nn import MLP, Dense
from ....nn.activations import LeakyReLU, Linear, ReLU, Sigmoid, Tanh

ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "tanh": Tanh, "sigmoid": Sigmoid, "identity": Linear}
WEIGHT_LAYOUTS = ("out_in", "in_out", "vector")
BIAS_LAYOUTS = ("vector", "row", "column", "scalar")


@dataclass(frozen=True)
class Layer:
    n_in: int
    n_out: int
    activation: str = "identity"
    alpha: float = None          # the leaky ReLU's slope
    weight: str = "out_in"
    bias: str = "vector"

    def weight_shape(self):
        return {"out_in": (self.n_out, self.n_in), "in_out": (self.n_in, self.n_out), "vector": (self.n_in,)}[
            self.weight]

    def bias_shape(self):
        return {"vector": (self.n_out,), "row": (1, self.n_out), "column": (self.n_out, 1), "scalar": ()}[self.bias]

    def validate(self, where):
        if self.activation not in ACTIVATIONS:
            raise GancheckError(f"{where}.activation: unknown {self.activation!r}; known: {sorted(ACTIVATIONS)}")
        if (self.alpha is not None) != (self.activation == "leaky_relu"):
            raise GancheckError(f"{where}.alpha: a slope is given exactly for leaky_relu (e.g. alpha = 0.2)")
        if self.weight not in WEIGHT_LAYOUTS or self.bias not in BIAS_LAYOUTS:
            raise GancheckError(f"{where}: layouts are weight ∈ {list(WEIGHT_LAYOUTS)}, bias ∈ {list(BIAS_LAYOUTS)}; "
                                f"got {self.weight!r}, {self.bias!r}")
        if self.n_out != 1 and (self.weight == "vector" or self.bias == "scalar"):
            raise GancheckError(f"{where}: a vector weight or a scalar bias needs n_out = 1, got {self.n_out}")

    def activation_layer(self):
        cls = ACTIVATIONS[self.activation]
        return cls(self.alpha) if self.activation == "leaky_relu" else cls()


def to_core(layer, W, b):
    """The student's ``(W, b)`` as the core's kernel (n_in, n_out) and bias (n_out,)."""
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    if W.shape != layer.weight_shape() or b.shape != layer.bias_shape():
        raise ValueError(f"expected weight {layer.weight_shape()} and bias {layer.bias_shape()}, got {W.shape}, "
                         f"{b.shape}")
    kernel = W.T if layer.weight == "out_in" else W.reshape(layer.n_in, layer.n_out)
    return kernel, b.reshape(layer.n_out)


def from_core(layer, kernel, bias):
    """The inverse of :func:`to_core`: core arrays in the student's declared layout."""
    W = kernel.T.copy() if layer.weight == "out_in" else kernel.reshape(layer.weight_shape()).copy()
    return W, np.asarray(bias, dtype=float).reshape(layer.bias_shape()).copy()


def core_mlp(layers, params):
    """A :class:`gancheck.nn.MLP` holding ``params = [(W, b), …]`` (student layout), one pair per layer."""
    modules = []
    for layer in layers:
        modules += [Dense(layer.n_in, layer.n_out), layer.activation_layer()]
    mlp = MLP(modules)
    for layer, dense, (W, b) in zip(layers, mlp.layers[::2], params):
        dense.W[...], dense.b[...] = to_core(layer, W, b)
    return mlp


def forward(layers, params, x, samples="rows"):
    """Every pre-activation and activation, ``[(g_1, a_1), …]``, in the student's data layout."""
    x = np.asarray(x, dtype=float)
    x = x.T if samples == "columns" else x
    mlp, out = core_mlp(layers, params), []
    for dense, act in zip(mlp.layers[::2], mlp.layers[1::2]):
        g, _ = dense.forward(x)
        x, _ = act.forward(g.copy())
        out.append((g.T, x.T) if samples == "columns" else (g, x))
    return out


def draw_params(layers, rng, gain=1.0):
    r"""Weights :math:`\mathcal N(0, \text{gain}^2/n_\text{in})` — scaled by fan-in, so pre-activations of unit-size
    inputs stay of unit size and nothing saturates — and small biases :math:`\mathcal N(0, 0.1^2)`, in each layer's
    declared layout."""
    params = []
    for layer in layers:
        kernel = rng.normal(0.0, gain / np.sqrt(layer.n_in), (layer.n_in, layer.n_out))
        params.append(from_core(layer, kernel, rng.normal(0.0, 0.1, layer.n_out)))
    return params
