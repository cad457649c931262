"""Symbolic decisions: when is ``lhs == rhs`` proved? Exact reductions only — a False means "not proved", never a
numeric guess. Also the cached lambdification the numeric checks use."""
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
    if sp.expand(sp.expand_log(d)) == 0:
        return True
    if d.has(sp.Piecewise, sp.Abs):  # compare case by case
        d = sp.piecewise_fold(d.rewrite(sp.Piecewise))
    return sp.simplify(d) == 0


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
