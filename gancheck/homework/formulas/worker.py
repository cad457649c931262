"""The sandbox's child process: decides symbolic questions under an address-space limit, one JSON line at a time.

Started by :mod:`.sandbox` in a kernel sandbox whose limits are set *before* SymPy is imported; it answers requests
read from stdin with replies on stdout — plain JSON both ways. The formulas arrive as text printed by gancheck and
are re-read with the same whitelisting parser (larger size limits), never with ``sympify``/``eval``. Requests::

    {"op": "zero", "expr": "...", "kinds": {"g_D": "relu_input", ...}}
        → {"result": "zero" | "nonzero" | "unknown"}: is expr identically 0 on the domain? Decided case by case
          (each ReLU input positive or negative, each label 0 or 1) by cancel, then simplify.
    {"op": "values", "exprs": ["...", ...], "kinds": {...}, "point": {"x_D": "1/2", ...}}
        → {"values": ["0.0945...", null, ...]}: each expr at the exact rational point, to 30 digits (null: undefined)
"""
import itertools
import json
import sys


def _symbols(kinds):
    from .vocabulary import symbol

    return {name: symbol(name, kind) for name, kind in kinds.items()}


def _parse(text, table):
    from .pysyntax import parse_python
    from .vocabulary import PRINTED

    return parse_python(text, table, PRINTED)


def _cases(table, kinds):
    """Substitutions covering the domain: a ReLU input is ±p with p > 0 (the kink is checked elsewhere), a label is
    0 or 1."""
    import sympy as sp

    options = []
    for name, kind in kinds.items():
        if kind == "relu_input":
            p = sp.Symbol(f"{name}_pos", positive=True)
            options.append([(table[name], p), (table[name], -p)])
        elif kind == "label":
            options.append([(table[name], sp.Integer(0)), (table[name], sp.Integer(1))])
    return [dict(choice) for choice in itertools.product(*options)]


def _zero(request):
    import sympy as sp

    table = _symbols(request["kinds"])
    expr = _parse(request["expr"], table)
    for case in _cases(table, request["kinds"]):
        e = expr.xreplace(case)
        if e == 0 or sp.cancel(sp.together(e)) == 0:
            continue
        rest = sp.simplify(e)
        if rest == 0:
            continue
        return {"result": "nonzero" if rest.is_number else "unknown"}
    return {"result": "zero"}


def _values(request):
    table = _symbols(request["kinds"])
    point = {table[name]: _parse(value, {}) for name, value in request["point"].items()}
    out = []
    for expr in [_parse(text, table) for text in request["exprs"]]:
        try:
            value = expr.xreplace(point).evalf(30)
        except (ValueError, TypeError, ArithmeticError):  # e.g. Heaviside of a complex number: undefined there
            value = None
        out.append(str(value) if value is not None and (value.is_Float or value.is_Integer) else None)
    return {"values": out}


def main():
    import sympy  # noqa: F401  (imported under the limit, before the parent's first request)

    handlers = {"zero": _zero, "values": _values}
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            reply = handlers[request["op"]](request)
        except MemoryError:
            reply = {"error": "memory limit reached"}
        except Exception as exc:  # noqa: BLE001 — any failure is an answer the parent turns into "undecided"
            reply = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
