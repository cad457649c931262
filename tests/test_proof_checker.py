"""The proof checker's parts: a line split into steps and hypotheses, the declarations and a proof's own functions, the
decisions on inequalities and implications (a table of cases, each with the verdict SymPy and the search must reach),
the parent's checks of the child's replies, and the same verdicts in the child and in this process."""
import json
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from gancheck import GancheckError
from gancheck.homework.formulas.verdict import MalformedReply
from gancheck.homework.proofs import engine, outcome, step
from gancheck.homework.proofs.fileformat import template
from gancheck.homework.proofs.lines import split, structure
from gancheck.homework.proofs.proof import read

from absent import ABSENT

ROOT = Path(__file__).resolve().parents[1]


def _proof(line, assume=("a, b > 0",), define=None):
    head = f"[proof]\nassume = {json.dumps(list(assume))}\n"
    if define:
        head += "[define]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in define.items())
    return head + f"[[step]]\nline = {json.dumps(line)}\n"


def _decide(line, assume=("a, b > 0",), number=1, **kw):
    return step.decide(read(_proof(line, assume, **kw)), number, budget=None)


def test_a_line_is_split_at_its_top_level_relations_only():
    assert [t[:2] for t in split(r"\frac{a}{b} \le \left(x\right) = (g > 0) \implies c\geq d")] == [
        ("expr", r"\frac{a}{b}"), ("op", "<="), ("expr", r"\left(x\right)"), ("op", "="), ("expr", "(g > 0)"),
        ("op", "=>"), ("expr", "c"), ("op", ">=")] + [("expr", "d")]
    assert [t[1] for t in split("a ≤ b ≥ c == d ⇒ e < f")] == ["a", "<=", "b", ">=", "c", "=", "d", "=>", "e", "<",
                                                                  "f"]


def test_hypotheses_continuations_and_chains():
    steps, hypotheses = structure(["diff(f, D) = g = 0", "=> a = b", "= c", "x <= y", "=> z < w"])
    assert [(s.relation.left, s.relation.op, s.relation.right) for s in steps] == [
        ("diff(f, D)", "=", "g"), ("a", "=", "b"), ("b", "=", "c"), ("z", "<", "w")]
    assert [(h.left, h.right) for h in hypotheses] == [("g", "0"), ("x", "y")]  # assumed, not checked
    assert [s.premise and (s.premise.left, s.premise.right) for s in steps] == [None, ("g", "0"), ("g", "0"),
                                                                               ("x", "y")]
    assert [s.chain for s in steps] == [1, 1, 1, 2]


@pytest.mark.parametrize("assume, names", [
    (["0 < D < 1"], {"D"}), (["mu real", "sigma > 0"], {"mu", "μ", "sigma", "σ"}),
    (["p, q distributions on 3 points"], {"p", "p_1", "p_3", "p_i", "q_j", "i", "j"}),
    (["p distribution on n points"], {"p_4", "n"}), (["eps ~ N(0, 1)"], {"eps", "ε", "varepsilon"}),
    (["t < log(2)"], {"t"}), (["x ≥ 0", "y ∈ ℝ"], {"x", "y"}),
])
def test_declarations_give_their_names(assume, names):
    assert names <= set(read(_proof("1 = 1", assume)).scope.names)


def test_the_proofs_functions():
    d = ("p, q distributions on 3 points", "eps ~ N(0, 1)", "a > 0")
    proof = read(_proof("KL(p, q) = sum(p_i*log(p_i/q_i), i)", d))
    left, right = proof.sides(proof.steps[0].relation)
    assert left == right and len(sp.Add.make_args(left)) == 3
    for line in ("E(eps**4, eps) = 3", "E((a + eps)**2) = a**2 + 1", "diff(a**3, a, 2) = 6*a",
                 "subs(a**2, a, 3) = 9", "H(p) = -sum(p_i*log(p_i), i)", "H(p, q) = H(p) + KL(p, q)",
                 "JSD(p, q) = JSD(q, p)", "sum(p_i, i) = 1", "sum(sum(p_i*q_j, j), i) = 1"):
        assert _decide(line, d)["status"] == "equal", line


INEQUALITIES = [  # (line, assumptions, status, how the verdict was reached)
    ("log(u) <= u - 1", ["u > 0"], "implied", "log u ≤ u − 1"),
    ("u - 1 <= log(u)", ["u > 0"], "false", "counterexample"),
    ("0 <= KL(p, q)", ["p, q distributions on 4 points"], "implied", "log u ≤ u − 1"),
    ("sum(p_i*log(x_i), i) <= log(sum(p_i*x_i, i))", ["p, x distributions on 3 points"], "implied", "proved"),
    ("(a - b)**2 >= 0", ["a, b real"], "implied", "sign"),
    ("exp(x) >= 1 + x", ["x real"], "implied", "e^u ≥ 1 + u"),
    ("-a/D**2 - b/(1 - D)**2 < 0", ["a, b > 0", "0 < D < 1"], "implied", "sign"),
    ("a < a", ["a > 0"], "false", "counterexample"),
    ("(x - 3.21)**2 >= 0.001", ["x real"], "false", "counterexample"),  # false only within 0.032 of 3.21
    ("log(2*p/(p + q)) <= log(2)", ["p, q > 0"], "implied", "log"),
    ("JSD(p, q) <= log(2)", ["p, q distributions on 3 points"], "implied", "spread over the points"),
    ("JSD(p, q) <= log(2)/2", ["p, q distributions on 3 points"], "false", "counterexample"),
    ("a + b >= 2*sqrt(a*b)", ["a, b > 0"], "undecided", "not proved"),  # true, but none of the lemmas applies
]


@pytest.mark.parametrize("line, assume, status, how", INEQUALITIES)
def test_inequalities(line, assume, status, how):
    v = _decide(line, assume)
    assert v["status"] == status and how in v["symbolic"], v
    if status == "undecided":
        assert "no counterexample" in v["notes"][0]


IMPLICATIONS = [
    ("a/D - b/(1 - D) = 0 => D = a/(a + b)", ["a, b > 0", "0 < D < 1"], "implied"),
    ("a/D - b/(1 - D) = 0 => D = b/(a + b)", ["a, b > 0", "0 < D < 1"], "false"),
    ("a/D - b/(1 - D) = 0 => a*(1 - D) = b*D", ["a, b > 0", "0 < D < 1"], "implied"),
    ("x <= y => log(x) <= log(y)", ["x, y > 0"], "implied"),
    ("x <= y => x**2 <= y**2", ["x, y real"], "false"),
    ("x**2 = 4 => x = 2", ["x real"], "false"),
    ("x**2 = 4 => x = 2", ["x > 0"], "implied"),
    ("exp(z) < 1 => z < 0", ["z real"], "implied"),
    # a strict conclusion needs a strict hypothesis: at x = y both of these fail
    ("x >= y => x - y + 1 > 1", ["x, y real"], "false"),
    ("x <= y => log(x) < log(y)", ["x, y > 0"], "false"),
    ("x > y => x - y + 1 > 1", ["x, y real"], "implied"),
    ("x >= 0 => 2*x > 0", ["x real"], "false"),  # only at the edge x = 0, which no sampling hits
    ("x - y = 0 => x - y + 1 = 2", ["x, y real"], "false"),  # solved, the conclusion no longer has y: y is sampled
]


@pytest.mark.parametrize("line, assume, status", IMPLICATIONS)
def test_implications(line, assume, status):
    v = _decide(line, assume)
    assert v["status"] == status, v
    if status == "false":  # the hypothesis holds at the counterexample
        c = v["counterexample"]
        assert c["premise"] is not None and None not in c["premise"]


@pytest.mark.parametrize("line, assume, vacuous", [
    ("a/D + b/(1 - D) = 0 => D = a/(a + b)", ["a, b > 0", "0 < D < 1"], True),  # a derivative's sign error
    ("x**2 - 4*x + 3 = 0 => x = 5", ["0 < x < 0.5"], True),  # its roots 1 and 3 lie outside
    ("D = 2 => D <= 0", ["0 < D < 1"], True),
    ("a/D - b/(1 - D) = 0 => D = a/(a + b)", ["a, b > 0", "0 < D < 1"], False),
])
def test_a_hypothesis_that_never_holds_implies_anything_with_a_note(line, assume, vacuous):
    v = _decide(line, assume)
    assert v["status"] == "implied", v
    assert ("vacuously" in v["symbolic"] and "never holds" in v["notes"][0]) == vacuous, v


_D = ["p, q distributions on 4 points"]
REASONS = [  # (line, assume, justification, status, a phrase of the note on the justification or None)
    ("sum(p_i*exp(q_i/p_i), i) <= exp(sum(q_i, i))", _D, "Jensen", "false", "exp is convex"),
    ("sum(p_i*log(q_i/p_i), i) >= log(sum(q_i, i))", _D, "by Jensen", "false", "needs the convexity log lacks"),
    ("sum(p_i*sqrt(q_i/p_i), i) >= sqrt(sum(q_i, i))", _D, "Jensen's inequality", "false", "√ is concave"),
    ("sum(p_i*log(q_i/p_i), i) <= log(sum(q_i, i))", _D, "Jensen", "implied", None),
    ("sum(p_i*log(q_i/p_i), i) = log(sum(q_i, i))", _D, "Jensen", "not equal", "this step is an equation"),
    ("sum(p_i*log(q_i/p_i), i) >= sum(p_i*(q_i/p_i - 1), i)", _D, "\\log u \\le u - 1", "false",
     "bounds a logarithm from above"),
    ("exp(a) <= 1 + a", ["a real"], "e^u >= 1 + u", "false", "bounds an exponential from below"),
    ("a + b = 2*sqrt(a*b)", ["a, b > 0"], "AM-GM", "not equal", "AM–GM, is an inequality"),
    ("a*b = b*a <= a*b + 1", ["a, b > 0"], "AM-GM", "equal", None),  # the rule is for the line's ≤
    ("a + b = b + a + 1", ["a, b > 0"], "obvious", "not equal", None),  # a reason naming no rule is not read
]


@pytest.mark.parametrize("line, assume, because, status, note", REASONS)
def test_a_reason_naming_a_rule_the_step_does_not_follow_gets_a_note(line, assume, because, status, note):
    text = _proof(line, assume) + f"because = {json.dumps(because)}\n"
    v = step.decide(read(text), 1, budget=None)
    assert v["status"] == status, v
    about = [n for n in v["notes"] if "Jensen" in n or "reason given" in n or "bounds a" in n]
    assert any(note in n for n in about) if note else not about, v["notes"]


@given(st.integers(-5, 5), st.integers(-5, 5), st.integers(1, 5))
def test_a_linear_step_is_decided_both_ways(k, c, m):
    """k·a + c = k·a + c is equal; shifted by m it is not, and its counterexample shows the two sides differing by m."""
    assert _decide(f"{k}*a + {c} = a*{k} + {c}")["status"] == "equal"
    wrong = _decide(f"{k}*a + {c} = {k}*a + {c + m}")
    assert wrong["status"] == "not equal"
    assert abs(float(wrong["counterexample"]["right"]) - float(wrong["counterexample"]["left"]) - m) < 1e-9


def test_replies_out_of_shape_are_refused():
    good = {"step": {"status": "equal", "symbolic": "proved", "counterexample": None, "notes": []}}
    assert outcome.from_reply(good).status == "equal"
    for bad in (None, {}, {"step": []}, {"step": {**good["step"], "status": "correct"}},
                {"step": {**good["step"], "notes": ["x" * 5000]}},
                {"step": {**good["step"], "status": "not equal"}},  # wrong without a counterexample
                {"step": {**good["step"], "counterexample": {"point": {}, "left": "1", "right": "2",
                                                             "premise": None}}}):
        with pytest.raises(MalformedReply):
            outcome.from_reply(bad)
    with pytest.raises(MalformedReply):
        outcome.structure_from_reply({"proof": {"steps": [{"op": "="}] * 400}})


def test_a_broken_child_costs_one_undecided_step():
    class Broken:
        timeout = 3.0

        def ask(self, request):
            return {"error": "timeout"} if request.get("step") == 1 else {"step": "nonsense"}

    judge = engine.in_child(Broken())
    first, second = judge("", 1), judge("", 2)
    assert first.status == second.status == "undecided"
    assert "ran out of time" in first.notes[0] and "malformed reply" in second.notes[0]


def test_the_child_and_this_process_agree():
    path = ROOT / "tests" / "data" / "proofs" / "optimal_d" / "dropped_factor_when_clearing.toml"
    structure_, text = engine.load_proof(path)
    there = engine.check_proof(structure_, text).steps
    here = engine.check_proof(structure_, text, judge=engine.in_process()).steps
    assert [(v.status, v.counterexample, v.outcome) for v in there] == [(v.status, v.counterexample, v.outcome)
                                                                      for v in here]


def test_the_template_is_a_right_proof():
    proof = read(template())
    assert len(proof.steps) >= 4
    assert all(step.decide(proof, k + 1)["status"] in ("equal", "implied") for k in range(len(proof.steps)))


def test_an_unreadable_line_names_its_line_and_column():
    with pytest.raises(GancheckError, match=r"line 1, column 9: unknown name 'c'"):
        read(_proof("a + b = c"))
    with pytest.raises(GancheckError, match=r"\[define\] f, column 4: syntax error"):
        read(_proof("a = a", define={"f": "a +"}))


_NO_NUMPY = ABSENT + r"""
import json
from gancheck.homework.proofs import step
from gancheck.homework.proofs.proof import read
proof = read(sys.stdin.read())
print(json.dumps([step.decide(proof, k + 1)["status"] for k in range(len(proof.steps))]))
"""


def test_the_proof_checker_needs_no_numpy():
    text = (ROOT / "tests" / "data" / "proofs" / "gibbs" / "forgot_minus_one.toml").read_text()
    site = sysconfig.get_paths()["purelib"]
    out = subprocess.run([sys.executable, "-S", "-c", _NO_NUMPY], input=text, capture_output=True, text=True,
                         timeout=300, env={"PYTHONPATH": f"{ROOT}:{site}", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout) == ["equal", "implied", "not equal", "equal", "implied"]


@pytest.mark.parametrize("data, message", [
    ({"assignment": {"points": -1}}, "points must be a number from 0 to 1000"),
    ({"assignment": {"points": True}}, "points must be a number"),
    ({"assignment": {"follow_through": 2}}, "follow_through must be a number in [0, 1]"),
    ({"assignment": {"loss": "minimax"}}, "does not know loss"),
    ({"assignment": {}, "points": {"D.z_bar": 1}}, "the table [assignment] only"),
])
def test_a_proofs_assignment_is_checked(data, message):
    from gancheck.homework.proofs.assignment import assignment_from_data

    with pytest.raises(GancheckError, match=re.escape(message)):
        assignment_from_data(data)


def test_a_proof_has_a_time_budget_as_a_whole(monkeypatch):
    """Past TOTAL_SECONDS the remaining steps are undecided, never a wait of steps × the child's limit."""
    structure_, text = engine.load_proof(ROOT / "tests" / "data" / "proofs" / "gibbs" / "right.toml")
    monkeypatch.setattr(engine, "TOTAL_SECONDS", 0.0)
    steps = engine.check_proof(structure_, text, judge=engine.in_process()).steps
    assert all(v.status == "undecided" and "ran out" in v.notes[0] for v in steps[1:])


def test_the_parent_never_imports_sympy():
    """The parent reads the file, talks to the child and writes the report; SymPy (and the student's text as
    expressions) stays in the child."""
    code = ("import sys; from gancheck.homework.proofs import engine, report; import gancheck.cli.proofs; "
            "print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
