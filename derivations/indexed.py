r"""Evaluate a scalar-form formula (``W_bar = z_bar*h``) at explicit sizes, with the implicit sums made explicit.

Each symbol has an index signature (:func:`derivations.backprop.index_roles`): ``h`` is :math:`h_{nl}`, ``W`` is
:math:`W_l`, ... For a target with indices ``target`` (``W_bar``: ``("l",)``) every term of the formula is evaluated
on the grid of all its indices and summed over the indices the target lacks — the Einstein convention, term by term:

.. math:: \bar W_l = \sum_n \bar z_n\, h_{nl}

The same code runs on float arrays (lambdified NumPy, for the numeric checks at the real sizes) and on object arrays of
SymPy expressions (for the symbolic proofs at small sizes), so the proofs and the checks read the formulas alike.
"""
from functools import lru_cache

import numpy as np
import sympy as sp


@lru_cache(maxsize=4096)
def _numpy_function(symbols, term):
    return sp.lambdify(symbols, term, "numpy")


def _sympy_function(symbols, term):
    return np.frompyfunc(lambda *values: term.xreplace(dict(zip(symbols, values))), len(symbols), 1)


def _term(term, target, arrays, roles, symbolic):
    symbols = tuple(sorted(term.free_symbols, key=str))
    missing = [s for s in symbols if s not in arrays]
    if missing:
        raise ValueError(f"no values for {missing} in {term}")
    letters = list(target)
    for s in symbols:
        letters += [ix for ix in roles[s] if ix not in letters]
    views = []
    for s in symbols:
        a = np.asarray(arrays[s])
        order = [roles[s].index(ix) for ix in letters if ix in roles[s]]  # the symbol's axes in grid order
        shape = [a.shape[roles[s].index(ix)] if ix in roles[s] else 1 for ix in letters]
        views.append(a.transpose(order).reshape(shape))
    if not symbols:  # a constant term: the sum over no index is the constant itself
        return np.asarray(float(term) if not symbolic else term, dtype=object if symbolic else float)
    f = _sympy_function(symbols, term) if symbolic else _numpy_function(symbols, term)
    value = np.broadcast_to(f(*views), np.broadcast_shapes(*(v.shape for v in views)))
    return value.sum(axis=tuple(range(len(target), len(letters)))) if len(letters) > len(target) else value


def evaluate(expr, target, arrays, roles, *, symbolic=False):
    """``expr`` (a SymPy expression in symbols with index signatures ``roles``) on arrays ``arrays`` (symbol →
    array, axes in the order of its signature), summed over every index a term has and ``target`` lacks; returns an
    array with axes ``target``. ``symbolic=True`` takes object arrays of SymPy expressions and returns one."""
    terms = sp.Add.make_args(sp.expand_mul(expr))
    out = None
    for term in terms:
        value = _term(term, tuple(target), arrays, roles, symbolic)
        out = value if out is None else out + value
    return np.asarray(out, dtype=object if symbolic else float)
