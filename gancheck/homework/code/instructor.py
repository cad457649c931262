"""An instructor's own tests: plain Python/pytest functions that receive the student's callables, with points and
visibility from the assignment's ``[[tests]]`` table, turned into report items.

A tests file is ordinary Python — ``def test_generator_shape(student): assert student.forward_gen(...).shape == …``
— where ``student`` gives attribute access to the submission's callables (in the grader, proxies that run in the
sandbox: the instructor's code is trusted, the student's is not). Discovery reads the file's ``test_*`` functions;
every ``[[tests]]`` entry must name one of them (:class:`..spec.AssignmentError` otherwise). A test passes when it
returns without raising; an ``AssertionError``'s message (or pytest's) is the evidence, shown unless ``hidden``.
"""
import importlib.util
import traceback
from pathlib import Path
from types import SimpleNamespace

from .report import Item
from .spec.model import AssignmentError


def discover(path):
    """``{name: function}`` of the ``test_*`` functions of the instructor's tests file ``path``."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(f"gancheck_instructor_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise AssignmentError(f"{path}: the instructor's tests do not load ({type(exc).__name__}: {exc})") from None
    return {name: f for name, f in vars(module).items() if name.startswith("test_") and callable(f)}


def run_tests(tests, found, callables):
    """Report items for the assignment's ``tests`` (``spec.Test``), run on ``callables`` (name → callable)."""
    missing = [t.name for t in tests if t.name not in found]
    if missing:
        raise AssignmentError(f"tests: no function {', '.join(missing)} in the instructor's tests file")
    student, items = SimpleNamespace(**callables), []
    for test in tests:
        try:
            found[test.name](student)
            passed, evidence = True, "passed"
        except AssertionError as exc:
            passed, evidence = False, str(exc) or "an assertion failed"
        except Exception as exc:     # the student's code raising inside the instructor's test
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            passed, evidence = False, f"{type(exc).__name__}: {exc} (line {frame.lineno})"
        items.append(Item("instructor", test.name, found[test.name].__doc__ or test.name,
                          test.points if passed else 0.0, test.points, passed, evidence, hidden=test.hidden))
    return items
