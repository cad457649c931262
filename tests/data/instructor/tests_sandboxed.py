"""Instructor's tests that show where they run: in the student's sandbox, with pytest's helpers, never in the grader."""
import os
import sys

import numpy as np
import pytest

CANARY = os.environ.get("GANCHECK_TEST_CANARY", "/tmp/gancheck-instructor-canary")
try:   # module level: in the grader's process this would leave the canary behind
    with open(CANARY, "w") as fh:
        fh.write(str(os.getpid()))
except OSError:
    pass


def test_runs_in_the_sandbox(student):
    """the tests run in the student's sandbox"""
    assert os.path.isdir("/sandbox/submission") and "gancheck" not in sys.modules


def test_pytest_helpers(student):
    """pytest.approx and pytest.raises work"""
    assert student.loss_stable(np.array([0.0]), np.array([1.0]), 1) == pytest.approx(np.log(2))
    with pytest.raises(ValueError):
        student.forward_dis(np.zeros((2, 3)), np.zeros((25, 2)), np.zeros(25), np.zeros(25), 0.0)


def test_bare_assert(student):
    """drelu is the 0/1 mask"""
    assert student.drelu(np.array([-1.0, 2.0])).tolist() == [0.0, 1.0]


def test_student_raises(student):
    """drelu accepts a list"""
    student.drelu("not an array")


def test_hangs(student):
    """a test that never ends"""
    while True:
        pass


def test_after_the_hang(student):
    """the next test runs in a fresh sandbox"""
    assert student.generate_latent_points(5, 7).shape == (7, 5)
