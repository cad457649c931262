"""The example assignment gancheck/homework/code/conv2d.toml (the course's format) graded by the real ``gancheck grade``
on a class of four: a correct convolution, and three realistic mistakes — the kernel not flipped in ∂L/∂x, the stride
left out of the backward's loops, Keras' "same" padding made symmetric — each losing exactly its items, named."""
import contextlib
import io
import json
from pathlib import Path

import pytest

from gancheck import GancheckError
from gancheck.cli import main
from gancheck.homework.code import load_assignment

pytestmark = pytest.mark.xdist_group("grade_conv")  # one worker computes the module-scoped fixture once

ASSIGNMENT = Path(__file__).parents[1] / "gancheck" / "homework" / "code" / "conv2d.toml"
CLASS = Path(__file__).parent / "data" / "submissions" / "conv2d"


@pytest.fixture(scope="module")
def graded():
    """The class graded once, as an instructor would: ``gancheck grade DIR --assignment conv2d.toml --format json``."""
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["grade", str(CLASS), "--assignment", str(ASSIGNMENT), "--format", "json", "--jobs", "2"])
    reports = json.loads(stdout.getvalue())["reports"]
    return code, {r["student"]: r for r in reports}


def _items(report):
    return {f"{i['function']} · {i['check']}": i for i in report["items"]}


def test_the_class_is_graded_and_the_correct_convolution_gets_full_marks(graded):
    code, reports = graded
    assert code == 1 and set(reports) == {p.stem for p in CLASS.glob("*.py")}
    assert (reports["correct"]["score"], reports["correct"]["max_score"]) == (10, 10)
    assert all(i["passed"] for i in reports["correct"]["items"])


@pytest.mark.parametrize("name,lost,phrase", [
    ("kernel_not_flipped", {"conv2d_backward · input"}, "the kernel not flipped"),
    ("stride_ignored", {"conv2d_backward · input", "conv2d_backward · kernel"}, "right at stride 1"),
    ("symmetric_padding", {"conv2d_forward · output", "conv2d_backward · input", "conv2d_backward · kernel"},
     "puts the odd one at the bottom and right"),
])
def test_each_mistake_loses_its_items_and_is_named(graded, name, lost, phrase):
    items = _items(graded[1][name])
    assert {k for k, i in items.items() if not i["passed"]} == lost
    for key in lost:
        evidence = items[key]["evidence"]
        assert phrase in evidence, evidence
        if name != "kernel_not_flipped":   # wrong at stride 2 (and 'same'), right at stride 1: shrunk to stride 2
            assert "at stride 2" in evidence and items[key]["example"]["conv.stride"] == 2


@pytest.mark.parametrize("old,new,message", [
    ('"conv.K" = [3, 3, 2, 4]', '"conv.K" = [3, 3, 3, 4]', "conv.x has 2 channels, conv.K takes 3"),
    ("strides = [1, 2]", "strides = [0, 2]", "strides must be a list of positive integers"),
    ('paddings = ["valid", "same"]', 'paddings = ["full"]', "paddings must be a list of"),
    ('"conv.K" = [3, 3, 2, 4]', '"conv.K" = [9, 9, 2, 4]', "does not fit a 8×8 image"),
    ("points = { output = 3 }", "points = { outputs = 3 }", "points must be given for ['output']"),
])
def test_a_broken_conv_assignment_is_one_clear_line(tmp_path, old, new, message):
    text = ASSIGNMENT.read_text()
    assert old in text
    path = tmp_path / "conv.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(GancheckError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_assignment(path)
