"""The assignment is data: the built-in TOML, its validation, and an instructor's edited copy used for grading."""
import dataclasses

import numpy as np
import pytest

from gancheck import GancheckError
from gancheck.homework.code import BUILTIN, grade_file, library, load_assignment


def test_the_builtin_assignment():
    a = load_assignment()
    assert [f.name for f in a.functions] == ["loss_stable", "drelu", "forward_dis", "forward_gen", "grad_decent_dis",
                                             "grad_decent_gen", "generate_real_samples", "generate_latent_points"]
    assert a.max_points == 24 and a.batch == (1, 64)   # 23 before forward_dis · stable (issue 13)
    assert a.shape("D.U", 7) == (25, 2) and a.shape("D.x", 7) == (7, 2) and a.shape("D.c", 7) == ()
    step = a.functions[5]
    assert step.names()["G.U"] == "Ug" and step.names()["N"] == "n" and step.names()["G.loss"] == "l"
    assert a.limits.call_seconds == 3.0 and a.limits.memory_mb == 512


def edited(tmp_path, old, new, count=1):
    text = BUILTIN.read_text()
    assert old in text, old
    path = tmp_path / "hw.toml"
    path.write_text(text.replace(old, new, count))
    return path


@pytest.mark.parametrize("old, new, message", [
    ('reference = "bce_loss"', 'reference = "mse"', "loss_stable: unknown reference 'mse'"),
    ('params = ["D.z", "D.t", "N"]', 'params = ["D.z", "N"]', "loss_stable: params must be the roles"),
    ('points = { value = 2, stable = 1 }', 'points = { value = 2 }', "points must be given for ['stable', 'value']"),
    ('"D.x" = ["N", 2]', '"D.x" = ["N", 3]', "D.x has shape ['N', 3], but D.U [25, 2] makes it ['N', 2]"),
    ('"G.W" = [2, 15]', '"G.W" = [3, 15]', "do not fit 15 hidden units"),
    ('examples = 30', 'examples = 30\nspeed = 2', "unknown limit(s) ['speed']"),
    ('[assignment]', '[assignement]', "missing key 'assignment'"),
    ('title = ', 'title == ', "not valid TOML"),
    ('batch = [1, 64]', 'batch = [0, 64]', "batch must be [smallest, largest]"),
    ('target = "x2"', 'target = "ring"', "the target must be a curve"),
    ('target = "x2"', 'target = "parabola"', "unknown target 'parabola'"),
    ('reference = "relu_derivative"', 'reference = "relu_derivative"\npionts = 3', "unknown key(s) ['pionts']"),
])
def test_a_broken_assignment_is_one_clear_line(tmp_path, old, new, message):
    with pytest.raises(GancheckError) as info:
        load_assignment(edited(tmp_path, old, new))
    assert message in str(info.value) and "\n" not in str(info.value)


INSTRUCTOR = '''
[assignment]
title = "A smaller GAN"
batch = [1, 16]

[shapes]
"D.x" = ["N", 2]
"D.t" = ["N"]
"D.U" = [10, 2]
"D.b" = [10]
"D.W" = [10]
"D.c" = []
"D.z" = ["N"]
"D.loss" = []

[[functions]]
name = "bce"
signature = "bce(z, t, N) -> l"
reference = "bce_loss"
params = ["D.z", "D.t", "N"]
returns = ["D.loss"]
points = { value = 3, stable = 0 }

[[functions]]
name = "grad_descent_dis"
signature = "grad_descent_dis(x, t, U, b, W, c) -> (U, b, W, c, l)"
reference = "discriminator_step"
params = ["D.x", "D.t", "D.U", "D.b", "D.W", "D.c"]
returns = ["D.U", "D.b", "D.W", "D.c", "D.loss"]
points = { loss = 1, step = 6 }

[limits]
examples = 8
'''


def renamed(tmp_path, name):
    text = library.text(name).replace("def loss_stable(", "def bce(").replace("loss_stable(", "bce(")
    path = tmp_path / f"{name}.py"
    path.write_text(text.replace("grad_decent_dis", "grad_descent_dis"))
    return path


def test_an_instructors_copy_grades_its_own_homework(tmp_path):
    toml = tmp_path / "smaller.toml"
    toml.write_text(INSTRUCTOR)
    assignment = load_assignment(toml)
    assert assignment.max_points == 10 and assignment.limits.examples == 8
    right = grade_file(renamed(tmp_path, "correct"), assignment)
    assert right.score == right.max_score == 10 and [i.name for i in right.items] == [
        "bce · value", "bce · stable", "grad_descent_dis · loss", "grad_descent_dis · step"]
    wrong = grade_file(renamed(tmp_path, "wrong_sign"), dataclasses.replace(assignment))
    (failed,) = [i for i in wrong.items if not i.passed]
    assert failed.name == "grad_descent_dis · step" and "wrong sign" in failed.evidence
    assert np.shape(failed.example["D.U"]) == (10, 2)   # the instructor's 10 hidden units reached the student
