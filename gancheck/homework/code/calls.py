r"""Running a declared call plan — a function, ``Class.method`` on an instance, or a sequence of calls — on inputs.

This is the one seam between the behavioural checks and the student's code. :class:`InProcess` runs a plan on
objects of a trusted namespace (tests, the real corpus); the sandbox provides the same ``execute`` for untrusted code.

**Interface** (what a sandboxed executor must implement, exactly as :meth:`InProcess.execute` does)::

    execute(function: spec.model.Function, inputs: dict[str, ndarray | float | int]) -> Execution

1. If ``function.cls``: ``obj = namespace[function.cls](**dict(function.constructor))``; then for every
   ``(role, path)`` of ``function.attributes`` set ``obj.<path> = inputs[role]`` (a copy, float64) — paths are
   attribute names, ``[int]`` and ``["key"]`` (:func:`assign`).
2. For each ``Call`` in ``function.calls``: resolve each argument (a role → ``inputs[role]``, ``"@name"`` → an
   earlier result, ``("value", c)`` → ``c``), call ``getattr(obj, call.target)`` (or the module-level function, from
   ``function.module`` if given) and bind its results to ``call.returns`` (one role: the value itself; several: the
   returned tuple, element by element; ``"_"`` dropped).
3. After the last call read every attribute path back into ``values[role]`` (so in-place updates count).
4. Record every random draw made during the calls — NumPy's global functions *and* methods of
   ``numpy.random.Generator`` objects (``default_rng``) — as ``draws = [(name, float64 array), …]``.
5. An exception stops the plan: ``Execution(ok=False, error="TypeError: … (file, line)")``.
"""
import re
from dataclasses import dataclass, field

import numpy as np

STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(-?\d+)\]|\[\"([^\"\]]*)\"\]|\['([^'\]]*)'\]")


@dataclass
class Execution:
    ok: bool
    values: dict = field(default_factory=dict)   # role or @name → value
    draws: list = field(default_factory=list)
    error: str = None


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


def _argument(arg, inputs, results):
    if isinstance(arg, tuple):
        return arg[1]
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


class InProcess:
    """Executes plans on a trusted namespace ``{name: object}`` (a module's ``vars()``, or a dict per module)."""

    def __init__(self, namespace, modules=None):
        self.namespace, self.modules = namespace, modules or {}

    def execute(self, function, inputs):
        space = self.modules.get(function.module, self.namespace) if function.module else self.namespace
        results, draws = {}, []
        with _recording(draws):
            try:
                obj = None
                if function.cls:
                    obj = space[function.cls](**dict(function.constructor))
                    for role, path in function.attributes:
                        assign(obj, path, np.array(inputs[role], dtype=float))
                for call in function.calls:
                    target = getattr(obj, call.target) if obj is not None and hasattr(obj, call.target) \
                        else space[call.target]
                    args = [_argument(a, inputs, results) for a in call.args]
                    kwargs = {k: _argument(v, inputs, results) for k, v in call.kwargs}
                    _bind(call.returns, target(*args, **kwargs), results)
                for role, path in function.attributes:
                    results[role] = np.array(resolve(obj, path), dtype=float)
            except Exception as exc:   # the student's exception is evidence, not a crash of the grader
                return Execution(False, results, draws, f"{type(exc).__name__}: {exc}")
        return Execution(True, results, draws)


class _recording:
    """Records NumPy's global random draws, and those of every generator ``default_rng`` makes, while active
    (trusted code only: the sandbox records in the student's process)."""

    NAMES = ("rand", "randn", "random", "random_sample", "standard_normal", "normal", "uniform")

    def __init__(self, log):
        self.log, self.saved = log, []

    def __enter__(self):
        for name in self.NAMES + ("default_rng",):
            original = getattr(np.random, name)
            self.saved.append((name, original))
            wrapped = self._generator(original) if name == "default_rng" else _recorded(name, original, self.log)
            setattr(np.random, name, wrapped)

    def _generator(self, make):
        log = self.log

        def default_rng(*args, **kwargs):
            return _RecordingGenerator(make(*args, **kwargs), log)
        return default_rng

    def __exit__(self, *exc):
        for name, original in reversed(self.saved):
            setattr(np.random, name, original)


def _recorded(name, draw, log):
    def recorded(*args, **kwargs):
        out = draw(*args, **kwargs)
        log.append((name, np.array(out, dtype=float)))
        return out
    return recorded


class _RecordingGenerator:
    """A ``numpy.random.Generator`` whose sampling methods record what they draw."""

    METHODS = ("random", "standard_normal", "normal", "uniform")

    def __init__(self, generator, log):
        self._generator, self._log = generator, log

    def __getattr__(self, name):
        attribute = getattr(self._generator, name)
        return _recorded(name, attribute, self._log) if name in self.METHODS else attribute
