"""The catalogue's entries joined with their reference formulas (SymPy): :mod:`derivations.backprop`'s chains, or the
``function`` a stand-alone entry names, or (:mod:`.lecture`) the derivation's claim a lecture result names. Runs where
formulas are decided — the limited child, or the reader's browser
— never in the parent that only orders a sheet.

For an entry and a generator loss this module gives what the checker needs: the :class:`Reference` (local form with
earlier quantities, expanded form with forward symbols only, for its whole chain), the parser's name table (forward
names, allowed earlier quantities, and a refusal message for every other quantity), and the :class:`Domain` the
numeric check samples.
"""
import importlib
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from derivations import backprop
from gancheck import GancheckError

from . import lecture
from .catalogue import LOSSES, data, entries, entry, student_name
from .vocabulary import indicator, symbol

KINDS = ("real", "positive", "logit", "label", "batch", "relu_input")


@dataclass(frozen=True)
class Reference:
    """The reference of one entry under one loss, and the chain it lives in (``true``: symbol → expanded form)."""

    symbol: sp.Symbol | None
    local: sp.Expr
    expanded: sp.Expr
    depends_on: tuple          # symbols of the earlier quantities ``local`` uses
    true: dict


@dataclass(frozen=True)
class Domain:
    """Forward symbols of a net: sampling ``kinds``, ``definitions`` of the element-wise ones (y = σ(z), h = relu(g))
    and ``labels`` (symbol → the name a student writes) for counterexamples; ``hidden``: labels never shown in one
    (the parameter a variable confined to an interval is sampled as, :mod:`.intervals`)."""

    kinds: dict
    definitions: dict
    labels: dict
    hidden: frozenset = frozenset()


@lru_cache(maxsize=None)
def _assumed():
    """backprop's assumption-free symbols → the same names with their domain's assumptions (:func:`.symbol`)."""
    out = {}
    for net in backprop.NETS:
        for loss in LOSSES:
            for s in backprop.symbols(net, loss).values():
                out[s] = symbol(s.name, "batch" if s == backprop.N else "real")
    return out


def _real(expr):
    """``expr`` (from :mod:`derivations.backprop`) in the symbols answers are parsed into."""
    return expr.xreplace(_assumed())


def forward(net):
    """Student-facing forward name → Symbol (as answers are parsed), e.g. ``forward("D")["y"]``."""
    return {label: _real(s) for label, s in backprop.forward_symbols(net).items()}


N = symbol(backprop.N.name, "batch")


@lru_cache(maxsize=None)
def validated():
    """The catalogue, checked once against :mod:`derivations.backprop`: its chains exactly, in order, each answer
    allowed at least the formula's own dependencies and only earlier quantities; the same generator losses."""
    table = entries()
    if tuple(backprop.LOSSES) != LOSSES:
        raise RuntimeError(f"catalogue.LOSSES {LOSSES} differ from derivations.backprop's {backprop.LOSSES}")
    for net in backprop.NETS:
        keys = [q.name for q in backprop.chain(net)]
        mine = [e.key for e in table.values() if e.chain == net]
        if mine != keys:
            raise RuntimeError(f"catalogue.toml chain {net} is {mine}, derivations.backprop has {keys}")
        by_key = {e.key: e for e in table.values() if e.chain == net}
        for position, q in enumerate(backprop.chain(net)):
            allowed = {by_key[table[m].key].key for m in by_key[q.name].may_use}
            if not set(q.depends_on) <= allowed <= set(keys[:position]):
                raise RuntimeError(f"catalogue.toml: {by_key[q.name].name} may_use must include {q.depends_on} "
                                   "and only earlier quantities")
    return table


def _check_loss(loss):
    if loss not in LOSSES:
        raise GancheckError(f"unknown generator loss {loss!r}; choose from {', '.join(LOSSES)}")


@lru_cache(maxsize=None)
def reference(name, loss="nonsaturating"):
    """:class:`Reference` of entry ``name`` under the generator ``loss`` (D's own step ignores the loss)."""
    _check_loss(loss)
    validated()
    e = entry(name)
    if e.claim is not None:
        value = lecture.reference(name)
        return Reference(None, value, value, (), {})
    if e.chain is None:
        given = {**backprop.forward_symbols(e.net), "net": e.net, "loss": loss}
        function = getattr(importlib.import_module(e.module), e.function)
        value = _real(function(*(given[a] for a in e.arguments)))
        return Reference(None, value, value, (), {})
    chain = backprop.chain(e.chain, loss)
    true = {_real(q.symbol): _real(q.expanded) for q in chain}
    q = next(q for q in chain if q.name == e.key)
    by_name = {q.name: _real(q.symbol) for q in chain}
    return Reference(_real(q.symbol), _real(q.local), _real(q.expanded), tuple(by_name[d] for d in q.depends_on),
                     true)


@lru_cache(maxsize=None)
def names(name, loss="nonsaturating"):
    """The parser's table for an answer to ``name``: forward names (also qualified, ``D.x``), the allowed earlier
    quantities (short and qualified), and for every other quantity of the net a message saying why it is refused. A
    lecture result has its own names (:func:`.lecture.names`)."""
    e = entry(name)
    if e.claim is not None:
        return lecture.names(name)
    out = {}
    for short, s in backprop.symbols(e.net, loss).items():
        out[short] = _real(s)
        if "." not in short and s != backprop.N:
            out[f"{e.net}.{short}"] = _real(s)
    quantities = {_real(q.symbol) for net in (e.net, "D") for q in backprop.chain(net, loss)}
    allowed = {reference(m, loss).symbol for m in e.may_use}
    uses = ", ".join(student_name(e, entry(m)) for m in e.may_use) or "no other quantity"
    for short, s in list(out.items()):
        if s in quantities and s not in allowed:
            out[short] = f"'{short}' may not be used in {name} (it may use: {uses})"
    return out


def entry_domain(e):
    """The :class:`Domain` an answer to the entry ``e`` is compared on: its net's, or a lecture result's own."""
    return lecture.domain(e.name) if e.claim is not None else domain(e.net)


@lru_cache(maxsize=None)
def domain(net):
    """The :class:`Domain` of ``net``'s forward symbols (for "G" also D's, which G's chain reaches)."""
    kinds_by_name = data()["domains"]
    definitions = {_real(s): _real(_without_piecewise(v))
                   for s, v in backprop.elementwise_definitions(net).items()}
    kinds = {}
    for label, s in forward(net).items():
        kind = kinds_by_name.get(label.split(".")[-1], "real")
        if kind not in KINDS:
            raise RuntimeError(f"catalogue.toml: unknown domain {kind!r} for {label}")
        if s not in definitions:
            kinds[s] = kind
    return Domain(kinds, definitions, {s: label for label, s in forward(net).items()})


def _without_piecewise(expr):
    """Rewrite ``Piecewise((a, cond), (b, True))`` as ``a·1[cond] + b·(1 − 1[cond])`` with Heaviside steps, which the
    whitelisted parser and the numeric evaluators know (backprop's relu is a Piecewise)."""

    def rewrite(*pieces):
        (a, cond), (b, otherwise) = pieces
        if otherwise is not sp.true or not isinstance(cond, sp.core.relational.Relational):
            raise RuntimeError(f"unsupported Piecewise in backprop's definitions: {pieces}")
        step = indicator(cond.lhs, cond.rel_op, cond.rhs, column=1)
        return a * step + b * (1 - step)

    return expr.replace(lambda node: isinstance(node, sp.Piecewise), lambda node: rewrite(*node.args))


def labels(net, loss="nonsaturating"):
    """symbol → the name an answer for ``net`` writes for it (the unqualified one where both exist)."""
    return {_real(s): label for label, s in reversed(backprop.symbols(net, loss).items())}


def show(e, expr, loss="nonsaturating"):
    """``expr`` (a reference: the student's text is shown as they wrote it) in SymPy/Python syntax with the names an
    answer to ``e`` uses (``h*z_bar``, ``D.x_bar``)."""
    if e.claim is not None:  # a lecture result's symbols carry the names an answer writes
        return sp.sstr(expr)
    return sp.sstr(expr.xreplace({s: sp.Symbol(label) for s, label in labels(e.net, loss).items()}))
