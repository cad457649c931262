"""Hostile formulas are refused by the whitelisting parsers without anything being executed.

Each string below would create (or point at) a canary file if it were evaluated by Python, by SymPy's ``sympify``/
``parse_expr`` or by a TeX engine. The proof that nothing ran: the canary never appears; ``eval``/``exec``/
``os.system`` are replaced by tripwires while parsing; a whole sheet of them never reaches a decision; and the parent
process of ``gancheck check-sheet`` never parses a formula at all (it does not even import SymPy).
"""
import json
import sys
import builtins
import os
import subprocess

import pytest

from gancheck.homework.formulas import catalogue, decide, references
from gancheck.homework.formulas.engine import check_sheet, in_process
from gancheck.homework.formulas.judge import parse_answer
from gancheck.homework.formulas.latex import parse_latex
from gancheck.homework.formulas.sheet import sheet_from_data
from gancheck.homework.formulas.vocabulary import ParseError

CANARY = "CANARY_PATH"  # replaced by a real temporary path in each test

PYTHON_ATTACKS = [
    "__import__('os').system('touch CANARY_PATH')",
    '__import__("subprocess").call(["touch", "CANARY_PATH"])',
    "open('CANARY_PATH', 'w').write('x')",
    "open('CANARY_PATH', 'w')",
    "exec(\"open('CANARY_PATH', 'w')\")",
    "eval(\"open('CANARY_PATH', 'w')\")",
    "compile(\"open('CANARY_PATH', 'w')\", 'f', 'exec')",
    "(lambda: open('CANARY_PATH', 'w'))()",
    "lambda: 0",
    "[open('CANARY_PATH', 'w') for _ in 'x']",
    "{open('CANARY_PATH', 'w')}",
    "{'k': open('CANARY_PATH', 'w')}",
    "(open('CANARY_PATH', 'w') for _ in 'x')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__mro__",
    "D.x_bar.__globals__",
    "D.__class__",
    "sigmoid.__globals__['__builtins__']",
    "log(x).__class__",
    "getattr(x, '__class__')",
    "globals()",
    "locals()",
    "vars()",
    "dir()",
    "__builtins__",
    "__builtins__['open']('CANARY_PATH', 'w')",
    "x if open('CANARY_PATH', 'w') else z",
    "(y := open('CANARY_PATH', 'w'))",
    "f\"{open('CANARY_PATH', 'w')}\"",
    "'CANARY_PATH'",
    "b'CANARY_PATH'",
    "breakpoint()",
    "exit()",
    "input()",
    "print('CANARY_PATH')",
    "type(x)",
    "sympify(\"open('CANARY_PATH', 'w')\")",
    "parse_expr(\"open('CANARY_PATH', 'w')\")",
    "Symbol('x')",
    "Function('f')(x)",
    "Lambda(x, x)",
    "S('open')",
    "N(open('CANARY_PATH', 'w'))",
    "h(open('CANARY_PATH', 'w'))",
    "exp(open('CANARY_PATH', 'w'))",
    "exp(x, open('CANARY_PATH', 'w'))",
    "os.system('touch CANARY_PATH')",
    "sys.modules",
    "x.__dict__",
    "x[0]",
    "x[open('CANARY_PATH', 'w')]",
    "*x",
    "x @ y",
    "x << 2",
    "~x",
    "not x",
    "x and open('CANARY_PATH', 'w')",
    "1j",
    "None",
    "True",
    "...",
    "import os",
    "x; import os",
    "x\nimport os",
    "await x",
    "(yield x)",
    "9**9**9**9",
    "10**10**10",
    "2**999999",
    "x**(10**6)",
    "((x + 1)**16)**16",
    "1e999",
    "99999999999999999999999",
    "(" * 200 + "x" + ")" * 200,
    "-" * 500 + "x",
    "x+" * 600 + "x",
    "x" * 5000,
]

LATEX_ATTACKS = [
    r"\input{CANARY_PATH}",
    r"\include{CANARY_PATH}",
    r"\write18{touch CANARY_PATH}",
    r"\immediate\write18{touch CANARY_PATH}",
    r"\openout1=CANARY_PATH",
    r"\directlua{os.execute('touch CANARY_PATH')}",
    r"\def\x{\input{CANARY_PATH}}\x",
    r"\newcommand{\x}{\input{CANARY_PATH}}",
    r"\csname input\endcsname{CANARY_PATH}",
    r"\catcode`\{=1",
    r"\usepackage{CANARY_PATH}",
    r"\expandafter\input{CANARY_PATH}",
    r"\frac{\input{CANARY_PATH}}{1}",
    r"\sqrt[\write18{touch CANARY_PATH}]{x}",
    r"\mathbb{1}[\input{CANARY_PATH} > 0]",
    r"\bar{\input{CANARY_PATH}}",
    r"\operatorname{open}(x)",
    "{" * 200 + "x" + "}" * 200,
    r"\exp" * 200 + "x",
    r"\sqrt" * 150 + "x",
    r"\sigma'" * 100 + "(z)",
]


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "canary"
    yield path
    assert not path.exists(), "a refused formula was executed"


def _attacks(canary_path, attacks=PYTHON_ATTACKS + LATEX_ATTACKS):
    return [a.replace(CANARY, str(canary_path)) for a in attacks]


def test_there_are_at_least_fifty_attacks():
    assert len(PYTHON_ATTACKS) + len(LATEX_ATTACKS) >= 50


@pytest.fixture
def tripwires(monkeypatch):
    """eval/exec of *text*, os.system and subprocesses raise if anything calls them while the parsers run. (exec of
    a compiled code object passes: that is how Python's import system runs a lazily imported SymPy module.)"""
    calls = []

    def tripwire(name, original=None):
        def fired(*args, **kwargs):
            if original is not None and args and not isinstance(args[0], (str, bytes)):
                return original(*args, **kwargs)
            calls.append(name)
            raise AssertionError(f"{name} was called")
        return fired

    for module, name in ((builtins, "eval"), (builtins, "exec")):
        monkeypatch.setattr(module, name, tripwire(name, getattr(module, name)))
    for module, name in ((os, "system"), (os, "popen"), (subprocess, "Popen"), (subprocess, "run")):
        monkeypatch.setattr(module, name, tripwire(name))
    return calls


@pytest.mark.parametrize("syntax,attacks", [("auto", PYTHON_ATTACKS + LATEX_ATTACKS), ("python", PYTHON_ATTACKS),
                                             ("latex", LATEX_ATTACKS)])
def test_every_attack_is_refused_with_a_column_and_nothing_runs(canary, tripwires, syntax, attacks):
    names = references.names("D.W_bar")
    for attack in _attacks(canary, attacks):
        with pytest.raises(ParseError) as info:
            parse_answer(attack, names, syntax)
        message = str(info.value)
        assert info.value.column >= 1 and f"at column {info.value.column}" in message and "\n" not in message
    assert tripwires == []


def test_python_attacks_fed_to_the_latex_parser_run_nothing_either(canary, tripwires):
    """A few Python attacks are harmless LaTeX (``x[0]`` is x·[0]): read or refused, nothing executes."""
    names = references.names("G.g_bar")
    harmless = 0
    for attack in _attacks(canary, PYTHON_ATTACKS):
        try:
            parse_latex(attack, names)
            harmless += 1
        except ParseError:
            pass
    assert tripwires == [] and harmless <= 3


def test_a_sheet_of_attacks_is_all_invalid_and_never_reaches_a_decision(canary, monkeypatch):
    quantities = list(catalogue.entries())
    answers = {quantities[i % len(quantities)]: a for i, a in enumerate(_attacks(canary)[:len(quantities)])}
    decisions = []
    monkeypatch.setattr(decide, "compare", lambda *args, **kwargs: decisions.append(args))
    result = check_sheet(sheet_from_data({"answers": answers}), judge=in_process())
    assert [v.status for v in result.verdicts] == ["invalid"] * len(answers)
    assert all("at column" in v.notes[0] for v in result.verdicts)
    assert decisions == [] and result.score == 0


def test_the_parent_never_parses_a_formula(tmp_path, canary):
    """``gancheck check-sheet`` in a fresh process: the verdicts arrive (from the child) while the parent has not
    imported SymPy, nor any of the parsers — nothing in it could have read the student's text."""
    sheet = tmp_path / "attacks.toml"
    lines = ["[answers]", 'D.z_bar = "(y - t)/N"'] + [
        f"{q} = {json.dumps(a)}" for q, a in zip([q for q in catalogue.entries() if q != "D.z_bar"], _attacks(canary))]
    sheet.write_text("\n".join(lines) + "\n")
    code = ("import sys, json\nfrom gancheck.cli import main\nstatus = main(['check-sheet', sys.argv[1], '--format', "
            "'json'])\nloaded = [m for m in sys.modules if m.startswith(('sympy', 'gancheck.homework.formulas.'))]\n"
            "print(json.dumps({'status': status, 'loaded': loaded}), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, str(sheet)], capture_output=True, text=True, timeout=120)
    report, parent = json.loads(out.stdout), json.loads(out.stderr.strip().splitlines()[-1])
    statuses = {v["quantity"]: v["status"] for v in report["verdicts"]}
    assert parent["status"] == 1 and statuses.pop("D.z_bar") == "equivalent" and set(statuses.values()) == {"invalid"}
    assert not any(m.startswith("sympy") for m in parent["loaded"])
    assert not {"pysyntax", "latex", "vocabulary", "judge", "decide", "numeric", "exact"} & {
        m.rsplit(".", 1)[-1] for m in parent["loaded"]}
