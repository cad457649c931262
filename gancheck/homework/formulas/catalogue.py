"""The catalogue of homework quantities: ``catalogue.toml`` (names, symbols, meanings, allowed references) joined
with the reference formulas of :mod:`derivations.backprop` — the one place those formulas are written and proved.

For an entry and a generator loss this module gives what the checker needs: the :class:`Reference` (local form with
earlier quantities, expanded form with forward symbols only, for its whole chain), the parser's name table (forward
names, allowed earlier quantities, and a refusal message for every other quantity), and the :class:`Domain` the
numeric check samples. :func:`markdown_table` renders the catalogue for the docs.
"""
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import sympy as sp

from derivations import backprop
from gancheck import GancheckError

from .vocabulary import indicator, symbol

LOSSES = backprop.LOSSES
KINDS = ("real", "logit", "label", "batch", "relu_input")


@dataclass(frozen=True)
class Entry:
    """One quantity of the catalogue. ``chain`` is the backprop chain it belongs to ("D", "G"), or None for a
    stand-alone formula given by ``function`` of :mod:`derivations.backprop` applied to ``arguments`` (forward
    symbols' names; ``"net"`` and ``"loss"`` stand for the entry's net and the generator loss)."""

    name: str
    latex: str
    meaning: str
    may_use: tuple
    net: str
    chain: str | None
    key: str | None            # the quantity's name in backprop's chain ("D.x_bar" for "G.D.x_bar")
    function: str | None = None
    arguments: tuple = ()


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
    and ``labels`` (symbol → the name a student writes) for counterexamples."""

    kinds: dict
    definitions: dict
    labels: dict


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
def _data():
    text = resources.files(__package__).joinpath("catalogue.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=None)
def entries():
    """name → :class:`Entry`, in the homework's order; checked against :mod:`derivations.backprop`."""
    out = {}
    for row in _data()["quantity"]:
        name = row["name"]
        chain = None if "function" in row else name.split(".")[0]
        key = None if chain is None else name.split(".", 1)[1] if name.startswith("G.D.") else name
        out[name] = Entry(name, row["latex"], row["meaning"], tuple(row["may_use"]), row.get("net", chain), chain,
                          key, row.get("function"), tuple(row.get("arguments", ())))
    _validate(out)
    return out


def _validate(table):
    """The catalogue must cover backprop's chains exactly, and allow at least each formula's own dependencies."""
    for net in backprop.NETS:
        keys = [q.name for q in backprop.chain(net)]
        mine = [e.key for e in table.values() if e.chain == net]
        if mine != keys:
            raise RuntimeError(f"catalogue.toml chain {net} is {mine}, derivations.backprop has {keys}")
        by_key = {e.key: e for e in table.values() if e.chain == net}
        for position, q in enumerate(backprop.chain(net)):
            allowed = {by_key[table[m].key].key for m in by_key[q.name].may_use}
            earlier = set(keys[:position])
            if not set(q.depends_on) <= allowed <= earlier:
                raise RuntimeError(f"catalogue.toml: {by_key[q.name].name} may_use must include {q.depends_on} "
                                   "and only earlier quantities")


def entry(name):
    """The entry called ``name``; an unknown name is a :class:`GancheckError` listing the known ones."""
    table = entries()
    if name not in table:
        raise GancheckError(f"unknown quantity {name!r}; known: {', '.join(table)}")
    return table[name]


def _check_loss(loss):
    if loss not in LOSSES:
        raise GancheckError(f"unknown generator loss {loss!r}; choose from {', '.join(LOSSES)}")


@lru_cache(maxsize=None)
def reference(name, loss="nonsaturating"):
    """:class:`Reference` of entry ``name`` under the generator ``loss`` (D's own step ignores the loss)."""
    _check_loss(loss)
    e = entry(name)
    if e.chain is None:
        given = {**backprop.forward_symbols(e.net), "net": e.net, "loss": loss}
        value = _real(getattr(backprop, e.function)(*(given[a] for a in e.arguments)))
        return Reference(None, value, value, (), {})
    chain = backprop.chain(e.chain, loss)
    true = {_real(q.symbol): _real(q.expanded) for q in chain}
    q = next(q for q in chain if q.name == e.key)
    by_name = {q.name: _real(q.symbol) for q in chain}
    return Reference(_real(q.symbol), _real(q.local), _real(q.expanded), tuple(by_name[d] for d in q.depends_on),
                     true)


def student_name(e, other):
    """How an answer to ``e`` writes the entry ``other`` of the same chain: ``z_bar`` within D's step, ``D.x_bar``
    and ``y_bar`` within G's step."""
    key = other.key
    return key.split(".", 1)[1] if key.startswith(f"{e.net}.") else key


@lru_cache(maxsize=None)
def names(name, loss="nonsaturating"):
    """The parser's table for an answer to ``name``: forward names (also qualified, ``D.x``), the allowed earlier
    quantities (short and qualified), and for every other quantity of the net a message saying why it is refused."""
    e = entry(name)
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


@lru_cache(maxsize=None)
def domain(net):
    """The :class:`Domain` of ``net``'s forward symbols (for "G" also D's, which G's chain reaches)."""
    kinds_by_name = _data()["domains"]
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
    whitelisted printer/parser round trip and the numeric evaluator both know (backprop's relu is a Piecewise)."""

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
    """``expr`` in SymPy/Python syntax with the names an answer to ``e`` uses (``h*z_bar``, ``D.x_bar``)."""
    return sp.sstr(expr.xreplace({s: sp.Symbol(label) for s, label in labels(e.net, loss).items()}))
