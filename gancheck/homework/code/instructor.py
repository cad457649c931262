"""An instructor's own tests: plain Python/pytest functions that receive the student's callables, with points and
visibility from the assignment's ``[[tests]]`` table, turned into report items.

A tests file is ordinary Python — ``def test_generator_shape(student): assert student.forward_gen(...).shape == …``.
It is the instructor's, so it runs in the grader's process; ``student`` gives attribute access to the submission's
module-level callables as *proxies*: each call runs in the student's sandbox (the same session as the other checks)
and returns plain data — arrays, numbers, lists — or raises :class:`StudentError` with the student's exception. A
test passes when it returns without raising; an ``AssertionError``'s message (or pytest's) is the evidence, kept
from the student while the test is ``hidden``. Discovery reads the file's ``test_*`` functions; every ``[[tests]]``
entry must name one of them (:class:`..spec.AssignmentError` otherwise).
"""
import importlib.util
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .report import Item
from .session import Unavailable, call_plan, describe_error
from .spec.model import AssignmentError


class StudentError(Exception):
    """The student's function raised (or could not run): the message says what and where."""


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


@dataclass(frozen=True)
class Tests:
    declared: tuple      # the assignment's spec.model.Test entries
    found: dict          # name → the instructor's function


def load(assignment, path):
    """The instructor's tests of ``assignment`` from the file ``path``, every declared test found there."""
    if not assignment.tests:
        raise AssignmentError(f"{assignment.source}: declares no [[tests]] (name each test of {Path(path).name} "
                              "with its points there)")
    found = discover(path)
    missing = [t.name for t in assignment.tests if t.name not in found]
    if missing:
        raise AssignmentError(f"tests: no function {', '.join(missing)} in the instructor's tests file {path}")
    return Tests(assignment.tests, found)


def _wireable(value):
    """The instructor's argument as plain data (NumPy scalars as Python numbers)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_wireable(v) for v in value]
    return value


class Student:
    """The submission as a test sees it: ``student.name(*args, **kwargs)`` runs ``name`` in the sandbox."""

    def __init__(self, session):
        self._session = session

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._session.callables:
            raise StudentError(f"the submission defines no {name}")

        def proxy(*args, **kwargs):
            inputs = {f"arg{i}": _wireable(a) for i, a in enumerate(args)}
            inputs.update({f"kw_{k}": _wireable(v) for k, v in kwargs.items()})
            try:
                (run,) = self._session.run(call_plan(name, len(args), kwargs, after=False), [inputs],
                                              memo=False)
            except Unavailable as gone:   # a BaseException: an ordinary failure of this test instead
                raise StudentError(gone.reason) from None
            if not run.ok:
                raise StudentError(f"{name} raises {describe_error(run.error, self._session.program)}")
            return run.value
        proxy.__name__ = name
        return proxy


def run_tests(tests, session, unavailable=None):
    """Report items for the instructor's ``tests`` (:class:`Tests`) on the submission of ``session``."""
    student, items = Student(session), []
    for test in tests.declared:
        function = tests.found[test.name]
        if unavailable:
            passed, evidence = False, unavailable
        else:
            try:
                function(student)
                passed, evidence = True, "passed"
            except AssertionError as exc:
                passed, evidence = False, str(exc) or "an assertion failed"
            except Exception as exc:     # the student's code failing inside the instructor's test, or the test
                frames = [f for f in traceback.extract_tb(exc.__traceback__)
                          if f.filename == function.__code__.co_filename] or traceback.extract_tb(exc.__traceback__)
                passed, evidence = False, f"{type(exc).__name__}: {exc} (line {frames[-1].lineno})"
        items.append(Item("instructor", test.name, function.__doc__ or test.name, test.points if passed else 0.0,
                          test.points, passed, evidence, hidden=test.hidden))
    return items
