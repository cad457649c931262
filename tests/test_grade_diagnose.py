"""Naming a student's mistake from their array and the reference: factors, laws in N, transposes, models."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gancheck.homework.code.diagnose import RTOL, close, explain, fit_factor, name_factor, name_scaling


def generic(shape):
    """Arrays whose entries are all of size ≥ 0.1, so that no factor or transpose hides behind zeros."""
    return arrays(np.float64, shape, elements=st.floats(0.1, 3.0)).map(lambda a: a * np.where(np.arange(a.size)
                                                                                          .reshape(shape) % 3, 1, -1))


@given(generic((25, 2)), st.integers(2, 64))
def test_factors_name_the_mistake(ref, N):
    assert explain(ref.copy(), ref, N) is None
    assert explain(-ref, ref, N) == "has the wrong sign"
    assert explain(N * ref, ref, N) == f"is N = {N} times too large (the 1/N of the mean is missing)"
    assert explain(ref / N, ref, N) == f"is divided by N = {N} once too often"
    assert explain(-N * ref, ref, N).startswith("has the wrong sign and is N = ")
    assert explain(0 * ref, ref, N) == "is zero"
    assert explain(np.reshape(ref.T, ref.shape), ref, N).startswith("has its elements in the wrong order")
    assert explain(ref.T, ref, N) == "has shape (2, 25), the transpose of the expected (25, 2)"


@given(generic((6, 3)), st.floats(1e-9, 1e-7))
def test_the_tolerance_is_relative_to_the_largest_element(ref, relative):
    scale = np.max(np.abs(ref))
    nudged = ref.copy()
    nudged[0, 0] += relative * scale                # below RTOL = 1e-6 of the scale: a rounding difference
    assert close(nudged, ref)
    nudged[0, 0] += 10 * RTOL * scale               # above it: a mistake
    assert not close(nudged, ref)
    assert explain(nudged, ref, 4).startswith("differs at index (0, 0)")


def test_non_finite_and_alternative_explanations():
    ref = np.arange(1.0, 7.0).reshape(2, 3)
    assert explain(ref * np.nan, ref, 2) == "contains NaN"
    assert explain(np.where(ref > 3, np.inf, ref), ref, 2) == "contains inf"
    alternative = ref ** 2
    assert explain(alternative, ref, 2, [("is the square", alternative)]) == "is the square"


@pytest.mark.parametrize("ratios, phrase", [
    ({1: 0.5, 3: 1.5, 8: 4.0}, "divides by 2 instead of N"),
    ({2: 2.0, 3: 3.0, 8: 8.0}, "grows like N: the 1/N of the mean is missing"),
    ({2: -2.0, 3: -3.0, 8: -8.0}, "has the wrong sign and grows like N: the 1/N of the mean is missing"),
    ({2: 0.5, 3: 1 / 3, 8: 0.125}, "shrinks like 1/N: it divides by N once too often"),
    ({2: -1.0, 3: -1.0, 8: -1.0}, "has the wrong sign"),
    ({2: 2.0, 3: 2.0}, "is 2× the reference"),
    ({2: 1.3, 3: 2.9, 8: 0.2}, None),
    ({2: None, 3: 3.0}, None),
])
def test_laws_in_N(ratios, phrase):
    assert name_scaling(ratios) == phrase


def test_factor_fit_and_naming():
    ref = np.array([1.0, -2.0, 3.0])
    assert fit_factor(2.5 * ref, ref) == (pytest.approx(2.5), True)
    assert fit_factor(ref + [0, 0, 1], ref)[1] is False
    assert fit_factor(ref, np.zeros(3)) == (None, False)
    assert name_factor(1.7, 5) == "is 1.7× the reference"
