"""Algorithm 1: determinism, frozen D, divergence detection, and (fast) quality on the course's x² problem."""
import json
from dataclasses import replace

import numpy as np
import pytest

from gancheck import GancheckError, targets
from gancheck.history import BLOCK
from gancheck.train import PRESETS, NonFiniteError, TrainConfig, train

X2 = targets.get("x2")
SHORT = replace(PRESETS["default"], steps=300, checkpoint_every=100, n_eval=200)


@pytest.mark.parametrize("preset", PRESETS)
def test_same_seed_gives_a_bit_identical_history(preset):
    cfg = replace(PRESETS[preset], steps=250, checkpoint_every=125, n_eval=100, seed=7)
    a, b = train(X2, cfg), train(X2, cfg)
    for name in a.history:
        assert np.array_equal(a.history[name], b.history[name]), name
    assert np.array_equal(a.G.theta, b.G.theta) and np.array_equal(a.D.theta, b.D.theta)
    assert a.checkpoints[-1]["metrics"] == b.checkpoints[-1]["metrics"]
    c = train(X2, replace(cfg, seed=8))
    assert not np.array_equal(a.history["d_loss"], c.history["d_loss"])


def test_checkpoint_frequency_does_not_change_training():
    # Evaluation draws from its own stream: evaluating more often leaves the trained parameters unchanged.
    a, b = train(X2, SHORT), train(X2, replace(SHORT, checkpoint_every=30))
    assert np.array_equal(a.G.theta, b.G.theta) and len(b.checkpoints) == 10


def test_history_and_checkpoints_are_complete_and_sane():
    r = train(X2, SHORT)
    assert all(len(v) == SHORT.steps and np.all(np.isfinite(v)) for v in r.history.values())
    for name in ("d_real", "d_fake", "batch_acc_real", "batch_acc_fake"):
        assert np.all((0 <= r.history[name]) & (r.history[name] <= 1))
    assert [cp["step"] for cp in r.checkpoints] == [100, 200, 300]
    summary = r.summary()
    for key in ("curve_error", "domain_coverage", "in_domain", "w1", "sliced_w1", "mmd2", "mmd2_se", "acc_real",
                "acc_fake", "train_seconds", "eval_seconds"):
        assert np.isfinite(summary[key]), key
    # one name per meaning: the summary's accuracies are the last evaluation's, not the last minibatch's
    assert (summary["acc_real"], summary["acc_fake"]) == (r.checkpoints[-1]["metrics"]["acc_real"],
                                                          r.checkpoints[-1]["metrics"]["acc_fake"])
    assert r.status == "finished" and r.steps_done == SHORT.steps
    json.dumps(summary)  # JSON-ready


@pytest.mark.parametrize("loss", ["nonsaturating", "minimax", "lsgan", "wgan"])
@pytest.mark.parametrize("target", ["x2", "ring", "gaussian", "mixture", "sine", "disjoint"])
def test_every_loss_trains_every_target_without_diverging(loss, target):
    extra = {"optimizer": "rmsprop", "d_lr": 5e-5, "g_lr": 5e-5, "clip": 0.01, "k": 5} if loss == "wgan" else {}
    r = train(targets.get(target), replace(SHORT, steps=60, checkpoint_every=60, loss=loss, **extra))
    assert np.isfinite(r.history["g_loss"]).all() and r.checkpoints[-1]["metrics"]["w1"] >= 0


def test_wgan_clipping_keeps_the_critic_in_the_box():
    r = train(X2, replace(SHORT, steps=50, loss="wgan", optimizer="rmsprop", clip=0.01, ema=0.0))
    assert np.abs(r.D.theta).max() <= 0.01


def test_noise_options_change_training_and_stay_finite():
    base = train(X2, SHORT)
    for change in ({"instance_noise": 0.1}, {"label_noise": 0.15}):
        r = train(X2, replace(SHORT, **change))
        assert np.isfinite(r.history["d_loss"]).all()
        assert not np.array_equal(r.history["d_loss"], base.history["d_loss"])


def test_label_noise_keeps_labels_inside_their_band():
    # With label noise a, real labels lie in [1 − a, 1] and fake in [0, a]: BCE ≥ its minimum, the binary entropy.
    r = train(X2, replace(SHORT, label_noise=0.15))
    assert np.all(r.history["d_loss"] > 0)


def test_divergence_is_reported_with_step_and_quantity():
    with pytest.raises(NonFiniteError, match=r"at step \d+: (discriminator|generator) loss is (nan|inf)"):
        train(X2, replace(SHORT, optimizer="sgd", d_lr=1e300, g_lr=1e300, ema=0.0))


def test_divergence_names_the_first_bad_step_of_its_block():
    # The history is scored once per block of BLOCK steps; the error must still name the step, neither the block's
    # start nor its end. Training draws a block's real rows at once: in the second draw, the rows of its step 30 on turn
    # NaN, so row BLOCK + 30 (step BLOCK + 31, counting from 1) is the first to diverge. Evaluation draws (other sizes)
    # stay finite.
    draws = []

    def sample(n, rng):
        x = X2.sample(n, rng)
        if n == BLOCK * SHORT.batch:
            draws.append(n)
            if len(draws) == 2:
                x[30 * SHORT.batch:] = np.nan
        return x

    with pytest.raises(NonFiniteError, match=f"at step {BLOCK + 31}: discriminator loss is nan") as info:
        train(replace(X2, _sample=sample), SHORT)
    assert info.value.step == BLOCK + 30  # steps are numbered from 1 in messages, from 0 in the history's rows


@pytest.mark.parametrize("bad", [{"steps": 0}, {"batch": -1}, {"d_lr": float("nan")}, {"loss": "hinge"}, {"latent": "cauchy"},
                                 {"optimizer": "lbfgs"}, {"ema": 1.0}, {"label_noise": 0.7}, {"k": 1.5}])
def test_bad_configuration_is_one_clear_error(bad):
    with pytest.raises(GancheckError) as info:
        TrainConfig(**bad)
    assert "\n" not in str(info.value)


def test_default_preset_learns_the_curve_in_one_fast_run():
    # The benchmark measures 10 seeds × 10,000 steps (median < 0.01); this single 4,000-step seed is the fast guard,
    # at looser bounds: 4,000 steps leave the generator about twice as far from the curve as 10,000.
    r = train(X2, replace(PRESETS["default"], steps=4000, checkpoint_every=4000, seed=0))
    m = r.checkpoints[-1]["metrics"]
    assert m["curve_error"] < 0.02 and m["in_domain"] > 0.95 and m["domain_coverage"] == 1.0


def test_uniform_latent_is_what_the_generator_sees():
    r = train(X2, replace(SHORT, latent="uniform"))
    rng = np.random.default_rng(0)
    # Same parameters, same uniform draws: generate() reproduces G.forward on U(-1, 1) latents.
    expected = r.G.forward(np.random.default_rng(0).uniform(-1, 1, (5, 5)))[0]
    r.G_eval_theta = r.G.theta.copy()
    assert np.array_equal(r.generate(5, rng), expected)


def test_dropout_is_active_while_training_and_deterministic_per_seed():
    from gancheck.models import MLP
    from gancheck.nn import Dense, Dropout, ReLU

    def run():
        D = MLP([Dense(2, 25, init="he_uniform"), ReLU(), Dropout(0.5), Dense(25, 1)])
        return train(X2, replace(SHORT, steps=50), D=D)

    a, b = run(), run()
    assert np.array_equal(a.history["d_loss"], b.history["d_loss"])
    # Dropout in training mode draws masks from the training stream, so the run differs from one without dropout.
    c = train(X2, replace(SHORT, steps=50))
    assert not np.array_equal(a.history["d_loss"], c.history["d_loss"])
