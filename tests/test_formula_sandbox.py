"""The sandbox: a slow simplification times out into "undecided" (the child is killed, the next request gets a fresh
one), the child runs under an address-space limit, and only JSON comes back."""
import subprocess
import sys
import time

import pytest
import sympy as sp

from gancheck.homework.formulas import worker
from gancheck.homework.formulas.engine import check_formula
from gancheck.homework.formulas.sandbox import MEMORY, Sandbox

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


def test_a_slow_proof_times_out_into_undecided_and_the_sandbox_recovers(sandbox):
    sandbox.ask({"op": "zero", "expr": "0", "kinds": {}})  # started and warm
    first = sandbox.pid
    start = time.perf_counter()
    verdict = check_formula("D.z_bar", SLOW_BUT_RIGHT, sandbox=sandbox)
    seconds = time.perf_counter() - start
    assert verdict.status == "undecided" and verdict.symbolic == "timeout"
    assert any("timeout" in n for n in verdict.notes) and verdict.credit == 0
    assert seconds < 8.0  # one timed-out request (1 s) plus a few 30-digit re-checks; never a hang
    assert sandbox.restarts >= 1
    assert check_formula("D.z_bar", "(y - t)/N", sandbox=sandbox).status == "equivalent"
    assert sandbox.pid != first


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


def test_the_worker_cases_cover_relu_signs_and_labels():
    cases = worker._cases(worker._symbols({"g": "relu_input", "t": "label", "x": "real"}),
                          {"g": "relu_input", "t": "label", "x": "real"})
    assert len(cases) == 4
    assert {str(c[next(k for k in c if k.name == "t")]) for c in cases} == {"0", "1"}
