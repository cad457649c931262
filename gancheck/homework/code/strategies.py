"""Hypothesis strategies for the homework's inputs: importable, so a student can test their own code with them.

All arrays are float64 in the homework's layout (rows = samples), with explicit bounds:

* :func:`batch_sizes` — N, shrinking towards the smallest: N = 1 is where shapes break (a ``squeeze`` too many).
* :func:`logits` — z for the loss, |z| ≤ 10; ``extreme=True``: |z| ≤ 1000 with at least one |z| ≥ 710, where
  :math:`e^{|z|}` overflows.
* :func:`labels` — t in {0, 1}.
* :func:`dense` — a dense array of uniform values from a Hypothesis-drawn seed: layers of 25 × 2 weights need generic
  values (no repeated entries that could hide a transpose), which element-by-element drawing makes slow and sparse.
* :func:`near_kink` — exact zeros, values within 1e-6 of 0 and ordinary values: the ReLU's kink.
* :func:`inputs` — a whole argument list ``{role: value}`` for any function of an assignment, with a few hidden
  units' pre-activations placed within 1e-9 to 1e-6 of the kink for the first sample.

:func:`sample_inputs` draws the same kind of arguments from a ``numpy.random.Generator`` (the grader's fixed probes).
"""
from functools import lru_cache

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

# role → bound of its elements: the homework's real points lie in [-0.5, 0.5] × [0, 0.25], latent points ~ N(0, 1)
# logits stay within ±10 for the loss's *value*, where even log(1 + e^{-z}) written naively is exact to ~1e-12; its
# *stability* is a separate check with |z| up to 1000.
BOUNDS = {"D.x": 1.0, "G.x": 3.0, "D.z": 10.0}
EXTREME_LOGIT = 1000.0
WEIGHT_BOUND = 1.0
KINK_OFFSETS = (1e-9, -1e-9, 1e-6, -1e-6)


def floats(bound):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


def batch_sizes(smallest=1, largest=64):
    return st.integers(smallest, largest)


@lru_cache(maxsize=None)
def logits(N, extreme=False):
    z = arrays(np.float64, (N,), elements=floats(EXTREME_LOGIT if extreme else BOUNDS["D.z"]), fill=st.nothing())
    if not extreme:
        return z
    big = st.tuples(st.sampled_from([-1.0, 1.0]), st.floats(710.0, 1000.0)).map(lambda p: p[0] * p[1])
    return st.tuples(z, big, st.integers(0, N - 1)).map(lambda p: np.where(np.arange(N) == p[2], p[1], p[0]))


@lru_cache(maxsize=None)
def labels(N):
    return arrays(np.float64, (N,), elements=st.sampled_from([0.0, 1.0]), fill=st.nothing())


def seeds():
    """Seeds of generated arrays. Few, on purpose: a seed has no meaning to shrink, and shrinking a 32-bit integer costs
    dozens of calls of the student's function; sixteen seeds × every batch size still give distinct inputs."""
    return st.integers(0, 15)


@lru_cache(maxsize=None)
def dense(shape, bound):
    """Uniform values in [-bound, bound] of the given shape, generated from a drawn seed."""
    return seeds().map(lambda seed: np.random.default_rng(seed).uniform(-bound, bound, size=shape))


@lru_cache(maxsize=None)
def near_kink(shape):
    """A third exact zeros, a third within 1e-6 of 0, a third in [-5, 5] — from a drawn seed."""
    def build(seed):
        rng = np.random.default_rng(seed)
        kind = rng.integers(0, 3, size=shape)
        return np.where(kind == 0, 0.0, np.where(kind == 1, rng.uniform(-1e-6, 1e-6, shape), rng.uniform(-5, 5, shape)))
    return seeds().map(build)


def _integer(assignment, role, N):
    return N if role == "N" else assignment.size("G.U", 1)   # "latent_dim"


@st.composite
def inputs(draw, assignment, function, extreme=False):
    """``{role: value}`` for ``function``'s parameters; scalars (shape ()) come as Python floats."""
    N = draw(batch_sizes(*assignment.batch))
    example = {}
    for role in function.params:
        if role in ("N", "latent_dim"):
            example[role] = _integer(assignment, role, N)
        elif role == "D.z":
            example[role] = draw(logits(N, extreme))
        elif role == "D.t":
            example[role] = draw(labels(N)).reshape(assignment.shape(role, N))
        elif role == "G.t":
            example[role] = np.ones(assignment.shape(role, N))
        elif role == "D.g":
            example[role] = draw(near_kink(assignment.shape(role, N)))
        else:
            shape = assignment.shape(role, N)
            value = draw(dense(shape, BOUNDS.get(role, WEIGHT_BOUND)))
            example[role] = float(value) if shape == () else value
    for net in ("D", "G"):
        if {f"{net}.x", f"{net}.U", f"{net}.b"} <= set(example):
            _place_kinks(example, net, dict(draw(kinks(example[f"{net}.U"].shape[0]))))
    return example


@lru_cache(maxsize=None)
def kinks(hidden):
    """Up to three (unit, offset) pairs: which hidden units to put how near the kink."""
    return st.lists(st.tuples(st.integers(0, hidden - 1), st.sampled_from(KINK_OFFSETS)), max_size=3)


def _place_kinks(example, net, kinks):
    """Set ``b_j`` so that unit j's pre-activation for the first sample is the offset: :math:`b_j = δ - x_0 U_j`."""
    x, U, b = example[f"{net}.x"], example[f"{net}.U"], example[f"{net}.b"].copy()
    for j, offset in kinks.items():
        b[j] = offset - float(x[0] @ U[j])
    example[f"{net}.b"] = b


def sample_inputs(assignment, function, N, rng):
    """The same kind of arguments as :func:`inputs`, from ``rng``: no kinks, labels half 0 and half 1."""
    example = {}
    for role in function.params:
        if role in ("N", "latent_dim"):
            example[role] = _integer(assignment, role, N)
            continue
        shape = assignment.shape(role, N)
        if role == "D.t":
            value = (np.arange(N) % 2).astype(float).reshape(shape)
        elif role == "G.t":
            value = np.ones(shape)
        else:
            bound = 3.0 if role in ("D.z", "D.g") else BOUNDS.get(role, WEIGHT_BOUND)
            value = rng.uniform(-bound, bound, size=shape)
        example[role] = float(value) if shape == () else value
    return example
