"""The homework's reference chain (derivations.backprop): its API and structure, the implicit sums of the scalar form
(derivations.indexed), and the composite-loss proof at other sizes (derivations.netproof)."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from derivations import backprop as bp
from derivations import disc_backprop, gen_backprop
from derivations.indexed import evaluate
from derivations.netproof import ChainProof
from gancheck import GancheckError

D_ORDER = ["D.z_bar", "D.W_bar", "D.c_bar", "D.h_bar", "D.g_bar", "D.U_bar", "D.b_bar", "D.x_bar"]
G_ORDER = ["D.z_bar", "D.h_bar", "D.g_bar", "D.x_bar", "G.y_bar", "G.W_bar", "G.c_bar", "G.h_bar", "G.g_bar",
           "G.U_bar", "G.b_bar"]


def test_chain_order_and_local_forms():
    d, s = bp.forward_symbols("D"), bp.symbols("D")
    chain = {q.name: q for q in bp.chain("D")}
    assert list(chain) == D_ORDER
    assert chain["D.z_bar"].local == (d["y"] - d["t"]) / bp.N
    assert chain["D.W_bar"].local == s["z_bar"] * d["h"]
    assert chain["D.g_bar"].local == s["h_bar"] * sp.Heaviside(d["g"], 0)
    assert chain["D.x_bar"].local == s["g_bar"] * d["U"]
    assert chain["D.U_bar"].depends_on == ("D.g_bar",)
    for loss, top in (("nonsaturating", (d["y"] - 1) / bp.N), ("minimax", -d["y"] / bp.N)):
        g_chain = {q.name: q for q in bp.chain("G", loss)}
        assert list(g_chain) == G_ORDER
        assert g_chain["D.z_bar"].local == top
        assert g_chain["G.y_bar"].local == bp.symbols("G", loss)["D.x_bar"]


@pytest.mark.parametrize("net,loss", [("D", "nonsaturating"), ("G", "nonsaturating"), ("G", "minimax")])
def test_expanded_forms_use_forward_symbols_only(net, loss):
    chain = bp.chain(net, loss)
    bars = {q.symbol for q in chain}
    forward = set(bp.forward_symbols(net).values())
    roles = bp.index_roles()
    for q in chain:
        assert q.expanded.free_symbols <= forward, q.name
        assert not q.expanded.free_symbols & bars
        assert set(q.depends_on) == {r.name for r in chain if r.symbol in q.local.free_symbols}
        assert q.local.free_symbols <= set(roles) and q.symbol in roles
        assert sp.simplify(q.local.xreplace({r.symbol: r.expanded for r in chain}) - q.expanded) == 0


def test_nets_never_share_symbols():
    d, g = bp.forward_symbols("D"), bp.forward_symbols("G")
    for name in ("x", "g", "h", "y", "U", "b", "W", "c"):
        assert d[name] != g[name] and d[name].name != g[name].name
    assert d["N"] is g["N"] is bp.N
    assert g["D.U"] is d["U"] and "t" not in g and "D.t" not in g
    names = bp.symbols("G")
    assert names["y_bar"].name == "ybar_G" and names["D.x_bar"].name == "xbar_D" and names["g_bar"].name == "gbar_G"
    assert all(not s.assumptions0 or s.assumptions0 == {"commutative": True} for s in names.values())


def test_elementwise_definitions():
    d = bp.forward_symbols("D")
    defs = bp.elementwise_definitions("D")
    assert sp.simplify(defs[d["y"]] - 1 / (1 + sp.exp(-d["z"]))) == 0
    assert defs[d["h"]].subs(d["g"], -2) == 0 and defs[d["h"]].subs(d["g"], 3) == 3
    assert bp.forward_symbols("G")["h"] in bp.elementwise_definitions("G")


@pytest.mark.parametrize("call", [lambda: bp.chain("X"), lambda: bp.chain("G", "wgan"), lambda: bp.symbols("Q")])
def test_bad_net_or_loss_is_a_clear_error(call):
    with pytest.raises(GancheckError, match="unknown"):
        call()


def test_the_per_sample_losses_are_bces_forms_and_give_the_chains_logit_gradient():
    from derivations import bce
    from derivations.decide import same_function, verify_statement

    d = bp.forward_symbols("D")
    z, t = d["z"], d["t"]
    to_bce = {z: bce.z, t: bce.t, bp.N: 1}  # one sample of a batch of 1: the term is the per-sample loss itself
    per_sample = {kind: bp.loss("G", kind).xreplace(to_bce) for kind in bp.LOSSES}
    assert bp.loss("D").xreplace(to_bce) == bce.STABLE
    assert same_function(bp.loss("D").xreplace(to_bce), bce.NAIVE, bce.z)
    assert per_sample["nonsaturating"] == bce.STABLE.subs(bce.t, 1)       # BCE with targets t = 1
    assert same_function(per_sample["nonsaturating"], -sp.log(1 / (1 + sp.exp(-bce.z))), bce.z)  # −log σ(z)
    assert same_function(per_sample["minimax"], -bce.NAIVE.subs(bce.t, 0), bce.z)  # log(1 − σ(z))
    assert not same_function(per_sample["minimax"], per_sample["nonsaturating"], bce.z)
    assert bp.loss("D", "minimax") == bp.loss("D")
    y_is_sigma = bp.elementwise_definitions("D")
    for net, kind, loss in (("D", None, bp.loss("D")), *(("G", k, bp.loss("G", k)) for k in bp.LOSSES)):
        top = bp.chain(net, kind or "nonsaturating")[0]
        assert top.name == "D.z_bar"
        assert verify_statement(sp.diff(loss, z), top.local.xreplace(y_is_sigma)), (net, kind)
    with pytest.raises(GancheckError, match="unknown"):
        bp.loss("G", "wgan")


sizes = st.integers(1, 4)


@given(st.data())
def test_implicit_sums_are_explicit_einsums(data):
    """``W_bar = z_bar*h`` sums over the batch; G's ``h_bar = y_bar*W`` over the outputs k: against explicit loops."""
    n, j, k = data.draw(sizes), data.draw(sizes), data.draw(sizes)
    el = st.floats(-3, 3)
    zbar, h = data.draw(arrays(np.float64, n, elements=el)), data.draw(arrays(np.float64, (n, j), elements=el))
    roles = bp.index_roles()
    s, d = bp.symbols("D"), bp.forward_symbols("D")
    got = evaluate(s["z_bar"] * d["h"], roles[s["W_bar"]], {s["z_bar"]: zbar, d["h"]: h}, roles)
    np.testing.assert_allclose(got, [sum(zbar[a] * h[a, b] for a in range(n)) for b in range(j)], atol=1e-12)
    g, sg = bp.forward_symbols("G"), bp.symbols("G")
    ybar, W = data.draw(arrays(np.float64, (n, k), elements=el)), data.draw(arrays(np.float64, (k, j), elements=el))
    got = evaluate(sg["y_bar"] * g["W"], roles[sg["h_bar"]], {sg["y_bar"]: ybar, g["W"]: W}, roles)
    want = [[sum(ybar[a, c] * W[c, b] for c in range(k)) for b in range(j)] for a in range(n)]
    np.testing.assert_allclose(got, want, atol=1e-12)
    symbolic = evaluate(s["z_bar"] * d["h"], roles[s["W_bar"]], {s["z_bar"]: zbar.astype(object),
                                                                   d["h"]: h.astype(object)}, roles, symbolic=True)
    np.testing.assert_allclose(symbolic.astype(float), [sum(zbar[a] * h[a, b] for a in range(n)) for b in range(j)],
                               atol=1e-12)


def test_chain_proof_holds_at_other_sizes():
    """The reference chain is not tuned to the default sizes: N = 3 samples, 3 inputs, 2 hidden units."""
    proof = ChainProof(disc_backprop.BCE, disc_backprop.LEVELS, bp.chain("D"), {"n": 3, "k": 3, "l": 2})
    assert all(proof.decide(q.name, q.local) for q in bp.chain("D"))
    assert not proof.decide("D.z_bar", bp.forward_symbols("D")["y"] - bp.forward_symbols("D")["t"])


def test_each_claim_is_judged_on_its_own():
    """A wrong z̄ fails only z̄: the later quantities are judged with the reference's upstream values."""
    d = bp.forward_symbols("D")
    decided = disc_backprop.derive().decide({"D.z_bar": d["y"] - d["t"]})
    assert [name for name, ok in decided.items() if not ok] == ["D.z_bar"]


def test_expanded_forms_are_accepted_too():
    """A claim may be written fully expanded (forward symbols only): the same decision."""
    proof = gen_backprop.proof("minimax")
    assert all(proof.decide(q.name, q.expanded) for q in bp.chain("G", "minimax"))


def test_kink_convention_is_stated_not_hidden():
    """Heaviside(g) with SymPy's default value ½ at 0 is a different function from the reference 1[g > 0]: the prover
    does not equate them (the homework checker accepts either convention, with a note)."""
    proof = disc_backprop.proof()
    s, d = bp.symbols("D"), bp.forward_symbols("D")
    assert not proof.decide("D.g_bar", s["h_bar"] * sp.Heaviside(d["g"]))
    assert proof.decide("D.g_bar", s["h_bar"] * sp.Heaviside(d["g"], 0))
