r"""The lecture's results beyond backprop as answer quantities: :math:`D^*(x) = a/(a+b)`, the integrand of
:math:`V(G, D^*)`, the JSD's upper bound :math:`\log 2`, the VAE's :math:`\mathrm{KL}(\mathcal N(μ, σ^2)\|\mathcal
N(0, 1)) = \tfrac12(μ^2 + σ^2 - 1 - \log σ^2)`, both generator losses' gradients :math:`-σ(z)`, :math:`-(1 - σ(z))`
and their ratio :math:`e^z`, :math:`W_1` of the parallel lines :math:`|θ|`, the weather example's entropies in bits.

Each catalogue entry names the :class:`~derivations.core.Claim` of the derivation that proves it (``claim =
["optimal-d", "D*"]``, see :mod:`derivations.registry`). Deciding an answer must not need NumPy — the derivation
modules import it, and a reader's browser has only SymPy and mpmath — so the claims' closed forms and their symbols'
domains are stored in ``lecture.toml``: printed by SymPy from the derivations themselves (:func:`generate`; ``python
-m gancheck.homework.formulas.lecture`` rewrites the file) and re-read here with the whitelisting parser. A test fails
the moment the file and the derivations differ, so the derivation stays the one place each formula is written.

A symbol declared positive in the claim (a density's value, σ) is sampled log-uniformly in :math:`[10^{-2},
10^{2}]`, a real one as :mod:`.numeric`'s ``real`` kind; an entry's ``kinds`` may choose another sampling (the
logit ``z``). Greek names may be written as letters (``μ``, ``σ``, ``θ``; ``\mu`` … in LaTeX).
"""
import json
import sys
import tomllib
from functools import lru_cache
from importlib import resources

import sympy as sp

from . import numeric
from .catalogue import entries, entry
from .intervals import confined
from .pysyntax import parse_python
from .vocabulary import PRINTED, STUDENT, symbol

STORE = "lecture.toml"
GREEK = {"mu": "μ", "sigma": "σ", "theta": "θ", "epsilon": "ε"}


@lru_cache(maxsize=None)
def stored():
    """entry name → {"claim": [derivation, label], "formula": SymPy text, "kinds": {symbol: kind}, "bounds": {symbol:
    {"low": …, "high": …}}} (``lecture.toml``; an end left out is infinite)."""
    return tomllib.loads(resources.files(__package__).joinpath(STORE).read_text(encoding="utf-8"))


def generate():
    """What ``lecture.toml`` must hold, computed from the derivations (imports them, hence NumPy): each lecture entry's
    claim printed by SymPy, its symbols' kinds from their assumptions, the interval its symbol is confined to where it
    names a domain claim (``within``). A printed form that does not read back as the very same expression is an
    error, so the stored text *is* the claim."""
    from derivations import registry

    out = {}
    for e in entries().values():
        if e.claim is None:
            continue
        rhs = sp.sympify(registry.claim(*e.claim).rhs)
        kinds = {}
        for s in sorted(rhs.free_symbols, key=lambda s: s.name):
            if not s.is_real:
                raise RuntimeError(f"{e.name}: the claim's symbol {s} is not declared real")
            kinds[s.name] = "positive" if s.is_positive else "real"
        formula = sp.sstr(rhs)
        if parse_python(formula, _symbols(kinds), PRINTED) != rhs:
            raise RuntimeError(f"{e.name}: {formula!r} does not read back as the claim {rhs}")
        out[e.name] = {"claim": list(e.claim), "formula": formula, "kinds": kinds,
                       "bounds": _bounds(e, registry.claim(*e.within).rhs, kinds) if e.within else {}}
    return out


def _bounds(e, region, kinds):
    """``{symbol: {"low": …, "high": …}}`` (SymPy text; an infinite end left out) of the open interval ``region``
    (all of ℝ: ``{}``)."""
    if region == sp.S.Reals:
        return {}
    if len(kinds) != 1 or not (isinstance(region, sp.Interval) and region.left_open and region.right_open):
        raise RuntimeError(f"{e.name}: its domain {region} is not an open interval of its one symbol")
    ends = {key: sp.sstr(x) for key, x in (("low", region.inf), ("high", region.sup)) if not x.is_infinite}
    return {next(iter(kinds)): ends}


def _ends(bounds, name):
    """(low, high) of ``name`` as SymPy numbers, None where unbounded."""
    ends = bounds.get(name, {})
    return tuple(parse_python(ends[k], {}, PRINTED) if k in ends else None for k in ("low", "high"))


def _symbols(kinds, bounds=None):
    """name → Symbol: with its kind's assumptions, or confined to its bounds (:mod:`.intervals`)."""
    return {name: confined(name, *_ends(bounds, name))[0] if bounds and name in bounds else symbol(name, kind)
            for name, kind in kinds.items()}


def _data(e):
    table = stored()
    if e.name not in table or tuple(table[e.name]["claim"]) != e.claim:
        raise RuntimeError(f"{STORE} is out of date for {e.name}: run python -m {__package__}.lecture")
    return table[e.name]


@lru_cache(maxsize=None)
def names(name):
    """The parser's table for an answer to the lecture entry ``name``: its symbols (also by their Greek letters) and
    the names of its ``definitions`` (``D`` → σ(z)), which stand for their formula."""
    e = entry(name)
    data = _data(e)
    out = _symbols(data["kinds"], data["bounds"])
    out.update({GREEK[n]: s for n, s in list(out.items()) if n in GREEK})
    for label, formula in e.definitions:
        out[label] = parse_python(formula, out, STUDENT)  # our own text, in the entry's symbols
    return out


@lru_cache(maxsize=None)
def reference(name):
    """The reference formula of the lecture entry ``name`` (the derivation's claim, as stored)."""
    return parse_python(_data(entry(name))["formula"], names(name), PRINTED)


@lru_cache(maxsize=None)
def domain(name):
    """The :class:`.references.Domain` of the lecture entry ``name``: its symbols, how each is sampled, and for one
    confined to an interval the parameter it is sampled as (hidden from counterexamples)."""
    from .references import Domain

    e, data = entry(name), _data(entry(name))
    overrides, symbols = dict(e.kinds), names(name)
    kinds, definitions, labels, hidden = {}, {}, {}, set()
    for n, kind in data["kinds"].items():
        s = symbols[n]
        labels[s] = n
        if n in data["bounds"]:
            _, u, definitions[s] = confined(n, *_ends(data["bounds"], n))
            kinds[u], labels[u] = "positive", u.name
            hidden.add(u.name)
        else:
            kinds[s] = overrides.get(n, kind)
    return Domain(kinds, definitions, labels, frozenset(hidden))


def describe(e):
    """The names an answer to ``e`` may use, with their domains: ``a, b > 0``; ``mu real, sigma > 0``."""
    data = _data(e)
    groups = {}
    for n, kind in data["kinds"].items():
        if n in data["bounds"]:
            low, high = (data["bounds"][n].get(k) for k in ("low", "high"))
            how = f"< {high}" if low is None else f"> {low}" if high is None else f"in ({low}, {high})"
        else:
            how = "> 0" if kind == "positive" else "real"
        groups.setdefault(how, []).append(n)
    parts = [f"{', '.join(ns)} {how}" for how, ns in groups.items()]
    parts += [f"{label} = {formula}" for label, formula in e.definitions]
    return "; ".join(parts)  # empty: a number, no names


def mistakes(case):
    """A lecture entry's diagnosis (a :class:`.diagnose.Case`): one of its listed common mistakes; for a number, the
    same value in nats rather than bits (or the reverse), or a rounded decimal."""
    e = case.entry
    if e.claim is None:
        return []
    for formula, why in e.mistakes:
        if case.matches(parse_python(formula, names(e.name), STUDENT)):
            return [why]
    R, S = case.decision.reference, case.decision.student
    if R.free_symbols or S.free_symbols:
        return []
    r, s = numeric.evaluate(R, {})[0], numeric.evaluate(S, {})[0]
    for factor, why in ((sp.log(2), "in nats: divide by log(2) for bits"),
                        (1 / sp.log(2), "in bits: this one is in nats")):
        if numeric.agree(s, r * float(factor)):
            return [why]
    if numeric.finite(r, s) and abs(s - r) <= 1e-3 * abs(r):
        return ["a rounded value: the checker compares exact values, so write the expression itself (e.g. with "
                "log2(0.11)), not its decimals"]
    return []


def as_toml(data):
    """``data`` (as :func:`generate` returns it) as the TOML of ``lecture.toml``: a table per entry, its strings
    quoted as JSON quotes them (which TOML's basic strings read the same)."""
    def value(x):
        if isinstance(x, dict):
            return "{" + ", ".join(f"{json.dumps(k)} = {value(v)}" for k, v in x.items()) + "}"
        if isinstance(x, list):
            return "[" + ", ".join(map(value, x)) + "]"
        return json.dumps(x, ensure_ascii=False)

    lines = [f"# Generated by python -m {__package__}.lecture from the claims of derivations/: do not edit."]
    for name, fields in data.items():
        lines += ["", f"[{json.dumps(name)}]"] + [f"{k} = {value(v)}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    path = resources.files(__package__).joinpath(STORE)
    with open(path, "w", encoding="utf-8") as f:
        f.write(as_toml(generate()))
    print(f"wrote {path}", file=sys.stderr)
