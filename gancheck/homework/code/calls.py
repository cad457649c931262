r"""Executors: a format-2 function (:class:`.spec.model.Function`) run on inputs, as a plan (:mod:`.plan`).

An executor has ``execute(function, inputs) -> Execution`` and ``execute_many(function, [inputs, …]) -> [Execution]``
(the checks send many inputs at once: one request to the sandbox, a reply each). :class:`InSandbox` runs them in the
student's sandbox through a :class:`.session.Session`; :class:`InProcess` runs them on the objects of a trusted
namespace (tests, the real corpus's independent checks) with the very same :func:`.plan.execute`.
"""
from dataclasses import dataclass, field

import numpy as np

from . import plan as plans
from .session import Unavailable, describe_error


@dataclass
class Execution:
    ok: bool
    values: dict = field(default_factory=dict)   # role → value
    draws: list = field(default_factory=list)    # (function, float64 array), in the order drawn
    error: str = None
    after: list = field(default_factory=list)    # the last call's array arguments as it left them


def to_plan(function, read=None):
    """The plan of a format-2 function: its instance, attributes and calls; every role it returns is read back
    (``read``: only those), and a derivative's argument as the call left it."""
    def argument(arg):
        return {"value": arg[1]} if isinstance(arg, tuple) else arg

    calls = [{"target": c.target, "args": [argument(a) for a in c.args],
              "kwargs": {k: argument(v) for k, v in c.kwargs}, "returns": list(c.returns)} for c in function.calls]
    everything = [r for c in function.calls for r in c.returns if r != "_" and not r.startswith("@")]
    everything += [role for role, _ in function.attributes]
    return {"name": function.name, "cls": function.cls, "module": function.module,
            "constructor": dict(function.constructor), "attributes": [list(a) for a in function.attributes],
            "calls": calls, "read": list(dict.fromkeys(read if read is not None else everything)),
            "after": function.role == "derivative"}


def _inputs(inputs):
    """Inputs as the wire carries them: arrays float64, scalars (0-d arrays too) Python numbers."""
    return {k: (float(v) if v.ndim == 0 else np.asarray(v, dtype=float)) if isinstance(v, np.ndarray) else v
            for k, v in inputs.items()}


class InSandbox:
    """Plans run in the student's sandbox. A function whose process died (or whose time is up) raises
    :class:`.session.Unavailable` from :meth:`execute` — its checks fail with that reason."""

    def __init__(self, session):
        self.session, self._plans = session, {}

    def _plan(self, function, read):   # by identity: a function's constructor may hold lists (unhashable)
        key = (id(function), read)
        if key not in self._plans:
            self._plans[key] = (function, to_plan(function, read))
        return self._plans[key][1]

    def execute_many(self, function, inputs, read=None):
        """``read`` (a tuple of roles): send back only those — the checks that need only y and z ask for less."""
        runs = self.session.run(self._plan(function, read), [_inputs(one) for one in inputs])
        return [Execution(r.ok, {k: _value(v) for k, v in r.values.items()}, r.draws,
                          None if r.ok else describe_error(r.error, self.session.program), r.after) for r in runs]

    def execute(self, function, inputs, read=None):
        return self.execute_many(function, [inputs], read)[0]


def _value(value):
    """A plain value as a check reads it: numbers and (nested) lists as float64 arrays where they are rectangular."""
    if isinstance(value, list):
        try:
            return np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return value
    return value


class InProcess:
    """Plans run on a trusted namespace ``{name: object}`` (a module's ``vars()``); ``modules`` maps a module name
    to its namespace, for multi-file code. Draws are recorded into ``recorder`` — code that bound NumPy's random
    functions before (``from numpy.random import randn``) records only if it ran under the same recorder
    (:meth:`load`)."""

    def __init__(self, namespace, modules=None, recorder=None):
        self.namespace, self.modules = namespace, modules or {}
        self.recorder = recorder or plans.Recorder()
        self._seed = 0

    @classmethod
    def load(cls, source, filename="<trusted>"):
        """An executor of the trusted Python ``source``, run with its random draws recorded."""
        recorder, namespace = plans.Recorder(), {"__name__": "trusted"}
        undo = plans.install(recorder)
        try:
            exec(compile(source, filename, "exec"), namespace)
        finally:
            undo()
        return cls(namespace, recorder=recorder)

    def execute(self, function, inputs, read=None):
        recorder = self.recorder
        self._seed += 1   # as the worker does: NumPy's global generator seeded per run, so a grade is reproducible
        np.random.seed(self._seed)
        recorder.seed = self._seed
        undo = plans.install(recorder)
        try:
            result = plans.execute(to_plan(function, read), _inputs(inputs), self.namespace, recorder,
                                   self.modules.get)
        finally:
            undo()
        error = result["error"]
        if isinstance(error, KeyboardInterrupt):   # trusted code in our own process: Ctrl-C is the user's
            raise error
        return Execution(result["ok"], dict(result["values"]), result["draws"],
                         None if error is None else f"{type(error).__name__}: {error}", result["after"])

    def execute_many(self, function, inputs, read=None):
        return [self.execute(function, one, read) for one in inputs]


__all__ = ["Execution", "InProcess", "InSandbox", "Unavailable", "to_plan"]
