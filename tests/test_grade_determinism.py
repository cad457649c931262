"""A grade is a function of the submission: the same file gets the same report, byte for byte, however loaded the
machine is — no wall-clock budget may decide which inputs are tried or which counterexample is shown.

"Loaded" is simulated where it matters, in the grader's round trips to the sandbox: before each call the clock jumps
by a quarter of a second (``time.monotonic``, what every budget in the grader reads) and the call itself is really
slowed a little, as on a machine shared with a class run — 40-odd seconds of apparent time, within the submission's 90.
The student clips the logits "against overflow", so the loss is wrong only beyond |z| = 8: the counterexample shown
is a record of exactly which inputs were tried and simplified. (Grading once shrank counterexamples with Hypothesis
under a budget of 3 s per shrink, which the load cut short: the notebook and script forms of one submission showed
different counterexamples.)
"""
import time

import nbformat
import pytest

from gancheck.homework.code import grade_file, session

from test_grade_library import LIBRARY

pytestmark = pytest.mark.xdist_group("grade_determinism")  # one worker computes the module-scoped fixture once

JUMP_SECONDS, SLOW_SECONDS = 0.25, 0.002


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("determinism")
    script = root / "student.py"
    correct = (LIBRARY / "correct.py").read_text()
    clipped = correct.replace("    # log(1 + e^{-z})", "    z = np.clip(z, -8, 8)  # no overflow\n    # log(1 + e^{-z})")
    assert clipped != correct
    script.write_text(clipped)
    notebook = root / "student.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(script.read_text())]), notebook)
    return script, notebook


def _slowed(monkeypatch):
    run, monotonic, calls = session.Session.run, time.monotonic, [0]

    def slow_run(self, *args, **kwargs):
        calls[0] += 1
        time.sleep(SLOW_SECONDS)
        return run(self, *args, **kwargs)

    monkeypatch.setattr(session.Session, "run", slow_run)
    monkeypatch.setattr(time, "monotonic", lambda: monotonic() + JUMP_SECONDS * calls[0])
    return calls


def test_the_same_submission_gets_the_same_report_under_load(files, monkeypatch):
    script, notebook = files
    quiet = grade_file(script)
    calls = _slowed(monkeypatch)
    loaded = grade_file(script)
    assert calls[0] * JUMP_SECONDS > 10           # far beyond any budget of seconds a check might have
    assert loaded.to_text() == quiet.to_text()
    assert loaded.to_json() == quiet.to_json()
    assert loaded.to_gradescope()["tests"] == quiet.to_gradescope()["tests"]
    (value,) = [i for i in quiet.items if i.name == "loss_stable · value"]
    assert value.evidence.startswith("fails for N = 1, t = [0.], z = [9.2]: returns 8.00034")   # rounded, still > 8
    monkeypatch.undo()
    as_notebook = grade_file(notebook)           # another form of the same code: the same items, evidence and all
    assert [(i.name, i.points, i.evidence, i.example is None) for i in as_notebook.items] == \
           [(i.name, i.points, i.evidence, i.example is None) for i in quiet.items]
