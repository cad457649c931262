"""Hypothesis strategies shared by the core's tests."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


def magnitudes(bound, smallest=1e-2):
    """Floats with |v| in [smallest, bound], either sign. Finite-difference checks need it: when every input is tiny the
    gradient is tiny while the function keeps its size, and the reference's own round-off (~ε|f|/h) then exceeds 1e-6 of
    the gradient — the reference would fail, not the backward."""
    return st.tuples(st.sampled_from([-1.0, 1.0]), st.floats(smallest, bound)).map(lambda p: p[0] * p[1])


def matrices(rows, cols, bound=3.0):
    return arrays(np.float64, (rows, cols), elements=magnitudes(bound))
