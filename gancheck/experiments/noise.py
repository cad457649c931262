r"""Experiment 5 — instance noise and label noise (lecture, "one simple solution: add noise"; Sønderby et al. 2017;
label noise 0.15 as in the FashionGAN notebook).

Both make the discriminator's task imperfect on purpose, so that :math:`p_\text{data}` and :math:`p_G` overlap and D
cannot saturate:

* **instance noise**: D sees :math:`x + ε`, :math:`ε \sim \mathcal N(0, σ_t^2 I)`, with :math:`σ_t` decaying linearly
  from ``instance_noise`` to 0 over the run (the lecture: "noises need to decay over time");
* **label noise**: D's targets are :math:`1 - aU` for real and :math:`aU` for generated rows, :math:`U\sim\mathcal U(0,1)`,
  ``label_noise`` :math:`a` = 0.15. D's pointwise optimum moves from :math:`D^*` to
  :math:`(1-\tfrac a2)D^* + \tfrac a2(1-D^*)`, inside :math:`[\tfrac a2, 1-\tfrac a2]`: D's confidence is capped.

Noise is a remedy for supports that barely overlap, so we start there: the target is :math:`\mathcal N(μ, σ^2)` with
``mu`` = 3, ``sigma`` = 0.25, far from where the tutorial's freshly initialised 1-D generator puts its points (around 0),
and G uses the saturating minimax loss, the loss that suffers most from a confident D. For each of *none*,
*instance*, *label* and *both* we train ``seeds`` seeds (``default`` preset otherwise) and report the final
:math:`W_1` to the target, and D's *peak* confidence: the largest 50-step moving average of mean :math:`D(x)` on real
rows (``d_real``) and of :math:`1 - D(G(z))` on generated rows (``d_fake_rejection``).

Parameters (``fast`` / ``full``): ``seeds`` 2 / 8, ``steps`` 2000 / 10000, ``instance_noise`` 1.0 (σ at step 0, of the
order of the gap between the supports), ``label_noise`` 0.15.

Headline: per configuration the mean over seeds of ``w1`` and ``d_real``. Expected and tested: with label noise the
peak of D on real rows stays below :math:`1 - a/2 = 0.925` (the cap of its optimum). The values are computed, not
quoted: ``gancheck experiment noise`` prints the headline, and the failure-modes page shows it as this site builds.
"""
from dataclasses import replace

import numpy as np

from .. import targets
from ..train import PRESETS, train
from . import resolve

CONFIGS = ("none", "instance", "label", "both")
METRICS = ("w1", "d_real", "d_fake_rejection")
VARIANTS = {
    "fast": dict(seeds=2, steps=2000, mu=3.0, sigma=0.25, instance_noise=1.0, label_noise=0.15, n_eval=500),
    "full": dict(seeds=8, steps=10000, mu=3.0, sigma=0.25, instance_noise=1.0, label_noise=0.15, n_eval=2000),
}


def _peak(y, window=50):
    """Largest ``window``-step moving average: D's peak confidence, without single-batch spikes."""
    window = min(window, len(y))
    return float(np.max(np.convolve(y, np.ones(window) / window, mode="valid")))


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    target = targets.gaussian_1d(p["mu"], p["sigma"])
    noise = {"none": (0.0, 0.0), "instance": (p["instance_noise"], 0.0), "label": (0.0, p["label_noise"]),
             "both": (p["instance_noise"], p["label_noise"])}
    values = np.empty((len(CONFIGS), p["seeds"], len(METRICS)))
    samples = {}
    for i, name in enumerate(CONFIGS):
        for j in range(p["seeds"]):
            cfg = replace(PRESETS["default"], steps=p["steps"], seed=seed + j, checkpoint_every=p["steps"], loss="minimax",
                          n_eval=p["n_eval"], instance_noise=noise[name][0], label_noise=noise[name][1])
            res = train(target, cfg)
            m = res.checkpoints[-1]["metrics"]
            values[i, j] = [m["w1"], _peak(res.history["d_real"]), _peak(1.0 - res.history["d_fake"])]
            if j == 0:
                samples[name] = res.checkpoints[-1]["samples"][:500]
    mean = values.mean(axis=1)
    return {
        "params": p, "variant": variant, "seed": seed,
        "configs": list(CONFIGS), "metrics": list(METRICS), "values": values, "samples": samples,
        "real": target.sample(500, np.random.default_rng(seed)),
        "headline": {f"{k}_{c}": float(mean[i, METRICS.index(k)]) for i, c in enumerate(CONFIGS)
                     for k in ("w1", "d_real")},
    }


def work(p):
    """Training steps that :func:`run` takes with parameters ``p`` (its progress bar's total)."""
    return len(CONFIGS) * p["seeds"] * p["steps"]


def plot(data):
    import matplotlib.pyplot as plt

    from ..plots import COLORS, WIDTH, experiment_title, finish

    configs, values = data["configs"], np.asarray(data["values"])
    fig, axes = plt.subplot_mosaic([configs[:2], configs[2:], ["peak", "peak"]], figsize=(WIDTH, 6.4),
                                   constrained_layout=True, sharex=False)
    for name, w in zip(configs, values[:, :, 0].mean(axis=1)):
        ax = axes[name]
        ax.hist(data["real"][:, 0], bins=30, density=True, color=COLORS["real"], alpha=0.6, label="real")
        ax.hist(data["samples"][name][:, 0], bins=30, density=True, histtype="step", lw=1.5,
                color=COLORS["generated"], label="generated")
        ax.set(title=f"{name}: $W_1$ = {w:.2f}", xlabel="x" if name in configs[2:] else "",
               ylabel="density" if name in configs[::2] else "")
    axes[configs[0]].legend(frameon=False, loc="upper left")
    peak = axes["peak"]
    peak.barh(range(len(configs)), values[:, :, 1].mean(axis=1), color=COLORS["d_loss"], height=0.6)
    peak.axvline(1 - data["params"]["label_noise"] / 2, color=COLORS["reference"], ls="--", lw=1,
                 label="cap 1 − a/2 under label noise")
    peak.set_yticks(range(len(configs)), configs)
    peak.set(xlim=(0.5, 1), ylim=(len(configs) - 0.5, -1.5), xlabel="peak mean D(x) on real rows (probability)", ylabel="noise",
             title="D's confidence")  # the empty row at the top holds the legend
    peak.legend(frameon=False, loc="upper left")
    return finish(fig, experiment_title("Instance and label noise", data))
