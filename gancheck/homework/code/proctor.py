"""The instructor's tests, run inside the student's sandbox (:mod:`.worker`'s ``tests`` request).

The tests file is ordinary Python — ``def test_shape(student): assert student.forward_gen(...).shape == (4, 2)`` —
and ``student`` is the submission's namespace: its functions, classes and constants, called directly, in the same
process as the student's code and under the same kernel limits. The grader's process only reads the file's syntax
(:mod:`.instructor`); nothing of it runs there. A test passes when it returns; it fails with

* an ``AssertionError`` — its message, or, for a bare ``assert``, the line of the test that failed;
* an exception raised in the student's code — what and where, in the student's file;
* any other exception — the instructor's own bug, with the line of the tests file.

NumPy's global generator is seeded before each test, so a test that draws gets the same draws for every student and
every run. Runs inside the sandbox, so it imports only the standard library and NumPy.
"""
import linecache
import traceback
import types

import numpy as np

TESTS_FILE = "/sandbox/tests/{}"
SEED = 2024


class StudentError(AttributeError):
    """A name the submission does not define."""


class Student:
    """The submission as a test sees it: ``student.name`` is whatever the student's module defines as ``name``."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._namespace:
            raise StudentError(f"the submission defines no {name}")
        return self._namespace[name]


def load(source, name):
    """The instructor's module from its ``source``; its file name is shown in tracebacks and evidence."""
    file = TESTS_FILE.format(name)
    linecache.cache[file] = (len(source), None, source.splitlines(True), file)
    module = types.ModuleType("instructor_tests")
    module.__file__ = file
    exec(compile(source, file, "exec"), module.__dict__)
    return module


def run(module, name, namespace, student_files):
    """``{"passed", "evidence"}`` of the test ``name`` of ``module`` on the submission's ``namespace``."""
    np.random.seed(SEED)
    try:
        getattr(module, name)(Student(namespace))
        return {"passed": True, "evidence": "passed"}
    except BaseException as exc:   # SystemExit too: a student's function may call sys.exit()
        return {"passed": False, "evidence": _evidence(exc, module.__file__, student_files)}


def _evidence(exc, tests_file, student_files):
    frames = traceback.extract_tb(exc.__traceback__)
    theirs = [f for f in frames if f.filename in student_files]
    ours = [f for f in frames if f.filename == tests_file]
    try:
        message = str(exc)[:500]
    except BaseException:   # a student-defined __str__ may itself fail
        message = "(unprintable)"
    line = f"line {ours[-1].lineno} of the tests" if ours else "the tests"
    if isinstance(exc, AssertionError) and not theirs:
        if message:
            return message
        return f"assertion failed: `{(ours[-1].line or '').strip()}` ({line})" if ours else "an assertion failed"
    what = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    if theirs:
        f = theirs[-1]
        return f"your code raises {what} ({f.filename}, line {f.lineno}, in {f.name}; called from {line})"
    return f"{what} ({line})"
