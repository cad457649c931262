"""The rule of the numeric checks (derivations.independence): every want side is an oracle's output, and no oracle can
reach gancheck (the implementations under test), SymPy or the symbolic half of derivations (the claims under test).
Also: the answer quantities are addressable from the registry as SymPy claims with their assumptions."""
import importlib
import pkgutil

import numpy as np
import pytest
import sympy as sp

import derivations
from derivations import registry
from derivations.core import Claim, Comparison, Derivation
from derivations.independence import IndependenceError, Oracle, oracle, violations
from gancheck import GancheckError, losses

X = sp.Symbol("x", real=True)
CLAIMED = sp.exp(X)  # a module-level SymPy expression: an oracle must not evaluate the claim itself


def all_oracles():
    """Every Oracle defined at module level anywhere in derivations."""
    found = {}
    for info in pkgutil.iter_modules(derivations.__path__):
        module = importlib.import_module(f"derivations.{info.name}")
        found |= {f"{info.name}.{k}": v for k, v in vars(module).items() if isinstance(v, Oracle)}
    return found


def test_every_oracle_in_derivations_is_independent():
    oracles = all_oracles()
    assert len(oracles) >= 30
    assert {name: violations(o) for name, o in oracles.items() if violations(o)} == {}
    assert all(o.tag and o.method for o in oracles.values())


def test_the_oracles_module_imports_neither_gancheck_nor_sympy():
    import ast
    import inspect

    from derivations import oracles

    tree = ast.parse(inspect.getsource(oracles))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                            if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"gancheck", "sympy", "derivations"}


@oracle("gancheck", "gancheck's own BCE: not independent")
def _uses_gancheck(z):
    return losses.bce_logits(z, np.ones_like(z))[0]


def _helper(z):
    return losses.softplus(z)


@oracle("indirect", "reaches gancheck through a helper defined in derivations' style")
def _uses_gancheck_indirectly(z):
    return _helper(z)


@oracle("sympy", "evaluates the claimed expression: circular")
def _uses_the_claim(z):
    return float(CLAIMED.subs(X, z))


@oracle("numpy", "np.exp")
def _independent(z):
    return np.exp(z)


def test_violations_name_what_an_oracle_reaches():
    assert any("gancheck.losses" in v for v in violations(_uses_gancheck))
    assert any("sympy" in v for v in violations(_uses_the_claim))
    assert violations(_independent) == ()


def test_helpers_are_followed_when_they_live_in_derivations(monkeypatch):
    # _helper lives in this test module, so it is not followed; the same function under a derivations module name is
    monkeypatch.setattr(_helper, "__module__", "derivations.fake")
    violations.cache_clear()
    try:
        assert any("gancheck.losses" in v for v in violations(_uses_gancheck_indirectly))
    finally:
        violations.cache_clear()


def test_an_oracle_cannot_be_handed_the_implementation_as_an_argument():
    @oracle("apply", "applies what it is given")
    def apply(fn, z):
        return fn(z)

    with pytest.raises(IndependenceError, match="gancheck.losses"):
        apply(losses.softplus, np.zeros(2))
    with pytest.raises(IndependenceError, match="sympy"):
        apply(sp.lambdify(X, CLAIMED), 0.0)


def test_a_comparison_needs_an_oracle_and_a_check_refuses_a_dependent_one():
    with pytest.raises(IndependenceError, match="must come from an oracle"):
        Comparison("x", np.array(1.0), np.array(1.0), 0.0, 0.0)

    def numeric(rng, forms):
        z = np.linspace(-1, 1, 5)
        return [Comparison("bce", np.log1p(np.exp(-z)), _uses_gancheck(z), 1e-12, 0.0)]

    d = Derivation("dependent", "t", "s", (), (Claim("bce", X, X, X),), numeric)
    with pytest.raises(IndependenceError, match="gancheck.losses"):
        d.check()


def test_each_comparison_reports_its_own_criterion():
    def numeric(rng, forms):
        z = np.linspace(-2, 2, 9)
        return [Comparison("exp", np.exp(z) * (1 + 1e-13), _independent(z), 0.0, 1e-12),
                Comparison("bound", np.exp(z) - 1, _independent(z), 0.0, 0.0, relation="<="),
                Comparison("mc", np.array(1.0), _independent(np.array(0.0)), 0.05, 0.0, criterion="within 5 s.e.")]

    result = Derivation("crit", "t", "s", (), (Claim("exp", X, X, X),), numeric).check()
    assert result.passed and [c.criterion for c in result.criteria] == [
        "|got − want| ≤ 0e+00 + 1e-12·|want|", "got ≤ want + 0e+00", "within 5 s.e."]
    assert "relative error" not in result.summary() and "exp" in result.summary()


def test_near_zero_values_are_judged_by_the_checks_own_tolerance():
    # a relative error of 1 on a value of 1e-300 is irrelevant when the criterion is absolute: the summary says so
    def numeric(rng, forms):
        return [Comparison("tiny", np.array(1e-300), _independent(np.array(-1000.0)), 1e-15, 0.0)]

    result = Derivation("tiny", "t", "s", (), (Claim("tiny", X, X, X),), numeric).check()
    assert result.passed and "1e-15" in result.summary()


@pytest.mark.parametrize("quantity", list(registry.ANSWERS))
def test_every_answer_quantity_is_a_claim_with_assumptions(quantity):
    name, claim = registry.answer(quantity)
    assert isinstance(claim, Claim) and registry.get(name).claims
    symbols = claim.symbols
    assert all(assumptions for _, assumptions in symbols.values()), symbols  # positive, real, integer …
    assert registry.get(name).decide(labels=[claim.label]) == {claim.label: True}


def test_unknown_answer_quantity_and_claim_are_clear_errors():
    with pytest.raises(GancheckError, match="unknown answer quantity"):
        registry.answer("nope")
    with pytest.raises(GancheckError, match="has no claim"):
        registry.claim("bce", "nope")
