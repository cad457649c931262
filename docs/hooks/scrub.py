"""Scrubbable training: a run of gancheck's GAN at chosen steps — generated against real points, the discriminator's
decision surface D(x) on a grid, the losses up to that step — for the slider of ``docs/javascripts/scrub.js``.

Every snapshot is computed by the package while the site builds. :func:`gancheck.train.train` returns the networks
only at the end of a run, so the snapshot at step ``s`` is a run of ``s`` steps from the same seed: with a constant
learning rate (both runs here) the first ``s`` steps of a longer run are the same computation, random numbers
included, and :func:`frames` checks it — each run's per-step losses must equal the start of the next, longer run's,
bit for bit, or the build fails. (With snapshots of G and D in ``TrainResult.checkpoints`` one run would do.)
"""
import base64
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.special import expit

import pagekit

RUNS = {
    # The Training page's x² run: the default preset, 10 000 steps; dense early, where the points move most.
    "x2": dict(steps=(1, 50, 100, 200, 400, 700, 1000, 1500, 2000, 3000, 5000, 10000),
               title="the x² GAN (Training page's run: default preset, seed 0)"),
    # The Failure-modes page's standard GAN on the 8-Gaussians ring (mode-collapse experiment, fast variant).
    "ring": dict(steps=(1, 100, 250, 500, 1000, 1500, 2000, 2500, 3000),
                 title="the standard GAN on the 8-Gaussians ring (mode-collapse experiment, fast variant, seed 0)"),
}
GRID = 48          # D(x) is evaluated on a GRID × GRID lattice over the view
POINTS = 400       # generated and real points drawn per snapshot
LOSS_POINTS = 400  # loss curves are averaged over windows to at most this many points


def _setup(name):
    """``(target, config, make_nets, view)`` of the run called ``name``, exactly as its page trains it."""
    from gancheck import targets, train

    if name == "x2":  # train() builds the course's networks itself
        return targets.get("x2"), train.PRESETS["default"], lambda: (None, None), ((-0.8, 0.8), (-0.35, 0.65))
    from gancheck.experiments import mode_collapse as mc

    p = mc.VARIANTS["fast"]
    cfg = replace(train.PRESETS["default"], lr_final=1.0, ema=0.0, seed=0, latent_dim=p["latent_dim"],
                  **mc.REMEDIES["standard"])
    return (targets.ring(), cfg,
            lambda: (mc.two_layer(p["latent_dim"], p["hidden"], 2, "generator"),
                     mc.two_layer(2, p["hidden"], 1, "discriminator")),
            ((-3.0, 3.0), (-3.0, 3.0)))


def frames(name):
    """The snapshots of the run called ``name``: a JSON-ready dict (see ``scrub.js`` for its layout)."""
    from gancheck import train

    target, cfg, make_nets, view = _setup(name)
    steps = RUNS[name]["steps"]
    pagekit.require(cfg.lr_final == 1.0 and not cfg.instance_noise,
                    f"scrubber {name}: a decaying learning rate or noise makes a shorter run differ from a longer one")
    (x0, x1), (y0, y1) = view
    gx, gy = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y1, y0, GRID))  # row 0 is the top of the picture
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    rng = np.random.default_rng(7)
    real = target.sample(POINTS, rng)
    latents = train.LATENTS[cfg.latent](rng, (POINTS, cfg.latent_dim))
    shots, previous = [], None
    for s in steps:
        G, D = make_nets()
        result = train.train(target, replace(cfg, steps=s, checkpoint_every=s, n_eval=100), G=G, D=D)
        G, D = result.G, result.D
        if previous is not None:
            for key, values in previous.history.items():
                pagekit.require(np.array_equal(values, result.history[key][:len(values)]),
                                f"scrubber {name}: the first {len(values)} steps of the {s}-step run differ from "
                                f"the {len(values)}-step run ({key}): train() is not a prefix-stable computation")
        previous = result
        fake = G.forward(latents)[0]  # the generator as trained: the points D is learning to reject
        surface = expit(D.forward(grid)[0][:, 0])
        shots.append({"step": s, "fake": np.round(fake, 3).tolist(),
                      "d": base64.b64encode(np.round(255 * surface).astype(np.uint8).tobytes()).decode("ascii")})
    history = previous.history
    window = -(-len(history["d_loss"]) // LOSS_POINTS)  # ceiling: at most LOSS_POINTS windows
    n = len(history["d_loss"]) // window

    def averaged(key):
        return np.round(history[key][:n * window].reshape(n, window).mean(axis=1), 4).tolist()

    if target.curve is not None:
        u = np.linspace(*target.domain, 60)
        extra = {"curve": np.round(np.column_stack([u, target.curve(u)]), 4).tolist()}
    else:
        extra = {"modes": np.round(target.modes, 4).tolist()}
    return {"name": name, "title": RUNS[name]["title"], "view": view, "grid": GRID, "real": np.round(real, 3).tolist(),
            "frames": shots, "loss_step": [(i + 1) * window for i in range(n)],
            "losses": {"d_loss": averaged("d_loss"), "g_loss": averaged("g_loss")}, "history": history, **extra}


def colors():
    """The site's one palette, :data:`gancheck.plots.COLORS` (what the scrubber draws: real and generated points, the
    true curve, both losses), so that the slider's colours are the figures' colours."""
    from gancheck import plots

    return {k: plots.COLORS[k] for k in ("real", "generated", "d_loss", "g_loss", "truth")}


def widget(name, page_result=None):
    """The scrubber of the run called ``name`` as page HTML, its data written next to the figures (see
    :func:`pagekit.figure`). ``page_result``: the page's own run (a ``TrainResult``), which the snapshots must
    reproduce exactly — the slider shows the very run the page measures."""
    data = pagekit.collect(frames, name)
    history = data.pop("history")
    if page_result is not None:
        for key, values in history.items():
            pagekit.require(np.array_equal(values, page_result.history[key]),
                            f"scrubber {name}: its {len(values)}-step run is not the page's run ({key} differs)")
    data["colors"] = c = colors()
    stem = f"scrub-{name}"
    url = f"{pagekit.SITE_URL}{pagekit.FIGURES}/{stem}.json"
    if pagekit.OUTPUT is not None:
        folder = Path(pagekit.OUTPUT) / pagekit.FIGURES
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{stem}.json").write_text(json.dumps(data, separators=(",", ":")))
    last = data["frames"][-1]["step"]
    label = f"Training {data['title']}, step by step"
    return (f'<figure class="gc-scrub" data-src="{url}" aria-label="{label}">\n'
            f'<div class="gc-scrub__plots"><canvas class="gc-scrub__field" role="img" '
            f'aria-label="generated and real points over the discriminator\'s output"></canvas>'
            f'<canvas class="gc-scrub__losses" role="img" aria-label="losses up to the step shown"></canvas></div>\n'
            f'<div class="gc-scrub__controls"><button type="button" class="md-button gc-scrub__play" '
            f'aria-label="play">▶</button><input type="range" min="0" max="{len(data["frames"]) - 1}" '
            f'value="{len(data["frames"]) - 1}" aria-label="training step">'
            f'<output class="gc-scrub__step">step {last}</output></div>\n'
            f'<div class="gc-scrub__legend"><span class="gc-key gc-key--dot" style="--key: {c["real"]}">real</span>'
            f'<span class="gc-key gc-key--dot" style="--key: {c["generated"]}">generated</span>'
            f'<span class="gc-key">D(x): <span class="gc-ramp" style="--from: {c["generated"]}; --to: {c["real"]}">'
            f'</span> 0 (generated) … 1 (real)</span>'
            f'<span class="gc-key gc-key--line" style="--key: {c["d_loss"]}">D loss</span>'
            f'<span class="gc-key gc-key--line" style="--key: {c["g_loss"]}">G loss</span></div>\n'
            f'<figcaption>{label}: drag the slider (or press ▶) to move through {len(data["frames"])} snapshots. '
            f"Left: the generator's points against real ones over the discriminator's output D(x), shaded "
            f"from the colour of generated points (D says generated) to that of real ones (D says real). Right: both "
            f"losses, averaged "
            f"over windows of {data['loss_step'][0]} steps, up to the step shown."
            f'<span class="gc-reproduce">download <a href="{url}" download>JSON</a></span></figcaption>\n'
            f"</figure>\n")
