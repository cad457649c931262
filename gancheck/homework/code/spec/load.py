"""Reading and validating a format-2 assignment: every field checked, every error one line naming its path.

The nets and losses are :mod:`.nets`' to read; here the functions (roles, calls, attributes, points, hidden items),
the instructor's tests, the imports (only installed packages, never gancheck itself), the entry file of a multi-file
submission and the limits.
"""
import importlib.util
import re
import sys
import tomllib
from pathlib import Path

from ..assignment import LIMIT_FIELDS, Limits
from .model import AssignmentError, Call, Function, Spec, Test
from .nets import loss as _loss, net as _net
from .tables import fail as _fail, keys as _keys

ITEMS = {"step": ("step", "loss"), "forward": ("outputs", "stable"), "loss": ("value", "stable"),
         "sigmoid": ("stable",), "derivative": ("values", "unchanged")}
DATA_ROLES = ("x", "t", "x_real", "x_fake", "y", "z", "loss")
PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[-?\d+\]|\[\"[^\"\]]*\"\]|\['[^'\]]*'\])*")
TOP = {"assignment", "nets", "losses", "functions", "tests", "imports", "limits"}


def _argument(value, roles, path):
    if isinstance(value, dict):
        _keys(value, {"value"}, path)
        return ("value", value["value"])
    if not isinstance(value, str) or not (value in roles or value.startswith("@") or value == "_"):
        _fail(path, f"unknown role {value!r}; a role ({', '.join(sorted(roles)[:6])}, …), an @intermediate, "
                    "or { value = … }")
    return value


def _call(table, roles, path):
    if isinstance(table, str):
        table = {"call": table}
    _keys(table, {"call", "args", "kwargs", "returns"}, path)
    if not isinstance(table.get("call"), str) or not re.fullmatch(r"[A-Za-z_]\w*", table["call"]):
        _fail(f"{path}.call", f"must name a function or method, got {table.get('call')!r}")
    args = tuple(_argument(a, roles, f"{path}.args[{i}]") for i, a in enumerate(table.get("args", [])))
    kwargs = tuple((k, _argument(v, roles, f"{path}.kwargs.{k}")) for k, v in table.get("kwargs", {}).items())
    returns = tuple(_argument(r, roles, f"{path}.returns[{i}]") for i, r in enumerate(table.get("returns", [])))
    return Call(table["call"], args, kwargs, returns)


def _function(table, nets, roles, path):
    _keys(table, {"name", "role", "call", "args", "kwargs", "returns", "sequence", "constructor", "attributes",
                  "module", "alpha", "of", "points", "hidden", "signature"}, path)
    role = table.get("role", "")
    net, _, kind = role.rpartition(".")
    if kind not in ITEMS or (kind in ("step", "forward")) != bool(net) or (net and net not in nets):
        _fail(f"{path}.role", f"must be <net>.step, <net>.forward (nets: {sorted(nets)}), loss, sigmoid or "
                              f"derivative; got {role!r}")
    target = table.get("call")
    cls = None
    if isinstance(target, str) and "." in target:
        cls, target = target.split(".", 1)
    if "sequence" in table:
        if not isinstance(table["sequence"], list) or not table["sequence"]:
            _fail(f"{path}.sequence", "must be a non-empty list of calls")
        cls = cls or target
        calls = tuple(_call(c, roles, f"{path}.sequence[{i}]") for i, c in enumerate(table["sequence"]))
    else:
        calls = (_call({k: table[k] for k in ("call", "args", "kwargs", "returns") if k in table} | {"call": target},
                       roles, path),)
    if cls is not None and not re.fullmatch(r"[A-Za-z_]\w*", cls):
        _fail(f"{path}.call", f"{cls!r} is not a class name")
    attributes = table.get("attributes", {})
    _keys(attributes, roles, f"{path}.attributes")
    for r, p in attributes.items():
        if not isinstance(p, str) or not PATH.fullmatch(p):
            _fail(f"{path}.attributes.{r}", f"{p!r} is not an attribute path like W0_d, d['Whl1'] or layers[0].W")
    if (attributes or table.get("constructor")) and cls is None:
        _fail(f"{path}.call", "attributes and constructor need a method: write call = \"Class.method\"")
    points = table.get("points", {})
    _keys(points, ITEMS[kind], f"{path}.points")
    if not points or not all(isinstance(p, (int, float)) and p >= 0 for p in points.values()):
        _fail(f"{path}.points", f"give non-negative points for some of {list(ITEMS[kind])}")
    hidden = table.get("hidden", [])
    if not isinstance(hidden, list) or not set(hidden) <= set(points):
        _fail(f"{path}.hidden", f"must list items of points ({sorted(points)}), got {hidden!r}")
    if kind == "derivative" and not isinstance(table.get("of"), str):
        _fail(f"{path}.of", "a derivative names the activation function it differentiates (of = \"relu\")")
    alpha = table.get("alpha")
    if alpha is not None and not (isinstance(alpha, (int, float)) and alpha > 0):
        _fail(f"{path}.alpha", f"the declared learning rate must be positive, got {alpha!r}")
    return Function(table.get("name") or (f"{cls}.{calls[-1].target}" if cls else calls[0].target), role, calls, cls,
                    tuple(table.get("constructor", {}).items()), tuple(attributes.items()), table.get("module"),
                    None if alpha is None else float(alpha), table.get("of"),
                    {k: float(v) for k, v in points.items()}, frozenset(hidden), table.get("signature", ""))


def roles_of(nets):
    roles = {"N", "latent_dim", "rng"}
    for name, net in nets.items():
        roles |= {f"{name}.{r}" for r in DATA_ROLES}
        for k in range(1, net.depth + 1):
            roles |= {f"{name}.{p}{k}" for p in ("W", "b", "g", "a")}
    return roles


def parse(text, source="<assignment>"):
    """The :class:`~.model.Spec` in the TOML ``text``; :class:`~.model.AssignmentError` for anything wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AssignmentError(f"{source}: not valid TOML ({exc})") from None
    try:
        return _build(data, source)
    except AssignmentError as exc:
        raise AssignmentError(f"{source}: {exc}") from None


def _build(data, source):
    _keys(data, TOP, "(top level)")
    head = data.get("assignment", {})
    _keys(head, {"title", "format", "batches", "tolerance", "entry"}, "assignment")
    if head.get("format") != 2:
        _fail("assignment.format", "must be 2 for this format (the course's built-in format has no `format`)")
    nets = {name: _net(name, table, f"nets.{name}") for name, table in data.get("nets", {}).items()}
    if not nets:
        _fail("nets", "declare at least one network, e.g. [nets.D]")
    losses = {name: _loss(name, table, f"losses.{name}") for name, table in data.get("losses", {}).items()}
    for name in losses:
        if name not in nets:
            _fail(f"losses.{name}", f"no net {name!r} (nets: {sorted(nets)})")
    roles = roles_of(nets)
    functions = tuple(_function(t, nets, roles, f"functions[{i}]") for i, t in enumerate(data.get("functions", [])))
    tests = []
    for i, t in enumerate(data.get("tests", [])):
        _keys(t, {"name", "points", "hidden", "file"}, f"tests[{i}]")
        if not isinstance(t.get("name"), str) or not isinstance(t.get("points", 0), (int, float)):
            _fail(f"tests[{i}]", "an instructor's test needs a name (its function test_…) and points")
        tests.append(Test(t["name"], float(t.get("points", 0)), bool(t.get("hidden", False)), t.get("file")))
    allowed, stubbed, packages = _imports(data.get("imports", {}))
    batches = tuple(head.get("batches", (1, 3, 16)))
    if not batches or not all(isinstance(n, int) and n >= 1 for n in batches):
        _fail("assignment.batches", f"must be positive batch sizes (α is recovered at the first), got {list(batches)}")
    entry = head.get("entry")
    if entry is not None and not (isinstance(entry, str) and re.fullmatch(r"[\w.-]+\.(py|ipynb)", entry)):
        _fail("assignment.entry", f"must be a file name such as \"gan.py\" (the module the functions are in), got "
                                  f"{entry!r}")
    return Spec(head.get("title", "untitled"), nets, losses, functions, tuple(tests), allowed, stubbed, batches,
                float(head.get("tolerance", 1e-5)), source, _limits(data.get("limits", {})), entry, packages)


def _imports(table):
    """``(allowed, stubbed, packages)``: what a submission may import, what is stubbed, and the installed
    third-party packages among the allowed (the standard library is always importable, gancheck never)."""
    _keys(table, {"allowed", "stubbed"}, "imports")
    lists = {}
    for key, default in (("allowed", ("numpy", "scipy", "math")), ("stubbed", ("matplotlib",))):
        names = table.get(key, default)
        if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) and n.isidentifier() for n in names):
            _fail(f"imports.{key}", f"must list top-level module names, got {names!r}")
        lists[key] = tuple(names)
    packages = []
    for name in lists["allowed"]:
        if name == "gancheck" or name in lists["stubbed"]:
            _fail("imports.allowed", f"{name!r} cannot be offered to a submission" + (
                " (it is the grader, with the reference answers)" if name == "gancheck" else " and stubbed"))
        if name in sys.stdlib_module_names:
            continue
        found = importlib.util.find_spec(name)
        if found is None or not found.submodule_search_locations:
            _fail("imports.allowed", f"{name!r} is not an installed package here, so the sandbox cannot offer it")
        packages.append(name)
    return lists["allowed"], lists["stubbed"], tuple(packages)


def _limits(table):
    _keys(table, set(LIMIT_FIELDS), "limits")
    try:
        limits = Limits(**{k: LIMIT_FIELDS[k](v) for k, v in table.items()})
    except (TypeError, ValueError):
        _fail("limits", f"must be numbers, got {table!r}")
    if not all(getattr(limits, k) > 0 for k in LIMIT_FIELDS):
        _fail("limits", "every limit must be positive")
    return limits


def load_spec(path):
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), str(path))
