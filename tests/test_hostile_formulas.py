"""Hostile formulas and answer sheets (tests/data/hostile/formulas.toml) through ``gancheck check-sheet`` and
``check-formula``, whose every reading of a student's text happens in the kernel sandbox of
:mod:`gancheck.homework.formulas.sandbox`.

Only safety is asserted, never a verdict (those belong to the formula tests): exit status 0, 1 or 2; one line on
stderr for 2 and never a traceback; bounded output with no control sequence for a terminal; no file written (marker
files, the canaries); no sandbox left behind but the one warm solver; within the solver's time limit per answer.
"""
import json
import os
import tomllib
from pathlib import Path

import pytest

from gancheck.cli import main
from gancheck.homework.formulas import catalogue
from gancheck.homework.formulas.sandbox import shared
from gancheck.homework.isolation.sandbox import running
from gancheck.homework.terminal import _UNSAFE
from hostile import HOSTILE, kernel_sandbox_or_skip

DATA = tomllib.loads((HOSTILE / "formulas.toml").read_text())
GENERATED = {
    "@deep_parentheses": "(" * 5000 + "y" + ")" * 5000,
    "@deep_unary": "-" * 50000 + "y",
    "@long_sum": " + ".join(["y"] * 10000),
    "@long_product": "*".join(["t"] * 10000),
    "@huge_text": "y + " * 10000 + "t",
    "@nested_exp": "exp(" * 500 + "y" + ")" * 500,
    "@deep_yaml": "answers: " + "[" * 10000 + "]" * 10000 + "\n",
    "@deep_toml": "answers = " + "[" * 5000 + "]" * 5000 + "\n",
    "@huge_scalar": 'answers:\n  D:\n    z_bar: "' + "y+" * 100000 + 'y"\n',
    "@too_large": "# " + "x" * 300000 + '\n[answers]\nD.z_bar = "y"\n',
    "@many_answers": "[answers]\n" + "\n".join(f'"Q{i}" = "y"' for i in range(5000)) + "\n",
    "@huge_integer": "[rules]\nfollow_through = " + "9" * 100000 + '\n[answers]\nD.z_bar = "y"\n',
}
QUANTITIES = list(catalogue.entries())
FORMULAS = [GENERATED.get(f, f) for f in DATA["formulas"]]
CHUNKS = [FORMULAS[i:i + len(QUANTITIES)] for i in range(0, len(FORMULAS), len(QUANTITIES))]


def test_the_corpus_has_at_least_a_hundred_formulas_and_sheets():
    assert len(DATA["formulas"]) + len(DATA["sheet"]) >= 100 and len(DATA["sheet"]) >= 15


TAG = f"hostile-formulas-{os.getpid()}"


@pytest.fixture(autouse=True)
def guarded(monkeypatch):
    kernel_sandbox_or_skip()
    monkeypatch.setenv("GANCHECK_SANDBOX_TAG", TAG)
    before = set(Path("/tmp").glob("gancheck-pwned-*"))
    yield
    assert set(Path("/tmp").glob("gancheck-pwned-*")) == before


def safely(capsys, *argv):
    """Run the command; assert the safety invariants; return (status, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), code
    assert "Traceback" not in out + err
    assert len(out) + len(err) < 1 << 20
    assert not _UNSAFE.search(out.replace("\n", "").replace("\t", "") + err.replace("\n", ""))
    if code == 2:
        assert err.startswith("gancheck: error: ") and err.count("\n") == 1, err
    interpreters = [c for _, c in running(TAG) if "bwrap" not in c.split()[0]]
    assert len(interpreters) <= 1, interpreters   # at most the warm solver (with its bubblewrap launcher)
    return code, out, err


def sheet_text(formulas):
    lines = ["[answers]"] + [f"{json.dumps(q)} = {json.dumps(f, ensure_ascii=False)}" for q, f in
                             zip(QUANTITIES, formulas)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("chunk", range(len(CHUNKS)))
def test_a_sheet_of_hostile_formulas_is_answered_safely(capsys, tmp_path, chunk):
    path = tmp_path / f"hostile_{chunk}.toml"
    path.write_text(sheet_text(CHUNKS[chunk]), encoding="utf-8")
    safely(capsys, "check-sheet", path, "--format", "json" if chunk % 2 else "text")


@pytest.mark.parametrize("entry", DATA["sheet"], ids=lambda e: e["name"])
def test_a_hostile_sheet_file_is_refused_or_answered_safely(capsys, tmp_path, entry):
    path = tmp_path / entry["name"]
    if "hex" in entry:
        path.write_bytes(bytes.fromhex(entry["hex"]))
    else:
        path.write_text(GENERATED.get(entry["text"], entry["text"]), encoding="utf-8")
    safely(capsys, "check-sheet", path)


def test_sheets_that_are_not_regular_files_are_one_line(capsys, tmp_path):
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "dir.toml").mkdir()
    (tmp_path / "link.yaml").symlink_to("/etc/passwd")
    for name in ("fifo.toml", "dir.toml", "link.yaml"):
        assert safely(capsys, "check-sheet", tmp_path / name)[0] == 2


@pytest.mark.parametrize("formula", ["1e99999999", "__import__('os').system('touch /tmp/gancheck-pwned-formula')",
                                     "\u001b[2J(y - t)/N", "(y - t)/N"])
def test_check_formula_is_safe_on_its_own(capsys, formula):
    code, out, _ = safely(capsys, "check-formula", "D.z_bar", formula)
    assert code == 0 or "\x1b" not in out


def test_no_formula_sandbox_is_left_behind():
    shared().close()
    assert running(TAG) == []
