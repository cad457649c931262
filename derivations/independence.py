r"""The rule for numeric checks, and the mechanism that makes it checkable.

**The rule.** A numeric check compares a claimed closed form (the *got* side, lambdified from SymPy) with a *want* side
computed by something independent of that formula: central differences or complex-step derivatives of a forward pass
written separately from any backward pass, mpmath at 30–50 digits, quadrature, Monte Carlo with a stated standard
error, exact transport by linear programming, a library's optimiser — never gancheck's own code for the same formula,
and never the SymPy expressions being checked.

**The mechanism.** Every want side is the output of an :class:`Oracle`: a function wrapped by :func:`oracle` with a
one-line description of its method. Calling it returns :class:`Evidence` (the value and the oracle that produced it),
and a :class:`derivations.core.Comparison` accepts nothing else as its ``want``, so each comparison names its oracle.
An oracle may use NumPy, SciPy and mpmath; :func:`violations` inspects what it can reach — the globals, closure cells,
defaults and nested code of the oracle and, transitively, of every helper it calls that is defined in ``derivations`` —
and reports anything from ``gancheck`` (the implementations under test), from SymPy or SymPy's lambdified functions
(the claims under test), or from the symbolic half of ``derivations``. Arguments are screened the same way when the
oracle is called, so a gancheck function cannot be smuggled in as a parameter. :meth:`derivations.core.Derivation.check`
refuses a comparison whose oracle violates the rule, and the tests run the inspection on every check.
"""
import inspect
import types
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from gancheck import GancheckError

FORBIDDEN_PACKAGES = ("gancheck", "sympy")
# the symbolic half of derivations: an oracle that reached these would compare a claim with itself
FORBIDDEN_MODULES = ("derivations.core", "derivations.decide", "derivations.backprop", "derivations.activations",
                     "derivations.netproof", "derivations.indexed", "derivations.render", "derivations.registry")


class IndependenceError(GancheckError):
    """A numeric check's want side reaches the implementation or the claim it is supposed to check."""


@dataclass(frozen=True)
class Oracle:
    """An independent computation: ``function`` and a one-line ``method`` ("mpmath at 40 digits", ...); ``tag`` is
    the short name the ``gancheck verify`` table shows."""

    tag: str
    method: str
    function: Callable

    def __call__(self, *args, **kwargs):
        for value in _flatten((args, kwargs)):
            problem = _forbidden(value)
            if problem:
                raise IndependenceError(f"oracle {self.function.__qualname__} was passed {problem}")
        return Evidence(self.function(*args, **kwargs), self)


@dataclass(frozen=True)
class Evidence:
    """An oracle's output. Indexing returns the part with the same provenance, so one oracle call can feed several
    comparisons; arithmetic is deliberately unsupported — the whole want side happens inside the oracle."""

    value: Any
    oracle: Oracle

    def __getitem__(self, key):
        return Evidence(self.value[key], self.oracle)


def oracle(tag, method):
    """Decorator: ``@oracle("mpmath", "mpmath at 40 digits")`` turns a function into an :class:`Oracle`."""
    def wrap(fn):
        return Oracle(tag, method, fn)
    return wrap


def _flatten(value, depth=0):
    if depth < 3 and isinstance(value, (list, tuple)):
        for v in value:
            yield from _flatten(v, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v, depth + 1)
    else:
        yield value


def _module_of(obj):
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    if isinstance(obj, (types.FunctionType, type, types.BuiltinFunctionType, types.MethodType)):
        code = getattr(obj, "__code__", None)
        if code is not None and code.co_filename.startswith("<lambdifygenerated"):
            return "sympy.lambdify"
        return getattr(obj, "__module__", None) or ""
    return type(obj).__module__ or ""


def _forbidden(obj):
    """Why ``obj`` may not appear in an oracle, or ``""``."""
    if isinstance(obj, Oracle):
        return ""
    module = _module_of(obj)
    if module.split(".")[0] in FORBIDDEN_PACKAGES or module == "sympy.lambdify":
        return f"{module}: {_describe(obj)}"
    if module in FORBIDDEN_MODULES:
        return f"{module}: {_describe(obj)}"
    return ""


def _describe(obj):
    return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__


def _own_function(obj):
    """A Python function defined in ``derivations`` (an oracle's helper), whose body is inspected in turn."""
    if isinstance(obj, Oracle):
        obj = obj.function
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    return obj if isinstance(obj, types.FunctionType) and (obj.__module__ or "").startswith("derivations") else None


def _code_names(code):
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_names(const)


@lru_cache(maxsize=None)
def violations(target):
    """Everything forbidden that the oracle (or function) ``target`` can reach, as sorted strings; ``()`` if none."""
    root = target.function if isinstance(target, Oracle) else target
    found, seen, todo = set(), set(), [root]
    while todo:
        obj = todo.pop()
        fn = obj if obj is root else _own_function(obj)  # the oracle itself always; its helpers if in derivations
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        reachable = [fn.__globals__[n] for n in _code_names(fn.__code__) if n in fn.__globals__]
        reachable += [cell.cell_contents for cell in fn.__closure__ or () if _filled(cell)]
        reachable += list(fn.__defaults__ or ()) + list((fn.__kwdefaults__ or {}).values())
        for obj in reachable:
            problem = _forbidden(obj)
            if problem:
                found.add(f"{fn.__module__}.{fn.__qualname__} reaches {problem}")
            elif inspect.isclass(obj) and (obj.__module__ or "").startswith("derivations"):
                todo += [v for v in vars(obj).values() if isinstance(v, types.FunctionType)]
            else:
                todo.append(obj)
    return tuple(sorted(found))


def _filled(cell):
    try:
        cell.cell_contents
    except ValueError:  # an empty cell (a variable assigned later)
        return False
    return True
