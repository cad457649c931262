"""The lecture's results beyond backprop as answer quantities: each one's reference is its derivation's claim (the
stored file is exactly what the derivations print), right answers in either syntax are accepted, and each common
mistake gets its diagnosis and a counterexample whose values are recomputed from the derivation itself."""
import pytest
import sympy as sp

from derivations import registry
from gancheck.homework.formulas import catalogue, lecture, references
from gancheck.homework.formulas.engine import check_formula, check_sheet, load_sheet
from gancheck.homework.formulas.judge import parse_answer
from gancheck.homework.formulas.starter import quantity_list, template

from test_formula_sheets import SHEETS

LECTURE = [e for e in catalogue.entries().values() if e.claim is not None]

# quantity → a phrase its diagnosis must contain, for tests/data/sheets/lecture_mistakes.toml
MISTAKES = {
    "gan.D_star": "p_data and p_G swapped", "gan.V_star": "log 2 added twice", "gan.JSD_max": "in bits",
    "vae.KL": "the factor 1/2 is missing", "saturation.minimax": "non-saturating loss's gradient",
    "saturation.nonsaturating": "sign flipped", "saturation.ratio": "the ratio inverted",
    "wgan.W1_parallel": "θ may be negative", "weather.H_P": "in nats", "weather.H_PQ": "a rounded value",
    "weather.KL": "KL's arguments swapped", "gan.C_min": "−2 log 2 = −log 4", "vae.ELBO": "the KL term added",
    "vae.log_evidence": "variance is 1 + s²", "fgan.conjugate.reverse_KL": "undefined on dom f*",
    "fgan.conjugate.Pearson": "the term t is missing", "fgan.activation.JS": "needs log 2 added",
}
RIGHT = [  # more ways to write each result: Greek letters, LaTeX, the definitions' names, other algebra
    ("gan.D_star", r"\frac{1}{1 + b/a}"), ("gan.V_star", "p*log(2*p/(p + q)) + q*log(2*q/(p + q)) - (p + q)*log(2)"),
    ("gan.V_star", r"(p + q)\left(\frac{p}{p+q}\log\frac{p}{p+q} + \frac{q}{p+q}\log\frac{q}{p+q}\right)"),
    ("gan.JSD_max", "-log(1/2)"), ("vae.KL", "(μ**2 + σ**2 - 1 - 2*log(σ))/2"),
    ("vae.KL", r"-\log\sigma + \frac{\sigma^2 + \mu^2 - 1}{2}"), ("saturation.minimax", "-1/(1 + exp(-z))"),
    ("saturation.nonsaturating", "-sigmoid(-z)"), ("saturation.ratio", r"\frac{\sigma(z)}{1 - \sigma(z)}"),
    ("wgan.W1_parallel", "sqrt(θ**2)"), ("weather.H_P", "-(0.11*log(0.11) + 0.29*log(0.29) + 0.41*log(0.41) "
                                          "+ 0.19*log(0.19))/log(2)"),
    ("weather.H_PQ", "-(0.11*log(0.1, 2) + 0.29*log(0.3, 2) + 0.41*log(0.4, 2) + 0.19*log(0.2, 2))"),
    ("vae.ELBO_gap", "log(s/(v*sqrt(1 + s**2))) - 1/2 + (1 + s**2)*(v**2 + (m - x/(1 + s**2))**2)/(2*s**2)"),
    ("fgan.conjugate.reverse_KL", r"-1 - \log|t|"), ("fgan.conjugate.Pearson", "(t + 2)**2/4 - 1"),
    ("fgan.conjugate.Jeffrey", "(LambertW(exp(1 - t)) + 1)**2/LambertW(exp(1 - t)) + t - 4"),
    ("fgan.activation.JS", "log(2*sigmoid(v))"), ("gan.C_min", "2*log(1/2)"),
]


def test_the_stored_references_are_exactly_what_the_derivations_claim():
    """lecture.toml is generated from the claims (python -m gancheck.homework.formulas.lecture): it must not drift."""
    assert lecture.stored() == lecture.generate(), "run python -m gancheck.homework.formulas.lecture"
    assert set(lecture.stored()) == {e.name for e in LECTURE}


def test_every_answer_quantity_of_the_derivations_is_in_the_catalogue():
    """derivations.registry.ANSWERS lists the closed forms a student can be asked for: each one is a quantity."""
    assert {tuple(v) for v in registry.ANSWERS.values()} == {e.claim for e in LECTURE}


def _plain(expr):
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


@pytest.mark.parametrize("e", LECTURE, ids=[e.name for e in LECTURE])
def test_each_reference_is_its_claim_on_its_domain(e):
    claim = registry.claim(*e.claim)
    ref = references.reference(e.name)
    assert _plain(ref.expanded) == _plain(sp.sympify(claim.rhs)) and ref.symbol is None
    domain = references.entry_domain(e)
    claimed = {s.name: s for s in sp.sympify(claim.rhs).free_symbols}
    for s in ref.expanded.free_symbols:  # the claim's assumptions, unless confined to its domain claim's interval
        assert s in domain.definitions or s.is_positive == claimed[s.name].is_positive, s
    if e.within:
        region = registry.claim(*e.within).rhs
        for value in numeric_points(domain):
            assert region.contains(sp.nsimplify(value)) == sp.true


@pytest.mark.parametrize("quantity, answer", RIGHT)
def test_right_answers_in_other_forms_are_accepted(quantity, answer):
    v = check_formula(quantity, answer)
    assert v.status == "equivalent" and v.symbolic == "proved", (v.notes, v.counterexample)


def numeric_points(domain, n=50):
    """The values a confined symbol takes at ``n`` sampled points (its definition in the hidden parameter)."""
    import random

    from gancheck.homework.formulas import numeric

    sample = numeric.sample(domain.kinds, random.Random(0), n)
    return [v for d in domain.definitions.values() for v in numeric.evaluate(d, sample)]


def _claimed_value(e, point):
    """The derivation's own claim at a counterexample's point, by SymPy at 30 digits (no checker code)."""
    rhs = sp.sympify(registry.claim(*e.claim).rhs)
    return complex(rhs.subs({s: sp.Rational(point[s.name]) for s in rhs.free_symbols}).evalf(30))


def test_each_common_mistake_is_diagnosed_with_a_counterexample_from_the_claim():
    verdicts = {v.quantity: v for v in check_sheet(load_sheet(SHEETS / "lecture_mistakes.toml")).verdicts}
    assert set(verdicts) == set(MISTAKES)
    for quantity, phrase in MISTAKES.items():
        v = verdicts[quantity]
        assert v.status == "not equivalent" and any(phrase in d for d in v.diagnosis), (quantity, v.diagnosis)
        e, c = catalogue.entry(quantity), v.counterexample
        correct = _claimed_value(e, c["point"])
        assert abs(correct - float(c["correct"])) <= 1e-12 * max(1.0, abs(correct)), quantity
        if c["student"] is None:  # undefined there: log of a negative number
            assert quantity == "fgan.conjugate.reverse_KL"
            continue
        student = parse_answer(v.answer, references.names(quantity))
        value = complex(student.subs({s: sp.Rational(c["point"][s.name]) for s in student.free_symbols}).evalf(30))
        assert abs(value - float(c["student"])) <= 1e-12 * max(1.0, abs(value)), quantity


def test_greek_letters_are_names_only_where_they_are_symbols():
    assert check_formula("vae.KL", "σ(z)").status == "invalid"  # σ is the standard deviation here, not a function
    assert check_formula("D.z_bar", "(σ(z) - t)/N").status == "equivalent"  # and the sigmoid in backprop
    bad = check_formula("gan.D_star", "a/(a + b + N)")
    assert bad.status == "invalid" and "unknown name 'N'" in bad.notes[0]


def test_the_list_and_the_template_show_the_lecture_results_and_their_names():
    listing = quantity_list()
    assert "The lecture's other results" in listing and "names: mu real; sigma > 0" in listing
    assert "names: z real; D = sigmoid(z)" in listing and "a/(a + b)" not in listing  # never the reference
    starter = template()
    assert all(f'{e.name} = ""' in starter for e in LECTURE)
