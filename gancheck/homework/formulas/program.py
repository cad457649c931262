"""A SymPy expression as a straight-line program, for the evaluators :mod:`.numeric` (float64) and :mod:`.exact`
(mpmath): no ``lambdify``, which generates and ``exec``\\ s code.

Each *distinct* subexpression becomes one step, in post-order, so a formula whose parts are shared — a student's own
earlier answers substituted into a later one — costs its size as a graph, never as the (possibly exponential) tree.
Only the node types the whitelisting parsers can produce are known; anything else is a :class:`ValueError` that the
verdict reports as "cannot evaluate numerically".
"""
import sympy as sp

FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.tanh: "tanh", sp.Abs: "abs", sp.Heaviside: "step",
             sp.LambertW: "lambertw", sp.Max: "max",
             sp.Min: "min"}


def program(expr):
    """Steps ``(kind, payload, argument step indexes)``; the last step is ``expr``. Kinds: ``"symbol"`` (payload:
    the Symbol), ``"number"`` (payload: the SymPy number), ``"add"``, ``"mul"``, ``"pow"`` and the values of
    :data:`FUNCTIONS`."""
    index, steps, stack = {}, [], [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in index:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((a, False) for a in reversed(node.args) if a not in index and not _leaf(node))
            continue
        index[node] = len(steps)
        steps.append(_step(node, [index[a] for a in node.args] if not _leaf(node) else []))
    return steps


def _leaf(node):
    return node.is_Symbol or node.is_Number or node.is_NumberSymbol


def _step(node, args):
    if node.is_Symbol:
        return "symbol", node, ()
    if node.is_Number or node.is_NumberSymbol:
        return "number", node, ()
    if node.is_Add:
        return "add", None, tuple(args)
    if node.is_Mul:
        return "mul", None, tuple(args)
    if node.is_Pow:
        return "pow", None, tuple(args)
    if node.func in FUNCTIONS:
        return FUNCTIONS[node.func], None, tuple(args)
    raise ValueError(f"cannot evaluate {node.func.__name__} numerically")


def columns(steps, sample, n, operations, number):
    """The program's values at ``n`` points at once (``sample``: Symbol → list of ``n`` values): each operation takes
    its arguments' columns and returns a column, so the interpreter's cost per step is paid once, not per point."""
    values = []
    for kind, payload, args in steps:
        if kind == "symbol":
            values.append(sample[payload])
        elif kind == "number":
            values.append([number(payload)] * n)
        else:
            values.append(operations[kind](*[values[i] for i in args]))
    return values[-1]


def run(steps, point, operations, number):
    """The value of the program at ``point`` (Symbol → value) with ``operations`` (kind → function of the argument
    values) and ``number`` (SymPy number → value)."""
    values = []
    for kind, payload, args in steps:
        if kind == "symbol":
            values.append(point[payload])
        elif kind == "number":
            values.append(number(payload))
        else:
            values.append(operations[kind](*[values[i] for i in args]))
    return values[-1]
