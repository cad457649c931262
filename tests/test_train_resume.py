"""Training keeps its work: stopping at a block boundary, saving, and resuming bit for bit — in memory, through a run
directory's files, and for every optimiser and option that carries state."""
import json
from dataclasses import replace

import numpy as np
import pytest

from gancheck import GancheckError, targets
from gancheck.history import BLOCK, COLUMNS
from gancheck.rundir import RunDir
from gancheck.snapshot import load
from gancheck.train import PRESETS, NonFiniteError, train

X2 = targets.get("x2")
CFG = replace(PRESETS["default"], steps=700, checkpoint_every=150, n_eval=200, seed=3)


class StopAfter:
    """A ``stop`` that is set from its ``n``-th look on (train looks once per block boundary)."""

    def __init__(self, n):
        self.n, self.looks = n, 0

    def is_set(self):
        self.looks += 1
        return self.looks >= self.n


def assert_same_run(a, b):
    for name in COLUMNS:
        assert np.array_equal(a.history[name], b.history[name]), name
    assert np.array_equal(a.G.theta, b.G.theta) and np.array_equal(a.D.theta, b.D.theta)
    assert np.array_equal(a.G_eval_theta, b.G_eval_theta)
    assert [c["step"] for c in a.checkpoints] == [c["step"] for c in b.checkpoints]
    assert [c["metrics"] for c in a.checkpoints] == [c["metrics"] for c in b.checkpoints]


def stopped_then_resumed(cfg, looks, target=X2):
    saved = []
    part = train(target, cfg, stop=StopAfter(looks), save=lambda r, s: saved.append(s), save_every=1e9)
    assert part.status == "stopped" and part.steps_done == looks * BLOCK and saved[-1].step == looks * BLOCK
    snap = replace(saved[-1], history={k: v[:saved[-1].step].copy() for k, v in part.history.items()},
                   checkpoints=list(part.checkpoints))
    return train(target, cfg, resume=snap)


@pytest.mark.parametrize("change", [
    {},                                                          # default preset: Adam, decaying lr, EMA
    {"separate_real_fake": True, "ema": 0.0},                    # the tutorial's two D steps
    {"optimizer": "rmsprop", "loss": "wgan", "clip": 0.01, "k": 2},
    {"optimizer": "sgd", "instance_noise": 0.2, "label_noise": 0.1, "loss": "minimax"},
])
def test_a_stopped_run_resumes_bit_for_bit(change):
    cfg = replace(CFG, **change)
    assert_same_run(train(X2, cfg), stopped_then_resumed(cfg, looks=3))


def test_resuming_on_a_1d_target_with_dropout_masks_in_the_stream():
    from gancheck.models import MLP
    from gancheck.nn import Dense, Dropout, ReLU

    def run(**kw):
        D = MLP([Dense(1, 25, init="he_uniform"), ReLU(), Dropout(0.5), Dense(25, 1)])
        return train(targets.get("gaussian"), replace(CFG, steps=400), D=D, **kw)

    full, saved = run(), []
    part = run(stop=StopAfter(2), save=lambda r, s: saved.append(s))
    snap = replace(saved[-1], history={k: v[:200].copy() for k, v in part.history.items()},
                   checkpoints=list(part.checkpoints))
    assert_same_run(full, run(resume=snap))


def test_save_is_called_as_it_goes_at_block_boundaries():
    saved = []
    r = train(X2, CFG, save=lambda res, s: saved.append((res.steps_done, s and s.step)), save_every=0)
    # every boundary after the first block, then the end
    assert saved == [(s, s) for s in range(BLOCK, CFG.steps, BLOCK)] + [(CFG.steps, CFG.steps)]
    assert r.status == "finished"


def test_divergence_saves_the_history_up_to_the_bad_step():
    calls = []
    with pytest.raises(NonFiniteError):
        train(X2, replace(CFG, optimizer="sgd", d_lr=1e300, g_lr=1e300, ema=0.0),
              save=lambda r, s: calls.append((r.status, r.steps_done, s)))
    status, done, snap = calls[-1]
    assert status == "diverged" and snap is None and 1 <= done <= BLOCK


def test_a_run_directory_round_trip_is_bit_for_bit(tmp_path):
    full = train(X2, CFG)
    first = RunDir(tmp_path, X2, CFG)
    part = train(X2, CFG, stop=StopAfter(4), save=first.save, save_every=0)
    first.write_metrics(part)
    info = json.loads((tmp_path / "metrics.json").read_text())
    assert info["status"] == "stopped" and info["steps_done"] == 400 and "--resume" in info["note"]
    run_dir, snap = RunDir.resume(tmp_path)
    assert snap.step == 400 and run_dir.config == CFG
    rest = train(X2, CFG, resume=snap, save=run_dir.save)
    assert_same_run(full, rest)
    # the files hold the uninterrupted run: one history row per step, read back exactly
    rows = np.loadtxt(tmp_path / "history.csv", delimiter=",", skiprows=1)
    assert rows.shape == (CFG.steps, 1 + len(COLUMNS)) and np.array_equal(rows[:, 0], np.arange(1, CFG.steps + 1))
    for i, name in enumerate(COLUMNS, 1):
        assert np.array_equal(rows[:, i], full.history[name]), name
    assert json.loads((tmp_path / "metrics.json").read_text())["status"] == "finished"


def test_a_killed_run_resumes_from_its_last_state_and_drops_the_rows_after_it(tmp_path):
    # A run killed outright (SIGKILL) has metrics.json "running", a state, and history rows past that state.
    run_dir = RunDir(tmp_path, X2, CFG)
    part = train(X2, CFG, stop=StopAfter(3), save=run_dir.save, save_every=0)
    with open(tmp_path / "history.csv", "a") as fh:
        fh.write("301,0.5,0.5,0.5,0.5,0.5,0.5\n302,0.5,0.5")  # rows written after the state, the last one cut
    before = (tmp_path / "history.csv").read_text()
    resumed_dir, snap = RunDir.resume(tmp_path)
    assert snap.step == part.steps_done == 300
    assert (tmp_path / "history.csv").read_text() == before  # reading a run changes nothing
    full, rest = train(X2, CFG), train(X2, CFG, resume=snap, save=resumed_dir.save)
    assert_same_run(full, rest)
    rows = np.loadtxt(tmp_path / "history.csv", delimiter=",", skiprows=1)
    assert rows.shape[0] == CFG.steps and np.array_equal(rows[:, 1], full.history["d_loss"])


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "metrics.json").unlink(), "no training run to resume"),
    (lambda d: (d / "metrics.json").write_text("{"), "not a gancheck training run"),
    (lambda d: (d / "state.npz").write_bytes(b"PK\x03\x04 not a zip"), "not a gancheck training state"),
    (lambda d: (d / "history.csv").write_text("step\n"), "complete rows, the state needs 300"),
])
def test_damaged_run_directories_are_refused_in_one_line(tmp_path, damage, message):
    run_dir = RunDir(tmp_path, X2, CFG)
    train(X2, CFG, stop=StopAfter(3), save=run_dir.save, save_every=0)
    damage(tmp_path)
    with pytest.raises(GancheckError, match=message) as info:
        RunDir.resume(tmp_path)
    assert "\n" not in str(info.value)


def test_a_finished_run_has_nothing_to_resume(tmp_path):
    run_dir = RunDir(tmp_path, X2, replace(CFG, steps=200))
    train(X2, replace(CFG, steps=200), save=run_dir.save)
    with pytest.raises(GancheckError, match="finished all 200 steps"):
        RunDir.resume(tmp_path)


def test_snapshots_load_without_pickle_and_keep_their_extras(tmp_path):
    saved = []
    train(X2, CFG, stop=StopAfter(2), save=lambda r, s: saved.append(s))
    saved[-1].save(tmp_path / "s.npz", extra={"points": np.arange(6.0).reshape(3, 2)})
    snap, extra = load(tmp_path / "s.npz")
    assert snap.step == 200 and snap.opt_d["t"] == saved[-1].opt_d["t"] == 200
    assert snap.train_rng == saved[-1].train_rng and np.array_equal(extra["points"], np.arange(6.0).reshape(3, 2))


def test_resuming_from_a_state_that_does_not_fit_is_refused():
    saved = []
    train(X2, CFG, stop=StopAfter(2), save=lambda r, s: saved.append(s))
    with pytest.raises(GancheckError, match="differ in shape"):
        train(targets.get("gaussian"), CFG, resume=saved[-1])  # 1-D target: other network sizes
    with pytest.raises(GancheckError, match="block boundary"):
        train(X2, CFG, resume=replace(saved[-1], step=150))
