r"""A call plan — how to call a student's code — and its execution, the one seam between the checks and that code.

A plan is plain data (JSON), made in the grader's process from an assignment (:func:`..calls.to_plan`), and executed
by :func:`execute` either in the student's sandbox (:mod:`.worker`) or, for trusted code only, in-process
(:class:`..calls.InProcess`). This module runs on both sides of the boundary, so it imports only the standard
library and NumPy. The plan's keys:

* ``cls`` (optional) — build ``obj = cls(**constructor)``; then set every ``attributes`` pair ``[role, path]``:
  ``obj.<path> = inputs[role]`` (a float64 copy), a path of attribute names, ``[int]`` and ``["key"]``
  (``discriminator.d['Whl1']``).
* ``module`` (optional) — the submission's module whose functions the calls name (multi-file submissions).
* ``calls`` — in order: ``{"target", "args", "kwargs", "returns"}``. An argument is an input role (a fresh copy of
  ``inputs[role]``), an ``"@name"`` result of an earlier call, or ``{"value": constant}``; the role ``rng`` stands
  for a ``numpy.random.Generator`` seeded with ``inputs["rng"]``. A call's results are bound to ``returns`` (one
  name: the value itself; several: the returned sequence, element by element; ``"_"``: dropped).
* ``read`` — the names sent back; attribute roles are read back from the instance after the last call, so in-place
  updates count. ``after`` (optional, false by default) — send back the last call's arguments too.

The result: ``{"ok", "values", "after", "draws", "error"}`` — ``after`` is each argument of the last call as the call
left it (arrays only, else ``None``: a function that overwrites its argument is seen; empty unless the plan asks for
it), ``draws`` every random draw made
during the calls, by NumPy's global functions and by generators (``default_rng`` or the ``rng`` passed in), as
``(name, float64 array)``; ``error`` the exception that stopped the plan, if any.
"""
import re

import numpy as np

STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(-?\d+)\]|\[\"([^\"\]]*)\"\]|\['([^'\]]*)'\]")
GLOBAL_DRAWS = ("rand", "randn", "random", "random_sample", "ranf", "sample", "standard_normal", "normal", "uniform")
GENERATOR_DRAWS = ("random", "standard_normal", "normal", "uniform")
MAX_RECORDED = 1_000_000    # numbers recorded per plan: a huge draw is not a latent batch


def _steps(path):
    head = re.match(r"[A-Za-z_]\w*", path)
    rest = [m.group(1) or (int(m.group(2)) if m.group(2) is not None else m.group(3) or m.group(4))
            for m in STEP.finditer(path, head.end())]
    return [head.group(0)] + rest


def _get(obj, key):
    return obj[key] if isinstance(key, int) or isinstance(obj, dict) else getattr(obj, key)


def resolve(obj, path):
    """``obj.<path>``: attributes, ``[int]`` indices and ``["key"]`` lookups, e.g. ``discriminator.d["Whl1"]``."""
    for key in _steps(path):
        obj = _get(obj, key)
    return obj


def assign(obj, path, value):
    *head, last = _steps(path)
    for key in head:
        obj = _get(obj, key)
    if isinstance(last, int) or isinstance(obj, dict):
        obj[last] = value
    else:
        setattr(obj, last, value)


class Recorder:
    """Where draws go while a plan runs: NumPy's global functions and every generator record into :attr:`log`;
    ``seed`` also seeds a generator made by ``default_rng()`` without one, so that a grade is reproducible."""

    def __init__(self):
        self.log, self.seed = [], 0

    def add(self, name, out):
        if sum(a.size for _, a in self.log) + np.size(out) <= MAX_RECORDED:
            self.log.append((name, np.array(out, dtype=float)))


def _recorded(name, draw, recorder):
    def recorded(*args, **kwargs):
        out = draw(*args, **kwargs)
        recorder.add(name, out)
        return out
    recorded.__name__, recorded.__doc__ = name, draw.__doc__
    return recorded


def recording_generator(recorder):
    """The class of generators that record their draws into ``recorder`` (a real ``numpy.random.Generator``)."""
    class RecordingGenerator(np.random.Generator):
        pass

    for name in GENERATOR_DRAWS:
        def method(self, *args, _name=name, **kwargs):
            out = getattr(np.random.Generator, _name)(self, *args, **kwargs)
            recorder.add(_name, out)
            return out
        method.__name__ = name
        setattr(RecordingGenerator, name, method)
    return RecordingGenerator


def install(recorder):
    """Make NumPy's global random functions and ``default_rng`` record into ``recorder`` (before the student's
    imports bind them); returns a function that undoes it (the in-process executor's, on trusted code)."""
    generator = recording_generator(recorder)
    saved = {name: getattr(np.random, name) for name in GLOBAL_DRAWS + ("default_rng",)}

    def default_rng(seed=None):
        return generator(np.random.PCG64(recorder.seed if seed is None else seed))
    for name in GLOBAL_DRAWS:
        setattr(np.random, name, _recorded(name, saved[name], recorder))
    np.random.default_rng = default_rng
    recorder.generator = generator
    return lambda: [setattr(np.random, name, f) for name, f in saved.items()]


def _argument(arg, inputs, results, recorder):
    if isinstance(arg, dict):
        return arg["value"]
    if arg == "rng":
        return recorder.generator(np.random.PCG64(int(inputs["rng"])))
    value = results[arg] if arg.startswith("@") else inputs[arg]
    return value.copy() if isinstance(value, np.ndarray) else value


def _bind(returns, value, results):
    if not returns:
        return
    values = [value] if len(returns) == 1 else list(value)
    if len(values) != len(returns):
        raise ValueError(f"returned {len(values)} values, expected {len(returns)}")
    for role, v in zip(returns, values):
        if role != "_":
            results[role] = v


def execute(plan, inputs, space, recorder, modules=None):
    """Run ``plan`` on ``inputs`` over the namespace ``space`` (``modules(name)`` gives a module's namespace);
    ``recorder`` must be installed (:func:`install`). Returns the result described in the module's docstring, with
    values as the student's code produced them (the caller makes them plain)."""
    recorder.log.clear()
    results, after = {}, []
    try:
        if plan.get("module"):
            space = modules(plan["module"])
        obj = None
        if plan.get("cls"):
            obj = _lookup(space, plan["cls"])(**plan.get("constructor", {}))
            for role, path in plan.get("attributes", ()):
                assign(obj, path, np.array(inputs[role], dtype=float))
        for call in plan["calls"]:
            target = call["target"]
            function = getattr(obj, target) if obj is not None and hasattr(obj, target) else _lookup(space, target)
            args = [_argument(a, inputs, results, recorder) for a in call.get("args", ())]
            kwargs = {k: _argument(v, inputs, results, recorder) for k, v in call.get("kwargs", {}).items()}
            after = args
            _bind(call.get("returns", ()), function(*args, **kwargs), results)
        for role, path in plan.get("attributes", ()):
            results[role] = resolve(obj, path)
        error = None
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the student's, not ours
        error = exc
    values = {name: results[name] for name in plan.get("read", ()) if name in results}
    after = [a if isinstance(a, np.ndarray) else None for a in after] if plan.get("after") else []
    return {"ok": error is None, "values": values, "error": error, "draws": list(recorder.log), "after": after}


def _lookup(space, name):
    if name not in space:
        raise NameError(f"name {name!r} is not defined")
    return space[name]
