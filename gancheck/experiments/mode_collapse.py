r"""Experiment 4 — mode collapse on the 8-Gaussians ring (lecture, "Mode Collapse Example"; Metz et al. 2017, Fig. 1;
measures of Srivastava et al. 2017, §5.1).

The target is :func:`gancheck.targets.ring`: 8 Gaussians of std 0.02 on a circle of radius 2. A generated point is
*high quality* if it lies within 3 std of its nearest mode; a mode is *covered* if it receives at least a quarter of its
fair share of high-quality points (:func:`gancheck.metrics.ring_quality`). The tutorial's one-hidden-layer networks do
not reach the modes at all, so both networks here have two ReLU hidden layers of ``hidden`` units (Metz et al. use
128): ``latent_dim`` → h → h → 2 and 2 → h → h → 1 logit. Snapshots of the raw generator (constant learning rate, no
EMA) are taken every ``checkpoint_every`` steps — the lecture's slides show steps 0, 5k, …, 25k.

Configurations: *standard* (non-saturating loss, Adam, k = 1) and the remedies in ``remedies``: *k5* (five D steps per
G step), *wgan* (Arjovsky et al. 2017's clipping, RMSProp 5e-5, n_critic = 5), *noise* (instance noise σ₀ = 0.3
decaying to 0).

Parameters (``fast`` / ``full``): ``hidden`` 32 / 128, ``steps`` 3000 / 25000, ``checkpoint_every`` 500 / 5000,
``remedies`` ("k5",) / ("k5", "wgan", "noise"), ``n_eval`` 500 / 2000.

Headline: per configuration the final ``modes_*`` and ``quality_*`` and the best ``max_modes_*`` over the snapshots;
``modes_real``, ``quality_real`` of a target sample of the same size (8 and ≈ 0.99: the measures' reference).
Expected: the standard GAN covers only some of the eight modes at any snapshot; five D steps per G step do not cure it
at the fast size. The values are computed, not quoted: ``gancheck experiment mode-collapse`` prints the headline, and
the failure-modes page shows it as this site builds.
"""
from dataclasses import replace

import numpy as np

from .. import GancheckError, targets
from ..metrics import ring_quality
from ..nn import MLP, Dense, Linear, ReLU
from ..train import PRESETS, train
from . import resolve

REMEDIES = {
    "standard": {},
    "k5": dict(k=5),
    "wgan": dict(loss="wgan", optimizer="rmsprop", d_lr=5e-5, g_lr=5e-5, clip=0.01, k=5),
    "noise": dict(instance_noise=0.3),
}
VARIANTS = {
    "fast": dict(hidden=32, latent_dim=5, steps=3000, checkpoint_every=500, remedies=("k5",), n_eval=500),
    "full": dict(hidden=128, latent_dim=5, steps=25000, checkpoint_every=5000, remedies=("k5", "wgan", "noise"),
                 n_eval=2000),
}


def two_layer(n_in, hidden, n_out, name):
    """``n_in → hidden → hidden → n_out``, ReLU (He-uniform) hidden layers, linear output."""
    return MLP([Dense(n_in, hidden, init="he_uniform"), ReLU(), Dense(hidden, hidden, init="he_uniform"), ReLU(),
                Dense(hidden, n_out), Linear()], name=name)


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    unknown = set(p["remedies"]) - set(REMEDIES)
    if unknown:
        raise GancheckError(f"unknown remedy {sorted(unknown)[0]!r}; choose from {', '.join(REMEDIES)}")
    target = targets.ring()
    real = target.sample(p["n_eval"], np.random.default_rng([seed, 1]))
    modes_real, quality_real = ring_quality(real, target.modes, target.mode_std)
    runs, headline = {}, {"modes_real": modes_real, "quality_real": quality_real}
    for name in ("standard", *p["remedies"]):
        cfg = replace(PRESETS["default"], lr_final=1.0, ema=0.0, steps=p["steps"], seed=seed,
                      latent_dim=p["latent_dim"], checkpoint_every=p["checkpoint_every"], n_eval=p["n_eval"],
                      **REMEDIES[name])
        res = train(target, cfg, G=two_layer(p["latent_dim"], p["hidden"], 2, "generator"),
                    D=two_layer(2, p["hidden"], 1, "discriminator"))
        modes = np.array([c["metrics"]["modes_covered"] for c in res.checkpoints])
        quality = np.array([c["metrics"]["high_quality"] for c in res.checkpoints])
        runs[name] = {"steps": np.array([c["step"] for c in res.checkpoints]), "modes": modes, "quality": quality,
                      "samples": [c["samples"][:500] for c in res.checkpoints]}
        headline.update({f"modes_{name}": int(modes[-1]), f"quality_{name}": float(quality[-1]),
                         f"max_modes_{name}": int(modes.max())})
    return {"params": p, "variant": variant, "seed": seed, "modes": target.modes, "real": real[:500], "runs": runs,
            "headline": headline}


def work(p):
    """Training steps that :func:`run` takes with parameters ``p`` (its progress bar's total)."""
    return (1 + len(p["remedies"])) * p["steps"]


LABELS = {"standard": "standard", "k5": "k = 5 D steps", "wgan": "WGAN", "noise": "instance noise"}


def plot(data):
    from ..plots import COLORS, experiment_title, finish, panels

    runs = data["runs"]
    n_snap = max(len(r["steps"]) for r in runs.values())
    shown = sorted(set(np.linspace(0, n_snap - 1, 3).round().astype(int)))  # first, middle and last snapshot
    fig, axes = panels(len(runs) * len(shown), ncols=len(shown), height=1.75, sharex=True, sharey=True)
    K = len(data["modes"])
    for row, (name, r) in enumerate(runs.items()):
        for col, i in enumerate(shown):
            ax, x = axes[row * len(shown) + col], np.asarray(r["samples"][i])
            ax.scatter(*np.asarray(data["modes"]).T, s=30, color=COLORS["truth"], marker="x", label="the 8 modes")
            # the points over the crosses: a generator collapsed onto one mode must not hide behind it
            ax.scatter(x[:, 0], x[:, 1], s=3, color=COLORS["generated"], alpha=0.5, lw=0, label="generated")
            ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal",
                   title=f"step {r['steps'][i]:,}\n{r['modes'][i]}/{K} modes, {r['quality'][i]:.0%}")
            ax.set_xticks([-2, 0, 2])
            ax.set_yticks([-2, 0, 2])
            if col == 0:
                ax.set_ylabel(f"{LABELS.get(name, name)}\nx₂")
            if row == len(runs) - 1:
                ax.set_xlabel("x₁")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False, markerscale=2,
               title="titles: modes covered; % of points within 3 std of a mode")
    return finish(fig, experiment_title("Mode collapse on 8 Gaussians", data))
