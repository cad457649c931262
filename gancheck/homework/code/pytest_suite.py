"""The grader's checks as your own pytest suite: run them before handing in.

Put this file next to your notebook or script (here ``my_gan.ipynb``)::

    # test_my_gan.py
    from gancheck.homework.code.pytest_suite import checks_for

    globals().update(checks_for("my_gan.ipynb"))

and run ``pytest test_my_gan.py``. There is one test per check — ``test_loss_stable_value``,
``test_grad_decent_dis_step``, … — each a Hypothesis property over the grader's own strategies
(:mod:`gancheck.homework.code.strategies`) and properties (:mod:`gancheck.homework.code.checks`), run against your
functions in the same sandbox as the grader's (your training loop does not run). A failure shows Hypothesis'
minimal falsifying example and the grader's explanation. Your Hypothesis settings apply (``max_examples``,
``--hypothesis-seed``, profiles); the grader itself uses fixed, derandomised settings.
"""
import atexit
from pathlib import Path

import numpy as np
from hypothesis import given, settings

from .assignment import load_assignment
from .checks import KINDS, Context
from ..isolation import sandbox as isolation
from .session import Session, Unavailable
from .source import load_program


class _Submission:
    """One sandbox for all the tests of a file, started at the first test and closed at exit."""

    def __init__(self, path, assignment):
        self.path, self.assignment, self.session, self.contexts = Path(path), assignment, None, {}

    def context(self, function):
        if self.session is None:
            isolation.fallback()   # a student's own file on their own machine: run it even without bubblewrap
            self.session = Session(load_program(self.path), self.assignment.limits)
            atexit.register(self.session.close)
            self.session.load()
        if function.name not in self.session.callables:
            raise AssertionError(f"{function.name} is not defined in {self.path.name}")
        return self.contexts.setdefault(function.name, Context(self.session, function, self.assignment))


def _test(submission, function, item):
    check, name = KINDS[function.reference], f"test_{function.name}_{item}"

    def prop(example):
        check.verify(submission.contexts[function.name], item, example)

    prop.__name__ = prop.__qualname__ = name   # Hypothesis keys its example database by the test's name

    def test():
        ctx = submission.context(function)
        try:
            with np.errstate(all="ignore"):
                check.prepare(ctx)
                strategy = check.strategy(ctx, item)
                if strategy is None:
                    check.verify(ctx, item, None)
                else:
                    # each example is a round trip to the sandbox: Hypothesis' 200 ms deadline would fail a
                    # correct submission on a busy machine (seen: 251 ms); the sandbox has its own limits
                    given(strategy)(settings(deadline=None)(prop))()
        except Unavailable as gone:   # a BaseException: turn it into an ordinary test failure
            raise AssertionError(gone.reason) from None

    test.__name__ = name
    test.__doc__ = f"{function.signature}: {check.items[item]}"
    return test


def checks_for(path, assignment=None):
    """``{test name: test function}`` for every check of the assignment, against the submission at ``path``."""
    assignment = load_assignment(assignment) if not hasattr(assignment, "functions") else assignment
    submission = _Submission(path, assignment)
    tests = {}
    for function in assignment.functions:
        for item in function.points:
            test = _test(submission, function, item)
            tests[test.__name__] = test
    return tests
