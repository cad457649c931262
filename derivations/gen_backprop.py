r"""Generator backprop through the frozen discriminator (issue 3, item 3), for both generator losses.

Generator (latent :math:`x`): :math:`g = Ux + b,\ h = \mathrm{relu}(g),\ y = Wh + c`; G's :math:`y` is D's input.
Losses on D's logit :math:`z` of the fakes (Goodfellow et al. 2014, eq. 1 and §3):

.. math:: L_{\text{nonsaturating}} = \frac1N\sum_n \log(1+e^{-z}) \;(\text{BCE}, t=1), \qquad
          L_{\text{minimax}} = \frac1N\sum_n \log(1-σ(z))

The gradient reaches D's input (:math:`\bar x = \bar g_D U`), becomes G's :math:`\bar y`, then G's
:math:`\bar W, \bar c, \bar h, \bar g, \bar U, \bar b`. Symbolic proof at G 2-2-2, D 2-2-1, :math:`N = 2`
(:class:`derivations.netproof.ChainProof`); numeric check against :class:`gancheck.nn.Stacked` (G 5-15-2, D 2-25-1,
:math:`N = 64`) and its layers' backward.
"""
from functools import lru_cache

import sympy as sp

from gancheck.losses import GENERATOR_LOSSES
from gancheck.models import discriminator_1d, generator_1d
from gancheck.nn import Stacked

from . import backprop as bp
from .core import Derivation, definition
from .disc_backprop import backward_to_input, claims_of, compare, forward_steps, numeric_arrays
from .activations import Relu, Softplus, lemmas, log_one_minus_sigmoid, relu_lemma
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


def numeric(rng, forms, loss, trials=3, batch=64):
    chain, out = bp.chain("G", loss), []
    for _ in range(trials):
        gan = Stacked(generator_1d(), discriminator_1d())
        for net in (gan.G, gan.D):
            net.theta[:] = rng.normal(0.0, 0.5, net.n_params)
        latent = rng.normal(0.0, 1.0, (batch, 5))
        logits, (y, g_caches, d_caches) = gan.forward(latent)
        _, dz = GENERATOR_LOSSES[loss](logits)
        gan.backward(dz, (y, g_caches, d_caches))  # end to end: fills G's parameter gradients (views)
        h_bar_d, g_bar_d, x_bar_d = backward_to_input(gan.D, dz, d_caches, param_grads=False)
        # G's activations' gradients, layer by layer (Linear output, Dense, ReLU); parameters from Stacked above.
        gen = gan.G.layers
        dy, _ = gen[3].backward(x_bar_d, g_caches[3], False)
        h_bar, _ = gen[2].backward(dy, g_caches[2], False)
        g_bar, _ = gen[1].backward(h_bar, g_caches[1], False)
        dense0, dense2 = gan.G.layers[0], gan.G.layers[2]
        want = {"D.z_bar": dz[:, 0], "D.h_bar": h_bar_d, "D.g_bar": g_bar_d, "D.x_bar": x_bar_d, "G.y_bar": dy,
                "G.W_bar": dense2.dW.T, "G.c_bar": dense2.db, "G.h_bar": h_bar, "G.g_bar": g_bar,
                "G.U_bar": dense0.dW.T, "G.b_bar": dense0.db}
        arrays = numeric_arrays(gan.D, y, d_caches, logits) | {
            G["x"]: latent, G["g"]: g_caches[1], G["h"]: g_caches[2], G["y"]: y, G["U"]: dense0.W.T,
            G["b"]: dense0.b, G["W"]: dense2.W.T, G["c"]: dense2.b}
        out += compare(forms, chain, arrays, want)
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
               f"symbolic proof at sizes {SIZES}"))
