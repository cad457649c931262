"""``gancheck train`` end to end: its files and what they say, its progress bar on a terminal (and silence elsewhere),
and its work kept through a real SIGINT or SIGTERM and a ``--resume``. Bad arguments: tests/test_cli_bad_inputs.py."""
import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time

import numpy as np

from gancheck.cli import main
from gancheck.history import COLUMNS

GANCHECK = [sys.executable, "-m", "gancheck"]


def test_train_writes_metrics_history_state_and_figures(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--target", "x2", "--steps", "300", "--seed", "0", "--out", str(out), "--no-progress"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["status"] == "finished" and metrics["steps_done"] == 300
    assert [cp["step"] for cp in metrics["checkpoints"]] == [60, 120, 180, 240, 300]
    final = metrics["final"]
    for key in ("curve_error", "domain_coverage", "in_domain", "w1", "sliced_w1", "mmd2", "mmd2_se", "acc_real",
                "acc_fake"):
        assert isinstance(final[key], float), key
        assert {"meaning", "unit", "better"} <= set(metrics["legend"]["metrics"][key]), key
    # what a perfect generator scores on this target, at this sample size
    assert metrics["legend"]["metrics"]["curve_error"]["two_target_samples"] == 0.0
    # the times say what they measure: the whole command takes longer than its training steps
    assert 0 < metrics["train_seconds"] < metrics["command_seconds"] and metrics["eval_seconds"] > 0
    assert set(metrics["files"]) == {"metrics.json", "history.csv", "state.npz", "curves.png", "scatter.png"}
    assert set(metrics["legend"]["history"]) == {"step", *COLUMNS}
    rows = np.loadtxt(out / "history.csv", delimiter=",", skiprows=1)
    assert rows.shape == (300, 1 + len(COLUMNS))
    for png in ("curves.png", "scatter.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "curve_error=" in capsys.readouterr().out


def run_in_terminal(cmd, timeout=120):
    """Run ``cmd`` with its stderr on a pseudo-terminal, as a user's shell would; returns (status, stderr text)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty has 0 columns
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=10), b"".join(chunks).decode(errors="replace")


def test_the_progress_bar_shows_on_a_terminal_and_nowhere_else(tmp_path, capsys):
    status, shown = run_in_terminal([*GANCHECK, "train", "--steps", "300", "--out", str(tmp_path / "tty")])
    assert status == 0 and "train x2" in shown and "300/300" in shown and "step" in shown
    assert main(["train", "--steps", "300", "--out", str(tmp_path / "pipe")]) == 0
    assert capsys.readouterr().err == ""  # a log, a pipe or a test's capture gets no bar


def _start(args, tmp_path):
    return subprocess.Popen([*GANCHECK, "train", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path)


def _wait_for_rows(history, more_than, proc, timeout=60):
    """Wait until ``history`` holds more than ``more_than`` rows: training is under way, its handlers installed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if history.exists() and history.read_text().count("\n") > more_than + 1:
            return
        time.sleep(0.05)
    raise AssertionError(f"training did not get going: {proc.poll()}")


def test_sigint_and_sigterm_keep_the_work_and_resume_continues_it(tmp_path):
    out = tmp_path / "run"
    args = ["--steps", "40000", "--checkpoint-every", "200", "--save-every", "0", "--out", str(out)]
    # Ctrl-C (SIGINT): training stops at the next block, writes everything, says where and how to go on.
    proc = _start(args, tmp_path)
    _wait_for_rows(out / "history.csv", 300, proc)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr.count("\n") == 1 and "stopped at step" in stderr and f"--resume {out}" in stderr
    first = json.loads((out / "metrics.json").read_text())
    stopped_at = first["steps_done"]
    assert first["status"] == "stopped" and stopped_at % 100 == 0 and "SIGINT" in first["note"]
    assert (out / "history.csv").read_text().count("\n") == stopped_at + 1 and (out / "curves.png").exists()
    kept = (out / "history.csv").read_text()
    # Training again into the same directory without --resume would lose it: refused.
    again = subprocess.run([*GANCHECK, "train", "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "unfinished run" in again.stderr
    # SIGTERM during the resumed run: the same, with status 143.
    proc = _start(["--resume", str(out), "--save-every", "0"], tmp_path)
    _wait_for_rows(out / "history.csv", stopped_at + 300, proc)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "SIGTERM" in stderr
    second = json.loads((out / "metrics.json").read_text())
    assert second["status"] == "stopped" and second["steps_done"] > stopped_at
    assert (out / "history.csv").read_text().startswith(kept)  # the first session's rows, unchanged
    assert second["train_seconds"] > first["train_seconds"]   # time adds up over sessions


def test_a_diverging_run_writes_what_it_did_and_exits_1(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--lr", "1e300", "--steps", "500", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "diverged at step" in err
    info = json.loads((out / "metrics.json").read_text())
    assert info["status"] == "diverged" and info["steps_done"] >= 1
    assert (out / "history.csv").read_text().count("\n") == info["steps_done"] + 1


def test_the_help_names_every_target_preset_and_loss(capsys):
    # the help lists them as text, so that building the parser never imports NumPy: kept in step with the tables
    from gancheck.targets import TARGETS
    from gancheck.train import LOSSES, PRESETS

    assert main(["train", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert all(name in shown for name in [*TARGETS, *LOSSES, *PRESETS])
