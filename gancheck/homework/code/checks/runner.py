"""Running the checks: a batched screen first, then Hypothesis properties — with fixed settings and a bounded
shrink — for what the screen finds wrong, and the evidence of every verdict.

**Screen.** Each item first meets fixed examples (:func:`..strategies.screening`: every batch size where shapes
break, kinks placed, extreme logits for stability), all sent to the student's sandbox in one request and compared
here. An item that passes them all passes: the checked properties are algebraic (an equality with the reference on
every input), and a correct function is the common case — this is where a grade's time went (Hypothesis generating
and mutating inputs one round trip at a time). An item the screen fails goes on to Hypothesis, which finds and
shrinks its own minimal failing input (the evidence a student reads); should it find none, the screen's failure is
the verdict. Either way nothing passes that the screen or Hypothesis fails.

**Hypothesis.** Settings are pinned (derandomised, no example database, no deadline, quiet) so that a grade is
reproducible: the same submission — script or notebook — gets the same inputs and the same verdicts. A failure is
shrunk to a minimal input within :data:`SHRINK_CALLS` further calls; beyond that budget an unseen input is treated as
passing, so Hypothesis settles on the smallest failure found so far. The budget counts calls, never seconds: a budget
in wall time would let the machine's load decide which inputs are tried, and so which counterexample a report shows.
"""
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis.errors import HypothesisException

from ..session import Unavailable
from . import BudgetSpent, PropertyFailed

SHRINK_CALLS = 200      # further calls of the student's function while shrinking a failure: then the smallest failure
                        # found so far is the one reported
GRADING_PHASES = (Phase.explicit, Phase.generate, Phase.shrink)   # no `explain`: it re-runs the student's code a lot


@dataclass
class Outcome:
    passed: bool
    evidence: str
    example: dict = None


def grading_settings(examples):
    """Fixed, reproducible settings: derandomised, no example database, no deadline, quiet."""
    return settings(parent=settings.get_profile("default"), max_examples=examples, derandomize=True, database=None,
                    deadline=None, suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                    verbosity=Verbosity.quiet, print_blob=False, phases=GRADING_PHASES)


def run_function(check, ctx, hypothesis_settings):
    """``{item: Outcome}`` for every item of ctx's function: the screen, then Hypothesis for the items it fails."""
    items = list(ctx.function.points)
    with np.errstate(all="ignore"):   # the reference meets the student's NaNs and infs: evidence, not noise
        screened = _screen(check, ctx, items)
    return {item: Outcome(True, check.passed(ctx, item)) if item in screened and screened[item] is None
            else run_item(check, ctx, item, hypothesis_settings, screened.get(item)) for item in items}


def _screen(check, ctx, items):
    """``{item: None (passed) or the PropertyFailed}`` for the items that have screening examples."""
    try:
        check.prepare(ctx)
        examples = {item: check.screen(ctx, item) for item in items}
        batch = {id(e): e for found in examples.values() if found for e in found}
        if batch:
            ctx.prefetch(list(batch.values()))
    except Unavailable:
        return {}
    verdicts = {}
    for item, found in examples.items():
        if not found:
            continue
        try:
            for example in found:
                try:
                    check.verify(ctx, item, example)
                except PropertyFailed as failure:
                    failure.example = example
                    raise
            verdicts[item] = None
        except PropertyFailed as failure:
            verdicts[item] = failure
        except Unavailable:
            pass   # Hypothesis meets the same dead process at once, and says so
    return verdicts


def run_item(check, ctx, item, hypothesis_settings, screened=None):
    """Run one item of ``check`` on ctx's function: an :class:`Outcome` with its evidence (``screened``: the failure
    the screen found, the verdict if Hypothesis finds none of its own)."""
    with np.errstate(all="ignore"):  # the reference meets the student's NaNs and infs: that is evidence, not noise
        outcome = _run_item(check, ctx, item, hypothesis_settings)
        if outcome.passed and screened is not None:
            return _failed(check, ctx, item, screened)
        return outcome


def _failed(check, ctx, item, failure):
    ctx.calls_left = None
    evidence = str(failure)
    if failure.example is not None:
        evidence = f"fails for {describe_example(failure.example, ctx)}: {evidence}"
    try:
        more = check.probe(ctx, item, failure)
    except (PropertyFailed, Unavailable):
        more = None
    return Outcome(False, evidence + (f"; {more}" if more else ""), failure.example)


def _run_item(check, ctx, item, hypothesis_settings):
    try:
        check.prepare(ctx)
        strategy = check.strategy(ctx, item)
        if strategy is None:
            check.verify(ctx, item, None)
        else:
            ctx.calls_left = hypothesis_settings.max_examples + SHRINK_CALLS

            @hypothesis_settings
            @given(strategy)
            def prop(example):
                try:
                    check.verify(ctx, item, example)
                except PropertyFailed as failure:
                    failure.example = example
                    raise
                except BudgetSpent:
                    return

            prop()
    except PropertyFailed as failure:
        return _failed(check, ctx, item, failure)
    except Unavailable as gone:
        return Outcome(False, gone.reason)
    except HypothesisException as exc:   # e.g. Flaky: the same input judged twice, differently — never expected
        return Outcome(False, f"the check could not reach a verdict ({type(exc).__name__}); please report it")
    finally:
        ctx.calls_left = None
    return Outcome(True, check.passed(ctx, item))


SHOWN_ROLES = ("D.x", "D.t", "D.z", "D.g")   # data, not weights: what makes a failing input readable


def describe_example(example, ctx):
    """``N = 1, z = [0.], t = [1.]``: the batch size and the small data arrays (the whole input is in the JSON)."""
    N = example.get("N")
    for role, value in example.items():
        if N is None and ctx.assignment.shapes.get(role, ())[:1] == ("N",):
            N = np.shape(value)[0]
    parts = []
    for role in SHOWN_ROLES:
        if role in example:
            array = np.asarray(example[role])
            if array.size <= 4:
                text = np.array2string(array, precision=4, separator=", ", max_line_width=10**6).replace("\n", "")
                parts.append(f"{ctx.names.get(role, role)} = {text}")
    return ", ".join(([f"N = {N}"] if N is not None else []) + parts)
