"""An instructor's own tests: plain Python/pytest functions that receive the student's code, with points and
visibility from the assignment's ``[[tests]]`` table, turned into report items.

A tests file is ordinary Python — ``def test_generator_shape(student): assert student.forward_gen(...).shape == …``,
``pytest.approx`` and ``pytest.raises`` allowed. It runs **inside the student's sandbox** (:mod:`.proctor`), in the
student's process: ``student.name`` is the submission's own function or class, called directly. The grader's process
never runs it: it reads the file's syntax only — that it parses, which ``test_*`` functions it defines, that what it
imports is installed (those packages are shown in the sandbox). Every ``[[tests]]`` entry must name one of its
functions (:class:`..spec.AssignmentError` otherwise).

What comes back is a verdict and a text per test, checked like any reply (:mod:`.replies`). Since the test shares a
process with the student's code, a student's function that rewrites the test's frame can forge *its own* test's
verdict, as it could print a pass in any in-process test harness: the assignment's behavioural checks, whose verdicts
the grader computes from returned data, are the part a hostile submission cannot forge.
"""
import ast
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from .report import Item
from .spec.model import AssignmentError

PYTEST = ("pytest", "_pytest", "pluggy", "iniconfig", "py", "pygments")   # what `import pytest` loads
MAX_EVIDENCE = 2000   # characters of a test's evidence kept (it comes from the sandbox)


@dataclass(frozen=True)
class Tests:
    declared: tuple      # the assignment's spec.model.Test entries
    source: str          # the tests file's text, sent to the sandbox
    file: str            # its name, as tracebacks show it
    docs: dict           # name → the test's docstring (its title in the report)
    packages: tuple      # what the file imports beyond the standard library (shown in the sandbox)


def _broken(path, why):
    return AssignmentError(f"{path}: the instructor's tests do not load ({why})")


def _imports(tree, path):
    """The top-level names of everything the file imports beyond the standard library, each checked installed."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    outside = sorted(n for n in names if n not in sys.stdlib_module_names)
    for name in outside:
        if importlib.util.find_spec(name) is None:
            raise _broken(path, f"ModuleNotFoundError: no module named {name!r}")
        if name == "gancheck":
            raise _broken(path, "they may not import gancheck: the sandbox holds none of the grader")
    pytest = [p for p in PYTEST if importlib.util.find_spec(p) is not None]   # what this pytest version has
    return tuple(dict.fromkeys(p for n in outside for p in (pytest if n == "pytest" else (n,))))


def discover(path):
    """``(tree, {name: docstring})`` of the instructor's tests file ``path``: its top-level ``test_*`` functions,
    read from its syntax (nothing of it runs here)."""
    path = Path(path)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as exc:
        raise _broken(path, f"SyntaxError: {exc.msg}, line {exc.lineno}") from None
    except (UnicodeDecodeError, ValueError, RecursionError, MemoryError) as exc:
        raise _broken(path, f"{type(exc).__name__}: {str(exc)[:200]}") from None
    found = {node.name: ast.get_docstring(node) for node in tree.body
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")}
    return tree, found


def load(assignment, path):
    """The instructor's tests of ``assignment`` from the file ``path``, every declared test found there."""
    if not assignment.tests:
        raise AssignmentError(f"{assignment.source}: declares no [[tests]] (name each test of {Path(path).name} "
                              "with its points there)")
    tree, found = discover(path)
    packages = _imports(tree, path)
    missing = [t.name for t in assignment.tests if t.name not in found]
    if missing:
        raise AssignmentError(f"tests: no function {', '.join(missing)} in the instructor's tests file {path}")
    return Tests(assignment.tests, Path(path).read_text(encoding="utf-8"), Path(path).name, found, packages)


def run_tests(tests, session, unavailable=None):
    """Report items for the instructor's ``tests`` (:class:`Tests`), run in ``session``'s sandbox."""
    names = [t.name for t in tests.declared]
    if unavailable:
        results = [(False, unavailable)] * len(names)
    else:
        results = session.run_tests(tests.source, tests.file, names)
    return [Item("instructor", test.name, (tests.docs.get(test.name) or test.name).splitlines()[0],
                 test.points if passed else 0.0,
                 test.points, passed, evidence[:MAX_EVIDENCE], hidden=test.hidden)
            for test, (passed, evidence) in zip(tests.declared, results)]
