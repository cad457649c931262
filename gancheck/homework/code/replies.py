"""The shape every reply of the worker must have before the grader reads a field of it.

The worker runs the student's code, so a reply may come from code that rewired it: anything can arrive. :mod:`.wire`
already guarantees plain data (JSON values and arrays of plain dtypes, nothing unpickled); :func:`well_formed` checks
the structure the protocol of :mod:`.worker` promises for the request that was sent — the common fields, the error's
fields, the names of a ``names`` reply, and for a ``call`` one array-or-null per argument, each array with the
shape and kind of the argument it stands for, and draws that are arrays of numbers. A reply that fails is treated
like a crash of the function that produced it.
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


def _after(after, args):
    """One entry per argument: null, or an array of the argument's shape and kind (a student may change values in
    place, never what an argument is)."""
    if not _is(after, list) or len(after) != len(args):
        return False
    for value, arg in zip(after, args):
        if value is None:
            continue
        if not (isinstance(value, np.ndarray) and isinstance(arg, np.ndarray) and value.shape == arg.shape
                and value.dtype.kind == arg.dtype.kind):
            return False
    return True


def _draws(draws):
    return _is(draws, list) and all(
        _is(d, dict) and _is(d.get("function"), str) and isinstance(d.get("values"), np.ndarray)
        and d["values"].dtype.kind == "f" for d in draws)


def well_formed(reply, request):
    """Whether ``reply`` has the structure the worker's protocol promises for ``request``."""
    if not _common(reply):
        return False
    if not reply["ok"]:
        return _error(reply.get("error"))
    if request["op"] == "names":
        return _is(reply.get("callables"), list) and all(_is(n, str) for n in reply["callables"])
    if request["op"] == "call":
        return "value" in reply and _after(reply.get("after"), request["args"]) and _draws(reply.get("draws"))
    return True
