r"""Numeric side of the verdicts: sample the quantity's domain, evaluate formulas there in float64, compare.

Plain Python floats and :mod:`random` — no NumPy — so the very same code decides in the limited child and in a
reader's browser (Pyodide), with the same points from the same seed. Formulas are evaluated as programs
(:mod:`.program`). Where a formula is undefined (log of a negative, 0/0) the value is NaN; where it overflows, ±inf.

Domains, by kind (:mod:`.references`): ``real`` values mix :math:`\mathcal U(-3, 3)` with log-uniform magnitudes in
:math:`[10^{-2}, 10^{2}]` so thresholds and scales far from 1 are seen; ``positive`` the same magnitudes, positive
(a density's value, a standard deviation); ``logit`` :math:`z \sim \mathcal U(-6, 6)`,
i.e. :math:`y = σ(z) \in (0.0025, 0.9975)`; ``label`` :math:`t \in \{0, 1\}`; ``batch`` :math:`N \in \{2..64\}`
(not 1, where a missing :math:`1/N` would hide); ``relu_input`` :math:`|g| \in [10^{-2}, 10]` log-uniform, either
sign — away from the kink, which is checked on its own.

Tolerances. Formulas here take at most a few hundred float64 operations on values of order :math:`10^{-4}..10^{4}`;
each operation errs by at most :math:`2^{-53} \approx 1.1\cdot10^{-16}` relatively, so agreement within
``RTOL = 1e-9`` (plus ``ATOL = 1e-12`` near zero) leaves a margin of :math:`\gtrsim 10^{4}` for cancellation. Only
*finite* values agree (or two NaNs: equally undefined) — an overflow to ±inf never agrees with anything, not even
another inf, since two overflowed values may be as different as :math:`e^{1000}` and :math:`e^{2000}`. A
counterexample must separate the two values by ``SEPARATION = 1e-6`` relatively — far beyond rounding — and is then
re-checked exactly (:mod:`.exact`).
"""
import functools
import math
import operator

from .program import columns, program

RTOL, ATOL, SEPARATION = 1e-9, 1e-12, 1e-6
NAN, INF = math.nan, math.inf
NICE = {  # values for readable counterexamples, tried before general ones
    "real": (-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3),
    "positive": (0.25, 0.5, 1, 1.5, 2, 3, 4),
    "logit": (-2, -1, -0.5, 0.5, 1, 2),
    "label": (0, 1),
    "batch": (2, 3, 4, 5, 8, 10),
    "relu_input": (-2, -1, -0.5, 0.5, 1, 2),
}


def _real(rng):
    if rng.random() < 0.5:
        return rng.uniform(-3, 3)
    return rng.choice((-1.0, 1.0)) * 10.0 ** rng.uniform(-2, 2)


_DRAW = {
    **{("nice", kind): (lambda values: lambda rng: float(rng.choice(values)))(values) for kind, values in NICE.items()},
    "real": _real,
    "positive": lambda rng: 10.0 ** rng.uniform(-2, 2),
    "logit": lambda rng: rng.uniform(-6, 6),
    "label": lambda rng: float(rng.randrange(2)),
    "batch": lambda rng: float(rng.randrange(2, 65)),
    "relu_input": lambda rng: rng.choice((-1.0, 1.0)) * 10.0 ** rng.uniform(-2, 1),
}


def sample(kinds, rng, n):
    """``n`` random points of the domain from ``rng`` (a :class:`random.Random`), as columns: symbol → list of
    ``n`` floats."""
    for kind in kinds.values():
        if kind not in _DRAW:
            raise ValueError(f"unknown domain kind {kind!r}")
    points = [[_DRAW[kind](rng) for kind in kinds.values()] for _ in range(n)]
    return dict(zip(kinds, map(list, zip(*points)))) if n else {s: [] for s in kinds}


def nice_sample(kinds, rng, n):
    """``n`` random points drawn from the short lists of round values :data:`NICE` (columns, as :func:`sample`)."""
    return sample({s: ("nice", kind) for s, kind in kinds.items()}, rng, n)


def size(columns):
    return len(next(iter(columns.values()))) if columns else 1


def point(columns, i):
    """The ``i``-th point of a sample: symbol → float."""
    return {s: column[i] for s, column in columns.items()}


def evaluate(expr, sample):
    """float64 values of ``expr`` at each point of ``sample`` (columns); NaN where undefined, ±inf where it
    overflows."""
    try:
        return columns(program(expr), sample, size(sample), _OPERATIONS, _number)
    except KeyError as exc:
        raise ValueError(f"cannot evaluate: no value for {exc.args[0]}") from None


def _number(n):
    try:
        return int(n.p) / int(n.q) if n.is_Rational else float(n)  # correctly rounded, without SymPy's evalf
    except OverflowError:  # an exact number beyond float64 (the parsers bound its digits)
        return INF if n > 0 else -INF


# Operations on columns (lists of floats, one per point), with IEEE results — NaN, ±inf — where Python would raise.
def _fold(operation):
    def apply(*columns):
        return functools.reduce(lambda a, b: list(map(operation, a, b)), columns)
    return apply


def _exp(column):
    try:
        return list(map(math.exp, column))
    except OverflowError:
        return [INF if x > 709 else math.exp(x) for x in column]


def _power(base, exponent):
    """``base**exponent`` with IEEE-like results instead of Python's exceptions and complex numbers."""
    if math.isnan(base) or math.isnan(exponent):
        return NAN
    integral = math.isfinite(exponent) and exponent == int(exponent)
    if base < 0 and not integral:
        return NAN           # negative base, fractional exponent: not real
    try:
        return base ** exponent
    except ZeroDivisionError:
        return NAN           # 0 to a negative power
    except OverflowError:
        negative = base < 0 and integral and int(exponent) % 2 == 1
        return -INF if negative else INF


def _pow(base, exponent):
    k = exponent[0]
    if exponent.count(k) == len(exponent) and (k == int(k) or min(base) >= 0):  # the usual x**2, 1/x
        try:
            return [b ** k for b in base]
        except (ZeroDivisionError, OverflowError):
            pass
    return list(map(_power, base, exponent))


def _step(x, at_zero=0.5):
    if math.isnan(x):
        return NAN
    return 1.0 if x > 0 else 0.0 if x < 0 else float(at_zero)


def _extreme(pick):
    def apply(*xs):
        return NAN if any(map(math.isnan, xs)) else pick(xs)
    return lambda *columns: list(map(apply, *columns))


def _each(function):
    return lambda *columns: list(map(function, *columns))


def lambert_w(x):
    r"""Lambert's W, principal branch, for real :math:`x \ge -1/e` (NaN below): the root of :math:`w e^w = x` by
    Halley's iteration :math:`w \leftarrow w - f/(e^w(w+1) - (w+2)f/(2w+2))`, :math:`f = we^w - x` (Corless et al.
    1996, eq. 5.9), from :math:`\log(1+x)`; 60 steps bound the cost, convergence is cubic."""
    if math.isnan(x) or x < -1 / math.e:
        return NAN
    if math.isinf(x):
        return x
    w = math.log1p(x) if x < 3 else math.log(x) - math.log(math.log(x))
    for _ in range(60):
        e = math.exp(w)
        f = w * e - x
        step = f / (e * (w + 1) - (w + 2) * f / (2 * w + 2)) if w != -1 else 0.0
        w -= step
        if abs(step) <= 1e-16 * (1 + abs(w)):
            break
    return w


_OPERATIONS = {
    "add": _fold(operator.add),
    "mul": _fold(operator.mul),
    "pow": _pow,
    "exp": _exp,
    "log": lambda column: [math.log(x) if x > 0 else NAN for x in column],
    "tanh": _each(lambda x: NAN if math.isnan(x) else math.tanh(x)),
    "abs": _each(abs),
    "step": _each(_step),
    "lambertw": _each(lambert_w),
    "max": _extreme(max),
    "min": _extreme(min),
}


def agree(a, b):
    """``a`` and ``b`` are equal up to rounding: both finite and close, or both NaN (equally undefined)."""
    if math.isnan(a) and math.isnan(b):
        return True
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= ATOL + RTOL * max(abs(a), abs(b))


def all_agree(a, b):
    return all(map(agree, a, b))


def finite(*xs):
    return all(map(math.isfinite, xs))


def separated(student, correct):
    """The values differ far beyond rounding, or the student's is undefined or overflows where the correct one is
    finite (``correct`` must be finite)."""
    if not math.isfinite(correct):
        return False
    if not math.isfinite(student):
        return True
    return abs(student - correct) > SEPARATION * max(1.0, abs(student), abs(correct))
