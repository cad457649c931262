"""The browser mode (gancheck.homework.formulas.browser) against the command line's: the same verdicts,
counterexamples, diagnoses and text on every shipped sheet and on right and wrong answers to every catalogue quantity —
the browser side run in a fresh interpreter that has *only* the files ``browser.files()`` names, SymPy and mpmath,
with NumPy, SciPy, PyYAML, Hypothesis and matplotlib unimportable and no subprocess able to start."""
import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from gancheck.homework.formulas import browser, catalogue, report
from gancheck.homework.formulas.engine import check_formula, check_sheet, in_child
from gancheck.homework.formulas.sheet import read_text, sheet_from_text

from absent import ABSENT

pytestmark = pytest.mark.xdist_group("formula_browser")  # one worker computes the module-scoped fixture once

ROOT = Path(__file__).resolve().parents[1]
SHEETS = sorted((ROOT / "tests" / "data" / "sheets").iterdir())

# The browser's side: everything a page would run, in an interpreter that cannot reach what a page lacks.
_BROWSER = ABSENT + r"""
import json, subprocess, sys, time
def _no_process(*args, **kwargs):
    raise RuntimeError("no subprocess in the browser")
subprocess.Popen.__init__ = _no_process
start = time.perf_counter()
from gancheck.homework.formulas import browser
singles, sheets = json.loads(sys.stdin.read())
out = {"singles": [browser.check(q, a) for q, a in singles], "first": None,
       "sheets": [browser.check_sheet(answers, syntax=syntax, loss=loss) for answers, syntax, loss in sheets]}
out["loaded"] = sorted(m.__file__ for m in list(sys.modules.values()) if getattr(m, "__file__", None))
print(json.dumps(out))
"""


def _answers_to_every_quantity():
    """The correct sheet's answer to every quantity, and two wrong ones (a factor 2, an extra 1/N — or + 1/2 for a
    lecture result, which has no N)."""
    right = sheet_from_text(*read_text(ROOT / "tests" / "data" / "sheets" / "correct.toml")).answers
    assert set(right) == set(catalogue.entries())
    return [(q, a) for q, text in right.items()
            for a in (text, f"2*({text})", f"({text})/N" if catalogue.entry(q).claim is None else f"({text}) + 1/2")]


def _sheet(path):
    sheet = sheet_from_text(*read_text(path), str(path))
    return sheet, [sheet.answers, sheet.syntax, sheet.loss or "nonsaturating"]


def _browser_side(tmp_path, singles, sheets):
    for name in browser.files():  # only these files: a missing one fails the import
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    site = sysconfig.get_paths()["purelib"]  # SymPy and mpmath; -S keeps the editable gancheck out of the path
    env = {"PYTHONPATH": f"{tmp_path}:{site}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-S", "-c", _BROWSER], input=json.dumps([singles, sheets]),
                         capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def _cli_result(v):
    return {"verdict": v.status, "text": "\n".join(report.verdict_lines(v)), "counterexample": v.counterexample,
            "counterexample_text": v.counterexample and report.counterexample_text(v.counterexample),
            "diagnosis": "; ".join(v.diagnosis) or None}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    singles = _answers_to_every_quantity()
    sheets = [_sheet(path) for path in SHEETS]
    browser_side = _browser_side(tmp_path_factory.mktemp("browser"), singles, [s[1] for s in sheets])
    return singles, sheets, browser_side


def test_the_browser_gives_the_command_lines_verdict_on_every_quantity(both):
    singles, _, browser_side = both
    for (quantity, answer), seen in zip(singles, browser_side["singles"]):
        assert seen == _cli_result(check_formula(quantity, answer, judge=in_child())), (quantity, answer)
    assert {s["verdict"] for s in browser_side["singles"]} == {"equivalent", "not equivalent"}


def test_the_browser_gives_the_command_lines_verdicts_on_every_shipped_sheet(both):
    _, sheets, browser_side = both
    for (sheet, _), seen in zip(sheets, browser_side["sheets"]):
        result = check_sheet(sheet, judge=in_child())
        want = {v.quantity: {**_cli_result(v), "follow_through": v.follow_through} for v in result.verdicts}
        assert seen["verdicts"] == want, sheet.path
        assert (seen["score"], seen["total"]) == (result.score, result.total)
        assert seen["text"].splitlines()[1:] == report.text_report(result).splitlines()[1:]  # but the file name
    assert len(browser_side["sheets"]) == len(SHEETS) >= 15


def test_files_names_exactly_what_the_browser_loads(both, tmp_path_factory):
    loaded = {Path(f).as_posix() for f in both[2]["loaded"]}
    ours = {name for name in browser.files() if name.endswith(".py")}
    assert all(any(f.endswith("/" + name) for f in loaded) for name in ours)  # every listed module is used
    outside = {f for f in loaded if "site-packages" not in f and "/lib/python3" not in f}
    assert all(any(f.endswith("/" + name) for name in ours) for f in outside), outside  # and nothing else
    assert "gancheck/homework/formulas/catalogue.toml" in browser.files()


def test_the_browser_contract():
    r = browser.check("D.z_bar", "y - t")
    assert set(r) == {"verdict", "text", "counterexample", "counterexample_text", "diagnosis"}
    assert json.loads(json.dumps(r)) == r and "counterexample: " + r["counterexample_text"] in r["text"]
    assert r["verdict"] == "not equivalent" and r["diagnosis"] == "missing 1/N"
    assert set(r["counterexample"]) == {"point", "student", "correct"} and r["text"].startswith("✗ D.z_bar")
    assert browser.check("D.z_bar", "(y - t)/N") == {"verdict": "equivalent", "counterexample": None,
                                                      "counterexample_text": None, "diagnosis": None, "text": "✓ D.z_bar    equivalent      (y - t)/N"}
    bad = browser.check("D.W_bar", "z_bar*h +")
    assert bad["verdict"] == "invalid" and "syntax error" in bad["text"] and bad["counterexample"] is None
    unknown = browser.check("D.zbar", "(y - t)/N")
    assert unknown["verdict"] == "invalid" and "did you mean D.z_bar" in unknown["text"]
    with pytest.raises(TypeError):
        browser.check("D.z_bar", None)
