"""The ``[nets.*]`` and ``[losses.*]`` tables of a format-2 assignment, validated: layers, layouts, loss forms.

Nothing is guessed: layer sizes, activations and the layout of every weight and bias are declared, and an explicit
``shapes`` entry must equal the shape the layout gives — a ``[15, 2]`` where the layout says ``(2, 15)`` is the
transpose, an error that names the layout that would fit, never a silent reshape.
"""
from ..behaviour.network import ACTIVATIONS, Layer
from .model import AssignmentError, Loss, Net
from .tables import fail as _fail, keys as _keys

LOSS_FORMS = {"D": ("bce",), "G": ("nonsaturating", "minimax")}


def _per_layer(value, n, path, allowed):
    values = [value] * n if isinstance(value, str) else list(value)
    if len(values) != n:
        _fail(path, f"needs {n} entries (one per layer), got {len(values)}")
    for i, v in enumerate(values):
        if v not in allowed:
            _fail(f"{path}[{i}]", f"unknown layout {v!r}; known: {list(allowed)}")
    return values


def net(name, table, path):
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


def loss(net, table, path):
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
