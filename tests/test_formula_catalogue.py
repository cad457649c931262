"""The catalogue is data joined with derivations.backprop (never a second copy of the formulas), and the numeric
evaluator agrees with SymPy."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from derivations import backprop
from gancheck.homework.formulas import catalogue, numeric
from gancheck.homework.formulas.table import markdown_table

D = backprop.forward_symbols("D")


def test_the_catalogue_covers_backprops_chains_in_order():
    names = list(catalogue.entries())
    for net, prefix in (("D", ""), ("G", "G.")):
        chain = [q.name for q in backprop.chain(net)]
        ours = [catalogue.entries()[n].key for n in names if catalogue.entries()[n].chain == net]
        assert ours == chain
        assert [n for n in names if catalogue.entries()[n].chain == net][0] == prefix + chain[0]
    assert "relu_prime" in names


def _plain(expr):
    """The same expression in backprop's assumption-free symbols."""
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


@pytest.mark.parametrize("loss", catalogue.LOSSES)
def test_every_reference_is_backprops_own_expression(loss):
    for e in catalogue.entries().values():
        ref = catalogue.reference(e.name, loss)
        assert all(s.is_real for s in ref.expanded.free_symbols)  # answers are parsed into real symbols
        if e.chain is None:
            want = backprop.loss(e.net, loss) if e.function == "loss" else backprop.relu_prime(D["g"])
            assert _plain(ref.expanded) == want and ref.symbol is None
            continue
        q = next(q for q in backprop.chain(e.chain, loss) if q.name == e.key)
        assert tuple(map(_plain, (ref.local, ref.expanded, ref.symbol))) == (q.local, q.expanded, q.symbol)


def test_the_loss_entries_follow_the_sheets_generator_loss():
    z, t, N = D["z"], D["t"], backprop.N
    bce = (t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z))) / N
    assert _plain(catalogue.reference("D.L").expanded) == bce
    assert catalogue.reference("D.L", "minimax") == catalogue.reference("D.L")  # D's own BCE ignores G's loss
    assert _plain(catalogue.reference("G.L").expanded) == sp.log(1 + sp.exp(-z)) / N
    assert _plain(catalogue.reference("G.L", "minimax").expanded) == sp.log(1 - 1 / (1 + sp.exp(-z))) / N
    assert isinstance(catalogue.names("G.L")["D.z_bar"], str) and "D.y" in catalogue.names("G.L")


def test_generator_step_names_differ_from_the_discriminator_step():
    assert _plain(catalogue.reference("D.z_bar").expanded) == (D["y"] - D["t"]) / backprop.N
    assert _plain(catalogue.reference("G.D.z_bar").expanded) == (D["y"] - 1) / backprop.N
    assert _plain(catalogue.reference("G.D.z_bar", "minimax").expanded) == -D["y"] / backprop.N
    assert catalogue.student_name(catalogue.entry("G.y_bar"), catalogue.entry("G.D.x_bar")) == "D.x_bar"
    assert catalogue.student_name(catalogue.entry("D.U_bar"), catalogue.entry("D.g_bar")) == "g_bar"


def test_the_relu_definition_without_piecewise_is_backprops_relu():
    g = D["g"]
    rewritten = _plain(catalogue.domain("D").definitions[catalogue.forward("D")["h"]])
    original = backprop.elementwise_definitions("D")[D["h"]]
    for value in (-2, -sp.Rational(1, 3), 0, sp.Rational(1, 7), 5):
        assert rewritten.subs(g, value) == original.subs(g, value)


def test_markdown_table_for_the_docs():
    table = markdown_table()
    lines = table.splitlines()
    assert lines[0].startswith("| Quantity | Symbol | Meaning | May use | Reference |")
    assert len(lines) == 2 + len(catalogue.entries())
    assert r"$\bar{h} \mathbb{1}[g > 0]$" in table and r"\bar{x}_{D}" in table
    assert "-D.y" not in table and "\n" not in lines[5]


_values = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


@given(_values, _values, st.floats(0.01, 5))
def test_numeric_evaluation_agrees_with_sympy(a, b, c):
    x, z, g = D["x"], D["z"], D["g"]
    expr = (sp.exp(-z) / (1 + sp.exp(-z)) ** 2 * sp.Max(0, g) + sp.log(c + x**2) * sp.Heaviside(g - c, 0)
            - sp.tanh(x) * sp.Abs(z) + sp.Min(x, z) / c + sp.sqrt(c))
    point = {x: a, z: b, g: c}
    got = numeric.evaluate(expr, {k: np.array([v]) for k, v in point.items()})[0]
    want = float(expr.subs(point).evalf(30))
    assert abs(got - want) <= 1e-12 * max(1.0, abs(want))


def test_numeric_heaviside_conventions_and_undefined_values():
    g = D["g"]
    values = {g: np.array([-1.0, 0.0, 2.0])}
    assert numeric.evaluate(sp.Heaviside(g, 0), values).tolist() == [0, 0, 1]
    assert numeric.evaluate(sp.Heaviside(g, 1), values).tolist() == [0, 1, 1]
    assert numeric.evaluate(sp.Heaviside(g), values).tolist() == [0, 0.5, 1]
    assert np.isnan(numeric.evaluate(sp.log(g), values)[:2]).all()
    assert np.isnan(numeric.evaluate(sp.sqrt(g), values)[0])
    assert numeric.evaluate(sp.Integer(3), values).tolist() == [3, 3, 3]


def test_agreement_and_separation_tolerances():
    a = np.array([1.0, 1e-13, np.nan, 1.0, 1.0])
    assert numeric.agree(a, np.array([1.0 + 1e-12, 0.0, np.nan, 1.1, np.nan])).tolist() == [True, True, True,
                                                                                             False, False]
    assert numeric.separated(np.array([1.0, 1.0 + 1e-8, np.nan]), np.array([2.0, 1.0, 1.0])).tolist() == [
        True, False, True]


def test_samples_respect_the_domains():
    assert catalogue.domain("D").kinds == {catalogue.forward("D")[k]: kind for k, kind in (
        ("x", "real"), ("g", "relu_input"), ("z", "logit"), ("t", "label"), ("U", "real"), ("b", "real"),
        ("W", "real"), ("c", "real"), ("N", "batch"))}
    kinds = {D["t"]: "label", backprop.N: "batch", D["g"]: "relu_input", D["z"]: "logit", D["x"]: "real"}
    s = numeric.sample(kinds, np.random.default_rng(0), 500)
    assert set(s[D["t"]]) == {0.0, 1.0}
    assert s[backprop.N].min() >= 2 and (s[backprop.N] == np.round(s[backprop.N])).all()
    assert (np.abs(s[D["g"]]) >= 0.01).all() and (s[D["g"]] > 0).any() and (s[D["g"]] < 0).any()
    assert (np.abs(s[D["z"]]) <= 6).all() and np.abs(s[D["x"]]).max() > 10  # wide magnitudes are sampled
