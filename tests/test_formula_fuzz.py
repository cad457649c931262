"""Hypothesis fuzzing: whatever the text, checking it in the limited child yields a verdict — ``invalid`` with the
column for what the parsers refuse — and no exception, no hang, within the time limit."""
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gancheck.homework.formulas.engine import check_formula, in_child
from gancheck.homework.formulas.sandbox import Sandbox

TIMEOUT = 1.0
# A verdict is one request to the child, bounded by TIMEOUT (then the child is killed and restarted); the bound below
# is generous for a loaded machine and still proves "no hang".
LIMIT = 20 * TIMEOUT

_TOKENS = ["x", "y", "t", "h", "g", "z", "W", "N", "z_bar", "D.x", "G.y", "1", "2", "0.5", "1e3", "(", ")", "[", "]",
           "+", "-", "*", "/", "**", "^", ">", ">=", "<", ",", " ", "sigmoid(", "relu(", "relu_prime(", "exp(", "log(",
           "Heaviside(", "sqrt(", "max(", "__", ".", "'", "lambda", ":", "\\frac{", "}", "{", "\\bar{", "\\sigma",
           "\\mathbb{1}[", "\\cdot", "_D", "e^{", "\\log", "'"]
formula_like = st.lists(st.sampled_from(_TOKENS), max_size=25).map("".join)
# Well-formed formulas (mostly readable, so the verdict machinery itself is fuzzed): names of D's step and G's.
_NAMES = ["x", "y", "t", "h", "g", "z", "W", "U", "b", "c", "N", "z_bar", "h_bar", "y_bar", "D.y", "D.g", "D.x_bar",
          "1", "2", "0.5", "3"]
well_formed = st.recursive(
    st.sampled_from(_NAMES),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", " > ", " >= "]), inner).map(
            lambda p: f"({p[0]}{p[1]}{p[2]})"),
        st.tuples(st.sampled_from(["sigmoid", "relu", "relu_prime", "exp", "log", "Heaviside", "sqrt", "tanh",
                                   "softplus", "sigmoid_prime", "abs", "-"]), inner).map(lambda p: f"{p[0]}({p[1]})"),
        st.tuples(st.sampled_from(["max", "min", "Heaviside"]), inner, st.sampled_from(["0", "1", "g", "0.5"])).map(
            lambda p: f"{p[0]}({p[1]}, {p[2]})")),
    max_leaves=10)


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox(timeout=TIMEOUT)
    yield box
    box.close()


def _verdict_or_parse_error(quantity, text, sandbox):
    start = time.perf_counter()
    verdict = check_formula(quantity, text, judge=in_child(sandbox))
    assert verdict.status in ("equivalent", "not equivalent", "undecided", "invalid")
    if verdict.status == "invalid":
        assert " at column " in verdict.notes[0] and "\n" not in verdict.notes[0]
    if verdict.status == "not equivalent":
        assert verdict.counterexample is not None
    assert time.perf_counter() - start < LIMIT


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_arbitrary_text(sandbox, text):
    _verdict_or_parse_error("D.W_bar", text, sandbox)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(formula_like | well_formed, st.sampled_from(["D.z_bar", "D.g_bar", "G.y_bar", "G.U_bar", "relu_prime"]))
def test_formula_like_text(sandbox, text, quantity):
    _verdict_or_parse_error(quantity, text, sandbox)
