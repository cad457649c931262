"""An instructor's own tests for the course's homework: each receives the student's callables as ``student``."""
import numpy as np


def test_relu_derivative_is_a_mask(student):
    """drelu returns only 0s and 1s"""
    out = student.drelu(np.array([-1.0, 2.0, 3.0]))
    assert set(np.unique(out)) <= {0.0, 1.0}, f"drelu returns {out}, not a 0/1 mask"


def test_loss_is_positive(student):
    """the loss of a wrong guess is positive"""
    assert student.loss_stable(np.array([-3.0]), np.array([1.0]), 1) > 0
