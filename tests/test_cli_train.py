"""``gancheck train`` end to end, and its one-line errors with exit status 2."""
import json
import subprocess
import sys

import pytest

from gancheck.cli import main


def test_train_writes_metrics_and_figures(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--target", "x2", "--steps", "300", "--seed", "0", "--out", str(out), "--no-progress"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("curve_error", "domain_coverage", "in_domain", "w1", "sliced_w1", "mmd", "acc_real", "acc_fake"):
        assert isinstance(metrics[key], float), key
    assert [cp["step"] for cp in metrics["checkpoints"]] == [60, 120, 180, 240, 300]
    for png in ("curves.png", "scatter.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "curve_error=" in capsys.readouterr().out


def test_readme_quickstart_trains_with_its_progress_bar(tmp_path):
    # The README's line, as a user types it: the progress bar is on by default.
    cmd = [sys.executable, "-m", "gancheck", "train", "--target", "x2", "--steps", "300", "--out", str(tmp_path / "x2")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "train x2 [" in proc.stderr and "300/300" in proc.stderr
    assert json.loads((tmp_path / "x2" / "metrics.json").read_text())["checkpoints"][-1]["step"] == 300


@pytest.mark.parametrize("args, message", [
    (["--target", "x3"], "unknown target 'x3'"),
    (["--steps", "-5"], "steps must be a positive integer"),
    (["--lr", "nan"], "d_lr must be a finite number"),
    (["--preset", "fast"], "unknown preset 'fast'"),
    (["--out", "/proc/gancheck-cannot-write"], "cannot create output directory"),
    (["--steps", "ten"], "invalid int value"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path):
    cmd = [sys.executable, "-m", "gancheck", "train", "--no-progress", "--out", str(tmp_path / "o"), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert message in proc.stderr and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
