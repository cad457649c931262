"""An instructor's own tests run in the student's sandbox — never in the grader's process — with points, visibility
and evidence, on a correct and a wrong submission; through the command line as through the API."""
import dataclasses
import json
from pathlib import Path

import pytest

from gancheck.cli import main
from gancheck.homework.code import library
from gancheck.homework.code.grader import grade_file
from gancheck.homework.code.instructor import load as load_tests
from gancheck.homework.code.spec import load_spec

pytestmark = pytest.mark.xdist_group("grade_instructor")  # one worker computes the module-scoped fixture once

DATA = Path(__file__).parent / "data"
COURSE = (Path(__file__).parents[1] / "gancheck/homework/code/examples/course_functions.toml").read_text()
TESTS = DATA / "instructor" / "tests_sandboxed.py"
NAMES = ["test_runs_in_the_sandbox", "test_pytest_helpers", "test_bare_assert", "test_student_raises", "test_hangs",
         "test_after_the_hang"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("instructor")
    hw = root / "hw.toml"
    hw.write_text(COURSE + "".join(f'\n[[tests]]\nname = "{n}"\npoints = 1\n' for n in NAMES[:-1])
                  + f'\n[[tests]]\nname = "{NAMES[-1]}"\npoints = 2\nhidden = true\n')
    bad = root / "bad.py"
    bad.write_text(library.text("correct").replace("return (z > 0).astype(float)", "return np.maximum(z, 0)"))
    return hw, bad, root


def _graded(setup, monkeypatch):
    hw, bad, root = setup
    monkeypatch.setenv("GANCHECK_TEST_CANARY", str(root / "canary"))
    spec = load_spec(hw)
    spec = dataclasses.replace(spec, functions=spec.functions[-1:],   # drelu only: the tests are the point here
                               limits=dataclasses.replace(spec.limits, call_seconds=0.3))
    tests = load_tests(spec, TESTS)
    return [{i.check: i for i in grade_file(p, spec, tests=tests).items if i.function == "instructor"}
            for p in (DATA / "submissions" / "correct.py", bad)]


def test_instructor_tests_run_in_the_sandbox(setup, monkeypatch):
    good, wrong = _graded(setup, monkeypatch)
    assert list(good) == NAMES and not (setup[2] / "canary").exists()   # the module never ran in this process
    assert not Path("/tmp/gancheck-instructor-canary").exists()          # … and in the sandbox, /tmp is its own
    assert [good[n].passed for n in NAMES] == [True, True, True, False, False, True]
    assert [wrong[n].passed for n in NAMES] == [True, True, False, False, False, True]
    assert good["test_student_raises"].evidence.startswith("your code raises TypeError: '>' not supported") and \
        "correct.py, line 39, in drelu; called from line 35 of the tests" in good["test_student_raises"].evidence
    assert wrong["test_bare_assert"].evidence == \
        "assertion failed: `assert student.drelu(np.array([-1.0, 2.0])).tolist() == [0.0, 1.0]` (line 30 of the tests)"
    assert good["test_hangs"].evidence == "it did not finish within 3 s during this test"
    assert (good["test_after_the_hang"].max_points, good["test_after_the_hang"].hidden) == (2, True)
    assert good["test_runs_in_the_sandbox"].title == "the tests run in the student's sandbox"


def test_grade_with_tests_on_the_command_line(setup, tmp_path, capsys):
    hw, bad, _ = setup
    small = tmp_path / "hw.toml"
    small.write_text(COURSE + '\n[[tests]]\nname = "test_bare_assert"\npoints = 3\nhidden = true\n')
    assert main(["grade", str(bad), "--assignment", str(small), "--tests", str(TESTS), "--format", "json"]) == 1
    (item,) = [i for i in json.loads(capsys.readouterr().out)["items"] if i["function"] == "instructor"]
    assert (item["check"], item["points"], item["max_points"], item["hidden"]) == ("test_bare_assert", 0, 3, True)
    assert item["evidence"].startswith("hidden")                         # kept from the student until released
