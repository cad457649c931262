"""The directory of a ``gancheck train`` run: written as training goes, read back by ``gancheck train --resume``.

:data:`FILES` says what each file holds; ``metrics.json`` repeats that and carries a legend of every key it has — meaning,
unit, which way is better, and what two independent samples of the target score (what a perfect generator would).
Each file is replaced atomically, so a run killed at any moment leaves the previous, complete version behind.
"""
import json
import math
import os
import warnings
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from . import GancheckError, metrics, targets
from .history import COLUMNS
from .snapshot import load
from .train import TrainConfig

FILES = {
    "metrics.json": "how the run ended and where, the last evaluation, every evaluation, the times, the "
                    "configuration, and a legend of every key",
    "history.csv": "one row per training step: " + ", ".join(COLUMNS) + " (see legend.history)",
    "state.npz": "the state to continue from (both networks, optimisers, random generators) and the generated "
                 "points of the last evaluations: gancheck train --resume DIR",
    "curves.png": "losses and D's mean outputs over the steps",
    "scatter.png": "real and generated points at the last evaluations",
}
SCATTER_PANELS = 6  # evaluations whose generated points are kept for scatter.png

_TIMES = {
    "train_seconds": "wall-clock time spent in the training steps, over every session of this run (evaluations, "
                     "saving and start-up excluded)",
    "eval_seconds": "wall-clock time spent evaluating the generator at checkpoints, over every session",
    "command_seconds": "wall-clock time of the last gancheck train command as a whole: imports, training, "
                       "evaluations, figures and files",
}


class RunDir:
    """The files of one run in ``path``. ``save`` is :func:`gancheck.train.train`'s ``save`` callback."""

    def __init__(self, path, target, config, rows_written=0):
        self.path, self.target, self.config = Path(path), target, config
        self.rows_written = rows_written  # history rows already in history.csv
        self.cut_at = rows_written or None  # resuming: rows after the state are cut, once training writes again
        self.result, self.stopped_by, self._floor = None, None, None

    def save(self, result, snapshot):
        self.result = result
        self._append_history(result.history, result.steps_done)
        if snapshot is not None:
            samples = {str(c["step"]): c["samples"] for c in result.checkpoints[-SCATTER_PANELS:] if "samples" in c}
            snapshot.save(self.path / "state.npz", extra=samples)
        self.write_metrics(result)

    def _append_history(self, history, steps_done):
        path = self.path / "history.csv"
        if self.rows_written == 0:
            path.write_text("step," + ",".join(COLUMNS) + "\n")
        elif self.cut_at is not None:
            _truncate_history(path, self.cut_at)
            self.cut_at = None
        if steps_done > self.rows_written:
            rows = np.column_stack([history[c][self.rows_written:steps_done] for c in COLUMNS]).tolist()
            with open(path, "a") as fh:  # repr: the shortest text that reads back as the same float
                fh.writelines(f"{step},{','.join(map(repr, row))}\n"
                              for step, row in enumerate(rows, self.rows_written + 1))
            self.rows_written = steps_done

    def note(self, result):
        """One sentence: how the run ended, and where."""
        done, total = f"{result.steps_done:,}", f"{self.config.steps:,}"
        if result.status == "finished":
            return f"finished all {total} steps"
        if result.status == "diverged":
            return f"{result.message}; history.csv holds every step up to it"
        how = f" by {self.stopped_by.name}" if self.stopped_by else ""
        verb = "stopped" if result.status == "stopped" else "running (or killed)"
        return f"{verb} at step {done} of {total}{how}; continue with: gancheck train --resume {self.path}"

    def write_metrics(self, result, command_seconds=None):
        checkpoints = [{"step": c["step"], **c["metrics"]} for c in result.checkpoints]
        data = {
            "about": "metrics of a gancheck train run: 'legend' explains every key, 'files' every file here",
            "status": result.status, "note": self.note(result),
            "target": self.target.name, "target_description": self.target.description,
            "steps_done": result.steps_done, "steps": self.config.steps,
            "final": checkpoints[-1] if checkpoints else None,
            "checkpoints": checkpoints,
            "train_seconds": result.seconds, "eval_seconds": result.eval_seconds,
            **({"command_seconds": command_seconds} if command_seconds is not None else {}),
            "config": asdict(self.config),
            "legend": self._legend(checkpoints), "files": FILES,
        }
        _write_atomically(self.path / "metrics.json", json.dumps(_finite(data), indent=2, allow_nan=False) + "\n")

    def _legend(self, checkpoints):
        if self._floor is None:  # what a perfect generator scores at this sample size (drawn once per run)
            self._floor = metrics.floor(self.target, self.config.n_eval,
                                        np.random.default_rng([self.config.seed, 7]))
        keys = [k for k in metrics.LEGEND if any(k in c for c in checkpoints) or k in self._floor]
        legend = {k: {**metrics.LEGEND[k], **({"two_target_samples": self._floor[k]} if k in self._floor else {})}
                  for k in keys}
        return {
            "status": "finished, stopped (a signal; resumable), running (still going, or killed: resumable from "
                      "state.npz) or diverged (a loss or parameter stopped being finite)",
            "steps_done": "training steps done so far (one generator update each, after config.k D updates)",
            "final": "the last entry of checkpoints",
            "checkpoints": f"the generated distribution evaluated every config.checkpoint_every steps on "
                           f"config.n_eval = {self.config.n_eval} points; 'step' is the number of steps done",
            "metrics": legend,
            "two_target_samples": "what two independent samples of the target score: the value a perfect "
                                  "generator reaches at this sample size",
            **_TIMES,
            "history": {"step": "the step's number, from 1", **{k: f"{m} [{u}]" for k, (m, u) in COLUMNS.items()}},
        }

    @classmethod
    def resume(cls, path):
        """``(run_dir, snapshot)`` of the unfinished run in ``path``: configuration and target from metrics.json,
        state from state.npz, the history of the steps before it from history.csv."""
        path = Path(path)
        try:
            info = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
            config = TrainConfig(**info["config"])
            target = targets.get(info["target"])
            status, checkpoints = info["status"], info["checkpoints"]
        except FileNotFoundError:
            raise GancheckError(f"{path}: no training run to resume (no metrics.json)") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise GancheckError(f"{path}/metrics.json: not a gancheck training run ({exc})") from None
        if status == "finished":
            raise GancheckError(f"{path}: the run has finished all {config.steps:,} steps; nothing to resume")
        if not (path / "state.npz").exists():
            raise GancheckError(f"{path}: no state.npz to resume from ({info.get('note', status)})")
        snapshot, samples = load(path / "state.npz")
        try:
            with warnings.catch_warnings():  # an empty history is reported below, in one line
                warnings.simplefilter("ignore", UserWarning)
                rows = np.loadtxt(path / "history.csv", delimiter=",", skiprows=1, max_rows=snapshot.step, ndmin=2)
        except (OSError, ValueError) as exc:
            raise GancheckError(f"{path}/history.csv: unreadable ({exc})") from None
        if rows.shape != (snapshot.step, len(COLUMNS) + 1):
            raise GancheckError(f"{path}/history.csv: {len(rows)} complete rows, the state needs {snapshot.step}")
        kept = [c for c in checkpoints if c["step"] <= snapshot.step][:snapshot.n_checkpoints]
        history = {name: rows[:, i + 1] for i, name in enumerate(COLUMNS)}
        snapshot = replace(snapshot, history=history, checkpoints=[
            {"step": c["step"], "metrics": {k: v for k, v in c.items() if k != "step"},
             **({"samples": samples[str(c["step"])]} if str(c["step"]) in samples else {})} for c in kept])
        return cls(path, target, config, rows_written=snapshot.step), snapshot


def unfinished(path):
    """The note of the unfinished (resumable) run in ``path``, or ``None``."""
    try:
        info = json.loads((Path(path) / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(info, dict) and info.get("status") in ("stopped", "running") and (Path(path) / "state.npz").exists():
        return info.get("note", "unfinished")
    return None


def _finite(obj):
    """``obj`` with every NaN or infinity replaced by ``None``: metrics.json stays JSON that any reader accepts."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return None if isinstance(obj, float) and not math.isfinite(obj) else obj


def _truncate_history(path, rows):
    """Keep the header and the first ``rows`` rows (a resumed run rewrites the steps after its state)."""
    with open(path, "rb+") as fh:
        for _ in range(rows + 1):
            fh.readline()
        fh.truncate()


def _write_atomically(path, text):
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
