"""Figures drawn from training data (matplotlib, Agg backend: files only, never a window)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402


def _smooth(y, window):
    window = max(1, min(window, len(y)))
    return np.convolve(y, np.ones(window) / window, mode="valid")


def training_curves(history, window=100):
    """Losses and mean D(x) on real and fake over the steps (moving average over ``window`` steps)."""
    fig, (ax_l, ax_d) = plt.subplots(1, 2, figsize=(10, 3.6), constrained_layout=True)
    for name in ("d_loss", "g_loss"):
        ax_l.plot(_smooth(history[name], window), label=name)
    ax_l.set(xlabel="step", ylabel="loss", title="Losses")
    for name, label in (("d_real", "D(x), real"), ("d_fake", "D(G(z)), fake")):
        ax_d.plot(_smooth(history[name], window), label=label)
    ax_d.axhline(0.5, color="grey", lw=0.8, ls="--")
    ax_d.set(xlabel="step", ylabel="mean D", ylim=(0, 1), title="Discriminator outputs")
    for ax in (ax_l, ax_d):
        ax.legend(frameon=False)
    return fig


def scatter(real, fake, title="", ax=None, curve=None, domain=None):
    """Real (blue) and generated (red) points, with the target's curve when it has one."""
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 3.4), constrained_layout=True)
    ax.scatter(real[:, 0], real[:, 1], s=4, alpha=0.5, color="tab:blue", label="real")
    ax.scatter(fake[:, 0], fake[:, 1], s=4, alpha=0.5, color="tab:red", label="generated")
    if curve is not None:
        u = np.linspace(*domain, 200)
        ax.plot(u, curve(u), color="black", lw=0.8)
    ax.set_title(title)
    return ax.figure


def checkpoints_grid(result, target, rng, max_panels=5):
    """Real-vs-generated scatter at (up to ``max_panels``) checkpoints of a :class:`gancheck.train.TrainResult`."""
    cps = result.checkpoints[-max_panels:]
    fig, axes = plt.subplots(1, len(cps), figsize=(3.2 * len(cps), 3.2), constrained_layout=True, squeeze=False)
    for ax, cp in zip(axes[0], cps):
        samples = cp["samples"][:500]
        real = target.sample(len(samples), rng)
        if target.dim == 1:
            ax.hist([real[:, 0], samples[:, 0]], bins=40, density=True, label=["real", "generated"])
            ax.set_title(f"step {cp['step']}")
        else:
            scatter(real, samples, f"step {cp['step']}", ax=ax, curve=target.curve, domain=target.domain)
    axes[0][0].legend(frameon=False, loc="best")
    return fig


def save(fig, path):
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
