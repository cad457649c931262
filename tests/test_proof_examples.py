"""The shipped example proofs (tests/data/proofs/): every right one accepted whole; every wrong one has its first wrong
step found, the steps before it credited and the ones after it carried forward; and every counterexample is real —
it satisfies the proof's assumptions, and the step's two sides recomputed there by SymPy at 30 digits (the proof's
own expressions, none of the checker's numeric code) break the step."""
import atexit
from functools import lru_cache
from pathlib import Path

import pytest
import sympy as sp

from gancheck.homework.formulas.sandbox import Sandbox
from gancheck.homework.proofs import engine, outcome
from gancheck.homework.proofs.assignment import Assignment
from gancheck.homework.proofs.proof import read

PROOFS = Path(__file__).parent / "data" / "proofs"
# The examples' verdicts are under test here, not the time limit (tests/test_proof_bad_files.py and
# tests/test_formula_sandbox.py test that): a roomy limit keeps a loaded machine from making a step undecided.
_BOX = Sandbox(timeout=20.0)
atexit.register(_BOX.close)

# proof → (first wrong step, the steps carried forward after it), None for a right proof
EXPECTED = {
    "gan/theorem.toml": None,
    "optimal_d/right.toml": None,
    "optimal_d/sign_in_derivative.toml": (1, [2, 3]),
    "optimal_d/dropped_factor_when_clearing.toml": (2, [3]),
    "optimal_d/solved_for_the_wrong_density.toml": (3, []),
    "optimal_d/convexity_claimed.toml": (4, []),
    "optimal_d/maximum_value_without_factor.toml": (6, []),
    "jsd/right.toml": None,
    "jsd/sign_flip.toml": (2, [3, 4]),
    "jsd/dropped_log.toml": (2, [3, 4]),
    "jsd/forgot_normalisation.toml": (3, [4]),
    "jsd/kl_for_jsd.toml": (4, []),
    "jsd_bounds/right.toml": None,
    "jsd_bounds/half_forgotten.toml": (1, [4, 5, 6]),
    "jsd_bounds/kl_against_q.toml": (2, []),
    "jsd_bounds/ratio_bounded_by_one.toml": (5, [6]),
    "jsd_bounds/bound_doubled.toml": (6, []),
    "gibbs/right.toml": None,
    "gibbs/arguments_swapped.toml": (1, [2, 3, 4, 5]),
    "gibbs/sign_dropped.toml": (1, [2, 3, 4, 5]),
    "gibbs/inequality_reversed.toml": (2, [3, 4, 5]),
    "gibbs/forgot_minus_one.toml": (3, [4, 5]),
    "gibbs/by_jensen.toml": None,
    "gibbs/jensen_reversed.toml": (2, [3, 4, 5]),
    "elbo/right.toml": None,
    "elbo/kl_swapped.toml": (3, [4, 5]),
    "elbo/sign_flip.toml": (2, [3, 4]),
    "elbo/dropped_log.toml": (2, [4, 5]),
    "elbo/bound_reversed.toml": (4, []),
    "vae_kl/right.toml": None,
    "vae_kl/log_ratio_sign.toml": (1, []),
    "vae_kl/second_moment_zero.toml": (3, [4]),
    "vae_kl/factor_2.toml": (4, []),
    "vae_kl/log_sigma_not_squared.toml": (4, []),
    "saturation/right.toml": None,
    "saturation/minimax_sign.toml": (1, [4]),
    "saturation/losses_confused.toml": (2, []),
    "saturation/ratio_inverted.toml": (4, []),
    "saturation/wrong_direction.toml": (5, []),
}


@lru_cache(maxsize=None)  # each proof checked once per worker, however many tests read its result
def _check(name):
    structure, text = engine.load_proof(PROOFS / name, _BOX)
    return engine.check_proof(structure, text, judge=engine.in_child(_BOX), path=name), read(text)


def test_every_shipped_proof_is_in_the_table():
    shipped = {str(p.relative_to(PROOFS)) for p in PROOFS.rglob("*.toml")}
    assert shipped == set(EXPECTED)
    folders = {name.split("/")[0] for name in EXPECTED} - {"gan"}
    for folder in folders:  # each derivation: one right proof and 3 to 5 wrong ones
        wrong = [n for n, e in EXPECTED.items() if n.startswith(folder + "/") and e]
        assert f"{folder}/right.toml" in EXPECTED and 3 <= len(wrong) <= 5, folder


# a wrong step whose justification names a rule it does not follow: (proof, step) → a phrase of its note
REASONS = {
    ("gibbs/jensen_reversed.toml", 2): "log is concave: Jensen gives f(mean) ≥ mean of f",
    ("gibbs/inequality_reversed.toml", 2): "log u ≤ u − 1 bounds a logarithm from above",
}


@pytest.mark.parametrize("name, number", sorted(REASONS))
def test_a_reason_the_step_does_not_follow_is_named(name, number):
    result, _ = _check(name)
    v = result.steps[number - 1]
    assert v.outcome == outcome.WRONG and any(REASONS[name, number] in n for n in v.notes), v.notes


def test_the_right_proofs_reasons_raise_no_note():
    for name in (n for n, e in EXPECTED.items() if e is None):
        result, _ = _check(name)
        assert not any("reason given" in n for v in result.steps for n in v.notes), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_first_wrong_step_is_found_and_the_rest_carried_forward(name):
    result, proof = _check(name)
    expected = EXPECTED[name]
    assert all(v.status != outcome.UNDECIDED for v in result.steps), [(v.number, v.notes) for v in result.steps]
    if expected is None:
        assert result.all_right and result.score == result.total == len(proof.steps)
        assert all(v.symbolic.startswith("proved") for v in result.steps)
        return
    first, carried = expected
    assert result.first_wrong.number == first
    assert all(v.outcome == outcome.RIGHT for v in result.steps[:first - 1])  # credited before it
    assert [v.number for v in result.steps if v.outcome == outcome.FOLLOWED] == carried
    wrong = [v.number for v in result.steps if v.outcome == outcome.WRONG]
    assert all(v.carries in wrong and v.carries < v.number for v in result.steps if v.number in carried)
    for v in result.steps:
        if v.outcome == outcome.WRONG:
            _assert_real_counterexample(proof, v)


def _value(expr, values):
    return complex(expr.subs(values).evalf(30))


def _assert_real_counterexample(proof, v):
    """The point satisfies the assumptions, and the sides there (SymPy, 30 digits) break the step."""
    scope, c = proof.scope, v.counterexample
    step = proof.steps[v.number - 1]
    by_name = {label: s for s, label in scope.labels.items() if label not in scope.hidden}
    values = {by_name[k]: sp.Rational(x) for k, x in c["point"].items()}
    for s, (low, high) in scope.bounds.items():
        if s in values:
            assert (low is None or values[s] > low) and (high is None or values[s] < high)
    for points in scope.distributions.values():  # shown to 6 digits: a distribution to rounding
        if points[0] in values:
            assert all(values[p] > 0 for p in points) and abs(sum(values[p] for p in points) - 1) < 1e-5
    left, right = (_value(e, values) for e in proof.sides(step.relation))
    tol = 1e-4 * max(1.0, abs(left), abs(right))  # the point is rounded to 6 digits
    assert abs(left - complex(c["left"])) < tol and abs(right - complex(c["right"])) < tol
    op = step.relation.op
    broken = {"=": abs(left - right) > tol, "<=": left.real > right.real + tol, "<": left.real >= right.real - tol,
              ">=": left.real < right.real - tol, ">": left.real <= right.real + tol}[op]
    assert broken, (v.number, left, op, right)
    if step.premise is not None:  # an implication: its hypothesis holds at the point
        h_left, h_right = (_value(e, values) for e in proof.sides(step.premise))
        assert step.premise.op != "=" or abs(h_left - h_right) < tol


def test_follow_through_is_credited_by_the_assignment():
    structure, text = engine.load_proof(PROOFS / "jsd" / "sign_flip.toml", _BOX)
    result = engine.check_proof(structure, text, Assignment("JSD", points=8, follow_through=0.5),
                                judge=engine.in_child(_BOX))
    assert [v.credit for v in result.steps] == [2.0, 0.0, 1.0, 1.0] and result.score == 4 and result.total == 8
