r"""Experiment 9 — the DCGAN report's convolutional GAN (seed 002) on scikit-learn's 8×8 digits, judged beside the MLP
GAN of experiment 8 by a classifier trained on the real digits.

The report's design, scaled from 28×28 to 8×8 (:func:`gancheck.models.dcgan_generator`,
:func:`gancheck.models.dcgan_discriminator`): the discriminator strides instead of pooling, 3×3 convolutions with 64
then 128 filters at stride 2 (8×8 → 4×4 → 2×2), LeakyReLU 0.2, dropout 0.4, then a dense logit; the generator maps
``latent_dim`` Gaussian numbers to ``filters`` feature maps of 4×4, LeakyReLU, up to 8×8 by a 4×4 transposed
convolution at stride 2, LeakyReLU, then a 3×3 convolution to one channel with tanh (pixels in [−1, 1], as for the MLP
GAN; the report's 28×28 generator uses 128 filters and a 7×7 output kernel with sigmoid). Adam with learning rate
2e-4 and :math:`β_1` = 0.5 for both players (Radford et al. 2016, the report's settings); the FashionGAN notebook's
label noise (seed 003, ``label_noise`` 0.15) is an option. Training is :func:`gancheck.train.train`: the same loop,
buffers and optimiser as every other experiment, with the convolutional layers in place of the dense ones.

The MLP GAN is experiment 8's (:func:`gancheck.experiments.digits.train_mlp`, ``mlp_steps`` steps), on the same
split; "independent pixels" draws each pixel from its own training marginal; "real" is ``n_eval`` training digits, the
floor. Each is measured on ``n_eval`` images against the ``n_test`` held-out digits by :class:`gancheck.image_metrics.
Judge` (an MLP classifier trained on the training digits): classes covered, classifier score (the Inception Score's
analogue), Fréchet distance on the classifier's features (FID's analogue); and by the MMD of experiment 8.

Parameters (``fast`` / ``full``): ``steps`` 400 / 6000, ``batch`` (real digits per D step, as many generated; G
steps on twice as many latents) 32 / 64 (an epoch is 1,497 digits), ``lr`` 1e-3 / 2e-4,
``filters`` (G's feature maps) 16 / 32, ``d_filters`` (16, 32) / (64, 128), ``mlp_steps`` 1000 / 30000, ``ema`` 0 /
0.999 (decay of G's parameter average, as in the MLP GAN's ``default`` preset; 0: the raw generator), ``n_eval`` 500 /
1000; both: ``latent_dim`` 20, ``label_noise`` 0, ``snapshots`` 4 (checkpoints, the rows of the figure's grid),
``n_test`` 300. The fast variant is smaller and learns five times faster, so that a test or the site's build sees
digits within seconds; the full one has the report's filters and learning rate.

Headline: per model (``dcgan``, ``mlp``, ``pixels``, ``real``) ``classes_*``, ``score_*``, ``fid_*``, ``mmd_*``,
``confident_*``; ``classifier_accuracy`` on the held-out digits. Expected and tested (seed 0): the fast DCGAN has a
lower Fréchet distance than independent pixels and covers more classes; the full variant (slow test) covers at least
9 classes. The values are computed, not quoted: ``gancheck experiment dcgan [--variant full] [--seed S]`` prints the
headline, the DCGAN page shows the fast variant over three seeds as the site builds, and
``benchmarks/bench_dcgan.py --quality`` measures the full variant over three seeds.
"""
from dataclasses import replace

import numpy as np

from .. import models
from ..image_metrics import Judge
from ..metrics import mmd
from ..nn import MLP
from ..train import PRESETS, train
from . import digits, resolve

VARIANTS = {
    "fast": dict(steps=400, batch=32, lr=1e-3, mlp_steps=1000, latent_dim=20, filters=16, d_filters=(16, 32),
                 label_noise=0.0, ema=0.0, snapshots=4, n_test=300, n_eval=500),
    "full": dict(steps=6000, batch=64, lr=2e-4, mlp_steps=30000, latent_dim=20, filters=32, d_filters=(64, 128),
                 label_noise=0.0, ema=0.999, snapshots=4, n_test=300, n_eval=1000),
}
MODELS = {"dcgan": "DCGAN", "mlp": "MLP GAN", "pixels": "independent pixels", "real": "real digits"}
SHORT = {"dcgan": "DCGAN", "mlp": "MLP GAN", "pixels": "pixels", "real": "real"}  # the figure's row labels


def networks(latent_dim=20, filters=32, dtype=np.float64, d_filters=(64, 128)):
    """``(G, D)``: the report's networks at 8×8 (see the module's docstring), parameters of ``dtype``."""
    G = models.dcgan_generator(latent_dim, (8, 8, 1), filters=filters, out_kernel=3, out="tanh")
    D = models.dcgan_discriminator((8, 8, 1), filters=d_filters)
    return MLP(G.layers, G.name, dtype), MLP(D.layers, D.name, dtype)


def config(p, seed):
    """The :class:`gancheck.train.TrainConfig` of the DCGAN: Adam with the variant's learning rate (full: the report's
    2e-4) and β1 0.5 for both players, Gaussian latents, ``snapshots`` checkpoints."""
    return replace(PRESETS["default"], steps=p["steps"], batch=p["batch"], g_batch=2 * p["batch"], seed=seed,
                   latent_dim=p["latent_dim"], latent="normal",
                   d_lr=p["lr"], g_lr=p["lr"], beta1=0.5, ema=p["ema"], label_noise=p["label_noise"],
                   checkpoint_every=-(-p["steps"] // p["snapshots"]), n_eval=100)


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    x, y = digits.load(seed)
    from threadpoolctl import threadpool_limits  # with scikit-learn, present once load() succeeded

    with threadpool_limits(limits=1, user_api="blas"):  # one BLAS thread: see experiment 8
        return {**_run(p, seed, x, y), "variant": variant, "seed": seed}


def work(p):
    """Training steps that :func:`run` takes with parameters ``p`` (its progress bar's total): the DCGAN's, then the
    MLP GAN's."""
    return p["steps"] + p["mlp_steps"]


def _run(p, seed, x, y):
    n_test, n_eval = p["n_test"], p["n_eval"]
    x_test, y_test, x_train, y_train = x[:n_test], y[:n_test], x[n_test:], y[n_test:]
    cfg = config(p, seed)
    G, D = networks(p["latent_dim"], p["filters"], d_filters=p["d_filters"])
    res = train(digits.target(x_train), cfg, G=G, D=D)
    mlp_res = digits.train_mlp(x_train, p["mlp_steps"], p["latent_dim"], 100, seed)
    rng = np.random.default_rng([seed, 4])
    samples = {"dcgan": res.generate(n_eval, rng), "mlp": mlp_res.generate(n_eval, rng),
               "pixels": digits.independent_pixels(x_train, n_eval, rng),
               "real": x_train[rng.choice(len(x_train), n_eval, replace=False)]}
    judge = Judge(x_train, y_train, seed=seed)
    bandwidth = digits.bandwidth(x_test)
    table = {}
    for name, images in samples.items():
        table[name] = judge.measure(images, x_test) | {"mmd": mmd(images[:n_test], x_test, bandwidth)}
    headline = {f"{metric}_{name}": value for name, row in table.items() for metric, value in row.items()}
    headline["classifier_accuracy"] = judge.accuracy(x_test, y_test)
    epoch = cfg.batch / len(x_train)  # epochs per step: each D step reads `batch` real digits
    return {"params": p, "headline": headline, "table": table,
            "snapshots": [{"step": cp["step"], "epoch": cp["step"] * epoch, "images": cp["samples"][:10]}
                          for cp in res.checkpoints],
            "final": {name: images[:10] for name, images in samples.items()},
            "d_loss": res.history["d_loss"], "g_loss": res.history["g_loss"],
            "seconds": {"dcgan": res.seconds, "mlp": mlp_res.seconds}}


def _tiles(rows):
    """Rows of 8×8 images as one picture, a pixel of gap between them (NaN: drawn as the background)."""
    rows = [np.asarray(r).reshape(-1, 8, 8) for r in rows]
    width = max(len(r) for r in rows)
    grid = np.full((len(rows) * 9 - 1, width * 9 - 1), np.nan)
    for i, row in enumerate(rows):
        for j, img in enumerate(row):
            grid[i * 9:i * 9 + 8, j * 9:j * 9 + 8] = img
    return grid


def plot(data):
    """Two image grids, one above the other (each as wide as a phone allows): the DCGAN's samples at each checkpoint,
    one row per epoch; then, after training, a row of each model's samples."""
    from ..plots import experiment_title, finish, panels

    snaps = data["snapshots"]
    grids = (([s["images"] for s in snaps], [f"epoch {s['epoch']:.0f}" for s in snaps], "DCGAN samples by epoch"),
             (list(data["final"].values()), [SHORT[k] for k in data["final"]], "after training"))
    fig, axes = panels(2, ncols=1, height=1.9)
    for ax, (rows, labels, title) in zip(axes, grids):
        ax.imshow(_tiles(rows), cmap="gray_r", vmin=-1, vmax=1)
        ax.set_yticks([i * 9 + 3.5 for i in range(len(rows))], labels)
        ax.set(xticks=[], title=title)
        ax.grid(False)
    return finish(fig, experiment_title("DCGAN on the 8×8 digits", data))
