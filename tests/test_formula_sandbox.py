"""The limited child: a slow proof ends "undecided" by the child's own deadline, a request that outlives the parent's
wall-time limit kills the child (the next request gets a fresh one), the child runs under an address-space limit,
and only JSON comes back — checked field by field, so a broken reply is one undecided verdict, never a crash."""
import subprocess
import sys
import time

import pytest
import sympy as sp

from gancheck.homework.formulas import symbolic
from gancheck.homework.formulas.engine import check_formula, check_sheet, in_child
from gancheck.homework.formulas.sandbox import MEMORY, Sandbox
from gancheck.homework.formulas.sheet import sheet_from_data

# Equal to (y - t)/N, but proving it makes SymPy expand A**16 and B**8 with B = A**2 written out, A a sum of 7
# symbols: ~10^5 terms each, far more than a second. Their float64 values cancel catastrophically, so the numeric
# side cannot settle it either (the 30-digit re-check rejects every apparent counterexample).
_BIG = "(x + U + b + W + c + z + t)"
_SQUARE = str(sp.expand(sp.sympify(_BIG) ** 2))  # our own constant text, not a student's
SLOW_BUT_RIGHT = f"(y - t)/N + {_BIG}**16 - ({_SQUARE})**8"


@pytest.fixture
def sandbox():
    box = Sandbox(timeout=1.0)
    yield box
    box.close()


def test_a_slow_proof_ends_undecided_by_the_childs_own_deadline():
    sandbox = Sandbox(timeout=2.0)  # the child's deadline: 1.2 s, far enough from the kill on a loaded machine
    sandbox.ask({"op": "zero", "expr": "0", "kinds": {}})  # started and warm
    first = sandbox.pid
    start = time.perf_counter()
    verdict = check_formula("D.z_bar", SLOW_BUT_RIGHT, judge=in_child(sandbox))
    seconds = time.perf_counter() - start
    assert verdict.status == "undecided" and verdict.symbolic == "timeout", verdict
    assert any("timeout" in n or "out of time" in n for n in verdict.notes) and verdict.credit == 0
    assert seconds < 4.0  # the child's deadline; never a hang
    assert check_formula("D.z_bar", "(y - t)/N", judge=in_child(sandbox)).status == "equivalent"
    assert sandbox.restarts == 0 and sandbox.pid == first  # the deadline interrupted SymPy; no kill was needed
    sandbox.close()


def test_a_verdict_the_deadline_cannot_stop_is_killed_and_costs_only_itself(sandbox):
    """A request without a deadline (as if the child's timer failed) is killed at the parent's limit; in a sheet, that
    answer is undecided and the next one is decided by a fresh child."""
    answers = {"D.z_bar": SLOW_BUT_RIGHT, "D.W_bar": "z_bar*h"}

    def judge(quantity, text, **kwargs):
        if quantity == "D.z_bar":  # the deadline-free request, sent as the engine would
            reply = sandbox.ask({"op": "judge", "quantity": quantity, "text": text, "loss": kwargs["loss"],
                                 "syntax": kwargs["syntax"], "earlier": [], "budget": None})
            assert reply == {"error": "timeout"}
        return in_child(sandbox)(quantity, text, **kwargs)

    v = {x.quantity: x for x in check_sheet(sheet_from_data({"answers": answers}), judge=judge).verdicts}
    assert sandbox.restarts >= 1
    assert v["D.z_bar"].status == "undecided" and v["D.W_bar"].status == "equivalent"


class _Replying:
    """A stand-in child that sends a fixed reply."""

    timeout = 1.0

    def __init__(self, reply):
        self.reply = reply

    def ask(self, request):
        return self.reply


_GOOD = {"status": "equivalent", "follow_through": False, "diagnosis": [], "counterexample": None, "notes": [],
         "symbolic": "proved", "reference": "h*z_bar"}


@pytest.mark.parametrize("reply,phrase", [
    ({"error": "timeout"}, "ran out of time (1 s)"),
    ({"error": "the sandbox did not start"}, "child process failed: the sandbox did not start"),
    ("not a dict", "malformed reply"),
    ({"verdict": {**_GOOD, "status": "correct!"}}, "bad status"),
    ({"verdict": {**_GOOD, "extra": 1}}, "unexpected fields"),
    ({"verdict": {**_GOOD, "notes": ["x" * 10_000]}}, "bad notes"),
    ({"verdict": {**_GOOD, "diagnosis": ["d"] * 1000}}, "bad diagnosis"),
    ({"verdict": {**_GOOD, "follow_through": True}}, "follow-through on a verdict"),
    ({"verdict": {**_GOOD, "status": "not equivalent", "counterexample": {"point": {"x": "nan"}, "student": None,
                                                                          "correct": "1"}}}, "bad counterexample"),
    ({"verdict": {**_GOOD, "status": "not equivalent", "counterexample": {"point": {}, "student": "1e999999999999",
                                                                          "correct": "x"}}}, "bad counterexample"),
])
def test_a_reply_out_of_shape_is_one_undecided_verdict(reply, phrase):
    v = check_formula("D.W_bar", "z_bar*h", judge=in_child(_Replying(reply)))
    assert v.status == "undecided" and v.credit == 0 and phrase in v.notes[0] and len(v.notes[0]) < 300


def test_a_well_formed_reply_is_taken_as_the_verdict():
    v = check_formula("D.W_bar", "z_bar*h", judge=in_child(_Replying({"verdict": _GOOD})))
    assert v.status == "equivalent" and v.quantity == "D.W_bar" and v.answer == "z_bar*h"


def test_a_timed_out_request_returns_an_error_within_the_limit(sandbox):
    kinds = {name: "real" for name in ("x", "U", "b", "W", "c", "z", "t")}
    request = {"op": "zero", "expr": f"{_BIG}**16*(x + 1) - {_BIG}**16*x - {_BIG}**16 - 1", "kinds": kinds}
    sandbox.ask({"op": "zero", "expr": "0", "kinds": {}})
    start = time.perf_counter()
    assert sandbox.ask(request) == {"error": "timeout"}
    assert time.perf_counter() - start < 3.0
    assert sandbox.pid is None  # killed; the next request starts a new child


def test_the_child_runs_under_an_address_space_limit(sandbox):
    sandbox.ask({"op": "zero", "expr": "0", "kinds": {}})
    limits = open(f"/proc/{sandbox._proc.interpreter()}/limits").read()
    line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
    assert line.split()[3:5] == [str(MEMORY), str(MEMORY)]


def test_the_memory_limit_turns_a_huge_allocation_into_memory_error():
    code = ("from gancheck.homework.isolation.confine import set_limits\n"
            "set_limits({'AS': 300 * 2**20})\n"
            "try:\n    bytearray(600 * 2**20)\nexcept MemoryError:\n    print('refused')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "refused"


def test_failures_in_the_child_are_plain_error_replies(sandbox):
    assert "dunder" in sandbox.ask({"op": "zero", "expr": "__import__('os')", "kinds": {}})["error"]
    assert "KeyError" in sandbox.ask({"op": "nonsense"})["error"]
    assert sandbox.ask({"op": "zero", "expr": "x - x", "kinds": {"x": "real"}}) == {"result": "zero"}


def test_a_killed_child_is_replaced(sandbox):
    sandbox.ask({"op": "zero", "expr": "0", "kinds": {}})
    first = sandbox.pid
    subprocess.run(["kill", "-9", str(first)], check=True)
    time.sleep(0.2)
    assert sandbox.ask({"op": "zero", "expr": "0", "kinds": {}}) == {"result": "zero"}
    assert sandbox.pid != first


def test_the_proof_cases_cover_relu_signs_and_labels():
    g, t, x = sp.symbols("g t x", real=True)
    cases = symbolic._cases({g: "relu_input", t: "label", x: "real"})
    assert len(cases) == 4 and {str(c[t]) for c in cases} == {"0", "1"}
    assert {c[g].could_extract_minus_sign() for c in cases} == {True, False}
