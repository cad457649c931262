"""The evaluators, each against an independent computation: float64 programs (plain Python) against SymPy's own
substitution, the exact evaluator against SymPy's adaptive-precision evalf; overflow never agrees, rounding never
fakes a counterexample, and shared subexpressions cost their size as a graph."""
import math
import random
import time

import mpmath
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from derivations import backprop
from gancheck.homework.formulas import exact, numeric

D = backprop.forward_symbols("D")
x, z, g = sp.symbols("x z g", real=True)
_values = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


def _expression(c):
    return (sp.exp(-z) / (1 + sp.exp(-z)) ** 2 * sp.Max(0, g) + sp.log(c + x**2) * sp.Heaviside(g - c, 0)
            - sp.tanh(x) * sp.Abs(z) + sp.Min(x, z) / c + sp.sqrt(c) + x**3 / (1 + z**2))


@given(_values, _values, st.floats(0.01, 5))
def test_float64_evaluation_agrees_with_sympy(a, b, c):
    expr = _expression(sp.Rational(c))
    got = numeric.evaluate(expr, {x: [a], z: [b], g: [c]})[0]
    want = float(expr.subs({x: a, z: b, g: c}).evalf(30))
    assert abs(got - want) <= 1e-12 * max(1.0, abs(want))


@given(st.fractions(-5, 5, max_denominator=1000), st.fractions(-5, 5, max_denominator=1000),
       st.fractions(1, 5, max_denominator=100))
def test_exact_evaluation_agrees_with_sympys_evalf_to_30_digits(a, b, c):
    expr = _expression(sp.Rational(c.numerator, c.denominator))
    got = exact.value(expr, {x: str(a), z: str(b), g: str(c)})
    rational = {s: sp.Rational(v.numerator, v.denominator) for s, v in ((x, a), (z, b), (g, c))}
    want = expr.subs(rational).evalf(60)
    with mpmath.workdps(60):  # the values hold ~100 digits; compare them at more than the 30 that must agree
        assert abs(got - mpmath.mpf(want)) <= mpmath.mpf(10) ** -30 * max(1, abs(got))


def test_float64_conventions_undefined_and_overflow():
    values = {g: [-1.0, 0.0, 2.0]}
    assert numeric.evaluate(sp.Heaviside(g, 0), values) == [0, 0, 1]
    assert numeric.evaluate(sp.Heaviside(g, 1), values) == [0, 1, 1]
    assert numeric.evaluate(sp.Heaviside(g), values) == [0, 0.5, 1]
    assert all(map(math.isnan, numeric.evaluate(sp.log(g), values)[:2]))
    assert math.isnan(numeric.evaluate(sp.sqrt(g), values)[0]) and math.isnan(numeric.evaluate(1 / g, values)[1])
    assert numeric.evaluate(sp.Integer(3), values) == [3, 3, 3]
    assert numeric.evaluate(sp.exp(1000 * g), values) == [0.0, 1.0, math.inf]
    assert numeric.evaluate(-(g ** 401), {g: [10.0]}) == [-math.inf]


def test_overflow_never_agrees_and_undefined_agrees_only_with_undefined():
    inf, nan = math.inf, math.nan
    assert [numeric.agree(a, b) for a, b in ((1.0, 1 + 1e-12), (1e-13, 0.0), (nan, nan), (1.0, 1.1), (1.0, nan),
                                             (inf, inf), (inf, 1.0), (-inf, -inf))] == [
        True, True, True, False, False, False, False, False]
    assert [numeric.separated(s, c) for s, c in ((1.0, 2.0), (1 + 1e-8, 1.0), (nan, 1.0), (inf, 1.0), (1.0, inf))] \
        == [True, False, True, True, False]


def test_exact_values_beyond_float64_and_the_bounds_of_the_exact_evaluator():
    assert exact.text(exact.value(sp.exp(1000) + x, {x: "1"})) == "1.970071114017047e+434"
    assert exact.value(x ** sp.Integer(3), {x: "-2"}) == -8
    with pytest.raises(exact.Unknown, match="too large to evaluate"):
        exact.value(sp.exp(sp.exp(1000)), {})
    for expr, point in ((sp.log(x), "-1"), (sp.sqrt(x), "-2"), (1 / x, "0"), (x ** sp.Rational(1, 3), "-8")):
        with pytest.raises(exact.Undefined):
            exact.value(expr, {x: point})


def test_rational_steps_are_exact_and_cancellation_is_caught():
    assert exact.value(3 * x - sp.Rational(3, 10), {x: "0.1"}) == 0  # 0.1 is the decimal 1/10, not a binary float
    assert exact.value(sp.Heaviside(3 * x - sp.Rational(3, 10)), {x: "0.1"}) == mpmath.mpf("0.5")
    big = sp.Integer(10) ** 60  # the two working precisions disagree on this amplified cancellation: no value
    with pytest.raises(exact.Unknown, match="not stable"):
        exact.value((sp.log(sp.exp(x) + big) - sp.log(big)) * big, {x: "1"})


def test_shared_subexpressions_cost_their_graph_not_their_tree():
    e = x
    for _ in range(60):  # a tree of 2^60 nodes, a graph of about 180 (built unevaluated: SymPy's own evaluation
        t = sp.tanh(e, evaluate=False)  # walks the tree)
        e = sp.Add(t, sp.Mul(t, x, evaluate=False), evaluate=False)
    start = time.perf_counter()
    got = numeric.evaluate(e, {x: [0.3]})[0]
    assert exact.value(e, {x: "0.3"}) == pytest.approx(got, rel=1e-12)
    assert time.perf_counter() - start < 2.0
    value = 0.3
    for _ in range(60):
        value = math.tanh(value) * 1.3
    assert got == pytest.approx(value, rel=1e-12)


def test_samples_respect_the_domains():
    kinds = {D["t"]: "label", backprop.N: "batch", D["g"]: "relu_input", D["z"]: "logit", D["x"]: "real"}
    s = numeric.sample(kinds, random.Random(0), 500)
    assert set(s[D["t"]]) == {0.0, 1.0} and all(len(column) == 500 for column in s.values())
    assert min(s[backprop.N]) >= 2 and all(n == round(n) for n in s[backprop.N])
    assert all(abs(v) >= 0.01 for v in s[D["g"]]) and max(s[D["g"]]) > 0 > min(s[D["g"]])
    assert all(abs(v) <= 6 for v in s[D["z"]]) and max(map(abs, s[D["x"]])) > 10  # wide magnitudes are sampled
    assert numeric.sample(kinds, random.Random(0), 500) == s  # the seed fixes the points, in any process
    nice = numeric.nice_sample(kinds, random.Random(1), 50)
    assert set(nice[D["z"]]) <= set(numeric.NICE["logit"])
