r"""Generator backprop through the frozen discriminator, for both generator losses.

Generator (latent :math:`x`): :math:`g = Ux + b,\ h = \mathrm{relu}(g),\ y = Wh + c`; G's :math:`y` is D's input.
Losses on D's logit :math:`z` of the fakes (Goodfellow et al. 2014, eq. 1 and §3):

.. math:: L_{\text{nonsaturating}} = \frac1N\sum_n \log(1+e^{-z}) \;(\text{BCE}, t=1), \qquad
          L_{\text{minimax}} = \frac1N\sum_n \log(1-σ(z))

The gradient reaches D's input (:math:`\bar x = \bar g_D U`), becomes G's :math:`\bar y`, then G's
:math:`\bar W, \bar c, \bar h, \bar g, \bar U, \bar b`. Symbolic proof at G 2-2-2, D 2-2-1, :math:`N = 2`
(:class:`derivations.netproof.ChainProof`); numeric check at the tutorial's sizes (G 5-15-2, D 2-25-1, :math:`N = 64`,
random parameters) against complex-step derivatives of the loss through a separately written forward pass
(:mod:`derivations.oracles`).
"""
from functools import lru_cache

import sympy as sp

import numpy as np
from scipy.special import expit

from . import backprop as bp
from . import oracles
from .activations import Relu, Softplus, lemmas, log_one_minus_sigmoid, relu_lemma
from .core import Derivation, definition
from .disc_backprop import arrays_of, claims_of, compare, forward_steps, random_net
from .independence import oracle
from .netproof import ChainProof, Level

D, G = bp.forward_symbols("D"), bp.forward_symbols("G")
SIZES = {"n": 2, "i": 2, "j": 2, "k": 2, "l": 2}  # N = 2; G: 2 latent (i), 2 hidden (j), 2 outputs (k); D: 2 hidden (l)
# ζ(u) = log(1 + e^u); the minimax loss log(1 − σ(z)) is −ζ(z) (a step below proves it)
LOSSES = {"nonsaturating": Softplus(-D["z"]) / bp.N, "minimax": -Softplus(D["z"]) / bp.N}
LOSS_TEXT = {"nonsaturating": "non-saturating generator loss: BCE with targets t = 1 (Goodfellow et al. 2014, §3)",
             "minimax": "minimax generator loss, minimised by G (Goodfellow et al. 2014, eq. 1)"}

LEVELS = (
    Level({}, ("D.z_bar",)),
    Level({D["z"]: D["W"] * D["h"] + D["c"]}, ("D.h_bar",)),
    Level({D["h"]: Relu(D["g"])}, ("D.g_bar",)),
    Level({D["g"]: D["U"] * D["x"] + D["b"]}, ("D.x_bar",)),
    Level({D["x"]: G["y"]}, ("G.y_bar",)),
    Level({G["y"]: G["W"] * G["h"] + G["c"]}, ("G.W_bar", "G.c_bar", "G.h_bar")),
    Level({G["h"]: Relu(G["g"])}, ("G.g_bar",)),
    Level({G["g"]: G["U"] * G["x"] + G["b"]}, ("G.U_bar", "G.b_bar")),
)


@lru_cache(maxsize=None)
def proof(loss):
    return ChainProof(LOSSES[loss], LEVELS, bp.chain("G", loss), SIZES)


@oracle("complex step", "complex-step derivatives of a forward pass written separately (derivations.oracles)")
def g_gradients(PG, PD, latent, loss):
    """∂L/∂q for every quantity of G's chain (through the frozen D), each by the complex step of the forward pass
    from q's stage on."""
    g, h, y = oracles.mlp_forward(PG, latent)
    g_d, h_d, z_d = oracles.mlp_forward(PD, y)
    rows = {"D.z_bar": ("z_D", z_d), "D.h_bar": ("h_D", h_d), "D.g_bar": ("g_D", g_d), "D.x_bar": ("y", y),
            "G.y_bar": ("y", y), "G.h_bar": ("h", h), "G.g_bar": ("g", g)}
    out = {name: oracles.complex_step_rows(lambda v, s=stage: oracles.mlp_g_terms(PG, PD, loss, **{s: v}), value)
           for name, (stage, value) in rows.items()}
    for name in ("W", "c", "U", "b"):
        out[f"G.{name}_bar"] = oracles.complex_step_params(
            lambda v, name=name: np.sum(oracles.mlp_g_terms(PG | {name: v}, PD, loss, x=latent)), PG[name])
    return out


def numeric(rng, forms, loss, trials=3, batch=64):
    chain, out = bp.chain("G", loss), []
    for _ in range(trials):
        PG, PD = random_net(rng, (5, 15, 2)), random_net(rng, (2, 25, 1))  # the tutorial's 5-15-2 and 2-25-1
        latent = rng.normal(0.0, 1.0, (batch, 5))
        g, h, y = oracles.mlp_forward(PG, latent)
        g_d, h_d, z_d = oracles.mlp_forward(PD, y)
        arrays = (arrays_of(G, PG, latent, g, h) | {G["y"]: y} | arrays_of(D, PD, y, g_d, h_d)
                  | {D["z"]: z_d, D["y"]: expit(z_d), bp.N: float(batch)})
        out += compare(forms, chain, arrays, g_gradients(PG, PD, latent, loss))
    return out


def derive(loss="nonsaturating"):
    chain = bp.chain("G", loss)
    loss_step = definition(sp.Eq(sp.Symbol("L"), LOSSES[loss]), LOSS_TEXT[loss] + "; sum over n implicit")
    steps = (forward_steps(G, "y") + [definition(sp.Eq(D["x"], G["y"]), "G's output is D's input; D is frozen")]
             + forward_steps(D, "z") + [loss_step] + lemmas() + [relu_lemma()])
    if loss == "minimax":
        steps.append(log_one_minus_sigmoid())
    name = "gen-backprop" if loss == "nonsaturating" else "gen-backprop-minimax"
    return Derivation(
        name=name, title=f"Backprop through the frozen discriminator into the generator ({loss} loss)",
        source="lecture (homework: generator backprop of the 1-D GAN); Goodfellow et al. 2014, eq. 1 and §3",
        steps=tuple(steps), claims=claims_of(chain),
        numeric=lambda rng, forms: numeric(rng, forms, loss),
        prover=lambda forms: {n: proof(loss).decide(n, form) for n, form in forms.items()},
        notes=("scalar form: indices the left side lacks are summed (batch n, G hidden j, output k, D hidden l)",
               f"symbolic proof at sizes {SIZES}"),
        lecture=("Learning G: fix the discriminator, backprop −log D(G(z)) into the generator (homework, 5-15-2)"
                 if loss == "nonsaturating" else
                 "Learning G with the minimax loss log(1 − D(G(z))) (homework, 5-15-2)"))
