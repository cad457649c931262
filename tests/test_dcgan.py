"""The DCGAN experiment (issue 16) beyond its fast variant's headline (tests/test_experiments.py): the seed-003 label
noise on the convolutional networks, and the full variant (slow)."""
import numpy as np
import pytest

from gancheck.experiments import dcgan, digits, load
from gancheck.train import train


def test_label_noise_option_reaches_the_discriminator_step():
    """The FashionGAN notebook's noisy labels (seed 003) through train() with the convolutional networks and the
    report's optimiser (Adam 2e-4, β1 0.5): the same seed with and without them scores D's first step differently
    (same logits, other labels) and trains differently from there on."""
    x, _ = digits.load(0)
    runs = {}
    for a in (0.0, 0.15):
        p = {**dcgan.VARIANTS["full"], "steps": 20, "label_noise": a}
        G, D = dcgan.networks(p["latent_dim"], filters=4, d_filters=(4, 6))
        runs[a] = train(digits.target(x[300:]), dcgan.config(p, 0), G=G, D=D)
    cfg = runs[0.15].config
    assert (cfg.label_noise, cfg.d_lr, cfg.g_lr, cfg.beta1, cfg.latent) == (0.15, 2e-4, 2e-4, 0.5, "normal")
    clean, noisy = runs[0.0].history, runs[0.15].history
    assert np.all(np.isfinite(noisy["d_loss"])) and noisy["d_loss"][0] != clean["d_loss"][0]
    assert not np.array_equal(noisy["g_loss"], clean["g_loss"])


@pytest.mark.slow
def test_full_dcgan_covers_the_classes():
    # measured (seed 0): 10 classes, Fréchet distance 0.81 (MLP GAN 0.69, independent pixels 8.4), MMD 0 (MLP 0.016)
    h = load("dcgan").run("full", seed=0)["headline"]
    assert h["classes_dcgan"] >= 9 and h["fid_dcgan"] < 0.25 * h["fid_pixels"] and h["mmd_dcgan"] < h["mmd_pixels"]
