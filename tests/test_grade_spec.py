"""Assignment format 2: examples and template load, every broken field is one line naming its path, the course's
homework graded behaviourally keeps its verdicts, instructor tests and the Gradescope bundle."""
import dataclasses
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from gancheck.cli import main
from gancheck.homework.code import library, load_assignment
from gancheck.homework.code.autograder import write_bundle
from gancheck.homework.code.calls import InProcess
from gancheck.homework.code.grader import grade_file
from gancheck.homework.code.instructor import load as load_tests
from gancheck.homework.code.plan import resolve
from gancheck.homework.code.report import HIDDEN, Report
from gancheck.homework.code.spec import AssignmentError, load_any, load_spec, parse, template
from gancheck.homework.code.spec.grade import Grader

EXAMPLES = Path(__file__).parents[1] / "gancheck" / "homework" / "code" / "examples"
LIBRARY = Path(__file__).parent / "data" / "submissions"
COURSE = (EXAMPLES / "course_functions.toml").read_text()


def test_examples_and_template_load():
    specs = {p.stem: load_spec(p) for p in EXAMPLES.glob("*.toml")}
    assert set(specs) == {"course_functions", "class_methods", "keras_three_layers"}
    assert specs["keras_three_layers"].nets["D"].layers[1].activation == "tanh"
    assert specs["class_methods"].functions[0].cls == "GAN" and len(specs["class_methods"].functions[0].calls) == 3
    assert parse(template()).max_points == specs["course_functions"].max_points
    assert load_any(EXAMPLES / "course_functions.toml").title.endswith("(functions)")
    assert load_any(Path(library.__file__).with_name("assignment.toml")).max_points == 24   # the course's format


@pytest.mark.parametrize("old, new, message", [
    ("format = 2", "format = 3", "assignment.format: must be 2"),
    ('activations = ["relu", "sigmoid"]', 'activations = ["selu", "sigmoid"]', "nets.D.activations[0]: unknown"),
    ('activations = ["relu", "sigmoid"]', 'activations = ["leaky_relu", "sigmoid"]', "leaky_relu needs its slope"),
    ('sizes = [5, 15, 2]', 'sizes = [5, 15, 2]\nshapes = { W2 = [15, 2] }', "nets.G.shapes.W2: [15, 2] is not the "
     "shape [2, 15] of layout 'out_in' — the transpose; if the homework stores it so, declare weight = 'in_out'"),
    ('bias = ["vector", "scalar"]', 'bias = ["vector", "diagonal"]', "nets.D.bias[1]: unknown layout 'diagonal'"),
    ('reduction = "mean"', 'reduction = "median"', "losses.D.reduction: must be one of"),
    ('call = "grad_decent_dis"', 'call = "grad decent"', "functions[2].call: must name a function"),
    ('returns = ["D.W1", "D.b1", "D.W2", "D.b2", "D.loss"]', 'returns = ["D.W1", "D.U"]', "functions[2].returns[1]: "
     "unknown role 'D.U'"),
    ('points = { step = 4, loss = 1 }', 'points = { step = 4, speed = 1 }', "functions[2].points: unknown key(s)"),
    ('hidden = ["loss"]', 'hidden = ["value"]', "functions[2].hidden: must list items of points"),
    ('of = "relu"', '', "functions[5].of: a derivative names the activation"),
    ('title = ', 'title == ', "not valid TOML"),
])
def test_a_broken_field_is_one_line_with_its_path(old, new, message):
    assert old in COURSE
    with pytest.raises(AssignmentError) as info:
        parse(COURSE.replace(old, new, 1), "hw.toml")
    assert message in str(info.value) and "\n" not in str(info.value) and str(info.value).startswith("hw.toml: ")


def test_the_old_format_refuses_a_transposed_generator_weight(tmp_path):
    text = Path(library.__file__).with_name("assignment.toml").read_text()
    path = tmp_path / "hw.toml"
    path.write_text(text.replace('"G.W" = [2, 15]', '"G.W" = [15, 2]'))
    with pytest.raises(Exception, match=r"G.W \[15, 2\] is the transpose"):
        load_assignment(path)


def executor(name):
    return InProcess.load(library.text(name).split("# ---- training")[0], name)


MASK = "your step is gradient descent with the ReLU mask replaced by relu(g)"


@pytest.mark.parametrize("name, failed", [
    ("correct", {}),
    ("wrong_sign", {"grad_decent_dis · step": "N = 1: every gradient has the wrong sign"}),
    ("missing_1_over_N", {"grad_decent_dis · step": "N = 3 times too large", "grad_decent_dis · loss": "a sum where",
                          "grad_decent_gen · step": "every gradient is N = 3 times too large",
                          "grad_decent_gen · loss": "a sum where", "loss_stable · stable": "returns",
                          "loss_stable · value": "N = 3 times too large (the 1/N of the mean is missing) — it grows "
                                                 "like N"}),
    ("transposed_gradient", {"grad_decent_dis · step": "∂l/∂D.W1 is the transpose (2, 25) read back with reshape",
                             "grad_decent_gen · step": "∂l/∂G.W1 is the transpose (5, 15) read back with reshape"}),
    ("wrong_mask", {"grad_decent_dis · step": MASK, "grad_decent_gen · step": f"{MASK} (the activation where its "
                                                                              "derivative belongs) in both backwards"}),
    ("saturating", {"grad_decent_gen · step": "with the saturating loss log(1 − D(G(z)))",
                    "grad_decent_gen · loss": "expected the loss before the step"}),
    ("nan_returns", {"loss_stable · stable": "returns nan", "forward_gen · outputs": "N = 1: G.y contains NaN",
                     "grad_decent_gen · step": "your own loss (your forward pass, the declared loss) is nan"}),
    ("inplace_drelu", {}),    # drelu's points here are for its values only
])
def test_the_course_homework_graded_behaviourally(name, failed):
    spec = load_spec(EXAMPLES / "course_functions.toml")
    grader = Grader(spec, executor(name))
    with np.errstate(all="ignore"):
        verdicts = {f"{f.name} · {item}": v for f in spec.functions for item, v in grader.grade(f).items()}
    assert {k for k, (ok, _) in verdicts.items() if not ok} == set(failed)
    for key, phrase in failed.items():
        assert phrase in verdicts[key][1], verdicts[key]


def test_attribute_paths():
    obj = type("O", (), {})()
    obj.d = {"Whl1": [1, 2]}
    assert resolve(obj, "d['Whl1'][1]") == 2 and resolve(obj, 'd["Whl1"]') == [1, 2]


def test_instructor_tests_run_in_the_sandbox_with_points_and_visibility(tmp_path):
    path = tmp_path / "hw.toml"
    path.write_text(COURSE + '\n[[tests]]\nname = "test_relu_derivative_is_a_mask"\npoints = 2\n'
                    '\n[[tests]]\nname = "test_loss_is_positive"\npoints = 1\nhidden = true\n')
    spec = load_spec(path)
    tests = load_tests(spec, Path(__file__).parent / "data" / "instructor" / "tests_course.py")
    bad = tmp_path / "bad.py"
    bad.write_text(library.text("correct").replace("return (z > 0).astype(float)", "return np.maximum(z, 0)"))
    spec = dataclasses.replace(spec, functions=spec.functions[-1:])   # drelu only: the tests are the point here
    good, wrong = (grade_file(p, spec, tests=tests) for p in (LIBRARY / "correct.py", bad))
    items = {i.check: i for i in good.items if i.function == "instructor"}
    assert [(i.points, i.hidden) for i in items.values()] == [(2, False), (1, True)]
    failed = {i.check: i for i in wrong.items if i.function == "instructor"}
    assert not failed["test_relu_derivative_is_a_mask"].passed and "not a 0/1 mask" in \
        failed["test_relu_derivative_is_a_mask"].evidence and failed["test_loss_is_positive"].passed
    assert [t["visibility"] for t in good.to_gradescope()["tests"][-2:]] == ["visible", "after_published"]
    with pytest.raises(AssignmentError, match="no function test_nothing"):
        path.write_text(COURSE + '\n[[tests]]\nname = "test_nothing"\npoints = 1\n')
        load_tests(load_spec(path), Path(__file__).parent / "data" / "instructor" / "tests_course.py")


def test_hidden_items_are_scored_but_not_explained_until_released():
    from gancheck.homework.code.report import Item

    report = Report("s", "s.py", "t", items=[Item("f", "step", "t", 0.0, 4.0, False, "∂l/∂W has the wrong sign",
                                                  {"x": [1.0]}, hidden=True), Item("f", "loss", "t", 1.0, 1.0,
                                                                                    True, "right")])
    text, data = report.to_text(), report.to_json()
    assert "wrong sign" not in text and HIDDEN in text and report.score == 1.0
    assert data["items"][0]["evidence"] == HIDDEN and data["items"][0]["example"] is None
    assert "wrong sign" in report.to_text(release=True) and report.to_json(True)["items"][0]["example"]
    (hidden, shown) = report.to_gradescope()["tests"]
    assert hidden["visibility"] == "after_published" and shown["visibility"] == "visible"


def test_gradescope_bundle(tmp_path):
    out = write_bundle(EXAMPLES / "keras_three_layers.toml", tmp_path / "autograder.zip")
    with zipfile.ZipFile(out) as bundle:
        names = set(bundle.namelist())
        assert {"setup.sh", "run_autograder", "keras_three_layers.toml", "gancheck-src/pyproject.toml",
                "gancheck-src/gancheck/homework/code/behaviour/step.py"} <= names
        assert bundle.getinfo("run_autograder").external_attr >> 16 & 0o111
        assert "--format gradescope --out /autograder/results" in bundle.read("run_autograder").decode()
    assert main(["autograder", str(EXAMPLES / "class_methods.toml"), "--out", str(tmp_path / "b.zip")]) == 0
    assert main(["autograder", str(tmp_path / "missing.toml")]) == 2
    broken = tmp_path / "broken.toml"
    broken.write_text(COURSE.replace("format = 2", "format = 9"))
    assert main(["autograder", str(broken), "--out", str(tmp_path / "c.zip")]) == 2
    json.dumps(Report("s", "s.py", "t").to_gradescope())


def test_the_bundle_grades_a_submission_as_gradescope_runs_it(tmp_path):
    """run_autograder as Gradescope runs it, /autograder moved to a temporary directory and gancheck the installed
    one: a student's folder (a notebook), the instructor's tests, hidden items after_published."""
    import shutil
    import subprocess
    import sys

    course = tmp_path / "hw.toml"
    course.write_text(COURSE + '\n[[tests]]\nname = "test_loss_is_positive"\npoints = 1\nhidden = true\n')
    tests = Path(__file__).parent / "data" / "instructor" / "tests_course.py"
    with zipfile.ZipFile(write_bundle(course, tmp_path / "autograder.zip", tests)) as bundle:
        bundle.extractall(tmp_path / "autograder" / "source")
    root = tmp_path / "autograder"
    (root / "submission").mkdir()
    shutil.copy(LIBRARY / "correct_notebook.ipynb", root / "submission" / "my homework.ipynb")
    script = (root / "source" / "run_autograder").read_text().replace("/autograder/venv/bin/gancheck",
                                                                          str(Path(sys.executable).with_name("gancheck")))
    (root / "run").write_text(script.replace("/autograder", str(root)))
    subprocess.run(["bash", str(root / "run")], check=True, timeout=300, capture_output=True)
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) == parse(course.read_text()).max_points
    hidden = [t for t in results["tests"] if t["visibility"] == "after_published"]
    assert {t["name"] for t in hidden} == {"grad_decent_dis · loss", "instructor · test_loss_is_positive"}
