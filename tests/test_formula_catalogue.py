"""The catalogue is data (no SymPy) joined with derivations.backprop in references (never a second copy of the
formulas); unknown names get suggestions."""
import sys

import pytest
import sympy as sp

from derivations import backprop
from gancheck import GancheckError
from gancheck.homework.formulas import catalogue, references
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


@pytest.mark.parametrize("loss", references.LOSSES)
def test_every_reference_is_backprops_own_expression(loss):
    for e in catalogue.entries().values():
        ref = references.reference(e.name, loss)
        assert all(s.is_real for s in ref.expanded.free_symbols)  # answers are parsed into real symbols
        if e.claim is not None:  # a lecture result: tests/test_formula_lecture.py
            continue
        if e.chain is None:
            want = backprop.loss(e.net, loss) if e.function == "loss" else backprop.relu_prime(D["g"])
            assert _plain(ref.expanded) == want and ref.symbol is None
            continue
        q = next(q for q in backprop.chain(e.chain, loss) if q.name == e.key)
        assert tuple(map(_plain, (ref.local, ref.expanded, ref.symbol))) == (q.local, q.expanded, q.symbol)


def test_the_loss_entries_follow_the_sheets_generator_loss():
    z, t, N = D["z"], D["t"], backprop.N
    bce = (t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z))) / N
    assert _plain(references.reference("D.L").expanded) == bce
    assert references.reference("D.L", "minimax") == references.reference("D.L")  # D's own BCE ignores G's loss
    assert _plain(references.reference("G.L").expanded) == sp.log(1 + sp.exp(-z)) / N
    assert _plain(references.reference("G.L", "minimax").expanded) == sp.log(1 - 1 / (1 + sp.exp(-z))) / N
    assert isinstance(references.names("G.L")["D.z_bar"], str) and "D.y" in references.names("G.L")


def test_generator_step_names_differ_from_the_discriminator_step():
    assert _plain(references.reference("D.z_bar").expanded) == (D["y"] - D["t"]) / backprop.N
    assert _plain(references.reference("G.D.z_bar").expanded) == (D["y"] - 1) / backprop.N
    assert _plain(references.reference("G.D.z_bar", "minimax").expanded) == -D["y"] / backprop.N
    assert catalogue.student_name(catalogue.entry("G.y_bar"), catalogue.entry("G.D.x_bar")) == "D.x_bar"
    assert catalogue.student_name(catalogue.entry("D.U_bar"), catalogue.entry("D.g_bar")) == "g_bar"


def test_the_relu_definition_without_piecewise_is_backprops_relu():
    g = D["g"]
    rewritten = _plain(references.domain("D").definitions[references.forward("D")["h"]])
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


@pytest.mark.parametrize("typed,meant", [
    ("D.zbar", "D.z_bar"), ("d.z_bar", "D.z_bar"), ("D.z\u0304", "D.z_bar"), ("z_bar", "D.z_bar"),
    ("x_bar", "D.x_bar"), ("G.W_bra", "G.W_bar"), ("relu_prim", "relu_prime"), ("D. z_bar", "D.z_bar"),
])
def test_an_unknown_name_suggests_the_quantity_meant(typed, meant):
    with pytest.raises(catalogue.UnknownQuantity) as info:
        catalogue.entry(typed)
    assert meant in info.value.suggestions and f"did you mean {meant}" in str(info.value).replace(" or ", ", ")
    assert isinstance(info.value, GancheckError) and "\n" not in str(info.value)


def test_a_name_like_nothing_lists_the_known_ones():
    with pytest.raises(catalogue.UnknownQuantity, match="known: D.L, D.z_bar"):
        catalogue.entry("qqqqqq")


def test_the_catalogue_data_needs_no_sympy():
    """The parent orders a sheet by the catalogue without importing SymPy (its student text is never parsed there)."""
    code = ("import sys; from gancheck.homework.formulas import catalogue; catalogue.entries(); "
            "print('sympy' in sys.modules)")
    import subprocess
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_a_catalogue_that_drifts_from_backprop_is_refused(monkeypatch):
    table = dict(catalogue.entries())
    del table["D.W_bar"]
    monkeypatch.setattr(references, "entries", lambda: table)
    references.validated.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="chain D is"):
            references.validated()
    finally:
        references.validated.cache_clear()



def test_a_stand_alone_entry_takes_its_reference_from_the_derivation_it_names(monkeypatch):
    """The hook for quantities proved outside the backprop chain (issue 17): ``module`` + ``function``."""
    extra = catalogue.Entry("D.sigma", r"\sigma(z)", "the sigmoid", (), "D", None, None, "sigmoid", ("z",),
                            "derivations.backprop")
    monkeypatch.setattr(catalogue, "entries", lambda: {"D.sigma": extra})
    monkeypatch.setattr(references, "validated", lambda: None)
    references.reference.cache_clear()
    try:
        ref = references.reference("D.sigma")
        assert ref.symbol is None and _plain(ref.expanded) == backprop.sigmoid(D["z"])
    finally:
        references.reference.cache_clear()
