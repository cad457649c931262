"""The formula checker for a web page: the same verdicts as ``gancheck check-formula``, decided in the reader's own
browser (Pyodide) with only the standard library, SymPy and mpmath — no NumPy, no subprocess, no YAML, no Hypothesis.

The command line parses and decides a student's formula in a limited child process; here the page is the student's
own, so the same code (:func:`.judge.judge`, through :func:`.engine.in_process`) runs in-process. There is no timer in
Pyodide: a page runs the checker in a Web Worker and terminates it if a verdict takes too long.

Contract (JSON-able results)::

    check(quantity, expression, *, loss="nonsaturating", syntax="auto") -> {
        "verdict": "equivalent" | "not equivalent" | "undecided" | "invalid",
        "text": str,                    # the verdict as gancheck check-sheet prints it (mark, answer, details)
        "counterexample": {"point": {name: "1.5", ...}, "student": "0.25" | None, "correct": "-0.75"} | None,
        "counterexample_text": "at y = 1.5, ...: yours 0.25, correct -0.75" | None,   # as the command line shows it
        "diagnosis": str | None,        # the diagnosed mistake(s), "; "-separated
    }
    check_sheet(answers, *, loss="nonsaturating", syntax="auto", follow_through=1.0) -> {
        "verdicts": {quantity: <as check(), plus "follow_through": bool>}, "text": str, "score": float,
        "total": float}                 # several answers with follow-through, as check-sheet
    files() -> list[str]                # what the page must ship, relative to the repository root
    warm() -> None                      # optional: pay the one-time costs (reference chain, SymPy's lazy imports)

An unknown quantity or an unreadable formula is an ``"invalid"`` verdict whose text says why (the command line
prints that line as its error). Counterexample values are exact decimals as text (``"1.97007e+434"`` fits no float).
"""
from . import engine, judge, references, report
from .assignment import Assignment
from .catalogue import entries
from .sheet import Sheet

_FILES = [
    "gancheck/__init__.py",
    "gancheck/homework/__init__.py",
    "gancheck/homework/terminal.py",
    "derivations/__init__.py",
    "derivations/backprop.py",
    *(f"gancheck/homework/formulas/{name}" for name in (
        "__init__.py", "assignment.py", "browser.py", "catalogue.py", "catalogue.toml", "chain.py", "confusions.py",
        "decide.py", "diagnose.py", "engine.py", "exact.py", "intervals.py", "judge.py", "latex.py", "lecture.toml",
        "lecture.py", "numeric.py", "program.py", "pysyntax.py", "references.py", "report.py", "sheet.py", "symbolic.py",
        "verdict.py", "vocabulary.py")),
]


def files():
    """The package files the browser must ship (relative to the repository root) to import this module and check
    any formula with only the standard library, SymPy and mpmath installed."""
    return list(_FILES)


def warm():
    """Build every reference and decide one formula — the costs a first verdict would otherwise pay — so that a page
    can call this while it loads, before the reader's first answer."""
    import sympy.physics.units  # noqa: F401 — SymPy's simplify imports it on its first call (a second or more)

    for name in entries():
        references.reference(name)
    judge.judge("D.L", "(softplus(z) - t*z)/N")


def _result(v):
    return {"verdict": v.status, "text": "\n".join(report.verdict_lines(v)), "counterexample": v.counterexample,
            "counterexample_text": v.counterexample and report.counterexample_text(v.counterexample),
            "diagnosis": "; ".join(v.diagnosis) or None}


def check(quantity, expression, *, loss="nonsaturating", syntax="auto"):
    """The verdict on one formula, as the contract in the module docstring."""
    if not isinstance(quantity, str) or not isinstance(expression, str):
        raise TypeError("check(quantity, expression) takes two strings")
    judge = engine.in_process()
    return _result(judge(quantity, expression, loss=loss, syntax=syntax, earlier=[]))


def check_sheet(answers, *, loss="nonsaturating", syntax="auto", follow_through=1.0):
    """Verdicts on several answers (quantity → formula) judged together, follow-through included."""
    sheet = Sheet(dict(answers), syntax)
    result = engine.check_sheet(sheet, Assignment(loss=loss, follow_through=follow_through), engine.in_process())
    verdicts = {v.quantity: {**_result(v), "follow_through": v.follow_through} for v in result.verdicts}
    return {"verdicts": verdicts, "text": report.text_report(result), "score": result.score, "total": result.total}
