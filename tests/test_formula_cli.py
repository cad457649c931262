"""``gancheck check-formula`` / ``check-sheet``: output and exit status (0 all correct, 1 something wrong, 2 unusable
input), through the real CLI frame."""
import json
from pathlib import Path

import pytest

import gancheck.cli as cli
from gancheck.homework.formulas import catalogue

SHEETS = Path(__file__).parent / "data" / "sheets"
ASSIGNMENTS = Path(__file__).parent / "data" / "assignments"


@pytest.fixture
def run(monkeypatch, capsys):
    # Only this module's subcommands: the frame imports every registered module, and the others are not ours.
    monkeypatch.setattr(cli, "SUBCOMMANDS", {"check-formula": "formulas", "check-sheet": "formulas"})

    def invoke(*argv):
        try:
            code = cli.main(list(argv))
        except SystemExit as exit:  # argparse's own exits: --list and --template, as --version
            code = exit.code
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


def test_check_formula_exit_codes(run):
    code, out, _ = run("check-formula", "D.W_bar", "z_bar*h")
    assert code == 0 and out.startswith("✓ D.W_bar") and "equivalent" in out
    code, out, _ = run("check-formula", "D.W_bar", "2*z_bar*h")
    assert code == 1 and "spurious constant factor 2" in out and "counterexample: at" in out
    code, out, err = run("check-formula", "D.W_bar", "z_bar*h.__class__")
    assert code == 2 and out == "" and err == "gancheck: error: attribute access is not allowed at column 7\n"
    code, _, err = run("check-formula", "D.nothing", "1")
    assert code == 2 and err.startswith("gancheck: error: unknown quantity 'D.nothing'")


def test_check_formula_latex_and_json(run):
    code, out, _ = run("check-formula", "G.g_bar", r"\bar{h}\,\mathbb{1}[g \geq 0]", "--format", "json")
    verdict = json.loads(out)
    assert code == 0 and verdict["status"] == "equivalent" and "≥ convention" in verdict["notes"][0]
    code, out, _ = run("check-formula", "--loss", "minimax", "G.D.z_bar", "--", "-D.y/N")  # -- before a leading -
    assert code == 0


def test_check_sheet_text_and_json(run):
    code, out, _ = run("check-sheet", str(SHEETS / "correct.toml"))
    n = len(catalogue.entries())  # every quantity of the catalogue is answered, and right
    assert code == 0 and out.rstrip().endswith(f"score {n} / {n} ({n} equivalent)")
    code, out, _ = run("check-sheet", str(SHEETS / "follow_through.toml"), "--format", "json", "--assignment",
                       str(ASSIGNMENTS / "follow_through_half.toml"))
    report = json.loads(out)
    assert code == 1 and report["score"] == 3.5 and report["total"] == 6 and not report["all_correct"]
    assert sum(v["follow_through"] for v in report["verdicts"]) == 3


def test_check_sheet_unusable_input(run, tmp_path):
    code, _, err = run("check-sheet", str(tmp_path / "missing.toml"))
    assert code == 2 and err.startswith("gancheck: error:") and err.count("\n") == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[rules]\nfollow_through = 1\n[answers]\n"D.z_bar" = "1"\n')
    code, _, err = run("check-sheet", str(bad))
    assert code == 2 and "cannot set points or rules" in err and err.count("\n") == 1
    code, _, err = run("check-sheet", str(SHEETS / "correct.toml"), "--assignment", str(bad))
    assert code == 2 and "[assignment] and [points] only" in err


def test_list_and_template(run, tmp_path):
    code, out, _ = run("check-formula", "--list")
    assert code == 0 and "D.z_bar" in out and "∂L/∂z" in out and "may use: z_bar, h_bar" in out
    assert "forward names: x, g, h, z, y, t, U, b, W, c, N" in out
    assert "y - t" not in out and "Heaviside(g" not in out  # the references are not given away
    code, out, _ = run("check-sheet", "--template")
    assert code == 0 and out.count(' = ""') == len(catalogue.entries()) + 1  # every quantity and the student
    starter = tmp_path / "answers.toml"
    starter.write_text(out.replace('\nD.z_bar = ""', '\nD.z_bar = "(y - t)/N"'))
    code, out, _ = run("check-sheet", str(starter))
    assert code == 0 and out.rstrip().endswith("score 1 / 1 (1 equivalent)")


def test_overflow_and_hostile_text_give_verdicts_not_tracebacks(run):
    code, out, err = run("check-formula", "D.z_bar", "exp(1000)")
    assert code == 1 and out.startswith("✗ D.z_bar") and "yours 1.97007e+434" in out and err == ""
    code, out, err = run("check-formula", "D.z_bar", "exp(exp(exp(exp(exp(1000)))))")
    assert code == 1 and out.startswith("? D.z_bar") and "too large to evaluate" in out and err == ""
    code, out, err = run("check-formula", "D.z_bar", "1e99999999")
    assert code == 2 and out == "" and "out of range" in err and err.count("\n") == 1
    code, out, err = run("check-formula", "D.z_bar", "y\x1b[2J - t")
    assert code == 2 and "\x1b" not in err and "U+001B" in err
    code, out, err = run("check-formula", "D.z\x1b]8;;x\x07bar", "y")
    assert code == 2 and "\x1b" not in err and "\\x1b" in err
