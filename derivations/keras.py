r"""Parameter counts of the course's dense networks, from the layers' shapes (lecture: the GAN exercise's
``model.summary()``; tutorial: the 1-D GAN's summaries).

A dense layer from :math:`n_{\text{in}}` to :math:`n_{\text{out}}` units holds a kernel
:math:`W \in \mathbb R^{n_{\text{in}} \times n_{\text{out}}}` and, unless ``use_bias=False``, a bias
:math:`b \in \mathbb R^{n_{\text{out}}}`: :math:`n_{\text{in}} n_{\text{out}} + n_{\text{out}}` parameters;
LeakyReLU and Dropout hold none. SymPy counts the entries of the layers' matrix symbols and sums over each network:

* the exercise's MNIST generator 20 → 100 (no bias) → LeakyReLU → 784 (tanh): 2000 + 79,184 = 81,184;
* its discriminator 784 → 100 → LeakyReLU → Dropout → 1: 78,500 + 101 = 78,601;
* the tutorial's 1-D discriminator 2 → 25 → 1: 75 + 26 = 101, generator 5 → 15 → 2: 90 + 32 = 122, and the stacked
  GAN 223 of which 122 trainable (the discriminator frozen).

Numeric: the numbers Keras itself printed in the course material (``model.summary()`` in seed 001 and the tutorial,
seed 004), layer by layer and in total.
"""
import numpy as np
import sympy as sp

from .core import Claim, Comparison, Derivation, Step, definition
from .independence import oracle

n_in, n_out = sp.symbols("n_in n_out", integer=True, positive=True)
# name → layers as (n_in, n_out, bias); activations and dropout carry no parameters
NETWORKS = {
    "MNIST generator": ((20, 100, False), (100, 784, True)),
    "MNIST discriminator": ((784, 100, True), (100, 1, True)),
    "1-D discriminator": ((2, 25, True), (25, 1, True)),
    "1-D generator": ((5, 15, True), (15, 2, True)),
}
# what Keras printed (course material): per dense layer, then the total
KERAS_SUMMARIES = {
    "MNIST generator": ((2000, 79184), 81184),
    "MNIST discriminator": ((78500, 101), 78601),
    "1-D discriminator": ((75, 26), 101),
    "1-D generator": ((90, 32), 122),
}
PARAMS_DENSE = sp.Symbol(r"\text{params}(\text{Dense})")
KERAS_GAN = {"total": 223, "trainable": 122}  # the stacked model with the discriminator frozen


def dense_count(a, b, bias=True):
    """Entries of the kernel (a × b) and of the bias (b) as matrix symbols."""
    kernel = sp.MatrixSymbol("W", a, b)
    count = kernel.shape[0] * kernel.shape[1]
    return count + (sp.MatrixSymbol("b", b, 1).shape[0] if bias else 0)


def network_count(name):
    return sum(dense_count(a, b, bias) for a, b, bias in NETWORKS[name])


@oracle("Keras", "the parameter counts Keras printed in model.summary() in the course material (seeds 001 and 004)")
def keras_summary(name):
    if name == "1-D GAN":
        return KERAS_GAN
    layers, total = KERAS_SUMMARIES[name]
    return {"layers": np.array(layers, dtype=float), "total": float(total)}


def numeric(rng, forms):
    dense = sp.lambdify((n_in, n_out), forms["Dense params"], "numpy")
    no_bias = sp.lambdify((n_in, n_out), forms["Dense params, no bias"], "numpy")
    out = []
    for name, layers in NETWORKS.items():
        printed = keras_summary(name)
        for i, (a, b, bias) in enumerate(layers):
            out.append(Comparison("Dense params" if bias else "Dense params, no bias",
                                  np.array(float((dense if bias else no_bias)(a, b))), printed["layers"][i], 0.0, 0.0,
                                  criterion="exactly equal to Keras' count for the layer"))
        out.append(Comparison(name, np.array(float(forms[name])), printed["total"], 0.0, 0.0,
                              criterion="exactly equal to Keras' total"))
    gan = keras_summary("1-D GAN")
    out += [Comparison("1-D GAN", np.array(float(forms["1-D GAN"])), gan["total"], 0.0, 0.0,
                       criterion="exactly equal to Keras' total"),
            Comparison("1-D GAN trainable", np.array(float(forms["1-D GAN trainable"])), gan["trainable"], 0.0, 0.0,
                       criterion="exactly equal to Keras' trainable count")]
    return out


def derive():
    steps = (
        Step(sp.Eq(PARAMS_DENSE, n_in * n_out + n_out), "a Dense layer: kernel n_in × n_out plus bias n_out "
             "(the entries of its matrix symbols)", lambda: sp.expand(dense_count(n_in, n_out) - n_in * n_out - n_out)
             == 0),
        definition(sp.Eq(sp.Symbol(r"\text{params}(\text{LeakyReLU}) = \text{params}(\text{Dropout})"), 0),
                   "activations and dropout have no parameters"),
    )
    claims = (
        Claim("Dense params", PARAMS_DENSE, n_in * n_out + n_out, lambda: dense_count(n_in, n_out),
              "kernel plus bias"),
        Claim("Dense params, no bias", sp.Symbol(r"\text{params}(\text{Dense, no bias})"), n_in * n_out,
              lambda: dense_count(n_in, n_out, bias=False), "kernel only"),
    )
    claims += tuple(Claim(name, sp.Symbol(rf"\text{{params}}(\text{{{name}}})"), sp.Integer(total),
                          lambda name=name: network_count(name),
                          " + ".join(f"{a}·{b}" + (f" + {b}" if bias else "") for a, b, bias in NETWORKS[name]))
                    for name, (_, total) in KERAS_SUMMARIES.items())
    claims += (Claim("1-D GAN", sp.Symbol(r"\text{params}(\text{GAN})"), sp.Integer(223),
                     lambda: network_count("1-D generator") + network_count("1-D discriminator"),
                     "the generator and the frozen discriminator"),
               Claim("1-D GAN trainable", sp.Symbol(r"\text{trainable}(\text{GAN})"), sp.Integer(122),
                     lambda: network_count("1-D generator"), "only the generator's: discriminator.trainable = False"))
    return Derivation("keras-parameters", "Parameter counts of the course's dense networks, from the layers' shapes",
                      "lecture (GAN exercise: model.summary()); tutorial (the 1-D GAN's summaries)", steps, claims,
                      numeric, lecture="GAN exercise: model.summary() parameter counts (81,184 and 78,601)")
