r"""Experiment 9 — the VAE's KL term and the reparameterisation trick, measured (Kingma & Welling 2014, §2.4, App. B).

Two pieces of mathematics make a VAE trainable, and each is measured here against something independent:

1. **The KL term in closed form**, per latent coordinate (:func:`kl_normal`), against adaptive quadrature of
   :math:`\int p\log(p/q)` by :func:`gancheck.divergences.kl_divergence` for :math:`p = \mathcal N(μ, σ^2)`,
   :math:`q = \mathcal N(0, 1)` at every ``kl_mus`` × ``kl_sigmas``.
2. **Two unbiased gradient estimators** of :math:`\partial_μ \mathbb E_{z \sim \mathcal N(μ, σ^2)}[z^3]`, whose exact
   value is :math:`3μ^2 + 3σ^2` (:func:`gradient_estimators`): the reparameterised (pathwise) one differentiates
   :math:`f(μ + σε)`; the score-function one multiplies :math:`f(z)` by :math:`\partial_μ \log p(z) = (z - μ)/σ^2`.
   Both are run on the same ``samples`` draws of :math:`ε` at ``mu``, ``sigma``.

Parameters (``fast`` / ``full``): ``samples`` 2¹⁶ / 2²², ``mu`` 0.5, ``sigma`` 1.2, ``kl_mus`` (0, 1, 2),
``kl_sigmas`` (0.3, 0.7, 1, 1.5, 2.5).

Headline: ``kl_max_error`` (largest |closed form − quadrature|), per estimator its final estimate, its distance from
the exact gradient in standard errors (``z_*``) and its standard deviation per sample (``sd_*``), and
``spread_ratio`` = score-function sd / reparameterised sd. Expected: both estimates within a few standard errors of
the exact value (both are unbiased) and a spread ratio above 1 (the pathwise estimator uses f's derivative, the score
function only f's values). The values are computed, not quoted: ``gancheck experiment vae`` prints the headline, and
the VAE page shows it as this site builds.
"""
import numpy as np
from scipy import stats

from .. import divergences, progress
from . import resolve

VARIANTS = {
    "fast": dict(samples=2**16, mu=0.5, sigma=1.2, kl_mus=(0.0, 1.0, 2.0), kl_sigmas=(0.3, 0.7, 1.0, 1.5, 2.5)),
    "full": dict(samples=2**22, mu=0.5, sigma=1.2, kl_mus=(0.0, 1.0, 2.0), kl_sigmas=(0.3, 0.7, 1.0, 1.5, 2.5)),
}
ESTIMATORS = ("reparameterised", "score function")


def kl_normal(mu, sigma):
    r"""The VAE's KL term for one latent coordinate (Kingma & Welling 2014, Appendix B):

    .. math:: \mathrm{KL}\big(\mathcal N(μ, σ^2)\,\|\,\mathcal N(0, 1)\big) = \tfrac12\big(μ^2 + σ^2 - 1 - \log σ^2\big)
    """
    return 0.5 * (mu**2 + sigma**2 - 1.0 - np.log(sigma**2))


def gradient_estimators(mu, sigma, eps):
    r"""Per-sample estimates of :math:`\partial_μ \mathbb E[f(z)]` for :math:`f(z) = z^3`, :math:`z = μ + σε`
    (Kingma & Welling 2014, §2.4; Williams 1992 for the score function):

    .. math:: \underbrace{\partial_μ f(μ + σε) = 3z^2}_{\text{reparameterised}}, \qquad
              \underbrace{f(z)\,\partial_μ \log p(z) = z^3\,\frac{z - μ}{σ^2}}_{\text{score function}}

    Their means over :math:`ε \sim \mathcal N(0, 1)` are both :math:`3μ^2 + 3σ^2`."""
    z = mu + sigma * eps
    return {"reparameterised": 3.0 * z**2, "score function": z**3 * (z - mu) / sigma**2}


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    mus, sigmas = np.asarray(p["kl_mus"], float), np.asarray(p["kl_sigmas"], float)
    quad = np.empty((mus.size, sigmas.size))
    for i, m in enumerate(mus):
        for j, s in enumerate(sigmas):
            quad[i, j] = divergences.kl_divergence(stats.norm(m, s).pdf, stats.norm(0, 1).pdf, support=(-30, 30))
            progress.advance(1)
    closed = kl_normal(mus[:, None], sigmas[None, :])
    eps = np.random.default_rng(seed).standard_normal(p["samples"])
    exact = 3 * p["mu"] ** 2 + 3 * p["sigma"] ** 2
    per_sample = gradient_estimators(p["mu"], p["sigma"], eps)
    n = np.arange(1, eps.size + 1)
    running, headline = {}, {"kl_max_error": float(np.max(np.abs(closed - quad))), "exact_gradient": exact}
    for name, g in per_sample.items():
        running[name] = np.cumsum(g) / n
        sd = float(g.std(ddof=1))
        key = name.split()[0]
        headline.update({f"estimate_{key}": float(running[name][-1]), f"sd_{key}": sd,
                         f"z_{key}": float((running[name][-1] - exact) / (sd / np.sqrt(eps.size)))})
    headline["spread_ratio"] = headline["sd_score"] / headline["sd_reparameterised"]
    progress.advance(1)
    shown = np.unique(np.geomspace(16, eps.size, 40).astype(int))  # the running means at a few sample sizes
    return {"params": p, "variant": variant, "seed": seed, "kl_quadrature": quad, "kl_closed": closed,
            "samples_shown": shown, "running": {k: v[shown - 1] for k, v in running.items()},
            "sd": {k: headline[f"sd_{k.split()[0]}"] for k in per_sample}, "headline": headline}


def work(p):
    """Quadratures and the Monte Carlo run that :func:`run` does with parameters ``p`` (its progress bar's total)."""
    return len(p["kl_mus"]) * len(p["kl_sigmas"]) + 1


def plot(data):
    from ..plots import COLORS, SERIES, experiment_title, finish, panels

    p = data["params"]
    fig, (ax_kl, ax_g) = panels(2, ncols=1, height=2.7)
    grid = np.linspace(0.2, 3.0, 200)
    for m, quad, color in zip(p["kl_mus"], data["kl_quadrature"], SERIES):
        ax_kl.plot(grid, kl_normal(m, grid), color=color, label=f"μ = {m:g}")
        ax_kl.plot(p["kl_sigmas"], quad, "o", ms=5, mfc="none", color=COLORS["truth"],
                   label="quadrature" if m == p["kl_mus"][0] else None)
    ax_kl.set(xlabel="σ of the code's Gaussian", ylabel="KL (nats)", ylim=(0, 4),
              title="closed form (lines) against quadrature")
    ax_kl.legend(frameon=False, ncols=2, loc="upper center")
    L, exact = data["samples_shown"], data["headline"]["exact_gradient"]
    for (name, est), color in zip(data["running"].items(), (COLORS["d_loss"], COLORS["g_loss"])):
        band = 2 * data["sd"][name] / np.sqrt(L)
        ax_g.fill_between(L, exact - band, exact + band, color=color, alpha=0.15, lw=0)
        ax_g.plot(L, est, color=color, label=name)
    ax_g.axhline(exact, color=COLORS["truth"], lw=0.8, ls="--", label="exact 3μ² + 3σ²")
    ax_g.set(xscale="log", xlabel="samples L", ylabel="∂E[z³]/∂μ estimate",
             title=f"running means, μ = {p['mu']:g}, σ = {p['sigma']:g}; bands ±2 s.e.")
    ax_g.set_ylim(exact - 6, exact + 6)
    ax_g.legend(frameon=False, loc="lower right", ncols=1)
    return finish(fig, experiment_title("VAE: the KL term and two gradient estimators", data))
