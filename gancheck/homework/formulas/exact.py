r"""Exact re-check of a counterexample: a formula's value at a decimal point, to 30 significant digits, with mpmath.

A float64 disagreement is only a *candidate*; this module decides whether it is real. The formula runs as a program
(:mod:`.program`) twice, at 50 and at 100 significant digits, and the value counts only when both runs agree to 30
digits — so a cancellation that eats the working precision, or a step function whose argument is within rounding of
its threshold, gives :class:`Unknown`, never a false counterexample. Rational operations on the (decimal, hence
rational) point are exact, so ``g - 1/2`` at ``g = 0.5`` is exactly 0. mpmath's exponent range is unbounded, so a value
such as :math:`e^{1000} \approx 1.97\cdot10^{434}`, an overflow in float64, has its exact value here.

Its cost is bounded where mpmath's is not: :math:`e^x` needs working precision growing with :math:`\log_2 |x|`, so an
argument beyond :data:`EXP_LIMIT` (e.g. :math:`e^{e^{1000}}`) is :class:`Unknown` ("too large to evaluate");
:math:`\tanh x` for :math:`|x| > 100` is :math:`\pm1` to :math:`10^{-86}`.
"""
import math
from fractions import Fraction

import mpmath

from .program import program, run

DIGITS = 30                       # significant digits a value must have to count
PRECISIONS = (50, 100)            # the two working precisions (decimal digits) whose results must agree
EXP_LIMIT = mpmath.mpf(10) ** 100  # |x| beyond which e^x is not computed (mpmath would need ~log2|x| bits)


class Undefined(ArithmeticError):
    """The formula is undefined at the point (log of a non-positive number, 0 to a negative power, …)."""


class Unknown(ArithmeticError):
    """The value cannot be computed reliably (too large, or not stable across working precisions)."""


def value(expr, point):
    """``expr`` at ``point`` (Symbol → decimal string or fraction) as an mpmath number good to :data:`DIGITS`
    digits. Raises :class:`Undefined` or :class:`Unknown`."""
    steps = program(expr)
    exact_point = {s: Fraction(v) for s, v in point.items()}
    results = []
    for dps in PRECISIONS:
        with mpmath.workdps(dps):
            try:
                results.append(_mp(run(steps, exact_point, _OPERATIONS, _number)))
            except Undefined:
                results.append(None)
            except (OverflowError, ValueError, ZeroDivisionError) as exc:  # mpmath refusing: not a value
                raise Unknown(f"{type(exc).__name__}: {exc}") from None
    low, high = results
    if low is None and high is None:
        raise Undefined("undefined at this point")
    if low is None or high is None or abs(low - high) > mpmath.mpf(10) ** -DIGITS * max(1, abs(low), abs(high)):
        raise Unknown("not stable across working precisions")
    return high


def nonzero(expr):
    """The number ``expr`` (no symbols) is certainly not 0: its value has the same 30 leading digits at both working
    precisions. A zero SymPy did not simplify (``log(6) - log(2) - log(3)``) computes as rounding noise, which
    changes with the precision, and is not certified."""
    values = []
    for dps in PRECISIONS:
        with mpmath.workdps(dps):
            try:
                values.append(_mp(run(program(expr), {}, _OPERATIONS, _number)))
            except (Undefined, Unknown, OverflowError, ValueError, ZeroDivisionError):
                return False
    low, high = values
    return high != 0 and abs(low - high) <= mpmath.mpf(10) ** -DIGITS * abs(high)


# Values are exact fractions while only rational operations apply (so a step's argument that is exactly 0 is 0), and
# mpmath numbers at the working precision from the first transcendental function on.
_MAX_BITS = 20_000  # a fraction larger than this is continued in mpmath (its digits would cost more than they say)


def _mp(x):
    return x if isinstance(x, mpmath.mpf) else mpmath.mpf(x.numerator) / x.denominator


def _shrink(x):
    if isinstance(x, Fraction) and x.numerator.bit_length() + x.denominator.bit_length() > _MAX_BITS:
        return _mp(x)
    return x


def _rational(xs):
    return all(isinstance(x, Fraction) for x in xs)


def _number(n):
    if n.is_Rational:
        return Fraction(int(n.p), int(n.q))
    return mpmath.mpf(n.evalf(mpmath.mp.dps + 5))  # π, e


def _add(*xs):
    return _shrink(sum(xs, Fraction(0))) if _rational(xs) else mpmath.fsum(map(_mp, xs))


def _mul(*xs):
    return _shrink(math.prod(xs)) if _rational(xs) else mpmath.fprod(map(_mp, xs))


def _exp(x):
    if abs(_mp(x)) > EXP_LIMIT:
        raise Unknown("too large to evaluate (the exponential of a number beyond 10^100)")
    return mpmath.exp(_mp(x))


def _log(x):
    if x <= 0:
        raise Undefined("log of a non-positive number")
    return mpmath.log(_mp(x))


def _parity(exponent):
    """(is an integer, is odd) for an exact or mpmath exponent."""
    if isinstance(exponent, Fraction):
        return exponent.denominator == 1, exponent.denominator == 1 and exponent.numerator % 2 == 1
    _, mantissa, binary_exponent, _ = exponent._mpf_  # ±mantissa·2^binary_exponent, mantissa odd
    return binary_exponent >= 0, binary_exponent == 0 and mantissa % 2 == 1


def _pow(base, exponent):
    if exponent == 0:
        return Fraction(1)  # SymPy's convention, 0**0 = 1, as float64's
    if base == 0:
        if exponent > 0:
            return Fraction(0)
        raise Undefined("0 to a negative power")
    if abs(_mp(exponent)) > EXP_LIMIT:
        raise Unknown("too large to evaluate (a power beyond 10^100)")
    integral, odd = _parity(exponent)
    if base < 0:
        if not integral:
            raise Undefined("a fractional power of a negative number")
        magnitude = _pow(-base, exponent)
        return -magnitude if odd else magnitude
    if integral and abs(exponent) <= 64:
        return _shrink(base ** int(exponent))
    return _exp(_mp(exponent) * mpmath.log(_mp(base)))


def _undefined(why):
    raise Undefined(why)


def _step(x, at_zero=Fraction(1, 2)):
    if isinstance(x, mpmath.mpf) and x != 0 and abs(x) < mpmath.mpf(10) ** (-mpmath.mp.dps // 2):
        raise Unknown("a step function's argument is within rounding of 0")
    return Fraction(1) if x > 0 else Fraction(0) if x < 0 else at_zero


def _extreme(pick):
    def apply(*xs):
        return pick(xs) if _rational(xs) else pick(map(_mp, xs))
    return apply


_OPERATIONS = {
    "add": _add,
    "mul": _mul,
    "pow": _pow,
    "exp": _exp,
    "log": _log,
    "tanh": lambda x: mpmath.sign(_mp(x)) if abs(x) > 100 else mpmath.tanh(_mp(x)),
    "abs": abs,
    "step": _step,
    "lambertw": lambda x: mpmath.lambertw(_mp(x)) if _mp(x) >= -1 / mpmath.e else _undefined("W below -1/e"),
    "max": _extreme(max),
    "min": _extreme(min),
}


def text(x, digits=17):
    """An mpmath number as a short decimal string (``"0.25"``, ``"-2"``, ``"1.9700711140170469e+434"``)."""
    if x == int(x) and abs(x) < 10**digits:
        return str(int(x))
    return mpmath.nstr(x, digits, min_fixed=-5, max_fixed=digits, strip_zeros=True)
