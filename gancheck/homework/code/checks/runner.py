"""Running the checks: every item meets fixed, seeded examples, all sent to the student's sandbox in one request, and
the first failure — the smallest batch that shows it, made readable — is the evidence of the verdict.

The examples (:func:`..strategies.screening`) cover every batch size where shapes break — the smallest, 2, 3, a few
in between, the largest — with hidden units placed within 1e-9 of the ReLU's kink and, for the stability items,
logits beyond ±710, as many as the assignment's ``limits.examples`` spread over those sizes. The checked properties
are algebraic (an equality with the reference on every input), so a function that meets them all passes. The
examples are ordered by batch size, so the first failure is at the smallest batch that shows it; its labels and
logits are then replaced by zeros, or else its data arrays rounded to one decimal, where the item still fails, so
that a student reads ``z = [0., 9.2]`` rather than sixteen digits — a few more calls, and the evidence is still a
real failure.

Nothing here depends on time or on the machine's load: the same submission, script or notebook, gets the same inputs,
the same verdicts and the same evidence, byte for byte. (Hypothesis, which once generated and shrank inputs here one
round trip at a time, took most of a grade's time and, under a budget of seconds, let the load decide which
counterexample a report showed; it still drives the student-facing suite, :mod:`..pytest_suite`.)
"""
from dataclasses import dataclass

import numpy as np

from ..session import Unavailable
from . import PropertyFailed


@dataclass
class Outcome:
    passed: bool
    evidence: str
    example: dict = None


def run_function(check, ctx):
    """``{item: Outcome}`` for every item of ctx's function."""
    items = list(ctx.function.points)
    with np.errstate(all="ignore"):   # the reference meets the student's NaNs and infs: evidence, not noise
        try:
            check.prepare(ctx)
            examples = {item: check.screen(ctx, item) for item in items}
            batch = {id(e): e for found in examples.values() if found for e in found}
            if batch:
                ctx.prefetch(list(batch.values()))
        except Unavailable as gone:
            return {item: Outcome(False, gone.reason) for item in items}
        return {item: _run_item(check, ctx, item, examples[item]) for item in items}


def _run_item(check, ctx, item, examples):
    try:
        if not examples:          # an item checked once, at fixed inputs
            check.verify(ctx, item, None)
        for example in examples or ():
            try:
                check.verify(ctx, item, example)
            except PropertyFailed as failure:
                failure.example = example
                raise
    except PropertyFailed as failure:
        extreme = examples is not None and examples is ctx.state.get(("screen", True))
        return _failed(check, ctx, item, _readable(check, ctx, item, failure, extreme))
    except Unavailable as gone:
        return Outcome(False, gone.reason)
    return Outcome(True, check.passed(ctx, item))


def _readable(check, ctx, item, failure, extreme):
    """``failure`` at a simpler input where the item still fails with it: labels and logits replaced by zeros, else
    every shown data array rounded to one decimal (an ``extreme`` example keeps its large logits: they are the point;
    a batch ``x`` is never zeroed: a weight's gradient would vanish with it, and the diagnosis with it)."""
    for role in SHOWN_ROLES if failure.example is not None else ():
        value = failure.example.get(role)
        if not isinstance(value, np.ndarray):
            continue
        zeros = [] if extreme or role not in ZEROED else [np.zeros_like(value)]
        for simpler in zeros + [np.round(value, 1) + 0.0]:   # + 0.0: no -0.
            if np.array_equal(simpler, value):
                continue
            trial = dict(failure.example, **{role: simpler})
            try:
                check.verify(ctx, item, trial)
            except PropertyFailed as simplest:
                simplest.example, failure = trial, simplest
                break
            except Unavailable:
                return failure
    return failure


def _failed(check, ctx, item, failure):
    evidence = str(failure)
    if failure.example is not None:
        evidence = f"fails for {describe_example(failure.example, ctx)}: {evidence}"
    try:
        more = check.probe(ctx, item, failure)
    except (PropertyFailed, Unavailable):
        more = None
    return Outcome(False, evidence + (f"; {more}" if more else ""), failure.example)


SHOWN_ROLES = ("D.x", "D.t", "D.z", "D.g")   # data, not weights: what makes a failing input readable
ZEROED = ("D.t", "D.z")                     # … and what may become zeros


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
