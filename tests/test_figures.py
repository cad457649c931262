"""Every figure ``gancheck train`` and ``gancheck experiment`` draw follows gancheck.plots' rules: readable on a phone,
at most three panels a row, titled, axes labelled, a legend for what the marks mean, one colour per meaning — and each
experiment's progress total is the work it really does. Small parameters: the figures' layout, not the science."""
from dataclasses import replace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import same_color

from gancheck import plots, targets
from gancheck.experiments import EXPERIMENTS, load, resolve
from gancheck.progress import Progress
from gancheck.train import PRESETS, train

pytestmark = pytest.mark.xdist_group("figures")  # one worker computes the module-scoped fixture once

SMALL = {
    "d-star": dict(steps=300, every=100),
    "saturation": dict(seeds=2, steps=150, early_steps=(10, 20), n_eval=100),
    "vanishing": dict(steps=200, every=50),
    "mode-collapse": dict(steps=300, checkpoint_every=100, n_eval=200),
    "noise": dict(seeds=1, steps=150, n_eval=100),
    "wgan": dict(critic_steps=40, steps=150, checkpoint_every=50, n_w1=60),
    "f-divergence": dict(n_grid=201),
    "digits": dict(steps=100, n_test=60, n_eval=60),
    "vae": dict(samples=4096),
    "dcgan": dict(steps=40, mlp_steps=40, filters=4, d_filters=(4, 6), snapshots=2, n_test=60, n_eval=60),
}
# labels whose colour is fixed across the site
FIXED = {"D's loss": "d_loss", "G's loss": "g_loss", "real": "real", "generated": "generated",
         "minimax": "minimax", "non-saturating": "nonsaturating"}


@pytest.fixture(scope="module")
def drawn():
    """name → (figure, progress counted, declared work) for every experiment and both training figures."""
    out = {}
    for name in EXPERIMENTS:
        module = load(name)
        work = module.work(resolve(module.VARIANTS, "fast", SMALL[name]))
        with Progress(work, quiet=True) as bar:
            data = module.run("fast", seed=1, **SMALL[name])
        out[name] = (module.plot(data), bar.done, work)
    for target in ("x2", "gaussian"):
        result = train(targets.get(target), replace(PRESETS["default"], steps=400, checkpoint_every=100, n_eval=300))
        out[f"train curves {target}"] = (plots.training_curves(result.history, "Training"), None, None)
        out[f"train scatter {target}"] = (plots.checkpoints_grid(result, targets.get(target), np.random.default_rng(0),
                                                                 title="Real and generated"), None, None)
    yield out
    plt.close("all")


FIGURES = [*EXPERIMENTS, "train curves x2", "train scatter x2", "train curves gaussian", "train scatter gaussian"]


def _panels(fig):
    """The figure's panels (twin axes, which share a panel's place, left out)."""
    seen, panels = set(), []
    for ax in fig.axes:
        box = tuple(np.round(ax.get_position().bounds, 3))
        if box not in seen:
            seen.add(box)
            panels.append(ax)
    return panels


@pytest.mark.parametrize("name", FIGURES)
def test_figure_follows_the_rules(drawn, name):
    fig = drawn[name][0]
    # readable at display size: at most WIDTH inches, text ≥ 10 px on a phone, ≤ 3 panels a row
    assert fig.get_figwidth() <= plots.WIDTH + 1e-9
    assert plots.smallest_text_px(fig) >= 10
    columns, rows = {}, {}
    for ax in _panels(fig):
        box = ax.get_position()
        rows.setdefault(round(box.y0, 2), []).append(ax)
        columns.setdefault(round(box.x0, 2), []).append(ax)
    assert max(len(r) for r in rows.values()) <= plots.MAX_PER_ROW
    # titled; the lowest panel of each column names the horizontal axis, the leftmost of each row the vertical one
    # (image grids have no axes to name)
    assert fig._suptitle is not None and fig._suptitle.get_text()
    for column in columns.values():
        lowest = min(column, key=lambda ax: ax.get_position().y0)
        assert lowest.images or lowest.get_xlabel(), f"{name}: no x label"
    for row in rows.values():
        leftmost = min(row, key=lambda ax: ax.get_position().x0)
        assert leftmost.images or leftmost.get_ylabel(), f"{name}: no y label"
    # a legend wherever a mark means something, and one colour per meaning
    artists = [a for ax in fig.axes for a in ax.get_lines() + ax.collections + ax.patches]
    if any(not a.get_label().startswith("_") for a in artists):
        assert fig.legends or any(ax.get_legend() for ax in fig.axes), f"{name}: marks without a legend"
    for artist in artists:
        label = artist.get_label()
        key = FIXED.get(label) or FIXED.get(label.split(" ")[0])  # "minimax log(1 − D(G(z)))" is minimax
        if key:
            assert same_color(_colour(artist), plots.COLORS[key]), (name, label)


def _colour(artist):
    """An artist's colour without its transparency: a line's, or the face of a patch or point collection."""
    if isinstance(artist, matplotlib.lines.Line2D):
        return artist.get_color()
    face = np.atleast_2d(artist.get_facecolor())[0]
    return face[:3]


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_the_progress_total_is_the_work_done(drawn, name):
    _, done, work = drawn[name]
    assert done == work > 0
