r"""Experiment 1 — the discriminator converges to :math:`D^*` (Goodfellow et al. 2014, Prop. 1 and Fig. 1).

For a fixed generator the discriminator that maximises :math:`V(G, D)` is, pointwise (lecture: maximise
:math:`a\log D + b\log(1-D)` ⇒ :math:`D = a/(a+b)`),

.. math:: D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_G(x)} .

Here :math:`p_\text{data} = \mathcal N(μ_\text{data}, σ_\text{data}^2)` and the generator is replaced by samples from
:math:`p_G = \mathcal N(μ_G, σ_G^2)`, the two overlapping like the black and green curves of the paper's Fig. 1. The
course's discriminator (1 → ``hidden`` ReLU → 1 logit) is trained by Adam on minibatches of ``batch`` real and
``batch`` fake points; on a grid of the *support* — where :math:`\tfrac12(p_\text{data}+p_G)` is at least
``support_level`` times its maximum (elsewhere D sees almost no data and :math:`D^*` is a ratio of tails) — we record the
largest gap :math:`\max_x |D(x) - D^*(x)|` every ``every`` steps.

Parameters (``fast`` / ``full``): ``steps`` 6000 / 40000, ``batch`` 256, ``hidden`` 25, ``lr`` 1e-3 decayed
linearly to ``lr_final`` 0.1, ``mu_data, sigma_data`` = 1, 0.5, ``mu_g, sigma_g`` = −0.5, 1, ``support_level`` 0.05.

Headline: ``max_gap_start`` (the untrained D), ``max_gap_final`` and ``mean_gap_final``. Expected: the largest gap
shrinks from about 1 but never reaches 0 — a ReLU network fitted from finite minibatches (the optimum of :math:`V` on
a minibatch is not :math:`D^*`). The values are computed, not quoted: ``gancheck experiment d-star`` prints the
headline, and the GAN-game page shows it as this site builds.
"""
from functools import partial

import numpy as np
from scipy.special import expit
from scipy.stats import norm

from .. import models, optim
from . import resolve
from .fixed_g import train_discriminator

VARIANTS = {
    "fast": dict(steps=6000, batch=256, hidden=25, lr=1e-3, lr_final=0.1, mu_data=1.0, sigma_data=0.5, mu_g=-0.5,
                 sigma_g=1.0, support_level=0.05, every=250),
    "full": dict(steps=40000, batch=256, hidden=25, lr=1e-3, lr_final=0.1, mu_data=1.0, sigma_data=0.5, mu_g=-0.5,
                 sigma_g=1.0, support_level=0.05, every=1000),
}


def optimal_discriminator(x, p_data, p_g):
    r""":math:`D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_G(x))` (Goodfellow et al. 2014, Prop. 1)."""
    a, b = p_data(x), p_g(x)
    return a / (a + b)


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    p_data = partial(norm.pdf, loc=p["mu_data"], scale=p["sigma_data"])
    p_g = partial(norm.pdf, loc=p["mu_g"], scale=p["sigma_g"])
    lo = min(p["mu_data"] - 4 * p["sigma_data"], p["mu_g"] - 4 * p["sigma_g"])
    hi = max(p["mu_data"] + 4 * p["sigma_data"], p["mu_g"] + 4 * p["sigma_g"])
    grid = np.linspace(lo, hi, 401)
    mix = 0.5 * (p_data(grid) + p_g(grid))
    support = mix >= p["support_level"] * mix.max()
    d_star = optimal_discriminator(grid, p_data, p_g)

    rng = np.random.default_rng(seed)
    D = models.discriminator_1d(n_in=1, hidden=p["hidden"]).initialise(rng)

    def gap(step):
        d = expit(D.forward(grid[:, None])[0][:, 0])
        return float(np.max(np.abs(d - d_star)[support])), float(np.mean(np.abs(d - d_star)[support]))

    trace, d_loss = train_discriminator(
        D, lambda n, r: r.normal(p["mu_data"], p["sigma_data"], (n, 1)),
        lambda n, r: r.normal(p["mu_g"], p["sigma_g"], (n, 1)), p["steps"], rng, batch=p["batch"],
        opt=optim.Adam(D.n_params, lr=p["lr"]), lr_final=p["lr_final"], every=p["every"], probe=gap)
    steps = np.array([s for s, _ in trace])
    max_gap, mean_gap = (np.array(v) for v in zip(*(g for _, g in trace)))
    return {
        "params": p, "variant": variant, "seed": seed,
        "grid": grid, "support": support, "d_star": d_star, "p_data": p_data(grid), "p_g": p_g(grid),
        "d_final": expit(D.forward(grid[:, None])[0][:, 0]), "steps": steps, "max_gap": max_gap, "mean_gap": mean_gap,
        "d_loss": d_loss,
        "headline": {"max_gap_start": float(max_gap[0]), "max_gap_final": float(max_gap[-1]),
                     "mean_gap_final": float(mean_gap[-1])},
    }


def work(p):
    """D steps that :func:`run` takes with parameters ``p`` (its progress bar's total)."""
    return p["steps"]


def plot(data):
    from ..plots import COLORS, experiment_title, finish, panels

    fig, (ax, ax_gap) = panels(2, height=2.6)
    g = data["grid"]
    ax.fill_between(g, 0, 1, where=data["support"], color=COLORS["reference"], alpha=0.15, lw=0, label="support")
    ax.plot(g, data["p_data"], color=COLORS["real"], label=r"$p_\mathrm{data}$")
    ax.plot(g, data["p_g"], color=COLORS["generated"], label=r"$p_G$")
    ax.plot(g, data["d_star"], color=COLORS["truth"], ls="--", label=r"$D^*$")
    ax.plot(g, data["d_final"], color=COLORS["d_loss"], label="trained D")
    ax.set(xlabel="x", ylabel="density, or D(x)", title="D against D*")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=5, frameon=False,
               columnspacing=0.8, handlelength=1.5)
    ax_gap.semilogy(data["steps"][1:], data["max_gap"][1:], color=COLORS["d_loss"], label="largest")
    ax_gap.semilogy(data["steps"][1:], data["mean_gap"][1:], color=COLORS["d_loss"], ls=":", label="mean")
    ax_gap.set(xlabel="D step", ylabel="|D − D*| on the support", title="gap")
    ax_gap.legend(frameon=False, loc="lower left")
    return finish(fig, experiment_title("D converges to D*", data))
