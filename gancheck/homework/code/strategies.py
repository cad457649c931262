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

:func:`screening` draws the same arguments from seeded NumPy generators at fixed batch sizes (what the grader
sends, in one request); :func:`sample_inputs` draws plainer ones (no kinks, labels half 0 and half 1: the fixed probes).
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


def _near_kink(seed, shape):
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 3, size=shape)
    return np.where(kind == 0, 0.0, np.where(kind == 1, rng.uniform(-1e-6, 1e-6, shape), rng.uniform(-5, 5, shape)))


@lru_cache(maxsize=None)
def near_kink(shape):
    """A third exact zeros, a third within 1e-6 of 0, a third in [-5, 5] — from a drawn seed."""
    return seeds().map(lambda seed: _near_kink(seed, shape))


def _integer(assignment, role, N):
    return N if role == "N" else assignment.size("G.U", 1)   # "latent_dim"


def _example(assignment, function, extreme, pick):
    """``{role: value}`` for ``function``'s parameters, each piece drawn by ``pick`` — Hypothesis (:func:`inputs`) or
    a seeded NumPy generator (:func:`screening`): one recipe for both."""
    N = pick.batch(*assignment.batch)
    example = {}
    for role in function.params:
        if role in ("N", "latent_dim"):
            example[role] = _integer(assignment, role, N)
        elif role == "D.z":
            example[role] = pick.logits(N, extreme)
        elif role == "D.t":
            example[role] = pick.labels(N).reshape(assignment.shape(role, N))
        elif role == "G.t":
            example[role] = np.ones(assignment.shape(role, N))
        elif role == "D.g":
            example[role] = pick.near_kink(assignment.shape(role, N))
        else:
            shape = assignment.shape(role, N)
            value = pick.dense(shape, BOUNDS.get(role, WEIGHT_BOUND))
            example[role] = float(value) if shape == () else value
    for net in ("D", "G"):
        if {f"{net}.x", f"{net}.U", f"{net}.b"} <= set(example):
            _place_kinks(example, net, dict(pick.kinks(example[f"{net}.U"].shape[0])))
    return example


class _Hypothesis:
    def __init__(self, draw):
        self.draw = draw

    def batch(self, lo, hi):
        return self.draw(batch_sizes(lo, hi))

    def logits(self, N, extreme):
        return self.draw(logits(N, extreme))

    def labels(self, N):
        return self.draw(labels(N))

    def near_kink(self, shape):
        return self.draw(near_kink(shape))

    def dense(self, shape, bound):
        return self.draw(dense(shape, bound))

    def kinks(self, hidden):
        return self.draw(kinks(hidden))


@st.composite
def inputs(draw, assignment, function, extreme=False):
    """``{role: value}`` for ``function``'s parameters; scalars (shape ()) come as Python floats."""
    return _example(assignment, function, extreme, _Hypothesis(draw))


class _Seeded:
    """The same pieces from a NumPy generator: ``N`` fixed, a seed per array as :func:`seeds` has, and kinks placed
    if ``kinked``."""

    def __init__(self, N, rng, kinked):
        self.N, self.rng, self.kinked = N, rng, kinked

    def batch(self, lo, hi):
        return self.N

    def logits(self, N, extreme):
        z = self.rng.uniform(-1, 1, N) * (EXTREME_LOGIT if extreme else BOUNDS["D.z"])
        if extreme:
            z[self.rng.integers(N)] = self.rng.choice([-1.0, 1.0]) * self.rng.uniform(710.0, EXTREME_LOGIT)
        return z

    def labels(self, N):
        return self.rng.integers(0, 2, N).astype(float)

    def near_kink(self, shape):
        return _near_kink(int(self.rng.integers(16)), shape)

    def dense(self, shape, bound):
        return np.random.default_rng(int(self.rng.integers(16))).uniform(-bound, bound, size=shape)

    def kinks(self, hidden):
        if not self.kinked:
            return []
        return [(int(j), float(self.rng.choice(KINK_OFFSETS))) for j in self.rng.choice(hidden, min(3, hidden),
                                                                                       replace=False)]


def screening(assignment, function, extreme=False, examples=14):
    """The fixed examples every item of a function meets (:mod:`.checks.runner`): each batch size that makes shapes
    break — the smallest, 2, 3, a few in between, the largest — in turn, about ``examples`` in all (at least two per
    size), every other one with hidden units placed at their kinks (the plain one first, so that a failure that
    needs no kink is shown without one), drawn as :func:`inputs` draws but from one seeded generator, so that they
    are the same for every student and every run and go to the sandbox in one request."""
    lo, hi = assignment.batch
    sizes = sorted({n for n in (lo, 2, 3, 5, 8, 17, hi) if lo <= n <= hi})
    per_size = max(2, -(-examples // len(sizes)))
    rng = np.random.default_rng(20240)
    return [_example(assignment, function, extreme, _Seeded(N, rng, i % 2 == 1)) for N in sizes
            for i in range(per_size)]


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
