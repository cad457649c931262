"""Every derivation passes symbolically and numerically, and for each a deliberately wrong variant (a missing 1/N, a
flipped sign, a factor 2, …) is rejected by the same machinery: the symbolic decision and the numeric check."""
import numpy as np
import pytest
import sympy as sp

from derivations import backprop as bp
from derivations import conv
from derivations import registry
from derivations.activations import Relu
from derivations.decide import same_function, verify_statement
from derivations.proofcache import ProofCache
from gancheck import GancheckError

D, G = bp.forward_symbols("D"), bp.forward_symbols("G")
N = bp.N
Dbar, Gbar = bp.symbols("D"), bp.symbols("G")
z, t, zr = sp.Symbol("z", real=True), sp.Symbol("t", real=True), sp.Symbol("z", real=True)
a, b = sp.symbols("a b", positive=True)
p, q = sp.symbols("p q", positive=True)
mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
theta, theta_pos = sp.Symbol("theta", real=True), sp.Symbol("theta", positive=True)
P4, Q4 = sp.symbols("p1:5", positive=True), sp.symbols("q1:5", positive=True)
SIG = 1 / (1 + sp.exp(-z))


def _jsd_integrand(factor):
    m = (p + q) / 2
    return factor * (p * sp.log(p / m) + q * sp.log(q / m)) / 2


# derivation → [(claim label, wrong form, what is wrong)]
WRONG = {
    "bce": [("loss", t * sp.log(1 + sp.exp(-2 * z)) + (1 - t) * sp.log(1 + sp.exp(z)), "factor 2 inside the softplus"),
            ("dL/dz", t - SIG, "flipped sign"), ("dL/dz", 2 * (SIG - t), "factor 2")],
    "disc-backprop": [("D.z_bar", D["y"] - D["t"], "missing 1/N"), ("D.z_bar", (D["t"] - D["y"]) / N, "flipped sign"),
                      ("D.W_bar", 2 * Dbar["z_bar"] * D["h"], "factor 2"),
                      ("D.W_bar", Dbar["z_bar"] * D["g"], "pre-activation where the activation belongs"),
                      ("D.g_bar", Dbar["h_bar"] * Relu(D["g"]), "ReLU where its derivative belongs"),
                      ("D.x_bar", Dbar["g_bar"] * D["W"], "wrong weight")],
    "gen-backprop": [("D.z_bar", D["y"] - 1, "missing 1/N"), ("G.y_bar", -Gbar["D.x_bar"], "flipped sign"),
                     ("G.U_bar", 2 * Gbar["g_bar"] * G["x"], "factor 2"),
                     ("G.g_bar", Gbar["h_bar"] * sp.Heaviside(D["g"], 0), "ReLU mask on D's pre-activation")],
    "gen-backprop-minimax": [("D.z_bar", (D["y"] - 1) / N, "non-saturating form in the minimax chain"),
                             ("D.z_bar", D["y"] / N, "flipped sign")],
    "optimal-d": [("D*", b / (a + b), "a and b swapped"), ("D*", 2 * a / (a + b), "factor 2")],
    "jsd": [("V(G,D*)", -(p + q) * sp.log(2) + _jsd_integrand(1), "JSD without its factor 2"),
            ("V(G,D*)", (p + q) * sp.log(2) + _jsd_integrand(2), "flipped sign of log 2"),
            ("JSD disjoint", 2 * sp.log(2), "factor 2")],
    "information": [("H(P) bits", -sum(v * sp.log(v) for v in (sp.Rational(11, 100), sp.Rational(29, 100),
                                                                 sp.Rational(41, 100), sp.Rational(19, 100))),
                     "nats, not bits"),
                    ("H(P,Q) = H(P) + KL(P||Q)", -sum(x * sp.log(x) for x in P4)
                     - sum(x * sp.log(x / y) for x, y in zip(P4, Q4)), "flipped sign of KL"),
                    ("table 2 length", sp.Rational(8, 5), "table 1's length")],
    "saturation": [("d/dz log(1-σ)", SIG, "flipped sign"), ("d/dz -log σ", -2 * (1 - SIG), "factor 2"),
                   ("ratio", sp.exp(-z), "inverted ratio"), ("minimax limit", sp.Integer(-1), "wrong limit")],
    "vae": [("KL 1-D", (mu**2 + sigma**2 - 1 - sp.log(sigma**2)), "missing factor ½"),
            ("KL 1-D", (mu**2 + sigma**2 - 1 - sp.log(sigma)) / 2, "log σ for log σ²"),
            ("reparam d/dmu", 3 * mu**2, "E[f'] without the variance term"),
            ("reparam d/dsigma", -6 * mu * sigma, "flipped sign")],
    "wasserstein": [("W1 uniform shift", 2 * theta_pos, "factor 2"), ("W parallel lines", theta, "θ for |θ|"),
                    ("JSD parallel lines", sp.Integer(0), "zero for disjoint supports"),
                    ("KL parallel lines", sp.log(2), "finite KL")],
    "fdivergences": [("KL", q * sp.log(q / p), "reverse KL"), ("Jensen-Shannon", _jsd_integrand(2), "f-GAN's 2×JSD"),
                     ("Pearson chi2", (p - q) ** 2 / p, "Neyman χ² for Pearson's")],
    "conv": conv.WRONG,
}


def test_every_derivation_has_wrong_variants():
    assert set(WRONG) == set(registry.names())


@pytest.mark.parametrize("name", registry.names())
def test_derivation_proves_and_checks(name):
    d = registry.get(name)
    proof = d.prove()
    assert proof.passed, proof.failures()
    assert proof.steps or d.prover is not None  # something is proved beyond the claims
    result = d.check(np.random.default_rng(1))
    assert result.passed, str(result)
    assert result.n_cases > 0 and result.worst_ratio <= 1.0
    assert d.title and d.source and d.to_text() and d.to_latex().startswith("\\begin{aligned}")


CASES = [(name, label, form, why) for name, rows in WRONG.items() for label, form, why in rows]


@pytest.mark.parametrize("name,label,form,why", CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES])
def test_wrong_variant_is_rejected(name, label, form, why):
    d = registry.get(name)
    assert d.decide({label: form}, labels=[label]) == {label: False}, f"{why} was proved"
    result = d.check(np.random.default_rng(2), candidate={label: form})
    assert not result.passed, f"{why} passed the numeric check"


def test_candidate_for_unknown_claim_is_a_clear_error():
    with pytest.raises(GancheckError, match="has no claim"):
        registry.get("bce").decide({"nope": 1})


def test_unknown_derivation_is_a_clear_error():
    with pytest.raises(GancheckError, match="unknown derivation 'nope'"):
        registry.get("nope")


@pytest.mark.parametrize("lhs,rhs,expected", [
    (sp.log(1 + sp.exp(zr)) - sp.log(1 + sp.exp(-zr)), zr, True),
    (sp.diff(sp.log(1 + sp.exp(zr)), zr), 1 / (1 + sp.exp(-zr)), True),
    (sp.Abs(theta), sp.Piecewise((theta, theta >= 0), (-theta, True)), True),
    (sp.oo, sp.oo, True),
    (sp.log(p * q), sp.log(p) + sp.log(q), True),
    (sp.log(theta**2), 2 * sp.log(theta), False),  # false for θ < 0: not proved
    (2 * SIG, SIG, False),
])
def test_verify_statement(lhs, rhs, expected):
    assert verify_statement(lhs, rhs) is expected


def test_same_function_needs_both_derivative_and_value():
    u = sp.Symbol("u", real=True)
    zeta = sp.log(1 + sp.exp(u))
    assert same_function(sp.log(1 - 1 / (1 + sp.exp(-u))), -zeta, u)
    assert not same_function(sp.log(1 - 1 / (1 + sp.exp(-u))), 1 - zeta, u)  # same derivative, other value


def test_proof_cache_round_trip(tmp_path):
    cache = ProofCache(tmp_path)
    d = registry.get("fdivergences")
    fresh = d.prove(cache=cache)
    assert fresh.passed and not fresh.cached
    again = d.prove(cache=ProofCache(tmp_path))  # a new process would read the file
    assert again.cached and again.passed and again.claims == fresh.claims and again.steps == fresh.steps
    assert not d.prove({"KL": q * sp.log(q / p)}, cache=cache).cached  # candidates are never served from cache


def test_proof_cache_ignores_unreadable_file(tmp_path):
    cache = ProofCache(tmp_path)
    cache.path.mkdir(parents=True)
    (cache.path / "bce.json").write_text("{not json")
    assert cache.get("bce") is None
