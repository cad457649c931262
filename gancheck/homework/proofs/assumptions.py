r"""A proof's declared assumptions: the symbols its lines are read in, and a domain whose every sampled point satisfies
every declaration. One declaration per string of ``assume`` (``≤``, ``≥`` and ``∈ ℝ`` may be written so):

=========================================  ===========================================================================
``mu, z real``                             real symbols
``a, b > 0`` (``≥ 0``)                     positive symbols, sampled log-uniformly in :math:`[10^{-2}, 10^2]`
``x > c``, ``x < c``, ``c1 < x < c2``       confined by a positive parameter (``0 < D < 1``, ``t < log(2)``;
                                           :mod:`gancheck.homework.formulas.intervals`)
``p, q distributions on 4 points``         :math:`p_k = w_k/\sum_j w_j`, :math:`w_k > 0`: names ``p_1`` … ``p_4``,
                                           ``p_i`` inside ``sum(…, i)``, and ``p`` in ``KL(p, q)``
``eps ~ N(0, 1)``, ``x ~ N(mu, sigma^2)``  real, and ``E(…, x)`` integrates a polynomial in x against the normal
=========================================  ===========================================================================

Why reparameterise: SymPy's assumptions say *positive*, never *less than 1* or *sums to 1*. With :math:`D = u/(1+u)`
it knows :math:`1 - D = 1/(1+u) > 0`; with :math:`p_k = w_k/\sum w` the normalisation :math:`\sum_k p_k = 1` is an
identity, so forgetting :math:`\int p = 1` is a *wrong* step, not an undecidable one. The numeric side samples the
parameters :math:`u`, :math:`w` independently. "On n points" with a name n checks the proof
on :data:`POINTS` points (and n stands for that number).
"""
import re
from dataclasses import dataclass, field

import sympy as sp

from gancheck import GancheckError
from gancheck.homework.formulas.pysyntax import parse_python
from gancheck.homework.formulas.intervals import confined
from gancheck.homework.formulas.references import Domain
from gancheck.homework.formulas.vocabulary import CONSTANTS, FUNCTIONS, ParseError, symbol

POINTS, MAX_POINTS = 4, 8
INDICES = ("i", "j")
GREEK = {"mu": "μ", "sigma": "σ", "theta": "θ", "epsilon": "ε", "varepsilon": "ε", "eps": "ε", "alpha": "α",
         "beta": "β", "gamma": "γ", "delta": "δ", "tau": "τ", "phi": "φ"}
_NAMES = r"[^\W\d]\w*(?:\s*,\s*[^\W\d]\w*)*"
_FORMS = (  # (kind, pattern) tried in order; "names" is the declared names
    ("real", re.compile(rf"(?P<names>{_NAMES})\s+(?:is\s+|are\s+)?real")),
    ("distribution", re.compile(rf"(?P<names>{_NAMES})\s+(?:is\s+|are\s+)?(?:a\s+)?distributions?\s+on\s+"
                                r"(?P<n>\w+)\s+points?")),
    ("normal", re.compile(rf"(?P<names>{_NAMES})\s*~\s*N\((?P<mean>[^,]+),(?P<variance>[^,]+)\)")),
    ("between", re.compile(rf"(?P<low>[^<>]+?)\s*<=?\s*(?P<names>{_NAMES})\s*<=?\s*(?P<high>[^<>]+)")),
    ("bound", re.compile(rf"(?P<names>{_NAMES})\s*(?P<op>[<>]=?)\s*(?P<value>[^<>]+)")),
)
_EXAMPLES = "a, b > 0; 0 < D < 1; mu real; p, q distributions on 4 points; eps ~ N(0, 1)"


@dataclass
class Scope:
    """What a proof's lines are read in and decided on."""

    names: dict = field(default_factory=dict)          # name → Symbol, or expression (a definition, n = 4)
    kinds: dict = field(default_factory=dict)          # sampled Symbol → kind (:mod:`.numeric`'s)
    definitions: dict = field(default_factory=dict)    # declared Symbol → expression in sampled ones
    labels: dict = field(default_factory=dict)         # Symbol → the name shown in a counterexample
    hidden: set = field(default_factory=set)           # labels of parameters never shown (u, w)
    distributions: dict = field(default_factory=dict)  # marker Symbol ``p`` → its points (p_1, …, p_n)
    placeholders: dict = field(default_factory=dict)   # index Symbol → {``p_i`` placeholder: its points}
    normals: dict = field(default_factory=dict)        # Symbol → (mean, variance)
    bounds: dict = field(default_factory=dict)         # declared Symbol → (low, high), None where unbounded
    points: int = 0
    declared: list = field(default_factory=list)       # the declarations, for the report

    @property
    def domain(self):
        return Domain(self.kinds, self.definitions, self.labels)

    def variables(self):
        """Declared symbols (a step may differentiate, substitute or solve for them), in declaration order."""
        return [s for s, label in self.labels.items() if label not in self.hidden]


def declare(scope, text):
    """Add the declaration ``text`` to ``scope``; a declaration it cannot read is a :class:`GancheckError`."""
    clean = " ".join(text.replace("≤", "<=").replace("≥", ">=").replace("∈ ℝ", " real").replace("∈ R", " real")
                     .split())
    for kind, pattern in _FORMS:
        m = pattern.fullmatch(clean)
        if m:
            names = [n.strip() for n in m["names"].split(",")]
            for name in names:
                _check_new(scope, name)
            _DECLARE[kind](scope, names, m)
            scope.declared.append(clean)
            return
    raise GancheckError(f"cannot read the assumption {clean[:60]!r} (write e.g. {_EXAMPLES})")


def _check_new(scope, name):
    if name in scope.names or name in FUNCTIONS or name in CONSTANTS or name in INDICES or name.startswith("__"):
        raise GancheckError(f"{name!r} cannot be declared: it is already a name, a function or an index here")


def _add(scope, name, s, kind=None, definition=None):
    scope.names[name] = s
    letter = GREEK.get(name, name if name in GREEK.values() else None)
    for alias in (letter, *(g for g, x in GREEK.items() if x == letter)) if letter else ():
        scope.names.setdefault(alias, s)  # μ for mu, and mu (LaTeX's \mu) for μ; eps, ε, \varepsilon alike
    scope.labels[s] = name
    if kind is not None:
        scope.kinds[s] = kind
    if definition is not None:
        scope.definitions[s] = definition


def _confined(scope, name, low, high):
    x, u, definition = confined(name, low, high)
    if u is None:
        _add(scope, name, x, "positive" if x.is_positive else "real")
    else:
        scope.labels[u], scope.kinds[u] = u.name, "positive"
        scope.hidden.add(u.name)
        _add(scope, name, x, definition=definition)
    scope.bounds[x] = tuple(None if c is None else float(c) for c in (low, high))


def _parameter(scope, name):
    u = sp.Symbol(f"{name}'", positive=True)
    scope.labels[u], scope.kinds[u] = u.name, "positive"
    scope.hidden.add(u.name)
    return u


def _constant(text):
    try:
        value = parse_python(text.strip(), {})
    except ParseError as exc:
        raise GancheckError(f"a bound must be a number such as 0, 1 or log(2): {exc}") from None
    if value.free_symbols or not value.is_real or not value.is_finite:
        raise GancheckError(f"a bound must be a finite real number, not {text.strip()[:40]!r}")
    return value


def _real(scope, names, m):
    for name in names:
        _add(scope, name, symbol(name, "real"), "real")


def _bound(scope, names, m):
    c = _constant(m["value"])
    for name in names:
        _confined(scope, name, *((c, None) if m["op"].startswith(">") else (None, c)))


def _between(scope, names, m):
    low, high = _constant(m["low"]), _constant(m["high"])
    if not low < high:
        raise GancheckError(f"the bounds {m['low'].strip()} < … < {m['high'].strip()} leave no room")
    for name in names:
        _confined(scope, name, low, high)


def _distribution(scope, names, m):
    n = m["n"]
    size = int(n) if n.isdigit() else POINTS
    if not 2 <= size <= MAX_POINTS or (scope.points and size != scope.points):
        raise GancheckError(f"distributions are on 2 to {MAX_POINTS} points, all on the same number")
    if not n.isdigit() and n not in scope.names:
        _check_new(scope, n)
        scope.names[n] = sp.Integer(size)
    scope.points = size
    indices = [sp.Symbol(i, integer=True) for i in INDICES]
    for index in indices:
        scope.names.setdefault(index.name, index)
    for name in names:
        weights = [_parameter(scope, f"{name}_{k}") for k in range(1, size + 1)]
        points = tuple(sp.Symbol(f"{name}_{k}", positive=True) for k in range(1, size + 1))
        for s, w in zip(points, weights):
            _add(scope, s.name, s, definition=w / sp.Add(*weights))
        marker = sp.Symbol(name)
        scope.names[name], scope.distributions[marker] = marker, points
        for index in indices:
            placeholder = sp.Symbol(f"{name}_{index.name}")
            scope.names[placeholder.name] = placeholder
            scope.placeholders.setdefault(index, {})[placeholder] = points


def _normal(scope, names, m):
    mean, variance = (parse_python(m[k].strip(), scope.names) for k in ("mean", "variance"))
    if variance.is_positive is not True:
        raise GancheckError(f"the variance of N({m['mean'].strip()}, {m['variance'].strip()}) must be positive "
                            "(declare its symbols > 0 first)")
    for name in names:
        s = symbol(name, "real")
        _add(scope, name, s, "real")
        scope.normals[s] = (mean, variance)


_DECLARE = {"real": _real, "bound": _bound, "between": _between, "distribution": _distribution, "normal": _normal}
