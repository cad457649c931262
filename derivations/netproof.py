r"""Prove a backprop chain (:mod:`derivations.backprop`) by differentiating the whole loss at explicit small sizes.

The network is described top-down as :class:`Level` s. Level 0 holds the loss in scalar form (summed over the batch by
:mod:`derivations.indexed`) as a function of the top activations' element symbols :math:`z_n`; each further level
substitutes one layer, e.g. :math:`z_n \to \sum_l W_l h_{nl} + c`, then :math:`h_{nl} \to \mathrm{relu}(g_{nl})`, so the
loss at level :math:`k` is the *composite* loss as a function of that level's variables (the leaves). A quantity that
lives at level :math:`k` (``W_bar`` at the level of :math:`W, h, c`) is then, element by element,

.. math:: \bar W_l \overset{?}{=} \frac{\partial L}{\partial W_l} \quad\text{(SymPy's derivative of the composite)}

compared with the claimed scalar form evaluated at the same sizes. To compare, the derivative is re-abbreviated:
every sub-expression that is the value of a forward variable (the sum that is :math:`z_n`, the ``Relu(...)`` that is
:math:`h_{nl}`) is replaced by that variable's element symbol, which is sound (an identity in free symbols holds for
any values substituted) and keeps the decision small.

The loss is written with :class:`derivations.activations.Softplus` and the ReLU with
:class:`derivations.activations.Relu`, whose derivative rules are proved lemmas, so the derivative is a polynomial in
the atoms :math:`σ(z_n)` and :math:`\mathbb 1[g > 0]`, decided by expansion.
"""
import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from . import backprop as bp
from .activations import ReluPrime, Sigmoid
from .decide import rational_zero
from .indexed import evaluate


@dataclass(frozen=True)
class Level:
    """One layer substituted: ``substitution`` maps an upper variable to its scalar form in this level's variables;
    ``quantities`` are the names (``"D.W_bar"``) of the chain's quantities differentiated at this level."""

    substitution: dict
    quantities: tuple


def _leaf_of(name):
    """The forward symbol a quantity differentiates by: ``"G.U_bar"`` → ``U_G``."""
    net, rest = name.split(".")
    return bp.forward_symbols(net)[rest[: -len("_bar")]]


class ChainProof:
    """The composite-loss proof of one chain at sizes ``sizes`` (index letter → size)."""

    def __init__(self, loss, levels, chain, sizes):
        self.loss, self.levels, self.sizes = loss, tuple(levels), dict(sizes)
        self.chain = {q.name: q for q in chain}
        self.roles = bp.index_roles()
        self._elements = {}

    def elements(self, s):
        """Object array of the element symbols of ``s``, e.g. ``h_D[0,2]``."""
        if s not in self._elements:
            shape = tuple(self.sizes[ix] for ix in self.roles[s])
            arr = np.empty(shape, dtype=object)
            for idx in itertools.product(*map(range, shape)):
                arr[idx] = sp.Symbol(f"{s.name}[{','.join(map(str, idx))}]")
            self._elements[s] = arr
        return self._elements[s]

    @cached_property
    def _arrays(self):
        """Element arrays of every forward symbol at the leaves, with :math:`y_D = σ(z_D)`."""
        arrays = {s: self.elements(s) for s, ix in self.roles.items()
                  if s != bp.N and s not in self._bars and set(ix) <= set(self.sizes)}
        d = bp.forward_symbols("D")
        arrays[d["y"]] = np.vectorize(Sigmoid, otypes=[object])(self.elements(d["z"]))
        arrays[bp.N] = np.array(bp.N, dtype=object)
        return arrays

    @cached_property
    def _bars(self):
        return {q.symbol for q in self.chain.values()}

    @cached_property
    def derived(self):
        """Name → object array of SymPy's derivative of the composite loss by each element, re-abbreviated."""
        loss = evaluate(self.loss, (), self._arrays, self.roles, symbolic=True)[()]
        values, out = {}, {}  # values: element symbol → its expression in the current leaves
        for level in self.levels:
            rep = {}
            for s, form in level.substitution.items():
                new = np.broadcast_to(evaluate(form, self.roles[s], self._arrays, self.roles, symbolic=True),
                                      self.elements(s).shape)
                rep.update(zip(self.elements(s).flat, new.flat))
            loss = loss.xreplace(rep)
            values = {e: v.xreplace(rep) for e, v in values.items()} | rep
            abbreviate = {v: e for e, v in values.items()} | {-v: -e for e, v in values.items()}
            for name in level.quantities:
                leaf = self.elements(_leaf_of(name))
                out[name] = np.array([sp.diff(loss, e).xreplace(abbreviate).replace(ReluPrime, bp.relu_prime)
                                      for e in leaf.flat], dtype=object).reshape(leaf.shape)
        return out

    @cached_property
    def reference(self):
        """Name → object array of the chain's own forms at these sizes (earlier quantities substituted)."""
        arrays, out = dict(self._arrays), {}
        for name, q in self.chain.items():
            out[name] = self.instantiate(q.local, name, arrays)
            arrays[q.symbol] = out[name]
        return out

    def instantiate(self, form, name, arrays=None):
        """``form`` (claimed for quantity ``name``) as an object array of element expressions."""
        arrays = dict(self._arrays) | {self.chain[n].symbol: a for n, a in self.reference.items()} \
            if arrays is None else arrays
        target = self.roles[self.chain[name].symbol]
        shape = tuple(self.sizes[ix] for ix in target)
        return np.broadcast_to(evaluate(sp.sympify(form), target, arrays, self.roles, symbolic=True), shape)

    def decide(self, name, form):
        """True when ``form`` equals the derivative for every element: earlier quantities in ``form`` take the chain's
        reference values, so each claim is judged on its own."""
        claimed = self.instantiate(form, name)
        return all(_zero(d - c) for d, c in zip(self.derived[name].flat, claimed.flat))


def _zero(d):
    """Exact: a polynomial in the atoms σ(z_n), 1[g > 0] and the symbols that expands to 0; failing that (a claimed form
    written with exponentials, say), the same after rewriting σ and ζ as exponentials (:func:`rational_zero`)."""
    return sp.expand(d) == 0 or rational_zero(d.rewrite(sp.exp))
