r"""Numeric side of the verdicts: sample the quantity's domain, evaluate formulas there in float64, compare.

The evaluator walks the SymPy tree itself (no ``lambdify``, which generates and ``exec``\ s code): only the node
types the whitelist can produce are known, anything else is an internal error. Where a formula is undefined
(log of a negative, 0/0) it yields NaN.

Domains, by kind (:mod:`.catalogue`): ``real`` values mix :math:`\mathcal U(-3, 3)` with log-uniform magnitudes in
:math:`[10^{-2}, 10^{2}]` so thresholds and scales far from 1 are seen; ``logit`` :math:`z \sim \mathcal U(-6, 6)`,
i.e. :math:`y = σ(z) \in (0.0025, 0.9975)`; ``label`` :math:`t \in \{0, 1\}`; ``batch`` :math:`N \in \{2..64\}`
(not 1, where a missing :math:`1/N` would hide); ``relu_input`` :math:`|g| \in [10^{-2}, 10]` log-uniform, either
sign — away from the kink, which is checked on its own.

Tolerances. Formulas here take at most a few hundred float64 operations on values of order :math:`10^{-4}..10^{4}`;
each operation errs by at most :math:`2^{-53} \approx 1.1\cdot10^{-16}` relatively, so agreement within
``RTOL = 1e-9`` (plus ``ATOL = 1e-12`` near zero) leaves a margin of :math:`\gtrsim 10^{4}` for cancellation. A
counterexample must separate the two values by ``SEPARATION = 1e-6`` relatively — far beyond rounding — and is then
re-checked at 30 significant digits in the sandbox.
"""
import math

import numpy as np
import sympy as sp

RTOL, ATOL, SEPARATION = 1e-9, 1e-12, 1e-6
NICE = {  # values for readable counterexamples, tried before general ones
    "real": (-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3),
    "logit": (-2, -1, -0.5, 0.5, 1, 2),
    "label": (0, 1),
    "batch": (2, 3, 4, 5, 8, 10),
    "relu_input": (-2, -1, -0.5, 0.5, 1, 2),
}


def sample(kinds, rng, n):
    """``n`` random points of the domain: symbol → float64 array (see the module docstring for the ranges)."""
    out = {}
    for symbol, kind in kinds.items():
        if kind == "real":
            wide = rng.choice((-1.0, 1.0), n) * 10.0 ** rng.uniform(-2, 2, n)
            out[symbol] = np.where(rng.random(n) < 0.5, rng.uniform(-3, 3, n), wide)
        elif kind == "logit":
            out[symbol] = rng.uniform(-6, 6, n)
        elif kind == "label":
            out[symbol] = rng.integers(0, 2, n).astype(float)
        elif kind == "batch":
            out[symbol] = rng.integers(2, 65, n).astype(float)
        elif kind == "relu_input":
            out[symbol] = rng.choice((-1.0, 1.0), n) * 10.0 ** rng.uniform(-2, 1, n)
        else:
            raise ValueError(f"unknown domain kind {kind!r}")
    return out


def nice_sample(kinds, rng, n):
    """``n`` random points drawn from the short lists of round values :data:`NICE`."""
    return {s: rng.choice(np.array(NICE[kind], dtype=float), n) for s, kind in kinds.items()}


def evaluate(expr, values):
    """float64 values of ``expr`` with ``values`` (symbol → array, all of one shape) substituted, in that shape even
    for a constant; NaN where undefined."""
    shape = np.shape(next(iter(values.values()))) if values else ()
    with np.errstate(all="ignore"):
        return np.array(np.broadcast_to(np.asarray(_eval(expr, values), dtype=float), shape))


def _heaviside(x, h0=0.5):
    return np.where(x > 0, 1.0, np.where(x < 0, 0.0, np.where(np.isnan(x), np.nan, h0)))


_FUNCTIONS = {
    sp.exp: np.exp, sp.log: lambda x: np.log(np.where(x > 0, x, np.nan)), sp.tanh: np.tanh, sp.Abs: np.abs,
    sp.Heaviside: _heaviside,
    sp.Max: lambda *xs: np.maximum.reduce(np.broadcast_arrays(*xs)),
    sp.Min: lambda *xs: np.minimum.reduce(np.broadcast_arrays(*xs)),
}


def _eval(expr, values):
    if expr in values:
        return values[expr]
    if expr.is_Number or expr.is_NumberSymbol:
        return float(expr)
    args = [_eval(a, values) for a in expr.args]
    if expr.is_Add:
        return sum(args[1:], args[0])
    if expr.is_Mul:
        return math.prod(args[1:], start=args[0])
    if expr.is_Pow:
        base, exponent = args
        return np.power(np.asarray(base, dtype=float), exponent)  # negative base, fractional exponent → NaN
    if expr.func in _FUNCTIONS:
        return _FUNCTIONS[expr.func](*args)
    raise ValueError(f"cannot evaluate {expr.func.__name__} numerically")


def agree(a, b):
    """Elementwise: ``a`` and ``b`` are equal up to rounding (both NaN counts as agreement: equally undefined)."""
    both_nan = np.isnan(a) & np.isnan(b)
    return both_nan | (np.abs(a - b) <= ATOL + RTOL * np.maximum(np.abs(a), np.abs(b)))


def separated(student, correct):
    """Elementwise: the values differ far beyond rounding, or the student's is undefined where the correct one is
    not (``correct`` must be finite)."""
    gap = np.abs(student - correct) > SEPARATION * np.maximum(1.0, np.maximum(np.abs(student), np.abs(correct)))
    return np.isfinite(correct) & (~np.isfinite(student) | gap)
