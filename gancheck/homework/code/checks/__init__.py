"""Per-function checks: properties of a student's function, each compared with the reference in the grader's
process.

A *check* (one class per kind of reference, :data:`KINDS`) declares the roles it takes and returns and its items
(``{name: title}``); for each item it gives the fixed examples it meets (``screen``), a Hypothesis strategy of the
same kind of inputs (``strategy``, for the student-facing :mod:`..pytest_suite`) and a ``verify`` that raises
:class:`PropertyFailed` with the reason, in the student's own names. :mod:`.runner` runs them (then lets the check
``probe`` a failure for more evidence). A :class:`Context` is the function under test, as the checks see it.
"""

import numpy as np

from .... import GancheckError
from ..session import call_plan, describe_error


class PropertyFailed(AssertionError):
    """A property does not hold; the message is the reason, in the student's names."""

    example = None


class Context:
    """A function under test: the session that runs it, its spec, the assignment, and state shared by its checks."""

    def __init__(self, session, function, assignment):
        self.session, self.function, self.assignment = session, function, assignment
        self.names, self.state, self.mutated = function.names(), {}, None
        self.plan = call_plan(function.name, len(function.params))

    def _inputs(self, example):
        return {f"arg{i}": example[role] for i, role in enumerate(self.function.params)}

    def prefetch(self, examples):
        """Run the function on all ``examples`` in one request (their results are memoised for :meth:`call`)."""
        self.session.run(self.plan, [self._inputs(e) for e in examples])

    def call(self, example):
        args, inputs = [example[role] for role in self.function.params], self._inputs(example)
        call = self.session.run(self.plan, [inputs])[0]
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
            if not isinstance(value, (bool, int, float, list, np.ndarray)):
                what = value.get("__unsupported__", "an object") if isinstance(value, dict) else "an object"
                raise PropertyFailed(f"returns {what} as {self.names[role]}")
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


def _screening(ctx, screening, extreme):
    """The screen of ctx's function, drawn once per kind (items of one function share it, and so its calls)."""
    key = ("screen", extreme)
    if key not in ctx.state:
        ctx.state[key] = screening(ctx.assignment, ctx.function, extreme, ctx.assignment.limits.examples)
    return ctx.state[key]


def _list_as_array(value, name):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise PropertyFailed(f"returns a ragged list as {name}") from None


class Check:
    """Base of the checks. Subclasses set ``params``, ``returns``, ``items`` and implement ``verify``."""

    params, returns, items = (), (), {}
    options = ()     # further keys a function's table may have

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
        unknown = sorted(set(function.options) - set(self.options))
        if unknown:
            raise GancheckError(f"{function.name}: unknown key(s) {unknown} for reference {function.reference!r}")

    def strategy(self, ctx, item):
        """Inputs for ``item``; ``None`` for an item checked once, at fixed inputs."""
        from ..strategies import inputs

        return inputs(ctx.assignment, ctx.function)

    def screen(self, ctx, item):
        """The fixed examples ``item`` meets first (:mod:`.runner`); ``None`` for an item checked once."""
        from ..strategies import screening

        return None if self.strategy(ctx, item) is None else _screening(ctx, screening, False)

    def prepare(self, ctx):
        """Work shared by the items (e.g. recovering a learning rate), before the first example runs."""

    def verify(self, ctx, item, example):
        raise NotImplementedError

    def probe(self, ctx, item, failure):
        """More evidence after a failure (at fixed inputs); a phrase or ``None``."""
        return None

    def passed(self, ctx, item):
        return self.items[item]


def _kinds():
    from .conv import ConvBackwardCheck, ConvForwardCheck
    from .forward import ForwardCheck
    from .samplers import LatentPointsCheck, RealSamplesCheck
    from .steps import StepCheck
    from .values import LossCheck, ReLUDerivativeCheck

    return {"bce_loss": LossCheck(), "relu_derivative": ReLUDerivativeCheck(), "discriminator_forward":
            ForwardCheck("D"), "generator_forward": ForwardCheck("G"), "discriminator_step": StepCheck("D"),
            "generator_step": StepCheck("G"), "real_samples": RealSamplesCheck(), "latent_points": LatentPointsCheck(),
            "conv2d_forward": ConvForwardCheck(), "conv2d_backward": ConvBackwardCheck()}


KINDS = _kinds()
