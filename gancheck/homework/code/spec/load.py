"""Reading and validating a format-2 assignment: every field checked, every error one line naming its path.

Nothing is guessed: layer sizes, activations and the layout of every weight and bias are declared, and an explicit
``shapes`` entry must equal the shape the layout gives — a ``[15, 2]`` where the layout says ``(2, 15)`` is the
transpose, an error that names the layout that would fit, never a silent reshape.
"""
import re
import tomllib
from pathlib import Path

from ..behaviour.network import ACTIVATIONS, Layer
from .model import AssignmentError, Call, Function, Loss, Net, Spec, Test

ITEMS = {"step": ("step", "loss"), "forward": ("outputs",), "loss": ("value", "stable"), "sigmoid": ("stable",),
         "derivative": ("values",)}
DATA_ROLES = ("x", "t", "x_real", "x_fake", "y", "z", "loss")
LOSS_FORMS = {"D": ("bce",), "G": ("nonsaturating", "minimax")}
PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[-?\d+\]|\[\"[^\"\]]*\"\]|\['[^'\]]*'\])*")
TOP = {"assignment", "nets", "losses", "functions", "tests", "imports", "limits"}


def _fail(path, message):
    raise AssignmentError(f"{path}: {message}")


def _keys(table, allowed, path):
    if not isinstance(table, dict):
        _fail(path, f"must be a table, got {type(table).__name__}")
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        _fail(path, f"unknown key(s) {unknown}; known: {sorted(allowed)}")


def _per_layer(value, n, path, allowed):
    values = [value] * n if isinstance(value, str) else list(value)
    if len(values) != n:
        _fail(path, f"needs {n} entries (one per layer), got {len(values)}")
    for i, v in enumerate(values):
        if v not in allowed:
            _fail(f"{path}[{i}]", f"unknown layout {v!r}; known: {list(allowed)}")
    return values


def _net(name, table, path):
    _keys(table, {"sizes", "activations", "weight", "bias", "samples", "shapes"}, path)
    sizes = table.get("sizes")
    if not (isinstance(sizes, list) and len(sizes) >= 2 and all(isinstance(s, int) and s >= 1 for s in sizes)):
        _fail(f"{path}.sizes", f"must list at least two positive layer widths, got {sizes!r}")
    n = len(sizes) - 1
    acts = table.get("activations")
    if not isinstance(acts, list) or len(acts) != n:
        _fail(f"{path}.activations", f"needs {n} entries (one per layer), got {acts!r}")
    weights = _per_layer(table.get("weight", "out_in"), n, f"{path}.weight", ("out_in", "in_out", "vector"))
    biases = _per_layer(table.get("bias", "vector"), n, f"{path}.bias", ("vector", "row", "column", "scalar"))
    layers = []
    for i, (act, w, b) in enumerate(zip(acts, weights, biases)):
        spec = act if isinstance(act, dict) else {"name": act}
        _keys(spec, {"name", "alpha"}, f"{path}.activations[{i}]")
        if spec.get("name") not in ACTIVATIONS:
            _fail(f"{path}.activations[{i}]", f"unknown activation {spec.get('name')!r}; known: {sorted(ACTIVATIONS)}")
        alpha = spec.get("alpha")
        if spec["name"] == "leaky_relu" and not (isinstance(alpha, (int, float)) and 0 <= alpha < 1):
            _fail(f"{path}.activations[{i}]", "leaky_relu needs its slope, e.g. { name = \"leaky_relu\", alpha = 0.2 }")
        layer = Layer(sizes[i], sizes[i + 1], spec["name"], None if alpha is None else float(alpha), w, b)
        try:
            layer.validate(f"{path}.layers[{i}]")
        except AssignmentError:
            raise
        except Exception as exc:
            _fail(f"{path}.layers[{i}]", str(exc).split(": ", 1)[-1])
        layers.append(layer)
    samples = table.get("samples", "rows")
    if samples not in ("rows", "columns"):
        _fail(f"{path}.samples", f"must be 'rows' or 'columns', got {samples!r}")
    net = Net(name, tuple(layers), samples)
    _check_shapes(net, table.get("shapes", {}), f"{path}.shapes")
    return net


def _check_shapes(net, shapes, path):
    """An explicit shape must be the layout's: a transpose is named, never reshaped."""
    _keys(shapes, {f"{p}{k}" for k in range(1, net.depth + 1) for p in "Wb"}, path)
    for key, declared in shapes.items():
        layer = net.layers[int(key[1:]) - 1]
        expected = layer.weight_shape() if key[0] == "W" else layer.bias_shape()
        if tuple(declared) == expected:
            continue
        hint = ""
        if key[0] == "W" and tuple(declared) == expected[::-1]:
            other = "in_out" if layer.weight == "out_in" else "out_in"
            hint = f" — the transpose; if the homework stores it so, declare weight = '{other}' for layer {key[1:]}"
        _fail(f"{path}.{key}", f"{list(declared)} is not the shape {list(expected)} of layout '{layer.weight if key[0] == 'W' else layer.bias}'{hint}")


def _loss(net, table, path):
    _keys(table, {"form", "reduction", "epsilon", "batches", "latent", "low", "high", "rng", "labels"}, path)
    forms = LOSS_FORMS.get(net, ("bce",))
    loss = Loss(net, table.get("form", forms[0]), table.get("reduction", "mean"), float(table.get("epsilon", 0.0)),
                table.get("batches", "together"), table.get("latent", "normal"), float(table.get("low", -1.0)),
                float(table.get("high", 1.0)), table.get("rng", "np.random"), table.get("labels", "vector"))
    for field, value, allowed in (("form", loss.form, forms), ("reduction", loss.reduction, ("mean", "sum")),
                                  ("batches", loss.batches, ("together", "separate")),
                                  ("latent", loss.latent, ("normal", "uniform")),
                                  ("rng", loss.rng, ("np.random", "default_rng", "argument")),
                                  ("labels", loss.labels, ("vector", "column", "row"))):
        if value not in allowed:
            _fail(f"{path}.{field}", f"must be one of {list(allowed)}, got {value!r}")
    if not 0.0 <= loss.epsilon <= 1e-2:
        _fail(f"{path}.epsilon", f"must be in [0, 0.01] (the ε of log(y + ε)), got {loss.epsilon}")
    return loss


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
                    tuple((k, float(v)) for k, v in points.items()), frozenset(hidden), table.get("signature", ""))


def roles_of(nets):
    roles = {"N", "latent_dim"}
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
    _keys(head, {"title", "format", "batches", "tolerance"}, "assignment")
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
    imports = data.get("imports", {})
    _keys(imports, {"allowed", "stubbed"}, "imports")
    batches = tuple(head.get("batches", (1, 3, 16)))
    if not batches or not all(isinstance(n, int) and n >= 1 for n in batches):
        _fail("assignment.batches", f"must be positive batch sizes (α is recovered at the first), got {list(batches)}")
    return Spec(head.get("title", "untitled"), nets, losses, functions, tuple(tests),
                tuple(imports.get("allowed", ("numpy", "scipy", "math"))),
                tuple(imports.get("stubbed", ("matplotlib",))), batches, float(head.get("tolerance", 1e-5)),
                source, dict(data.get("limits", {})))


def load_spec(path):
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), str(path))
