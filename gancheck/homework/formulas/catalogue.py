"""The catalogue of homework quantities as data: ``catalogue.toml`` (names, lecture symbols, meanings, which earlier
quantities an answer may use). Plain TOML, no SymPy: the parent process reads it to order a sheet's answers and to
name unknown quantities, without ever touching a formula.

The reference formulas are *not* here: :mod:`.references` joins each entry with :mod:`derivations.backprop` (the one
place those formulas are written and proved) — or, for a stand-alone entry, with the ``function`` of a derivation
module it names; a lecture result beyond backprop (the optimal discriminator, the VAE's KL term, …) names the
``claim`` of a derivation instead, and :mod:`.lecture` gives its reference, names and domain.
"""
import difflib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from gancheck import GancheckError

LOSSES = ("nonsaturating", "minimax")   # the generator losses (derivations.backprop.LOSSES, checked in references)


@dataclass(frozen=True)
class Entry:
    """One quantity. ``chain`` is the backprop chain it belongs to ("D", "G"), or None for a stand-alone formula
    given by ``function`` of ``module`` applied to ``arguments`` (forward symbols' names; ``"net"`` and ``"loss"``
    stand for the entry's net and the generator loss)."""

    name: str
    latex: str
    meaning: str
    may_use: tuple
    net: str
    chain: str | None
    key: str | None            # the quantity's name in backprop's chain ("D.x_bar" for "G.D.x_bar")
    function: str | None = None
    arguments: tuple = ()
    module: str = "derivations.backprop"
    claim: tuple | None = None   # (derivation, claim label) of a lecture result (:mod:`.lecture`)
    within: tuple | None = None  # (derivation, claim label) of the set its one symbol lives in (dom f*)
    kinds: tuple = ()            # (name, sampling kind) overriding the kind a claim's symbol's assumptions give
    definitions: tuple = ()      # (name, formula) of names that stand for a formula (D = sigmoid(z))
    mistakes: tuple = ()         # (formula, diagnosis) of common wrong answers


class UnknownQuantity(GancheckError):
    """A name that is not in the catalogue; the message suggests the closest ones."""

    def __init__(self, name):
        close = suggest(name)
        hint = f"; did you mean {' or '.join(close)}?" if close else f"; known: {', '.join(entries())}"
        super().__init__(f"unknown quantity {name!r}{hint}")
        self.name, self.suggestions = name, close


@lru_cache(maxsize=None)
def data():
    """The parsed ``catalogue.toml``."""
    return tomllib.loads(resources.files(__package__).joinpath("catalogue.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def entries():
    """name → :class:`Entry`, in the homework's order."""
    out = {}
    for row in data()["quantity"]:
        name = row["name"]
        chain = None if "function" in row or "claim" in row else name.split(".")[0]
        key = None if chain is None else name.split(".", 1)[1] if name.startswith("G.D.") else name
        out[name] = Entry(name, row["latex"], row["meaning"], tuple(row["may_use"]), row.get("net", chain), chain,
                          key, row.get("function"), tuple(row.get("arguments", ())),
                          row.get("module", "derivations.backprop"), _pairs(row.get("claim")),
                          _pairs(row.get("within")),
                          *(tuple(map(_pairs, _items(row.get(k)))) for k in ("kinds", "definitions", "mistakes")))
    return out


def _items(table):
    return list(table.items()) if isinstance(table, dict) else table or ()


def _pairs(pair):
    return None if pair is None else tuple(pair)


def entry(name):
    """The entry called ``name``; an unknown name raises :class:`UnknownQuantity`."""
    table = entries()
    if name not in table:
        raise UnknownQuantity(name)
    return table[name]


def suggest(name, most=3):
    """Catalogue names a mistyped ``name`` probably means: the same name in another case or spelling
    (``d.zbar``, ``D.z̄``), the name under each net (``z_bar`` → ``D.z_bar``, ``G.D.z_bar``), close spellings."""
    known = list(entries())
    key = _normal(name)
    same = [k for k in known if _normal(k) == key]
    if same:
        return same
    nets = [k for k in known if _normal(k).endswith("." + key)]
    return nets or difflib.get_close_matches(str(name), known, n=most, cutoff=0.6)


def _normal(name):
    """Case, spaces and bar spellings folded: ``D.zbar``, ``d.z_bar``, ``D.z̄`` all become ``d.z_bar``."""
    text = "".join(str(name).split()).lower().replace("\u0304", "bar").replace("_bar", "bar")
    return text.replace("bar", "_bar")


def student_name(e, other):
    """How an answer to ``e`` writes the entry ``other`` of the same chain: ``z_bar`` within D's step, ``D.x_bar``
    and ``y_bar`` within G's step."""
    key = other.key
    return key.split(".", 1)[1] if key.startswith(f"{e.net}.") else key
