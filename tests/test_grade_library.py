"""The submissions library graded as a class: every verdict pinned, every hostile submission contained.

One module-scoped batch grades the whole library (tests/data/submissions: the two correct files and every entry of
library.toml, materialised) in two processes, plus a notebook made from one of the scripts, with a grading assignment
whose limits are tighter than the built-in one (1 s per call, 10 examples per check) so the area stays fast; the
checks themselves are the built-in assignment's.
"""
import ast
import csv
import dataclasses
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from gancheck import GancheckError
from gancheck.homework.code import grade_directory, library, load_assignment
from gancheck.homework.isolation.sandbox import running

pytestmark = pytest.mark.xdist_group("grade_library")  # one worker computes the module-scoped fixture once

LIBRARY = Path(__file__).parent / "data" / "submissions"
WHOLE_FILES = ("correct.py", "correct_notebook.ipynb")
PLANTED = Path("/tmp/gancheck-planted-results.json")



def line_of(name, start):
    """The number of the first line of submission ``name`` that starts with ``start``."""
    return next(i for i, line in enumerate(library.text(name).splitlines(), 1) if line.startswith(start))


# where forward_gen's unparsable block lies in syntax_error.py: from its def to the next definition
BROKEN_BLOCK = "lines {}–{}".format(line_of("syntax_error", "def forward_gen("),
                                    line_of("syntax_error", "def grad_decent_dis(") - 1)

# submission → {failed item: a phrase its evidence must contain}; every other item must pass
EXPECTED = {
    "correct": {},
    "correct_notebook": {},
    "output_flood": {},
    "wrong_sign": {"grad_decent_dis · step": "every gradient has the wrong sign"},
    "missing_1_over_N": {
        "loss_stable · value": "grows like N: the 1/N of the mean is missing",
        "loss_stable · stable": "times too large",
        "grad_decent_dis · loss": "N = 2 times too large",
        "grad_decent_dis · step": "every gradient grows like N",
        "grad_decent_gen · loss": "N = 2 times too large",
        "grad_decent_gen · step": "every gradient grows like N",
    },
    "transposed_gradient": {
        "grad_decent_dis · step": "∂l/∂U has its elements in the wrong order: it is the transpose (2, 25) read back",
        "grad_decent_gen · step": "∂l/∂Ug has its elements in the wrong order: it is the transpose (5, 15) read back",
    },
    "wrong_mask": {
        "grad_decent_dis · step": "gradient descent with the ReLU mask replaced by relu(g)",
        "grad_decent_gen · step": "replaced by relu(g) (the activation where its derivative belongs) in both backwards",
    },
    "saturating": {
        "grad_decent_gen · loss": "your l is the saturating loss",
        "grad_decent_gen · step": "with the saturating loss log(1 − D(G(z)))",
    },
    "inplace_drelu": {"drelu · unchanged": "overwrites its argument"},
    "syntax_error": {
        "forward_gen · defined": "not defined",
        "grad_decent_gen · loss": f"forward_gen is defined at syntax_error.py, {BROKEN_BLOCK}, which does not parse",
        "grad_decent_gen · step": "NameError",
    },
    "infinite_loop": {f: "did not finish within 1 s" for f in (
        "forward_dis · outputs", "forward_dis · stable", "grad_decent_dis · loss", "grad_decent_dis · step",
        "grad_decent_gen · loss", "grad_decent_gen · step")},
    "sys_exit": {
        "loss_stable · value": "fails for N = 1, t = [0.], z = [0.]: raises SystemExit: batch too small",
        "loss_stable · stable": "SystemExit",
        "drelu · values": "the function called sys.exit()",
        "drelu · unchanged": "SystemExit",
    },
    "os_exit": {f: "the process exited (status 3" for f in (
        "forward_gen · outputs", "grad_decent_gen · loss", "grad_decent_gen · step")},
    "memory_bomb": {
        "forward_dis · outputs": "MemoryError: Unable to allocate 74.5 GiB",
        "forward_dis · stable": "MemoryError: Unable to allocate 74.5 GiB",
        "grad_decent_dis · loss": "",   # a MemoryError or, on a busy machine, the time limit: both contained
        "grad_decent_dis · step": "",
    },
    "nan_returns": {
        "loss_stable · stable": "contains NaN — e^(±z) overflows",
        "forward_gen · outputs": "fails for N = 1: y contains NaN",
        "grad_decent_gen · loss": "NaN",
        "grad_decent_gen · step": "NaN",
    },
    "monkeypatch_numpy": {
        "forward_dis · outputs": "y is zero; z is zero; H is zero; G is zero",
        "forward_dis · stable": "y = σ(z) is wrong: σ(",
        "grad_decent_gen · loss": "drew no batch",
        "grad_decent_gen · step": "drew no batch",
    },
    "reads_reference": {
        "loss_stable · value": "No module named 'gancheck'",
        "loss_stable · stable": "No module named 'gancheck'",
        "forward_dis · outputs": "does not allow glob.glob",
        "forward_dis · stable": "does not allow glob.glob",
        "grad_decent_gen · loss": "does not allow opening '../../results.json'",
        "grad_decent_gen · step": "does not allow opening",
    },
    "forks": {
        "drelu · values": "does not allow os.fork",
        "drelu · unchanged": "does not allow os.fork",
        "forward_dis · outputs": "does not allow os.fork",
        "forward_dis · stable": "does not allow os.fork",
        "forward_gen · outputs": "does not allow importing subprocess",
        "grad_decent_dis · loss": "does not allow importing multiprocessing",
        "grad_decent_dis · step": "does not allow importing multiprocessing",
        "grad_decent_gen · loss": "does not allow os.system",
        "grad_decent_gen · step": "does not allow os.system",
    },
    # issue 13: the forward pass at logits beyond ±710 — a new item (1 point: the assignment's 23 points became 24)
    "scipy_sigmoid": {},
    "overflowing_sigmoid": {"forward_dis · stable": "e^|z| overflows for |z| > 709.8 (np.exp(z)/(1 + np.exp(z)) is "
                                                    "inf/inf = nan there)"},
}


def grading_assignment():
    builtin = load_assignment()
    limits = dataclasses.replace(builtin.limits, call_seconds=1.0, total_seconds=40.0, examples=10)
    return dataclasses.replace(builtin, limits=limits)


def notebook_from_script(script, target):
    """The script as a notebook: a cell of two magics, then a cell per top-level statement that follows a blank line
    (with what precedes it up to the previous such statement)."""
    lines = script.read_text().splitlines()
    starts = [node.lineno - 1 for node in ast.parse(script.read_text()).body
              if node.lineno > 1 and not lines[node.lineno - 2].strip()]
    bounds = [0, *starts, len(lines)]
    cells = [nbformat.v4.new_code_cell("!pip install numpy\n%matplotlib inline")]
    cells += [nbformat.v4.new_code_cell("\n".join(lines[a:b]).strip("\n")) for a, b in zip(bounds, bounds[1:])]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), target)


TAG = f"library-{os.getpid()}"


def sandbox_processes():
    """Sandboxes of this batch still running (their launcher or anything in them: every process there runs the
    bootstrap, labelled with the batch's tag)."""
    return running(TAG)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    PLANTED.unlink(missing_ok=True)
    root = tmp_path_factory.mktemp("class")
    submissions = root / "submissions"
    submissions.mkdir()
    for name in WHOLE_FILES:
        (submissions / name).write_bytes((LIBRARY / name).read_bytes())
    for name in library.names():
        library.materialise(name, submissions)
    notebook_from_script(submissions / "missing_1_over_N.py", submissions / "missing_1_over_N_as_notebook.ipynb")
    start = time.monotonic()
    with open(os.devnull, "w") as quiet, pytest.MonkeyPatch.context() as patch:
        patch.setenv("GANCHECK_SANDBOX_TAG", TAG)
        reports = grade_directory(submissions, grading_assignment(), root / "grades", "json", jobs=2, stream=quiet)
    return {r.student: r for r in reports}, root / "grades", time.monotonic() - start


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_verdict_and_its_reason(graded, student):
    report = graded[0][student]
    failed = {item.name: item.evidence for item in report.items if not item.passed}
    assert set(failed) == set(EXPECTED[student]), failed
    for name, phrase in EXPECTED[student].items():
        assert phrase in failed[name], (name, failed[name])
    expected_score = sum(i.max_points for i in report.items if i.name not in EXPECTED[student])
    assert report.score == expected_score


def test_the_library_is_all_tested(graded):
    assert set(graded[0]) == set(EXPECTED) | {"missing_1_over_N_as_notebook"}


def test_notebook_and_script_forms_get_the_same_grade(graded):
    script, notebook = graded[0]["missing_1_over_N"], graded[0]["missing_1_over_N_as_notebook"]
    assert [(i.name, i.points, i.passed, i.evidence) for i in script.items] == \
           [(i.name, i.points, i.passed, i.evidence) for i in notebook.items]
    assert any("magics dropped" in note for note in notebook.notes)


def test_the_grader_keeps_within_its_limits(graded):
    reports, _, seconds = graded
    limits = grading_assignment().limits
    for report in reports.values():
        assert report.seconds < limits.total_seconds, report.student
    assert seconds < 120
    assert not PLANTED.exists()        # reads_reference.py tried to plant it outside its sandbox
    # forks.py's children, sleep 600 and every sandbox are gone. The scan sees the whole machine, so sandboxes of
    # tests running meanwhile in another pytest worker are waited out; a leaked process would outlive the wait by far.
    deadline = time.monotonic() + 60
    while sandbox_processes() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert sandbox_processes() == []


def test_output_never_costs_points_and_is_truncated(graded):
    notes = " ".join(graded[0]["output_flood"].notes)
    assert "forward_dis printed" in notes and "only the first 4 KiB are kept" in notes
    assert re.search(r"the process wrote [\d,]+ bytes straight to its stdout", notes)


def test_hostile_definitions_are_reported_and_skipped(graded):
    memory = " ".join(graded[0]["memory_bomb"].notes)
    assert f"memory_bomb.py, line {line_of('memory_bomb', 'LOOKUP = ')}: MemoryError" in memory
    syntax = " ".join(graded[0]["syntax_error"].notes)
    first = line_of("syntax_error", "def forward_gen(")
    assert f"syntax_error.py, {BROKEN_BLOCK}: does not parse (expected ':', line {first})" in syntax


def test_reports_and_csv_summary(graded):
    reports, out, _ = graded
    with open(out / "summary.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    assert set(rows) == set(reports)
    assert rows["correct"]["score"] == rows["correct"]["max_score"] == "24"
    assert rows["wrong_sign"]["grad_decent_dis · step"] == "0"
    assert rows["syntax_error"]["forward_gen · outputs"] == "0"   # a missing function: all its checks score 0
    assert (out / "forks.json").exists() and (out / "correct_notebook.json").exists()


def test_the_readme_lists_the_library():
    rows = re.findall(r"^\| `([\w.]+)` \|", (LIBRARY / "README.md").read_text(), flags=re.M)
    assert sorted(rows) == sorted([*WHOLE_FILES, *library.names()])
    # conv2d/: the whole files of another assignment (tests/test_grade_conv.py), listed in the README's own section
    assert {p.name for p in LIBRARY.iterdir()} == {*WHOLE_FILES, "library.toml", "README.md", "conv2d"}


@pytest.mark.parametrize("entry, message", [
    ({"replace": [["no such text", "x"]]}, "'no such text' should occur 1 time(s) in the base, found 0"),
    ({"replace": [["z_bar = (y - t) / N", "x", 2]]}, "should occur 2 time(s) in the base, found 1"),
    ({"bodies": {"no_such_function": "pass"}}, "the base has no top-level no_such_function"),
])
def test_an_edit_that_no_longer_applies_fails_loudly(monkeypatch, entry, message):
    data = {"base": "correct.py", "claim": "", "drifted": entry}
    monkeypatch.setattr(library, "_data", lambda: data)
    with pytest.raises(GancheckError) as raised:
        library.text("drifted")
    assert "library.toml, [drifted]: " in str(raised.value) and str(raised.value).endswith(message)
