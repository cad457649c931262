"""Figures of training and of the experiments (matplotlib, Agg backend: files only, never a window).

Every figure follows the same rules, so that it reads at the size it is shown, on a desktop or a phone:

* at most :data:`WIDTH` inches wide with text of at least :data:`FONT` points: shrunk to a phone's 350-pixel column,
  its smallest letters are still 10 pixels tall (:func:`smallest_text_px` measures it);
* at most three panels a row (:func:`panels`);
* one colour per meaning across the whole site (:data:`COLORS`): D's loss, G's loss, the minimax and the
  non-saturating generator loss, real and generated data, the truth — each always drawn the same way;
* a title saying what, on which target, how many steps and which seed; axes labelled with their units; a legend
  wherever a mark or a colour means something.
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter  # noqa: E402

WIDTH = 5.0         # inches, at most
FONT = 11           # points, at least
PHONE_PX = 350      # a phone's text column, in CSS pixels
MAX_PER_ROW = 3

# Okabe & Ito's colour-blind-safe palette, one colour per meaning.
COLORS = {
    "d_loss": "#0072B2",          # D's loss, and the discriminator or critic itself
    "g_loss": "#E69F00",          # G's loss in training curves
    "minimax": "#CC79A7",         # the saturating generator loss log(1 − D(G(z)))
    "nonsaturating": "#009E73",   # the non-saturating generator loss −log D(G(z))
    "real": "#56B4E9",            # target samples and D on them
    "generated": "#D55E00",       # generated samples and D on them
    "truth": "black",             # what is known exactly: a curve, a density, D*, a true W1
    "reference": "#7F7F7F",       # thresholds, caps and other reference lines
}
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#7F7F7F"]  # series with no fixed meaning


def panels(n, ncols=None, height=2.2, width=WIDTH, **kw):
    """``(figure, axes)``: ``n`` panels, at most three a row (``ncols`` of them), each about ``height`` inches tall;
    the unused cells of the last row are removed."""
    ncols = min(ncols or n, MAX_PER_ROW, n)
    nrows = -(-n // ncols)
    fig, grid = plt.subplots(nrows, ncols, figsize=(width, height * nrows + 0.5), constrained_layout=True,
                             squeeze=False, **kw)
    axes = list(grid.flat)
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def finish(fig, title=None, ticks=4):
    """Apply the type rules to every text of ``fig`` (at least :data:`FONT` points, at most ``ticks`` ticks an axis)
    and set its ``title``; returns ``fig``."""
    if title:
        fig.suptitle(title, fontsize=FONT + 1)
    for ax in fig.axes:
        ax.tick_params(labelsize=FONT)
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            if axis.get_scale() == "linear" and axis.get_major_locator().__class__.__name__ in (
                    "AutoLocator", "MaxNLocator"):
                axis.set_major_locator(MaxNLocator(ticks))
            elif axis.get_scale() == "log":  # plain numbers at 1, 2, 5 × 10ⁿ, or decades over a wide range
                wide = abs(np.log10(high / low)) > 1.5 if low > 0 and high > 0 else True
                axis.set_major_locator(LogLocator(subs=(1.0,) if wide else (1.0, 2.0, 5.0)))
                axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
                axis.set_minor_formatter(NullFormatter())
            axis.label.set_fontsize(max(FONT, axis.label.get_fontsize()))
        ax.title.set_fontsize(FONT)
        if ax.get_legend():
            for text in ax.get_legend().get_texts():
                text.set_fontsize(FONT)
    for legend in fig.legends:
        for text in legend.get_texts():
            text.set_fontsize(FONT)
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_fontsize() < FONT:
            text.set_fontsize(FONT)
    return fig


def smallest_text_px(fig, column_px=PHONE_PX):
    """Height in CSS pixels of the smallest text of ``fig`` once it is shown ``column_px`` wide (or at its natural
    size, 96 pixels an inch, if that is narrower)."""
    fig.canvas.draw()  # ticks and their labels exist only once drawn
    scale = min(1.0, column_px / (fig.get_figwidth() * 96))
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]
    return min(sizes) * 96 / 72 * scale


def _smooth(y, window):
    """Moving average over ``window`` steps and the step number at the end of each window (steps count from 1)."""
    window = max(1, min(window, len(y)))
    c = np.cumsum(np.insert(np.asarray(y, dtype=float), 0, 0.0))
    return np.arange(window, len(y) + 1), (c[window:] - c[:-window]) / window


def _thin(x, y, points=2000):
    step = max(1, len(x) // points)
    return x[::step], y[::step]


def run_title(what, target, config, steps_done=None):
    """``"<what>: <target>, <steps> steps, seed <seed>"`` (with "stopped at …" when the run did not finish)."""
    done = "" if steps_done in (None, config.steps) else f" (stopped at {steps_done:,})"
    return f"{what}: {target.name}, {config.steps:,} steps{done}, seed {config.seed}"


def experiment_title(what, data):
    """A title naming the experiment's variant and seed, which ``run`` records in its data."""
    return f"{what} ({data['variant']}, seed {data['seed']})"


def training_curves(history, title="", loss="nonsaturating", steps=None, window=None):
    """Losses and D's mean outputs over the first ``steps`` steps of ``history`` (all by default), each a moving
    average over ``window`` steps (100, or 1/200 of the run if longer)."""
    steps = len(history["d_loss"]) if steps is None else steps
    window = window or max(100, steps // 200)
    fig, (ax_l, ax_d) = panels(2, height=2.6)
    for name, label in (("d_loss", "D's loss"), ("g_loss", "G's loss")):
        ax_l.plot(*_thin(*_smooth(history[name][:steps], window)), color=COLORS[name], label=label)
    unit = "nats" if loss in ("nonsaturating", "minimax") else "critic units" if loss == "wgan" else "squared error"
    if loss == "nonsaturating":  # both losses are log 2 where D(x) = ½ everywhere: the game's equilibrium
        ax_l.axhline(np.log(2), color=COLORS["reference"], lw=0.8, ls="--", label="log 2: D = ½")
    ax_l.set(xlabel="step", ylabel=f"loss ({unit})", title=f"losses ({window}-step average)")
    probability = loss in ("nonsaturating", "minimax")
    for name, label, color in (("d_real", "on real x", COLORS["real"]), ("d_fake", "on G(z)", COLORS["generated"])):
        ax_d.plot(*_thin(*_smooth(history[name][:steps], window)), color=color, label=label)
    if probability:
        ax_d.axhline(0.5, color=COLORS["reference"], lw=0.8, ls="--", label="½: D cannot tell")
        ax_d.set(ylim=(0, 1))
    ax_d.set(xlabel="step", ylabel="mean D (probability)" if probability else "mean critic score",
             title="D's mean output")
    for ax in (ax_l, ax_d):
        ax.legend(frameon=False, loc="best")
        ax.xaxis.set_major_locator(MaxNLocator(3))
    return finish(fig, title)


def scatter(real, fake, title="", ax=None, curve=None, domain=None):
    """Real and generated points, with the target's true curve when it has one."""
    if ax is None:
        fig, (ax,) = panels(1, width=3.6, height=3.0)
    ax.scatter(fake[:, 0], fake[:, 1], s=4, alpha=0.5, color=COLORS["generated"], label="generated", lw=0)
    ax.scatter(real[:, 0], real[:, 1], s=6, alpha=0.7, color=COLORS["real"], label="real", lw=0)  # on top
    if curve is not None:
        u = np.linspace(*domain, 200)
        ax.plot(u, curve(u), color=COLORS["truth"], lw=0.8, label="true curve")
    ax.set(title=title, xlabel="x₁", ylabel="x₂")
    return ax.figure


def checkpoints_grid(result, target, rng, max_panels=6, title=""):
    """Real against generated points at (up to ``max_panels``) evaluations of a :class:`gancheck.train.TrainResult`,
    three a row: scatter plots for 2-D targets, histograms with the true density for 1-D ones."""
    cps = [c for c in result.checkpoints if "samples" in c][-max_panels:]
    if not cps:
        return None
    fig, axes = panels(len(cps), height=1.9)
    for ax, cp in zip(axes, cps):
        samples = cp["samples"][:500]
        real = target.sample(len(samples), rng)
        if target.dim == 1:
            ax.hist(real[:, 0], bins=30, density=True, color=COLORS["real"], alpha=0.6, label="real")
            ax.hist(samples[:, 0], bins=30, density=True, histtype="step", lw=1.5, color=COLORS["generated"],
                    label="generated")
            if target.pdf is not None:
                u = np.linspace(*target.domain, 300)
                ax.plot(u, target.pdf(u), color=COLORS["truth"], lw=1, label="true density")
            ax.set(title=f"step {cp['step']:,}", xlabel="x", ylabel="density")
        else:
            scatter(real, samples, f"step {cp['step']:,}", ax=ax, curve=target.curve, domain=target.domain)
    ncols = min(len(axes), MAX_PER_ROW)
    for i, ax in enumerate(axes):  # axes are named once: below the lowest panel of a column, left of a row
        if i + ncols < len(axes):
            ax.set_xlabel("")
        if i % ncols:
            ax.set_ylabel("")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False, markerscale=3)
    return finish(fig, title, ticks=3)


def save(fig, path, dpi=150):
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def save_run(result, target, out):
    """``curves.png`` and (when an evaluation kept its points) ``scatter.png`` of a training run into ``out``;
    returns the names written."""
    cfg, written = result.config, []
    if result.steps_done:
        save(training_curves(result.history, run_title("Training", target, cfg, result.steps_done), cfg.loss,
                             steps=result.steps_done), out / "curves.png")
        written.append("curves.png")
    grid = checkpoints_grid(result, target, np.random.default_rng([cfg.seed, 5]),
                            title=run_title("Real and generated", target, cfg, result.steps_done))
    if grid is not None:
        save(grid, out / "scatter.png")
        written.append("scatter.png")
    return written
