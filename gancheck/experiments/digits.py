r"""Experiment 8 — the lecture's MLP GAN on real data at small scale: scikit-learn's bundled 8×8 digits.

The lecture's exercise trains, on 28×28 MNIST, a generator ``z_size`` = 20 → 100 LeakyReLU (no bias) → 784 tanh and a
discriminator 784 → 100 LeakyReLU, dropout 0.5 → 1 logit (:func:`gancheck.models.mnist_generator`,
:func:`gancheck.models.mnist_discriminator`). Here the same networks are sized to the 1,797 8×8 digits that ship with
scikit-learn (``sklearn.datasets.load_digits``, nothing is downloaded): 20 → 100 → 64 and 64 → 100 → 1, pixels scaled
from [0, 16] to [−1, 1] as the lecture scales MNIST to the tanh's range. Training is :func:`gancheck.train.train`
(``default`` preset, ``latent_dim`` 20); its D steps call the network in evaluation mode, so the dropout layer is
inactive here.

Objective measures (the lecture judges the samples by eye), on a held-out ``n_test`` digits:

* **MMD** (:func:`gancheck.metrics.mmd`, Gaussian kernel whose bandwidth is the median pairwise distance of real
  digits, the same for every row) between held-out digits and: ``n_test`` generated digits; ``n_test`` training digits
  (the floor: two real samples); "independent pixels", each pixel drawn from its own training marginal (a baseline that
  knows every pixel's distribution but no strokes); the untrained generator.
* **Classifier**: a logistic regression trained on the training digits (held-out accuracy reported); for generated
  digits the fraction it classifies with probability > 0.9 (``confident``) and the number of the 10 classes that
  receive at least 2 % of them (``classes``, a mode-coverage count).

Parameters (``fast`` / ``full``): ``steps`` 2000 / 30000, ``n_test`` 300, ``n_eval`` 300.

Headline: ``mmd_gan``, ``mmd_real``, ``mmd_pixels``, ``mmd_untrained``, ``confident_gan``, ``confident_real``,
``classes_gan``, ``classifier_accuracy``. Expected and tested: training lowers the MMD below the untrained generator's.
``gancheck experiment digits`` prints the measured headline (computed, not quoted here).
"""
from dataclasses import replace

import numpy as np

from .. import GancheckError, models
from ..metrics import mmd, mmd2_u
from ..targets import Target
from ..train import PRESETS, sample_generator, train
from . import resolve

VARIANTS = {
    "fast": dict(steps=2000, n_test=300, n_eval=300, latent_dim=20),
    "full": dict(steps=30000, n_test=300, n_eval=300, latent_dim=20),
}


def load(seed):
    """Digits as rows in [−1, 1], labels, split into (train, test) by a permutation drawn from ``seed``."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise GancheckError("the digits experiment needs scikit-learn: pip install 'gancheck[digits]'") from None
    x, y = load_digits(return_X_y=True)
    x = x / 8.0 - 1.0
    order = np.random.default_rng([seed, 2]).permutation(len(x))
    return x[order], y[order]


def run(variant="fast", seed=0, **params):
    p = resolve(VARIANTS, variant, params)
    x, y = load(seed)
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn, present once load() succeeded

    # 100-wide layers are just big enough for OpenBLAS to start threads, which on a shared machine spin against each
    # other (measured: 60 s instead of 6 s for the fast variant): one BLAS thread.
    with threadpool_limits(limits=1, user_api="blas"):
        return {**_run(p, seed, x, y), "variant": variant, "seed": seed}


def target(x_train):
    """The training digits as a :class:`gancheck.targets.Target` (rows drawn uniformly with replacement)."""
    return Target("digits", 64, "scikit-learn 8×8 digits in [-1, 1]",
                  lambda n, rng: x_train[rng.integers(len(x_train), size=n)])


def train_mlp(x_train, steps, latent_dim, n_eval, seed):
    """The lecture's MLP GAN trained on ``x_train`` (``default`` preset): a :class:`gancheck.train.TrainResult`."""
    cfg = replace(PRESETS["default"], steps=steps, seed=seed, latent_dim=latent_dim, checkpoint_every=steps,
                  n_eval=n_eval)
    G, D = models.mnist_generator(z_size=latent_dim, n_out=64), models.mnist_discriminator(n_in=64)
    return train(target(x_train), cfg, G=G, D=D)


def independent_pixels(x_train, n, rng):
    """``n`` images whose pixels are drawn independently, each from its own marginal over ``x_train``."""
    return np.stack([rng.choice(col, size=n) for col in x_train.T], axis=1)


def bandwidth(x_test):
    """The MMD's kernel bandwidth: the median pairwise distance of the held-out digits."""
    d2 = np.sum((x_test[:, None] - x_test[None]) ** 2, axis=-1)
    return float(np.sqrt(np.median(d2[np.triu_indices(len(x_test), 1)])))


def _run(p, seed, x, y):
    from sklearn.linear_model import LogisticRegression

    n_test = p["n_test"]
    x_test, y_test, x_train, y_train = x[:n_test], y[:n_test], x[n_test:], y[n_test:]
    rng = np.random.default_rng([seed, 3])
    untrained = models.mnist_generator(z_size=p["latent_dim"], n_out=64).initialise(rng)
    res = train_mlp(x_train, p["steps"], p["latent_dim"], p["n_eval"], seed)
    fake = res.generate(n_test, rng)
    bandwidth_ = bandwidth(x_test)
    pixels = independent_pixels(x_train, n_test, rng)
    samples = {"gan": fake, "real": x_train[rng.choice(len(x_train), n_test, replace=False)], "pixels": pixels,
               "untrained": sample_generator(untrained, untrained.theta, n_test, p["latent_dim"], rng)}
    clf = LogisticRegression(max_iter=2000).fit(x_train, y_train)
    headline = {f"mmd_{k}": mmd(v, x_test, bandwidth_) for k, v in samples.items()}
    for k, v in samples.items():  # unclipped, with its standard error: the real-vs-real floor is 0 ± noise
        headline[f"mmd2_{k}"], headline[f"mmd2_se_{k}"] = mmd2_u(v, x_test, bandwidth_)
    for k in ("gan", "real"):
        prob = clf.predict_proba(samples[k])
        headline[f"confident_{k}"] = float(np.mean(prob.max(axis=1) > 0.9))
        headline[f"classes_{k}"] = int(np.sum(np.bincount(prob.argmax(axis=1), minlength=10) >= 0.02 * n_test))
    headline["classifier_accuracy"] = float(clf.score(x_test, y_test))
    return {"params": p, "samples": fake[:64], "real": x_test[:16], "d_loss": res.history["d_loss"],
            "g_loss": res.history["g_loss"], "seconds": res.seconds, "headline": headline}


def work(p):
    """Training steps that :func:`run` takes with parameters ``p`` (its progress bar's total)."""
    return p["steps"]


def plot(data):
    from ..plots import experiment_title, finish, panels

    def tile(rows, n_col):
        imgs = np.asarray(rows).reshape(-1, 8, 8)
        n_row = int(np.ceil(len(imgs) / n_col))
        grid = np.full((n_row * 9 - 1, n_col * 9 - 1), np.nan)
        for i, img in enumerate(imgs):
            r, c = divmod(i, n_col)
            grid[r * 9:r * 9 + 8, c * 9:c * 9 + 8] = img
        return grid

    fig, (ax_g, ax_r) = panels(2, height=2.6, gridspec_kw={"width_ratios": [2, 1]})
    h = data["headline"]
    for ax, rows, n_col, title in ((ax_g, data["samples"], 8, "generated"), (ax_r, data["real"], 4, "real (held out)")):
        ax.imshow(tile(rows, n_col), cmap="gray_r", vmin=-1, vmax=1)
        ax.set(xticks=[], yticks=[], title=title)
    fig.supxlabel(f"MMD² to held-out digits (± standard error):\ngenerated {h['mmd2_gan']:.4f} ± "
                  f"{h['mmd2_se_gan']:.4f}\ntraining digits {h['mmd2_real']:.4f} ± {h['mmd2_se_real']:.4f}")
    return finish(fig, experiment_title(f"Digits after {data['params']['steps']:,} steps", data))
