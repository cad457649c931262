"""Verdicts on whole answer sheets (tests/data/sheets/, also shown on the docs site): the correct sheets in both
syntaxes, one sheet per mistake class with its diagnosis and a counterexample that really separates, follow-through
under the assignment's rules, the kink convention, overflow, and the sheet format's own errors."""
import os
import time
from pathlib import Path

import pytest
import sympy as sp

from derivations import backprop
from gancheck import GancheckError
from gancheck.homework.formulas import catalogue, references
from gancheck.homework.formulas.assignment import Assignment, assignment_from_data, load_assignment
from gancheck.homework.formulas.engine import check_formula, check_sheet, load_sheet
from gancheck.homework.formulas.judge import parse_answer
from gancheck.homework.formulas.sheet import sheet_from_data

SHEETS = Path(__file__).parent / "data" / "sheets"
ASSIGNMENTS = Path(__file__).parent / "data" / "assignments"

# sheet → {quantity: a phrase its diagnosis must contain}; every other answer of the sheet is correct.
MISTAKES = {
    "missing_1_over_N.toml": {"D.L": "missing 1/N", "D.z_bar": "missing 1/N", "G.D.z_bar": "missing 1/N"},
    "extra_1_over_N.toml": {"D.W_bar": "extra 1/N", "G.c_bar": "extra 1/N"},
    "sign_flipped.toml": {"D.h_bar": "sign flipped: (t − y) where (y − t)", "G.D.z_bar": "sign flipped"},
    "constant_factor.toml": {"D.c_bar": "spurious constant factor 2", "G.W_bar": "spurious constant factor 2"},
    "sigma_prime_twice.yaml": {"D.z_bar": "σ′(z) = y(1 − y) applied twice", "G.D.z_bar": "applied twice"},
    "activation_for_derivative.toml": {"D.z_bar": "σ(z) used where σ′(z) belongs",
                                       "D.g_bar": "relu(g) used where its derivative",
                                       "G.g_bar": "relu(g) used where its derivative"},
    "relu_mask_wrong_variable.toml": {"D.g_bar": "wrong variable: 1[z > 0] where 1[g > 0]",
                                      "G.g_bar": "wrong variable: 1[D.g > 0] where 1[g > 0]"},
    "relu_mask_wrong_threshold.toml": {"D.g_bar": "wrong threshold: 1[g > 1] where 1[g > 0]",
                                       "G.g_bar": "wrong threshold: 1[g < 0] where 1[g > 0]"},
    "minimax_confusion.toml": {"G.L": "per-sample term for the minimax generator loss",
                               "G.D.z_bar": "minimax vs non-saturating confusion",
                               "G.y_bar": "minimax vs non-saturating confusion"},
    "pre_activation_for_activation.toml": {"D.W_bar": "the pre-activation g where the activation h = relu(g)",
                                           "G.W_bar": "the pre-activation g where the activation h = relu(g)"},
    "symbol_confusions.toml": {"D.L": "the probability y = σ(z) where the logit z belongs",
                               "D.z_bar": "the logit z where the probability y = σ(z) belongs",
                               "D.h_bar": "weight U where the output layer's weight W belongs",
                               "D.U_bar": "the activation h where the layer's input x belongs",
                               "D.x_bar": "weight W where the hidden layer's weight U belongs",
                               "G.D.z_bar": "σ(D.y) where D.y belongs: D.y = σ(D.z) is already"},
    "exponent_factor.toml": {"D.L": "the sign inside the exponent flipped: exp(z) where exp(-z) belongs",
                             "G.L": "a spurious factor 2 inside the exponent: exp(-2*D.z) where exp(-D.z) belongs"},
}


def _by_name(result):
    return {v.quantity: v for v in result.verdicts}


@pytest.mark.parametrize("sheet", ["correct.toml", "correct_latex.yaml"])
def test_a_correct_sheet_is_accepted_whole_and_fast(sheet):
    check_sheet(load_sheet(SHEETS / "kink_convention.toml"))  # the shared child is warm from here on
    start = time.perf_counter()
    result = check_sheet(load_sheet(SHEETS / sheet))
    seconds = time.perf_counter() - start
    assert len(result.verdicts) == len(catalogue.entries())  # every quantity of the catalogue
    assert all(v.status == "equivalent" and v.symbolic == "proved" for v in result.verdicts), \
        [(v.quantity, v.status, v.notes) for v in result.verdicts if v.status != "equivalent"]
    assert result.all_correct and result.score == result.total == len(catalogue.entries())
    assert seconds < 3.0, f"a full sheet took {seconds:.2f} s"


def _independent_values(quantity, answer, loss, point):
    """Student's and reference values at a counterexample's point, recomputed from scratch: the answer re-parsed,
    every earlier quantity and backprop's own element-wise definitions (Piecewise relu, sigmoid) substituted, and
    SymPy's evalf at 30 digits — none of the checker's numeric code or sandbox involved."""
    e = catalogue.entry(quantity)
    ref = references.reference(quantity, loss)
    student = parse_answer(answer, references.names(quantity, loss)).xreplace(ref.true)
    forward = backprop.forward_symbols(e.net)   # backprop's own (assumption-free) symbols and definitions
    definitions = backprop.elementwise_definitions(e.net)
    values = {forward[k]: sp.Rational(v) for k, v in point.items() if forward[k] not in definitions}
    out = []
    for expr in (student, ref.expanded):
        expr = expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})
        value = expr.subs(definitions).subs(values).evalf(30)
        out.append(complex(value) if value.is_number and value.is_finite else None)
    return out


@pytest.mark.parametrize("sheet", sorted(MISTAKES))
def test_each_mistake_class_is_diagnosed_with_a_separating_counterexample(sheet):
    loaded = load_sheet(SHEETS / sheet)
    loss = loaded.loss or "nonsaturating"
    verdicts = _by_name(check_sheet(loaded))
    for quantity, verdict in verdicts.items():
        if quantity not in MISTAKES[sheet]:
            assert verdict.status == "equivalent", (quantity, verdict.notes)
            continue
        assert verdict.status == "not equivalent" and not verdict.follow_through
        assert any(MISTAKES[sheet][quantity] in d for d in verdict.diagnosis), (quantity, verdict.diagnosis)
        c = verdict.counterexample
        student, correct = _independent_values(quantity, verdict.answer, loss, c["point"])
        assert correct is not None and abs(correct - float(c["correct"])) <= 1e-9 * max(1.0, abs(correct))
        if student is None:
            assert c["student"] is None
        else:
            assert abs(student - float(c["student"])) <= 1e-9 * max(1.0, abs(student))
            assert abs(student - correct) > 1e-6 * max(1.0, abs(student), abs(correct))


def test_follow_through_is_credited_by_the_assignments_rule():
    result = check_sheet(load_sheet(SHEETS / "follow_through.toml"), load_assignment(ASSIGNMENTS /
                                                                                     "follow_through_half.toml"))
    v = _by_name(result)
    assert v["D.z_bar"].status == "not equivalent" and "sign flipped" in v["D.z_bar"].diagnosis[0]
    for q in ("D.W_bar", "D.g_bar", "G.y_bar"):  # written out, consistent with the wrong D.z_bar (G.y_bar via t = 1)
        assert v[q].status == "not equivalent" and v[q].follow_through and v[q].credit == 0.5
        assert v[q].counterexample is not None and not v[q].diagnosis
        assert "follow-through: right given your own earlier answer(s) for D.z_bar" in v[q].notes
    assert v["D.h_bar"].status == v["G.W_bar"].status == "equivalent"  # z_bar*W is right whatever z_bar is
    assert result.score == 2 + 3 * 0.5 and result.total == 6 and not result.all_correct


def test_follow_through_needs_consistency_and_its_credit_is_the_rules():
    answers = {"D.z_bar": "(t - y)/N", "D.W_bar": "2*(t - y)*h/N", "D.c_bar": "(t - y)/N"}
    v = _by_name(check_sheet(sheet_from_data({"answers": answers}), Assignment(follow_through=0)))
    assert not v["D.W_bar"].follow_through and "spurious constant factor 2" in v["D.W_bar"].diagnosis
    assert v["D.c_bar"].follow_through and v["D.c_bar"].credit == 0.0


def test_minimax_is_the_variant_when_the_sheet_says_so():
    answers = {"G.D.z_bar": "-D.y/N", "G.y_bar": "(D.y - 1)*D.W*(D.g > 0)*D.U/N"}
    v = _by_name(check_sheet(sheet_from_data({"sheet": {"loss": "minimax"}, "answers": answers}),
                             Assignment(loss="minimax")))
    assert v["G.D.z_bar"].status == "equivalent"
    assert v["G.y_bar"].status == "not equivalent"
    assert "gradient for the nonsaturating generator loss, but the assignment uses the minimax one" in \
        v["G.y_bar"].diagnosis[0]


@pytest.mark.parametrize("quantity,answer,loss", [
    ("D.L", "-(t*log(y) + (1 - t)*log(1 - y))/N", "nonsaturating"),  # in y = σ(z): the model defines y
    ("D.L", "(softplus(z) - t*z)/N", "minimax"),                      # D's BCE whatever G's loss
    ("D.L", r"-\frac{1}{N}\left[t \log y + (1-t)\log(1-y)\right]", "nonsaturating"),
    ("G.L", "-log(D.y)/N", "nonsaturating"),
    ("G.L", "log(1 - sigmoid(D.z))/N", "minimax"),
    ("G.L", "-softplus(D.z)/N", "minimax"),
])
def test_the_loss_forms_are_accepted_in_y_or_in_z(quantity, answer, loss):
    v = check_formula(quantity, answer, loss=loss)
    assert v.status == "equivalent" and v.symbolic == "proved", (v.status, v.notes)


def test_the_loss_may_not_be_written_with_its_gradient():
    v = check_formula("D.L", "z_bar")
    assert v.status == "invalid" and "'z_bar' may not be used in D.L" in v.notes[0]


def test_the_kink_convention_is_accepted_with_a_note():
    v = _by_name(check_sheet(load_sheet(SHEETS / "kink_convention.toml")))
    assert all(x.status == "equivalent" for x in v.values())
    assert "the ≥ convention 1[g ≥ 0]" in v["D.g_bar"].notes[0] and "Both are accepted" in v["D.g_bar"].notes[0]
    assert "relu′(0) = 1/2" in v["G.g_bar"].notes[0]
    assert "≥ convention" in v["relu_prime"].notes[0]
    assert check_formula("relu_prime", "(g > 0)").notes == []  # the reference's own convention: nothing to say


def test_a_value_at_the_kink_that_is_no_convention_is_wrong():
    v = check_formula("relu_prime", "2*Heaviside(g, 1) - Heaviside(g, 0)")  # 1 for g > 0, 0 below, 2 at 0
    assert v.status == "not equivalent" and v.counterexample["point"]["g"] == "0"
    assert v.counterexample["student"] == "2" and v.counterexample["correct"] == "0"
    assert "wrong value at the kink g = 0" in v.notes


def test_a_formula_sympy_rewrites_beyond_the_vocabulary_is_undecided_not_a_crash():
    v = check_formula("D.W_bar", "abs(exp(sqrt(x)))")  # SymPy: exp(cos(atan2(0, x)/2)*sqrt(|x|)) for real x
    assert v.status == "undecided" and "cannot evaluate numerically" in v.notes[0]


def test_an_unreadable_answer_is_an_invalid_verdict_not_a_crash():
    result = check_sheet(sheet_from_data({"answers": {"D.z_bar": "(y - t)/N", "D.W_bar": "z_bar*h +"}}))
    v = _by_name(result)
    assert v["D.W_bar"].status == "invalid" and "syntax error" in v["D.W_bar"].notes[0]
    assert "at column 10" in v["D.W_bar"].notes[0] and v["D.z_bar"].status == "equivalent"


@pytest.mark.parametrize("data,phrase", [
    ({"answers": {}}, "no answers yet"),
    ({"answers": {"D.z_bar": "  "}}, "no answers yet"),  # an empty answer is not answered
    ({"answers": {"D.z_bar": ["y"]}}, "must be a formula"),
    ({"answers": {"D.z_bar": "y"}, "sheet": {"loss": "wgan"}}, "loss must be one of"),
    ({"answers": {"D.z_bar": "y"}, "sheet": {"syntax": "tex"}}, "syntax must be one of"),
    ({"answers": {"D.z_bar": "y"}, "rules": {"follow_through": 1}}, "cannot set points or rules"),
    ({"answers": {"D.z_bar": "y"}, "points": {"D.z_bar": 100}}, "cannot set points or rules"),
    ({"answers": {"D.z_bar": "y"}, "sheet": {"points": 100}}, "[sheet] may set student, syntax, loss only"),
    ({"answers": {"D.z_bar": "y", "D": {"z_bar": "y"}}}, "D.z_bar is answered twice"),
    ({"answers": {"D.z_bar": "y"}, "extra": 1}, "[sheet] and [answers] only"),
])
def test_bad_sheets_are_one_line_errors(data, phrase):
    with pytest.raises(GancheckError) as info:
        sheet_from_data(data)
    assert phrase in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("name,content,phrase", [
    ("s.toml", 'answers = "unclosed', "cannot read the sheet"),
    ("s.yaml", "answers: !!python/object/apply:os.system ['touch x']", "cannot read the sheet"),
    ("s.yaml", "a: &a [1]\nb: &b [*a, *a]\nanswers: {D: &c {z_bar: y}}\n" + "".join(
        f"k{i}: &k{i} [*{'c' if i == 0 else f'k{i - 1}'}, *{'c' if i == 0 else f'k{i - 1}'}]\n" for i in range(30)),
     "aliases are expanded"),
    ("s.yaml", "answers: " + "[" * 100 + "]" * 100, "nested more than 32 levels"),
    ("s.yaml", "answers:\n  D.z_bar: " + "y" * 30_000, "longer than 20000 characters"),
    ("s.toml", "answers = " + "[" * 3000 + "]" * 3000, "cannot read the sheet"),
    ("s.toml", "[answers]\nD.z_bar = '\u00e9\u0301'", None),  # a valid file: the answer is judged (invalid)
    ("s.txt", "answers = {}", "must be .toml, .yaml or .yml"),
    ("s.toml", "x" * 300_000, "too large"),
])
def test_bad_files_are_one_line_errors(tmp_path, name, content, phrase):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    if phrase is None:
        assert load_sheet(path).answers == {"D.z_bar": "\u00e9\u0301"}
        return
    with pytest.raises(GancheckError) as info:
        load_sheet(path)
    assert phrase in str(info.value) and "\n" not in str(info.value) and str(path) in str(info.value)


def test_files_that_are_not_regular_utf8_text_are_refused_unread(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    start = time.perf_counter()
    with pytest.raises(GancheckError, match="not a regular file"):
        load_sheet(fifo)  # opening a FIFO for reading would block without a writer
    assert time.perf_counter() - start < 5.0
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[answers]\n"D.z_bar" = "\u00e9"\n'.encode("latin-1"))
    with pytest.raises(GancheckError, match="not UTF-8 text"):
        load_sheet(latin)
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf[answers]\nD.z_bar = '(y - t)/N'\n")
    assert load_sheet(bom).answers == {"D.z_bar": "(y - t)/N"}


def test_a_tree_of_aliases_cannot_make_loading_expensive(tmp_path):
    lines = ["sheet: {}", "answers:", "  D: &x0 {z_bar: y}"] + [
        f"  G{i}: &x{i} {{a: *x{i - 1}, b: *x{i - 1}}}" for i in range(1, 40)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines))
    start = time.perf_counter()
    with pytest.raises(GancheckError, match="aliases are expanded"):
        load_sheet(path)
    assert time.perf_counter() - start < 5.0


def test_an_unknown_quantity_is_one_verdict_and_the_rest_are_decided():
    sheet = sheet_from_data({"answers": {"D.zbar": "(y - t)/N", "D.W_bar": "z_bar*h", "q": "1"}})
    result = check_sheet(sheet)
    v = _by_name(result)
    assert v["D.W_bar"].status == "equivalent" and v["D.zbar"].status == v["q"].status == "invalid"
    assert "unknown quantity 'D.zbar'; did you mean D.z_bar?" in v["D.zbar"].notes[0]
    assert v["D.zbar"].points == 0 and result.score == 1 and result.total == 1


def test_points_come_from_the_assignment_and_missing_answers_count():
    assignment = assignment_from_data({"assignment": {"follow_through": 0.5},
                                       "points": {"D": {"z_bar": 2, "W_bar": 3}, "D.h_bar": 1}})
    sheet = sheet_from_data({"answers": {"D.z_bar": "(y - t)/N", "D.c_bar": "z_bar"}})
    result = check_sheet(sheet, assignment)
    v = _by_name(result)
    assert (v["D.z_bar"].points, v["D.z_bar"].credit, v["D.c_bar"].points) == (2, 2, 0)  # D.c_bar is not asked
    assert result.missing == ["D.W_bar", "D.h_bar"] and result.total == 6 and not result.all_correct


@pytest.mark.parametrize("data,phrase", [
    ({"points": {"D.zbar": 1}}, "did you mean D.z_bar"),
    ({"points": {"D.z_bar": -1}}, "from 0 to 1000"),
    ({"assignment": {"loss": "wgan"}}, "loss must be one of"),
    ({"assignment": {"follow_through": 2}}, "follow_through must be a number in [0, 1]"),
    ({"assignment": {"bonus": 1}}, "does not know bonus"),
    ({"rules": {}}, "[assignment] and [points] only"),
])
def test_bad_assignments_are_one_line_errors(data, phrase):
    with pytest.raises(GancheckError) as info:
        assignment_from_data(data, "a.toml")
    assert phrase in str(info.value) and "\n" not in str(info.value)


def test_a_sheet_declaring_another_loss_than_the_assignments_is_refused():
    sheet = sheet_from_data({"sheet": {"loss": "minimax"}, "answers": {"G.D.z_bar": "-D.y/N"}})
    with pytest.raises(GancheckError, match="assume the minimax generator loss, but the assignment asks for the "
                                            "nonsaturating one"):
        check_sheet(sheet)


def test_overflowing_answers_are_wrong_with_exact_counterexamples_and_lose_nothing():
    v = _by_name(check_sheet(load_sheet(SHEETS / "overflow.toml")))
    assert v["D.z_bar"].status == "not equivalent" and v["D.z_bar"].counterexample["student"].endswith("e+434")
    assert v["D.W_bar"].status == v["D.g_bar"].status == "equivalent"
    assert v["D.c_bar"].status == "undecided" and "too large to evaluate" in v["D.c_bar"].notes[0]
    assert v["D.h_bar"].status == "not equivalent" and "differs from the reference by exactly 1.0e-9" in \
        v["D.h_bar"].notes[0]
