"""``gancheck verify`` and ``gancheck derive``: the table, exit statuses 0/1/2, LaTeX output, one-line errors."""
import os

import numpy as np
import pytest
import sympy as sp

from derivations import registry
from derivations.core import Claim, Comparison, Derivation
from derivations.independence import oracle
from gancheck import cli


@pytest.fixture(autouse=True)
def only_derive_subcommands(monkeypatch, tmp_path):
    """The parser holds just this module's subcommands (the others belong to other modules and have their own
    tests), and proofs are cached in a fresh directory, never in the user's home."""
    monkeypatch.setattr(cli, "SUBCOMMANDS", {"verify": "derive", "derive": "derive"})
    monkeypatch.setenv("GANCHECK_CACHE_DIR", str(tmp_path / "cache"))


def _rows(out, *names):
    return [line for line in out.splitlines() if line.split()[1:2] and line.split()[1] in names]


def test_verify_prints_one_row_per_result_and_exits_0(capsys, tmp_path):
    assert cli.main(["verify", "entropy", "fdivergences"]) == 0
    out = capsys.readouterr().out
    rows = _rows(out, "entropy", "fdivergences")
    assert len(rows) == 2 and all(row.count("✓") == 2 for row in rows)
    assert "Entropy = −Σ pᵢ log₂ pᵢ" in rows[0]  # the result as the lecture names it
    assert "checked against: mpmath" in out and "checked against: closed forms, scipy" in out
    assert "2/2 verified" in out
    assert cli.main(["verify", "entropy"]) == 0  # second run: the proof comes from the cache, the check runs
    again = capsys.readouterr().out
    assert "✓*" in again and "proof reused" in again
    assert cli.main(["verify", "entropy", "--no-cache"]) == 0
    assert "✓*" not in capsys.readouterr().out


@oracle("constant", "the number 1")
def _one():
    return 1.0


def _broken():
    x = sp.Symbol("x")
    return Derivation("broken", "1 = 2", "nowhere", (), (Claim("x", x, sp.Integer(2), sp.Integer(1)),),
                      lambda rng, forms: [Comparison("x", np.array(float(forms["x"])), _one(), 0.0, 0.0)])


def test_verify_exits_1_and_names_what_failed(monkeypatch, capsys):
    real_get = registry.get
    monkeypatch.setattr(registry, "names", lambda: ["entropy", "broken"])
    monkeypatch.setattr(registry, "_ENTRIES", {**registry._ENTRIES, "broken": None})
    monkeypatch.setattr(registry, "get", lambda name: _broken() if name == "broken" else real_get(name))
    assert cli.main(["verify", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "not verified: x" in out and "numeric: x" in out and "1/2 verified" in out


def test_a_crashing_derivation_is_a_failed_row_not_a_traceback(monkeypatch, capsys):
    def crash(name):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(registry, "get", crash)
    assert cli.main(["verify", "bce"]) == 1
    assert "error: ZeroDivisionError: boom" in capsys.readouterr().out


def test_derive_latex_is_embeddable(capsys):
    assert cli.main(["derive", "disc-backprop", "--latex"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("% Backprop through the discriminator")
    assert "\\begin{aligned}" in out and "\\end{aligned}" in out
    assert r"\bar{z}_{D} &= \frac{- t_{D} + y_{D}}{N}" in out
    assert r"\mathbb{1}\left[g_{D} > 0\right]" in out and "hbar" not in out


def test_derive_text_and_list(capsys):
    assert cli.main(["derive", "bce", "jsd"]) == 0
    out = capsys.readouterr().out
    assert "[bce]" in out and "[jsd]" in out and "result:" in out
    assert cli.main(["derive", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == registry.names()


@pytest.mark.parametrize("argv", [["derive", "nope"], ["verify", "bce", "nope"]])
def test_unknown_name_is_one_line_and_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gancheck: error: unknown derivation 'nope'") and err.count("\n") == 1


def test_verify_all_in_two_workers_keeps_the_order(tmp_path):
    from derivations.proofcache import ProofCache

    names = ["keras-parameters", "entropy", "strong-discriminator"]
    verdicts = list(registry.verify_all(names, cache=ProofCache(tmp_path), workers=2))
    assert [v.name for v in verdicts] == names and all(v.passed for v in verdicts)
    assert 1 <= registry.idle_cores() <= (os.cpu_count() or 1)
