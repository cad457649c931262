r"""Experiment 6 — WGAN with weight clipping (Arjovsky, Chintala & Bottou 2017): the critic's estimate of :math:`W_1`.

Kantorovich–Rubinstein duality (their eq. 2; lecture, "Explaining WGAN"):

.. math:: W_1(P_r, P_g) = \sup_{\|f\|_L \le 1} \mathbb E_{P_r} f(x) - \mathbb E_{P_g} f(x) .

A critic whose every parameter is clipped to :math:`[-c, c]` is :math:`K`-Lipschitz for some :math:`K(c)`, so
:math:`\max_f \overline{f(x)} - \overline{f(G(z))}` estimates :math:`K\cdot W_1` — a scaled distance. The paper's
setting throughout: :math:`c = 0.01`, RMSProp with learning rate :math:`5\cdot10^{-5}`, :math:`n_\text{critic} = 5`.

1. **Parallel lines** (their Example 1): :math:`P_0` uniform on :math:`\{0\}\times[0,1]`, :math:`P_θ` on
   :math:`\{θ\}\times[0,1]`; :math:`W_1 = |θ|` while :math:`JS = \log 2` for every :math:`θ \neq 0`. For each θ in
   ``thetas`` a fresh clipped critic (2 → ``hidden`` ReLU → 1) is trained ``critic_steps`` steps and its estimate
   measured on ``n_probe`` points; a fresh GAN discriminator (Adam, cross-entropy) gives the JS estimate
   :math:`\tfrac12\big(\max_D V + 2\log 2\big)` (Goodfellow et al. 2014, Thm. 1).
2. **Training** a WGAN (:func:`gancheck.train.train`, tutorial networks, the paper's hyper-parameters, constant learning
   rate, no EMA) on a 1-D target :math:`\mathcal N(2, 0.5^2)` and on the 2-D x² curve; the critic's running estimate
   (the negated critic loss, 100-step moving average) against the true :math:`W_1` between ``n_w1`` generated and target
   points at every checkpoint: exact 1-D formula, and in 2-D the optimal assignment between the two samples
   (``scipy.optimize.linear_sum_assignment``), the exact :math:`W_1` of the two empirical measures.

Parameters (``fast`` / ``full``): ``thetas`` (0, 0.25, 0.5, 1, 1.5, 2), ``critic_steps`` 1000 / 5000, ``steps``
1500 / 20000 WGAN iterations per target, ``checkpoint_every`` 250 / 1000.

Headline: ``lines_monotone`` (estimate strictly increasing in :math:`|θ|`), ``lines_linearity`` (:math:`R^2` of the
estimate against :math:`|θ|` through the origin), ``js_min_nonzero`` (smallest JS estimate at :math:`θ \neq 0`,
expected near :math:`\log 2 ≈ 0.693`), and per target ``corr_*`` — the correlation over checkpoints between the critic's
estimate and the true :math:`W_1` — with ``w1_start_*``, ``w1_final_*``.

The values are computed, not quoted: ``gancheck experiment wgan`` prints the headline, and the WGAN page shows it as
this site builds.
"""
from dataclasses import replace

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from .. import models, optim, targets
from ..metrics import w1
from ..train import PRESETS, train
from . import resolve
from .fixed_g import train_discriminator

PAPER = dict(loss="wgan", optimizer="rmsprop", d_lr=5e-5, g_lr=5e-5, clip=0.01, k=5, lr_final=1.0, ema=0.0)
VARIANTS = {
    "fast": dict(thetas=(0.0, 0.25, 0.5, 1.0, 1.5, 2.0), critic_steps=1000, hidden=25, n_probe=4096, steps=1500,
                 checkpoint_every=250, n_w1=500),
    "full": dict(thetas=(0.0, 0.25, 0.5, 1.0, 1.5, 2.0), critic_steps=5000, hidden=25, n_probe=4096, steps=20000,
                 checkpoint_every=1000, n_w1=1000),
}


def empirical_w1(a, b):
    r"""Exact :math:`W_1` between two equal-size empirical measures: :math:`\min_σ \frac1n\sum_i \|a_i - b_{σ(i)}\|`
    over permutations σ (an optimal plan between uniform measures on n points is a permutation; Birkhoff)."""
    cost = cdist(a, b)
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


def _line(theta):
    return lambda n, rng: np.stack([np.full(n, theta), rng.uniform(0.0, 1.0, n)], axis=1)


def parallel_lines(p, rng):
    """Critic estimates and JS estimates for each θ, from freshly initialised networks of the same seed."""
    real = _line(0.0)
    probe_rng = np.random.default_rng(rng.integers(2**32))
    estimates, js = [], []
    init_seed = int(rng.integers(2**32))
    for theta in p["thetas"]:
        fake = _line(theta)
        xr, xf = real(p["n_probe"], probe_rng), fake(p["n_probe"], probe_rng)
        critic = models.discriminator_1d(n_in=2, hidden=p["hidden"]).initialise(np.random.default_rng(init_seed))
        train_discriminator(critic, real, fake, p["critic_steps"], rng, objective="wgan", clip=PAPER["clip"],
                            opt=optim.RMSProp(critic.n_params, lr=PAPER["d_lr"]))
        estimates.append(float(critic.forward(xr)[0].mean() - critic.forward(xf)[0].mean()))
        D = models.discriminator_1d(n_in=2, hidden=p["hidden"]).initialise(np.random.default_rng(init_seed))
        train_discriminator(D, real, fake, p["critic_steps"], rng)
        # V = E log σ(z_r) + E log(1 − σ(z_f)) = −E ζ(−z_r) − E ζ(z_f);  JS = (V + 2 log 2) / 2
        v = -np.logaddexp(0, -D.forward(xr)[0]).mean() - np.logaddexp(0, D.forward(xf)[0]).mean()
        js.append(float((v + 2 * np.log(2)) / 2))
    return np.array(estimates), np.array(js)


def training_run(target, p, seed, rng):
    cfg = replace(PRESETS["default"], **PAPER, steps=p["steps"], checkpoint_every=p["checkpoint_every"],
                  n_eval=p["n_w1"], seed=seed)
    res = train(target, cfg)
    window = min(100, p["steps"])
    estimate = np.convolve(-res.history["d_loss"], np.ones(window) / window, mode="valid")  # ends at step i+window
    steps = np.array([c["step"] for c in res.checkpoints])
    true = np.array([w1(c["samples"][:, 0], target.sample(p["n_w1"], rng)[:, 0]) if target.dim == 1
                     else empirical_w1(c["samples"], target.sample(p["n_w1"], rng)) for c in res.checkpoints])
    at_checkpoints = estimate[np.maximum(steps - window, 0)]
    return steps, true, at_checkpoints, -res.history["d_loss"]


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    rng = np.random.default_rng(seed)
    thetas = np.asarray(p["thetas"], dtype=float)
    estimates, js = parallel_lines(p, rng)
    order = np.argsort(np.abs(thetas))
    nonzero = np.abs(thetas) > 0
    slope = float(np.abs(thetas) @ estimates / (np.abs(thetas) @ np.abs(thetas)))
    r2 = 1.0 - np.sum((estimates - slope * np.abs(thetas)) ** 2) / np.sum((estimates - estimates.mean()) ** 2)
    data = {"params": p, "variant": variant, "seed": seed,
            "thetas": thetas, "critic_estimate": estimates, "js_estimate": js, "slope": slope,
            "runs": {}}
    headline = {"lines_monotone": bool(np.all(np.diff(estimates[order]) > 0)), "lines_linearity": float(r2),
                "js_min_nonzero": float(js[nonzero].min())}
    for name, target in (("1d", targets.gaussian_1d(2.0, 0.5)), ("2d", targets.get("x2"))):
        steps, true, est, raw = training_run(target, p, seed, rng)
        data["runs"][name] = {"steps": steps, "true_w1": true, "critic_estimate": est, "raw_estimate": raw}
        headline[f"corr_{name}"] = float(np.corrcoef(est, true)[0, 1])
        headline[f"w1_start_{name}"], headline[f"w1_final_{name}"] = float(true[0]), float(true[-1])
    data["headline"] = headline
    return data


def work(p):
    """Steps that :func:`run` takes with parameters ``p`` (its progress bar's total): critic and D steps on the
    parallel lines, then the two WGAN trainings."""
    return 2 * len(p["thetas"]) * p["critic_steps"] + 2 * p["steps"]


def plot(data):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from ..plots import COLORS, WIDTH, experiment_title, finish

    fig, axes = plt.subplot_mosaic([["lines", "lines"], ["1d", "2d"]], figsize=(WIDTH, 5.6), constrained_layout=True)
    th, ax = data["thetas"], axes["lines"]
    ax.plot(th, np.abs(th), color=COLORS["truth"], ls=":", label=r"$W_1 = |\theta|$")
    ax.plot(th, data["critic_estimate"] / data["slope"], "o-", color=COLORS["d_loss"],
            label="critic's estimate ÷ its slope")
    ax.plot(th, data["js_estimate"], "s--", color=COLORS["reference"], label="JS estimate (GAN D)")
    ax.axhline(np.log(2), color=COLORS["reference"], lw=0.8)
    ax.text(th[-1], np.log(2), "log 2 ", ha="right", va="bottom", color=COLORS["reference"])
    ax.set(xlabel=r"$\theta$ (distance of the lines)", ylabel="distance (W₁: length; JS: nats)",
           title="parallel lines")
    ax.set_ylim(top=1.6 * max(np.abs(th).max(), np.log(2)))  # room for the legend above the lines
    ax.legend(frameon=False, loc="upper left")
    for name in ("1d", "2d"):
        run_, ax = data["runs"][name], axes[name]
        ax.plot(run_["steps"] / 1000, run_["true_w1"], "o-", ms=3, color=COLORS["truth"], label=r"true $W_1$")
        twin = ax.twinx()
        twin.plot(run_["steps"] / 1000, run_["critic_estimate"], "s-", ms=3, color=COLORS["d_loss"], label="critic")
        ax.set(xlabel="G steps (thousands)", ylabel=r"true $W_1$", title=f"training, {name[0]}-D target")
        twin.tick_params(axis="y", colors=COLORS["d_loss"])
        twin.set_ylabel("critic's estimate", color=COLORS["d_loss"])  # its own unit: W₁ times the critic's K
    lines = [axes["1d"].get_lines()[0], *axes["1d"].figure.axes[-2].get_lines()]
    fig.legend(lines, [line.get_label() for line in lines], loc="outside lower center", ncols=2, frameon=False)
    finish(fig, experiment_title("WGAN: the critic estimates W₁", data), ticks=3)
    for name in ("1d", "2d"):  # two step labels fit under a narrow panel
        axes[name].xaxis.set_major_locator(MaxNLocator(2))
    return fig
