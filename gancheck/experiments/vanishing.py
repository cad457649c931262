r"""Experiment 3 — vanishing generator gradients as D approaches optimality (Arjovsky & Bottou 2017, §2.2, Figs. 2–3).

When the supports of :math:`p_\text{data}` and :math:`p_G` are disjoint a perfect discriminator exists, and as D
approaches it (their Theorem 2.4)

.. math:: \big\|\nabla_{θ_G}\, \mathbb E_z \log(1 - D(G(z)))\big\| \to 0 ,

while the :math:`-\log D(G(z))` gradient does not vanish (Theorem 2.6: it is unstable instead). We fix a generator
whose support is bounded — the tutorial's generator (``latent_dim`` → 15 ReLU → 1) with a ``tanh`` output, so
:math:`\operatorname{supp} p_G \subset (-1, 1)` — against data uniform on :math:`[-3, -2] \cup [2, 3]`
(:func:`gancheck.targets.disjoint`), train the tutorial's discriminator from scratch with Adam, and every ``every``
steps measure both gradient norms on ``n_probe`` fixed latent points (the paper's figures use a DCGAN and report the
same quantity on a log scale).

Parameters (``fast`` / ``full``): ``steps`` 2000 / 20000, ``batch`` 64, ``lr`` 1e-3, ``every`` 50 / 250.

Headline: ``minimax_drop`` = final / largest minimax gradient norm over training (the random initial D is no
reference: the norm first rises while D learns a slope), ``nonsat_drop`` the same for :math:`-\log D`, and the final
discriminator accuracy. Expected: the minimax norm falls by orders of magnitude (its factor :math:`σ(z)` decays
exponentially in D's logit), the :math:`-\log D` norm does not (its factor :math:`1 - σ(z) \to 1`).
"""
import numpy as np

from .. import models, optim, targets
from ..metrics import d_accuracy
from ..nn import MLP, Dense, ReLU, Tanh
from . import resolve
from .fixed_g import generator_grad_norm, train_discriminator

VARIANTS = {
    "fast": dict(steps=2000, batch=64, lr=1e-3, latent_dim=5, every=50, n_probe=1024),
    "full": dict(steps=20000, batch=64, lr=1e-3, latent_dim=5, every=250, n_probe=1024),
}


def bounded_generator(latent_dim):
    """The tutorial's 1-D generator with a ``tanh`` output: its support lies inside ``(-1, 1)``."""
    return MLP([Dense(latent_dim, 15, init="he_uniform"), ReLU(), Dense(15, 1), Tanh()], name="generator")


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    rng = np.random.default_rng(seed)
    data = targets.disjoint((-3.0, -2.0), (2.0, 3.0))
    G, D = bounded_generator(p["latent_dim"]).initialise(rng), models.discriminator_1d(n_in=1).initialise(rng)
    z_probe = rng.standard_normal((p["n_probe"], p["latent_dim"]))
    real_probe = data.sample(p["n_probe"], rng)

    def sample_fake(n, r):
        return G.forward(r.standard_normal((n, p["latent_dim"])))[0]

    def probe(step):
        return (generator_grad_norm(G, D, z_probe, "minimax"), generator_grad_norm(G, D, z_probe, "nonsaturating"),
                float(np.mean(d_accuracy(D, real_probe, G.forward(z_probe)[0]))))

    trace, d_loss = train_discriminator(D, data.sample, sample_fake, p["steps"], rng, batch=p["batch"],
                                        opt=optim.Adam(D.n_params, lr=p["lr"]), every=p["every"], probe=probe)
    steps = np.array([s for s, _ in trace])
    minimax, nonsat, accuracy = (np.array(v) for v in zip(*(v for _, v in trace)))
    fake = G.forward(z_probe)[0]
    return {
        "params": p, "variant": variant, "seed": seed,
        "steps": steps, "grad_minimax": minimax, "grad_nonsaturating": nonsat, "d_accuracy": accuracy,
        "d_loss": d_loss, "generated_range": [float(np.min(fake)), float(np.max(fake))],
        "headline": {"minimax_drop": float(minimax[-1] / minimax.max()), "nonsat_drop": float(nonsat[-1] / nonsat.max()),
                     "d_accuracy_final": float(accuracy[-1])},
    }


def work(p):
    """D steps that :func:`run` takes with parameters ``p`` (its progress bar's total)."""
    return p["steps"]


def plot(data):
    from ..plots import COLORS, experiment_title, finish, panels

    fig, (ax,) = panels(1, width=4.2, height=3.0)
    ax.semilogy(data["steps"], data["grad_minimax"], color=COLORS["minimax"], label=r"minimax $\log(1-D(G(z)))$")
    ax.semilogy(data["steps"], data["grad_nonsaturating"], color=COLORS["nonsaturating"],
                label=r"non-saturating $-\log D(G(z))$")
    ax.set(xlabel="D step (G fixed, supports disjoint)", ylabel=r"$\|\nabla_{\theta_G} L_G\|$",
           title="G's gradient as D improves")
    fig.legend(loc="outside lower center", frameon=False)  # below the panel: the curves fill it
    return finish(fig, experiment_title("Vanishing gradients", data))
