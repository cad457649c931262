"""Every derivation passes symbolically and numerically, against oracles that cannot reach the code or the claim under
test; and for each a deliberately wrong candidate — a flipped sign, a factor 2, a missing 1/N, KL's arguments swapped,
and the slides' own slips — is rejected by both machines: the symbolic decision and the numeric check."""
import numpy as np
import pytest
import sympy as sp

from derivations import backprop as bp
from derivations import registry
from derivations.activations import Relu
from derivations.decide import same_function, verify_statement
from derivations.proofcache import ProofCache
from gancheck import GancheckError

from wrong_candidates import CATEGORIES, WRONG

N = bp.N
p, q = sp.symbols("p q", positive=True)
theta = sp.Symbol("theta", real=True)
zr = sp.Symbol("z", real=True)
SIG = 1 / (1 + sp.exp(-zr))


def test_the_registry_lists_the_lectures_24_results_in_its_order():
    names = registry.names()
    lecture = [n for n in names if not n.startswith("conv")]  # the DCGAN seeds' derivations come after
    assert len(lecture) == 24 and lecture[0] == "vae" and lecture[-1] == "keras-parameters"
    assert len({registry.get(n).lecture for n in lecture}) == 24  # each named as the lecture names it, once


@pytest.mark.parametrize("name", registry.names())
def test_derivation_proves_and_checks_against_independent_oracles(name):
    d = registry.get(name)
    proof = d.prove()
    assert proof.passed, proof.failures()
    assert any(s.proof is not None for s in d.steps) or d.prover is not None  # something is proved beyond the claims
    result = d.check(np.random.default_rng(1))
    assert result.passed, str(result)
    assert result.n_cases > 0 and result.worst_ratio <= 1.0
    assert all(c.method and c.criterion for c in result.criteria)
    assert d.title and d.source and d.to_text() and d.to_latex().startswith("\\begin{aligned}")


FAST_KINDS = ("missing 1/N", "swapped KL arguments", "slide's slip")


def _cases():
    """The table, fast and slow. By default, per derivation: its first sign or factor-2 candidate, and its first
    candidate of each kind in FAST_KINDS; the rest of the table runs under the ``slow`` marker."""
    out = []
    for name, rows in WRONG.items():
        fast = {next(i for i, row in enumerate(rows) if row[2] in ("sign", "factor 2"))}
        fast |= {next(i for i, row in enumerate(rows) if row[2] == kind) for kind in FAST_KINDS
                 if any(row[2] == kind for row in rows)}
        for i, (label, form, kind, why) in enumerate(rows):
            marks = [] if i in fast else [pytest.mark.slow]
            out.append(pytest.param(name, label, form, why, marks=marks, id=f"{name}:{kind}:{why}"))
    return out


@pytest.mark.parametrize("name,label,form,why", _cases())
def test_wrong_candidate_is_rejected_by_both_sides(name, label, form, why):
    d = registry.get(name)
    assert d.decide({label: form}, labels=[label]) == {label: False}, f"{why} was proved"
    result = d.check(np.random.default_rng(2), candidate={label: form})
    assert not result.passed, f"{why} passed the numeric check"


def test_every_derivation_has_wrong_candidates_of_the_kinds_that_apply():
    assert set(WRONG) == {n for n in registry.names() if not n.startswith("conv")}
    kinds = {name: {kind for _, _, kind, _ in rows} for name, rows in WRONG.items()}
    assert all(kinds[name] & {"sign", "factor 2"} for name in kinds), "each derivation: a sign or a factor-2 mutant"
    assert all(kinds[name] <= set(CATEGORIES) for name in kinds)
    # a 1/N or 1/m in a claim: dropping it must be caught; KL in a claim: swapping its arguments must be caught
    batch = {sp.Symbol("N"), sp.Symbol("m", integer=True, positive=True)}
    for name in kinds:
        if any(sp.sympify(c.rhs).free_symbols & batch for c in registry.get(name).claims):
            assert "missing 1/N" in kinds[name], name
    for name in ("vae", "elbo", "cross-entropy", "kl", "jsd-definition", "fdivergences"):
        assert "swapped KL arguments" in kinds[name], name


def _mutants():
    """A sign flip and a factor 2 of every claim whose value they change (not 0, ∞ or a set). Not of the f-GAN output
    activations: a claim there is "a function onto dom f*", and −v or 2v maps onto ℝ as v does — equally right."""
    out = []
    for name in WRONG:
        for c in registry.get(name).claims:
            if isinstance(c.rhs, sp.Set) or c.rhs.is_zero or c.rhs.has(sp.oo) or c.label.startswith("g_f "):
                continue
            for kind, form in (("sign", -c.rhs), ("factor 2", 2 * c.rhs)):
                out.append(pytest.param(name, c.label, form, marks=[pytest.mark.slow], id=f"{name}:{c.label}:{kind}"))
    return out


@pytest.mark.parametrize("name,label,form", _mutants())
def test_every_claims_sign_and_factor_2_mutants_are_rejected_by_both_sides(name, label, form):
    d = registry.get(name)
    assert d.decide({label: form}, labels=[label]) == {label: False}
    assert not d.check(np.random.default_rng(3), candidate={label: form}).passed


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


def test_a_claim_is_decided_on_its_domain():
    # min_Q H(P, Q) = H(P) only where Σp = 1: the domain's normalisation is substituted before deciding
    d = registry.get("cross-entropy")
    claim = next(c for c in d.claims if c.label == "min_Q H(P,Q)")
    assert claim.domain and d.decide(labels=["min_Q H(P,Q)"]) == {"min_Q H(P,Q)": True}


def test_relu_is_differentiated_by_its_proved_rule():
    g = sp.Symbol("g")
    assert sp.diff(Relu(g), g).func.__name__ == "ReluPrime"


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
