"""Per-function checks: Hypothesis properties of a student's function, each compared with the reference in the
grader's process.

A *check* (one class per kind of reference) declares the roles it takes and returns and its items (``{name: title}``);
for each item it gives a Hypothesis strategy of inputs and a ``verify`` that raises :class:`PropertyFailed` with the
reason. :func:`run_item` runs the property: the inputs come from the strategy, a failure is shrunk to a minimal input
(bounded by :data:`SHRINK_CALLS` further calls), then the check may ``probe`` the function at fixed inputs to say more
(how an error scales with N). The same checks back the student-facing :mod:`..pytest_suite`.
"""
import time
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, settings

from .... import GancheckError
from ..session import Unavailable, describe_error

SHRINK_CALLS = 200      # further calls of the student's function while shrinking a failure …
SHRINK_SECONDS = 3.0    # … and further wall time: then the smallest failure found so far is the one reported
GRADING_PHASES = (Phase.explicit, Phase.generate, Phase.shrink)   # no `explain`: it re-runs the student's code a lot


class PropertyFailed(AssertionError):
    """A property does not hold; the message is the reason, in the student's names."""

    example = None


class _BudgetSpent(Exception):
    """No calls left for shrinking: an unseen input is treated as passing, so Hypothesis keeps the failure it has."""


@dataclass
class Outcome:
    passed: bool
    evidence: str
    example: dict = None


class Context:
    """A function under test: the session that runs it, its spec, the assignment, and state shared by its checks."""

    def __init__(self, session, function, assignment):
        self.session, self.function, self.assignment = session, function, assignment
        self.names, self.state, self.mutated = function.names(), {}, None
        self.calls_left = self.shrink_deadline = None   # set while a property runs

    def call(self, example):
        args = [example[role] for role in self.function.params]
        if self.calls_left is not None:
            spent = self.calls_left <= 0 or time.monotonic() > (self.shrink_deadline or float("inf"))
            if spent and not self.session.has(self.function.name, args):
                raise _BudgetSpent
            self.calls_left -= 1
        call = self.session.call(self.function.name, args)
        for role, sent, after in zip(self.function.params, args, call.after):
            if after is not None and self.mutated is None and not np.array_equal(sent, after):
                self.mutated = self.names[role]
        return call

    def results(self, call):
        """``{role: array}`` of what the call returned; an exception or a wrong number of values fails."""
        if not call.ok:
            raise PropertyFailed(f"raises {describe_error(call.error, self.session.program)}")
        roles = self.function.returns
        values = call.value if len(roles) > 1 else [call.value]
        if len(roles) > 1 and (not isinstance(values, list) or len(values) != len(roles)):
            count = f"{len(values)} values" if isinstance(values, list) else "one value"
            raise PropertyFailed(f"returns {count}, expected {len(roles)}: ({', '.join(map(self.names.get, roles))})")
        out = {}
        for role, value in zip(roles, values):
            if isinstance(value, dict):
                raise PropertyFailed(f"returns {value.get('__unsupported__', 'an object')} as {self.names[role]}")
            if isinstance(value, list):
                value = _list_as_array(value, self.names[role])
            out[role] = np.asarray(value, dtype=float)
        return out

    def shaped(self, role, value, N):
        """``value`` checked against the role's declared shape (a scalar may come as any size-1 array)."""
        expected = self.assignment.shape(role, N)
        if expected == () and value.size == 1:
            return value.reshape(())
        if value.shape != expected:
            transposed = " (the transpose)" if value.shape == expected[::-1] and value.ndim == 2 else ""
            raise PropertyFailed(f"{self.names[role]} has shape {value.shape}{transposed}, expected {expected}")
        return value


def _list_as_array(value, name):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise PropertyFailed(f"returns a ragged list as {name}") from None


class Check:
    """Base of the checks. Subclasses set ``params``, ``returns``, ``items`` and implement ``verify``."""

    params, returns, items = (), (), {}

    def validate(self, function, shapes):
        for what, mine, theirs in (("params", function.params, self.params), ("returns", function.returns,
                                                                              self.returns)):
            if sorted(mine) != sorted(theirs):
                raise GancheckError(f"{function.name}: {what} must be the roles {sorted(theirs)} in your order, "
                                    f"got {list(mine)}")
        if set(function.points) != set(self.items):
            raise GancheckError(f"{function.name}: points must be given for {sorted(self.items)}, "
                                f"got {sorted(function.points)}")
        missing = [r for r in function.params + function.returns if r not in shapes
                   and r not in ("N", "latent_dim", "mask")]
        if missing:
            raise GancheckError(f"{function.name}: no shape for {missing}")

    def strategy(self, ctx, item):
        """Inputs for ``item``; ``None`` for an item checked once, at fixed inputs."""
        from ..strategies import inputs

        return inputs(ctx.assignment, ctx.function)

    def prepare(self, ctx):
        """Work shared by the items (e.g. recovering a learning rate), before the first property runs."""

    def verify(self, ctx, item, example):
        raise NotImplementedError

    def probe(self, ctx, item, failure):
        """More evidence after a failure (at fixed inputs); a phrase or ``None``."""
        return None

    def passed(self, ctx, item):
        return self.items[item]


def grading_settings(examples):
    """Fixed, reproducible settings: derandomised, no example database, no deadline, quiet."""
    return settings(parent=settings.get_profile("default"), max_examples=examples, derandomize=True, database=None,
                    deadline=None, suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                    verbosity=Verbosity.quiet, print_blob=False, phases=GRADING_PHASES)


def run_item(check, ctx, item, hypothesis_settings):
    """Run one item of ``check`` on ctx's function: an :class:`Outcome` with its evidence."""
    with np.errstate(all="ignore"):  # the reference meets the student's NaNs and infs: that is evidence, not noise
        return _run_item(check, ctx, item, hypothesis_settings)


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
                    ctx.shrink_deadline = ctx.shrink_deadline or time.monotonic() + SHRINK_SECONDS
                    raise
                except _BudgetSpent:
                    return

            prop()
    except PropertyFailed as failure:
        ctx.calls_left = ctx.shrink_deadline = None
        evidence = str(failure)
        if failure.example is not None:
            evidence = f"fails for {describe_example(failure.example, ctx)}: {evidence}"
        try:
            more = check.probe(ctx, item, failure)
        except (PropertyFailed, Unavailable):
            more = None
        return Outcome(False, evidence + (f"; {more}" if more else ""), failure.example)
    except Unavailable as gone:
        return Outcome(False, gone.reason)
    finally:
        ctx.calls_left = ctx.shrink_deadline = None
    return Outcome(True, check.passed(ctx, item))


SHOWN_ROLES = ("D.x", "D.t", "D.z", "D.g")   # data, not weights: what makes a failing input readable


def describe_example(example, ctx):
    """``N = 1, z = [0.], t = [1.]``: the batch size and the small data arrays; the whole input is in the JSON report."""
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


def _kinds():
    from .forward import ForwardCheck
    from .samplers import LatentPointsCheck, RealSamplesCheck
    from .steps import StepCheck
    from .values import LossCheck, ReLUDerivativeCheck

    return {"bce_loss": LossCheck(), "relu_derivative": ReLUDerivativeCheck(), "discriminator_forward":
            ForwardCheck("D"), "generator_forward": ForwardCheck("G"), "discriminator_step": StepCheck("D"),
            "generator_step": StepCheck("G"), "real_samples": RealSamplesCheck(), "latent_points": LatentPointsCheck()}


KINDS = _kinds()
