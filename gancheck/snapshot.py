"""A training run's state at the start of a block of steps — enough to continue it bit for bit.

Training draws its random numbers a block of :data:`gancheck.history.BLOCK` steps at a time, so at a block boundary
everything still to come depends only on the parameters of both networks, the optimisers' moments, G's parameter
average, the two random generators and the step. A :class:`Snapshot` copies exactly that (plus the time spent so far);
:meth:`Snapshot.save` and :func:`load` keep it in one ``.npz`` file of plain arrays, which loads without pickle.
"""
import json
import os
import zipfile
from dataclasses import dataclass, field

import numpy as np

from . import GancheckError
from .history import BLOCK, COLUMNS


@dataclass
class Snapshot:
    step: int                 # steps done; the next block starts here
    G_theta: np.ndarray
    D_theta: np.ndarray
    opt_d: dict               # each optimiser's arrays and numbers (Adam's moments and step count, ...)
    opt_g: dict
    ema: np.ndarray | None    # G's parameter average, when the run keeps one
    train_rng: dict           # numpy bit-generator states
    eval_rng: dict
    n_checkpoints: int        # evaluations done so far
    train_seconds: float
    eval_seconds: float
    # Not in the file: what a run directory adds when resuming, so that the result is the uninterrupted run's.
    history: dict | None = None                            # column → the rows of the steps before ``step``
    checkpoints: list = field(default_factory=list)        # the evaluations before ``step``

    def save(self, path, extra=None):
        """Write to ``path`` atomically (a reader, or a crash, never sees half a file), with the arrays ``extra``
        (name → array) that :func:`load` gives back beside the snapshot."""
        arrays = {"G_theta": self.G_theta, "D_theta": self.D_theta}
        arrays.update({f"extra:{name}": value for name, value in (extra or {}).items()})
        if self.ema is not None:
            arrays["ema"] = self.ema
        numbers = {}
        for name in ("opt_d", "opt_g"):
            for key, value in getattr(self, name).items():
                if isinstance(value, np.ndarray):
                    arrays[f"{name}.{key}"] = value
                else:
                    numbers[f"{name}.{key}"] = value
        meta = {"step": self.step, "train_rng": self.train_rng, "eval_rng": self.eval_rng, "numbers": numbers,
                "n_checkpoints": self.n_checkpoints, "train_seconds": self.train_seconds,
                "eval_seconds": self.eval_seconds}
        tmp = f"{path}.tmp"
        with open(tmp, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta)), **arrays)
        os.replace(tmp, path)


def load(path):
    """``(snapshot, extra)`` saved in ``path``; a damaged or foreign file raises :class:`GancheckError`."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        meta = json.loads(str(arrays.pop("meta")))
        extra = {key.split(":", 1)[1]: arrays.pop(key) for key in list(arrays) if key.startswith("extra:")}
        opts = {"opt_d": {}, "opt_g": {}}
        for key, value in [*arrays.items(), *meta["numbers"].items()]:
            if "." in key:
                name, attr = key.split(".", 1)
                opts[name][attr] = value
        snapshot = Snapshot(meta["step"], arrays["G_theta"], arrays["D_theta"], opts["opt_d"], opts["opt_g"],
                            arrays.get("ema"), meta["train_rng"], meta["eval_rng"], meta["n_checkpoints"],
                            meta["train_seconds"], meta["eval_seconds"])
        return snapshot, extra
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise GancheckError(f"{path}: not a gancheck training state ({exc})") from None


def state_of(optimiser):
    """An optimiser's state: copies of its arrays and its numbers (learning rate, step count, constants)."""
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in vars(optimiser).items()
            if isinstance(v, (np.ndarray, int, float))}


def restore(optimiser, state):
    """Put ``state`` (from :func:`state_of`) back into ``optimiser``, arrays in place."""
    for key, value in state.items():
        current = getattr(optimiser, key)
        if isinstance(current, np.ndarray):
            if current.shape != np.shape(value):
                raise GancheckError(f"saved optimiser state {key!r} has shape {np.shape(value)}, "
                                    f"expected {current.shape}")
            current[...] = value
        else:
            setattr(optimiser, key, type(current)(value))


def capture(step, G, D, opt_d, opt_g, ema, train_rng, eval_rng, result):
    """The :class:`Snapshot` of a run of :func:`gancheck.train.train` at the block boundary ``step``: copies, so that
    training on does not change it."""
    return Snapshot(step, G.theta.copy(), D.theta.copy(), state_of(opt_d), state_of(opt_g),
                    None if ema is None else ema.avg.copy(), train_rng.bit_generator.state,
                    eval_rng.bit_generator.state, len(result.checkpoints), result.seconds, result.eval_seconds)


def restore_run(snap, cfg, G, D, opt_d, opt_g, ema, train_rng, eval_rng, result):
    """Load ``snap`` into a freshly built run of :func:`gancheck.train.train` (networks, optimisers, G's average,
    random generators, and the result so far); returns the step to continue from."""
    if snap.step % BLOCK or not 0 < snap.step < cfg.steps:
        raise GancheckError(f"cannot resume at step {snap.step} of {cfg.steps}: a run continues from a block boundary "
                            "before its end")
    for name, theta, saved in (("G", G.theta, snap.G_theta), ("D", D.theta, snap.D_theta),
                               ("G's average", None if ema is None else ema.avg, snap.ema)):
        if (theta is None) != (saved is None) or (theta is not None and theta.shape != saved.shape):
            raise GancheckError(f"the saved state does not fit this run: {name}'s parameters differ in shape")
        if theta is not None:
            theta[:] = saved
    restore(opt_d, snap.opt_d)
    restore(opt_g, snap.opt_g)
    train_rng.bit_generator.state, eval_rng.bit_generator.state = snap.train_rng, snap.eval_rng
    result.seconds, result.eval_seconds = snap.train_seconds, snap.eval_seconds
    if snap.history is not None:
        for name in COLUMNS:
            result.history[name][:snap.step] = snap.history[name][:snap.step]
    result.checkpoints = list(snap.checkpoints)
    return snap.step
