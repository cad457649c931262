"""The shape every reply of the worker must have before the grader reads a field of it.

The worker runs the student's code, so a reply may come from code that rewired it: anything can arrive. :mod:`.wire`
already guarantees plain data (JSON values and arrays of plain dtypes, nothing unpickled); :func:`well_formed` checks
the structure the protocol of :mod:`.worker` promises for the request that was sent — the common fields, the error's
fields, the names and notes of a ``names`` reply, and for each input of a ``run``: the values the plan reads (names it
asked for, plain data), one array-or-null per argument of its last call — an argument that was an input array must
come back with that array's shape and kind — and draws that are arrays of numbers; for each instructor's test, a
verdict and a text. A reply that fails is treated like
a crash of the function that produced it.
"""
import numpy as np


def _is(value, *types):
    return isinstance(value, types) and not (isinstance(value, bool) and bool not in types)


def _common(reply):
    output = reply.get("output") if _is(reply, dict) else None
    return (_is(reply, dict) and _is(reply.get("ok"), bool) and _is(output, dict) and _is(output.get("text"), str)
            and _is(output.get("size"), int) and _is(reply.get("seconds"), float, int))


def _error(error):
    return (_is(error, dict) and _is(error.get("type"), str) and _is(error.get("message"), str)
            and _is(error.get("frames"), list) and all(
                _is(f, dict) and _is(f.get("file"), str) and _is(f.get("line"), int) and _is(f.get("function"), str)
                for f in error["frames"]))


def _plain(value, depth=0):
    """Plain data as :func:`.worker.plain` makes it: numbers, booleans, arrays, lists, an ``__unsupported__`` note."""
    if isinstance(value, dict):
        return set(value) == {"__unsupported__"} and _is(value["__unsupported__"], str)
    if isinstance(value, list):
        return depth < 4 and all(_plain(v, depth + 1) for v in value)
    return isinstance(value, np.ndarray) or _is(value, bool, int, float)


def _after(after, request, item):
    """One entry per argument of the plan's last call: null, or an array; where the argument was an input array, of
    that array's shape and kind (a student may change values in place, never what an argument is)."""
    args = request["plan"]["calls"][-1].get("args", []) if request["plan"].get("after") else []
    if not _is(after, list) or len(after) != len(args):
        return False
    inputs = request["inputs"][item]
    for value, arg in zip(after, args):
        if value is None:
            continue
        sent = inputs.get(arg) if isinstance(arg, str) else None
        if not isinstance(value, np.ndarray) or (isinstance(sent, np.ndarray) and (
                value.shape != sent.shape or value.dtype.kind != sent.dtype.kind)):
            return False
    return True


def _draws(draws):
    return _is(draws, list) and all(
        _is(d, dict) and _is(d.get("function"), str) and isinstance(d.get("values"), np.ndarray)
        and d["values"].dtype.kind == "f" for d in draws)


def _notes(notes):
    return _is(notes, list) and all(_is(n, dict) and _is(n.get("file"), str) and _is(n.get("line"), int)
                                    and _error(n.get("error")) for n in notes)


def well_formed(reply, request, item=0):
    """Whether ``reply`` — the reply to item ``item`` of ``request`` — has the structure the worker's protocol
    promises."""
    if not _common(reply):
        return False
    if not reply["ok"]:
        return _error(reply.get("error"))
    if request["op"] == "names":
        return (_is(reply.get("callables"), list) and all(_is(n, str) for n in reply["callables"])
                and _notes(reply.get("notes")))
    if request["op"] == "run":
        values = reply.get("values")
        return (_is(values, dict) and set(values) <= set(request["plan"].get("read", ()))
                and all(_plain(v) for v in values.values()) and _after(reply.get("after"), request, item)
                and _draws(reply.get("draws")))
    if request["op"] == "tests":
        return _is(reply.get("passed"), bool) and _is(reply.get("evidence"), str)
    return True
