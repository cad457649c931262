"""Symbolic decisions: when is ``lhs == rhs`` proved? Exact reductions only — True is never a numeric guess; False
means "not proved" (or disproved by a counterexample). Also the cached lambdification the numeric checks use."""
import random
from functools import lru_cache

import sympy as sp


def abbreviate_exponentials(expr):
    """Replace :math:`e^{k s}` (``s`` a symbol, ``k`` a number) by :math:`E_s^k` with a fresh symbol :math:`E_s`.

    Sound for proving identities: an expression that vanishes for every value of the free symbol :math:`E_s` vanishes
    at :math:`E_s = e^s`. It turns the logistic functions into rational functions, which :func:`rational_zero` decides.
    """
    def power(arg):
        k, s = arg.as_coeff_Mul()
        return sp.Symbol(f"exp({s})") ** k if s.is_Symbol and k.is_Rational else sp.exp(arg)

    return expr.replace(sp.exp, power)


def rational_zero(expr):
    """Exact decision for rational functions of symbols and opaque atoms: the numerator over a common denominator
    expands to 0. (A numerator that vanishes identically makes the expression 0 wherever it is defined.)"""
    return sp.expand(sp.numer(sp.together(abbreviate_exponentials(expr)))) == 0


def _prime_logs(r):
    """log of a positive rational as Σ e_p log p over its prime factors (logs of primes: independent atoms)."""
    return sum(e * sp.log(prime) for prime, e in sp.factorint(r).items())


def normal_logs(expr):
    """Every log's argument factored and the log expanded where the assumptions allow it (``force=False``), logs of
    positive rationals split over primes: log(p/2 + q/2) becomes log(p + q) − log 2, log(80/81) becomes
    4 log 2 + log 5 − 4 log 3. An equivalent expression, so a zero found after it is a proof."""
    expr = expr.replace(sp.log, lambda a: sp.log(sp.factor(a)))
    expr = sp.expand_log(sp.expand(expr), force=False)
    return expr.replace(lambda e: isinstance(e, sp.log) and e.args[0].is_Rational and e.args[0].is_positive,
                        lambda e: _prime_logs(e.args[0]))


def verify_statement(lhs, rhs):
    """Decide ``lhs == rhs`` symbolically: True only if ``lhs - rhs`` reduces to exactly 0.

    Cheap exact reductions first (expansion; :func:`rational_zero`), then ``simplify``. False means "not proved",
    never a numeric guess.
    """
    lhs, rhs = sp.sympify(lhs).doit(), sp.sympify(rhs).doit()
    if lhs == rhs:  # structurally equal, including infinities (∞ − ∞ would be NaN)
        return True
    d = lhs - rhs
    if d == 0 or sp.expand(d) == 0 or rational_zero(d):
        return True
    # expand_log without force splits log(a*b) only where the symbols' assumptions make it valid
    if sp.expand(sp.expand_log(d)) == 0 or rational_zero(normal_logs(d)):
        return True
    if refuted(lhs, rhs):  # a counterexample settles it without simplify (slow exactly when the answer is no)
        return False
    if d.has(sp.Piecewise, sp.Abs):  # compare case by case
        d = sp.piecewise_fold(d.rewrite(sp.Piecewise))
    return sp.simplify(d) == 0


def _sample(symbol, rng):
    """A value consistent with the symbol's assumptions (real values: an identity over ℂ holds over ℝ too)."""
    if symbol.is_integer:
        return rng.randint(1, 6) if symbol.is_positive or symbol.is_nonnegative else rng.randint(-3, 3)
    if symbol.is_positive or symbol.is_nonnegative:
        return sp.Rational(rng.randint(2, 250), 100)
    if symbol.is_negative or symbol.is_nonpositive:
        return -sp.Rational(rng.randint(2, 250), 100)
    return sp.Rational(rng.randint(-250, 250), 100)


def refuted(lhs, rhs, points=2):
    """True when ``lhs − rhs`` is clearly nonzero (beyond 1e-9 of the sides' size, at 30 digits) at a point consistent
    with the symbols' assumptions: a counterexample, so the identity is false. Expressions with undefined functions,
    derivatives or integrals are never refuted here."""
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    d = lhs - rhs
    if d.has(sp.core.function.AppliedUndef, sp.Derivative, sp.Integral, sp.Subs) or not d.free_symbols:
        return False
    rng = random.Random(0)  # fixed points: decisions are reproducible
    symbols = sorted(d.free_symbols, key=lambda s: s.name)
    for _ in range(points):
        at = {s: _sample(s, rng) for s in symbols}
        try:
            values = [sp.N(e.subs(at), 30) for e in (d, lhs, rhs)]
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            continue
        if not all(v.is_number and v.is_finite for v in values):
            continue
        if abs(values[0]) > 1e-9 * (1 + abs(values[1]) + abs(values[2])):
            return True
    return False


def same_function(f, g, x, at=0):
    """Decide ``f == g`` for differentiable functions of one real variable on all of ℝ: equal derivatives
    (:func:`rational_zero`, exact) and equal values at ``at``. Only for expressions defined and differentiable on the
    whole real line (a connected domain), which the caller asserts; much faster than ``simplify`` for logs of
    logistic functions."""
    return rational_zero(sp.diff(f - g, x)) and verify_statement(f.subs(x, at), g.subs(x, at))


@lru_cache(maxsize=1024)
def numeric_function(expr, symbols):
    """``expr`` lambdified for NumPy in the argument order ``symbols`` (a tuple), cached."""
    return sp.lambdify(symbols, expr, "numpy")
