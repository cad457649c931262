"""TEST FIXTURE for the site's browser test — never shipped on the site.

A stand-in for :mod:`gancheck.homework.formulas.browser` that implements the same contract with plain SymPy (the
student's formula minus the reference simplifies to 0, or a point where they differ), so that the answer box, the
worker and the loading of Pyodide and the wheels are tested end to end whether or not the real module is there.
``tests/test_site_browser.py`` serves it in place of the site's checker manifest; the site build never sees it.
"""
import sympy as sp

SYMBOLS = {name: sp.Symbol(name, real=True) for name in ("y", "t", "N")}
REFERENCE = {"D.z_bar": "(y - t)/N"}
POINT = {"y": 0.8, "t": 0, "N": 3}


def files():
    return ["tests/data/browser/fixture_checker.py"]


def _result(verdict, quantity, expression, counterexample=None, diagnosis=None):
    mark = {"equivalent": "✓", "not equivalent": "✗"}.get(verdict, "?")
    shown = counterexample and (f"at {', '.join(f'{k} = {v}' for k, v in counterexample['point'].items())}: "
                                f"yours {counterexample['student']}, correct {counterexample['correct']}")
    text = f"{mark} {quantity:<10} {verdict:<15} {expression}"
    text += "".join(f"\n    {k}: {v}" for k, v in (("diagnosis", diagnosis), ("counterexample", shown)) if v)
    return {"verdict": verdict, "text": text, "counterexample": counterexample, "counterexample_text": shown,
            "diagnosis": diagnosis}


def check(quantity, expression):
    if quantity not in REFERENCE:
        return _result("invalid", quantity, expression, diagnosis=f"unknown quantity {quantity!r}")
    try:
        student = sp.sympify(expression, locals=SYMBOLS)
    except (sp.SympifyError, SyntaxError, TypeError):
        return _result("invalid", quantity, expression, diagnosis="not a formula")
    reference = sp.sympify(REFERENCE[quantity], locals=SYMBOLS)
    if sp.simplify(student - reference) == 0:
        return _result("equivalent", quantity, expression)
    at = {SYMBOLS[k]: v for k, v in POINT.items()}
    return _result("not equivalent", quantity, expression,
                   counterexample={"point": {k: str(v) for k, v in POINT.items()},
                                   "student": f"{float(student.subs(at)):.6g}",
                                   "correct": f"{float(reference.subs(at)):.6g}"})
