r"""Experiment 2 — the saturating (minimax) against the non-saturating generator loss on the course's x² problem.

Goodfellow et al. (2014, §3) replace G's minimax loss by :math:`-\log D(G(z))` because, on the logit :math:`z` of
:math:`D(G(z)) = σ(z)`,

.. math:: \frac{\partial}{\partial z}\log(1-σ(z)) = -σ(z), \qquad \frac{\partial}{\partial z}\big(-\log σ(z)\big)
          = -(1-σ(z)) :

early in training D rejects the generated points (:math:`σ(z) \ll \tfrac12`) and the minimax gradient is the smaller by
the factor :math:`σ/(1-σ)` (lecture, "saturation"). We measure both consequences with the tutorial's networks and
gancheck's ``default`` preset (Adam, learning rates decayed to 10 %, EMA of G):

* **gradient norms early on**: for each loss and seed, G and D after ``early_steps`` steps (runs with a constant
  learning rate, so each snapshot is a prefix of one trajectory) and :math:`\|\nabla_{θ_G} L_G\|` of the loss being
  trained, with the mean :math:`D(G(z))`, on ``n_probe`` fixed latent points;
* **success rate** over ``seeds`` trainings of ``steps`` steps: success means curve error
  :math:`\frac1n\sum|x_2 - x_1^2|` below ``max_curve_error`` = 0.05 *and* domain coverage at least ``min_coverage`` = 0.8
  (a collapsed generator can lie on the curve).

Parameters (``fast`` / ``full``): ``seeds`` 3 / 10, ``steps`` 4000 / 10000, ``early_steps`` (10, 25, 50, 100, 200)
/ (10, 25, 50, 100, 200, 400).

Headline: ``success_minimax``, ``success_nonsaturating`` (fractions of seeds) and ``early_grad_ratio``, the geometric
mean over seeds and snapshot steps of :math:`\|\nabla L_G^\text{minimax}\| / \|\nabla L_G^\text{non-sat}\|`. Expected:
the ratio is below 1 (D quickly pushes :math:`D(G(z))` under ½). With Adam, which divides each update by a running RMS
of the gradient, a smaller gradient costs far less than with plain SGD, so the outcome differs less than the
gradients. The values are computed, not quoted: ``gancheck experiment saturation`` prints the headline, and the
training page shows it as this site builds.
"""
from dataclasses import replace

import numpy as np

from .. import targets
from ..metrics import d_mean
from ..train import PRESETS, train
from . import resolve
from .fixed_g import generator_grad_norm

LOSSES = ("minimax", "nonsaturating")
VARIANTS = {
    "fast": dict(seeds=3, steps=4000, early_steps=(10, 25, 50, 100, 200), n_probe=512, max_curve_error=0.05,
                 min_coverage=0.8, n_eval=500),
    "full": dict(seeds=10, steps=10000, early_steps=(10, 25, 50, 100, 200, 400), n_probe=512, max_curve_error=0.05,
                 min_coverage=0.8, n_eval=2000),
}


def _early(target, cfg, steps, z):
    """``(‖∇L_G‖, mean D(G(z)))`` after each of ``steps`` steps of one constant-learning-rate trajectory."""
    out = []
    for s in steps:
        res = train(target, replace(cfg, steps=s))
        out.append((generator_grad_norm(res.G, res.D, z, cfg.loss), d_mean(res.D, res.G.forward(z)[0])))
    return out


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    target = targets.get("x2")
    z = np.random.default_rng([seed, 1]).standard_normal((p["n_probe"], PRESETS["default"].latent_dim))
    seeds = [seed + i for i in range(p["seeds"])]
    grad_norm, d_fake = np.empty((2, len(LOSSES), len(seeds), len(p["early_steps"])))
    curve_error, coverage = np.empty((2, len(LOSSES), len(seeds)))
    for i, loss in enumerate(LOSSES):
        for j, s in enumerate(seeds):
            base = replace(PRESETS["default"], loss=loss, seed=s, n_eval=p["n_eval"])
            # constant learning rate and no EMA for the snapshots: a prefix of one and the same trajectory each time
            probe = _early(target, replace(base, lr_final=1.0, ema=0.0, checkpoint_every=10**9, n_eval=10),
                           p["early_steps"], z)
            grad_norm[i, j], d_fake[i, j] = zip(*probe)
            res = train(target, replace(base, steps=p["steps"], checkpoint_every=p["steps"]))
            m = res.checkpoints[-1]["metrics"]
            curve_error[i, j], coverage[i, j] = m["curve_error"], m["domain_coverage"]
    success = (curve_error < p["max_curve_error"]) & (coverage >= p["min_coverage"])
    ratio = np.exp(np.mean(np.log(grad_norm[0] / grad_norm[1])))
    return {
        "params": p, "variant": variant, "seed": seed,
        "losses": list(LOSSES), "seeds": seeds, "early_steps": np.asarray(p["early_steps"]),
        "grad_norm": grad_norm, "d_fake": d_fake, "curve_error": curve_error, "coverage": coverage,
        "success": success,
        "headline": {"success_minimax": float(success[0].mean()), "success_nonsaturating": float(success[1].mean()),
                     "early_grad_ratio": float(ratio)},
    }


def work(p):
    """Training steps that :func:`run` takes with parameters ``p`` (its progress bar's total)."""
    return len(LOSSES) * p["seeds"] * (sum(p["early_steps"]) + p["steps"])


def plot(data):
    from ..plots import COLORS, experiment_title, finish, panels

    fig, (ax_g, ax_e) = panels(2, ncols=1, height=2.3)
    steps, losses = data["early_steps"], data["losses"]
    names = {"minimax": "minimax", "nonsaturating": "non-saturating"}
    n = len(data["seeds"])
    for i, loss in enumerate(losses):
        for j in range(n):
            ax_g.semilogy(steps, data["grad_norm"][i, j], color=COLORS[loss], alpha=0.7, marker="o", ms=3,
                          label=names[loss] if j == 0 else None)
        ax_e.scatter(data["curve_error"][i], np.full(n, i), color=COLORS[loss], zorder=3)
    seeds = f"{n} seed" + "s" * (n != 1)
    ax_g.set(xlabel="step", ylabel=r"$\|\nabla_{\theta_G} L_G\|$", title=f"G's gradient early on, {seeds}")
    ax_g.legend(frameon=False, loc="best")
    ax_e.axvline(data["params"]["max_curve_error"], color=COLORS["reference"], ls="--", lw=1, label="success below")
    ax_e.set_yticks(range(len(losses)), [f"{names[l]}\n{s:.0%} succeed" for l, s in
                                         zip(losses, data["success"].mean(axis=1))])
    errors = np.append(np.ravel(data["curve_error"]), data["params"]["max_curve_error"])
    ax_e.set(ylim=(-0.6, len(losses) + 0.4), xscale="log", xlim=(errors.min() / 1.5, errors.max() * 1.5),
             xlabel="final curve error (units of x₂)", ylabel="G loss",
             title=f"after {data['params']['steps']:,} steps")  # the empty top row holds the legend
    ax_e.legend(frameon=False, loc="upper right")
    return finish(fig, experiment_title("Minimax against non-saturating G loss", data))
