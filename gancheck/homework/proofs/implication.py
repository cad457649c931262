r"""An implication step :math:`H \Rightarrow C` — the hypothesis H (a relation assumed, such as the first-order
condition :math:`a/D - b/(1-D) = 0`) and the conclusion C — under the proof's assumptions:

* H an equation :math:`h = 0` (its two sides subtracted) and C one, :math:`c = 0`: **implied** if
  :math:`c = k\,h` with :math:`k` defined on the whole domain (multiplying by :math:`D(1-D)`, dividing by a positive
  factor); else H is **solved** for a declared symbol (SymPy's ``solve``), its solutions inside that symbol's declared
  domain substituted into C, and C decided as a step of its own — each solution must satisfy it, and one that does
  not is a counterexample where H holds and C fails;
* H an inequality :math:`h \ge 0` and C one, :math:`c \ge 0`: implied if :math:`c = k\,h` with :math:`k > 0`, if
  :math:`c - h \ge 0`, or if C applies an increasing function (log, exp, √) to both sides of H; else a counterexample
  search among the points where H holds (:mod:`.search`). A strict conclusion :math:`c > 0` is proved this way only
  from a strict hypothesis: :math:`x \ge y` does not give :math:`x - y + 1 > 1`, and H's edge :math:`h = 0`,
  solved as above, is where the counterexample is looked for first (:math:`x = y`).

An equation H that no point of the domain satisfies (:math:`a/D + b/(1-D) = 0` with :math:`a, b > 0`,
:math:`0 < D < 1` — a derivative with a sign error) implies anything: **implied**, "vacuously", with a note, since
it usually means the line it came from is wrong. What none of this settles is "undecided", with the reason.
"""
import math
import random

import sympy as sp

from gancheck.homework.formulas import exact, numeric, symbolic

from . import inequality
from .outcome import EQUAL, FALSE, IMPLIED, NOT_EQUAL, UNDECIDED, Outcome
from .search import Search

MAX_SOLUTIONS, MAX_UNKNOWNS, SAMPLES = 4, 3, 32
VACUOUS = ("the hypothesis never holds under the assumptions (its two sides differ everywhere there), so anything "
           "follows from it: the implication is true but says nothing — check where the hypothesis came from")
_INCREASING = (sp.log, sp.exp, sp.sqrt)


def gap(relation):
    """``(small, big, strict)`` of an inequality, or ``(left, right, None)`` of an equation."""
    left, op, right = relation
    if op in ("<=", "<"):
        return left, right, op == "<"
    if op in (">=", ">"):
        return right, left, op == ">"
    return left, right, None


def decide(premise, conclusion, scope, seed, relation):
    """:class:`.outcome.Outcome` of ``premise ⇒ conclusion`` (each ``(left, op, right)`` in the student's symbols);
    ``relation(left, op, right, scope, seed)`` decides a relation with no hypothesis (used once H is solved)."""
    hs, hb, h_strict = gap(premise)
    cs, cb, c_strict = gap(conclusion)
    h, c = hb - hs, cb - cs
    if h_strict is None:
        if _never_zero(h, scope):
            return Outcome(IMPLIED, "proved (vacuously)", notes=[VACUOUS])
        if c_strict is None and _multiple(c, h, scope, positive=False):
            return Outcome(IMPLIED, "proved (a multiple of the hypothesis)")
        return _solved(premise, conclusion, scope, seed, relation)
    if c_strict is not None and (h_strict or not c_strict):  # h ≥ 0 gives c ≥ 0, h > 0 also c > 0
        if (_multiple(c, h, scope, positive=True) or _monotone(premise, conclusion)
                or inequality.nonnegative((c - h).xreplace(scope.definitions))):
            return Outcome(IMPLIED, "proved (from the hypothesis)")
    if c_strict and not h_strict:  # h ≥ 0 at its edge h = 0 is where a strict conclusion fails first
        edge = _solved((hs, "=", hb), conclusion, scope, seed, relation)
        if edge.status == FALSE and all(_within(x, s, scope, edge.counterexample["point"])
                                        for s, x in edge.counterexample["solved"].items()):
            return edge
    return _searched(premise, conclusion, scope, seed)


def _never_zero(h, scope):
    """``h`` has one sign on the whole domain: its numerator over a common denominator, as it stands or factored, is
    positive or negative (SymPy's sign rules, in the positive parameters of :mod:`.assumptions`)."""
    numerator, _ = sp.fraction(sp.together(h.xreplace(scope.definitions)))
    return any(e.is_positive or e.is_negative for e in (numerator, sp.factor(numerator)))


def _multiple(c, h, scope, positive):
    """``c = k·h`` with ``k`` finite on the domain (and positive if ``positive``)."""
    if h == 0:
        return False
    k = sp.cancel(sp.together((c / h).xreplace(scope.definitions)))
    numerator, denominator = sp.fraction(k)
    if not (denominator.is_positive or denominator.is_negative):
        return False
    return bool(k.is_positive) if positive else True


def _monotone(premise, conclusion):
    """C is an increasing function applied to both sides of H."""
    hs, hb, _ = gap(premise)
    cs, cb, _ = gap(conclusion)
    return any(sp.cancel(f(hs) - cs) == 0 and sp.cancel(f(hb) - cb) == 0 for f in _INCREASING)


def _solved(premise, conclusion, scope, seed, relation):
    h = premise[0] - premise[2]
    used = set().union(conclusion[0].free_symbols, conclusion[2].free_symbols)
    unknowns = sorted((s for s in scope.variables() if s in h.free_symbols), key=lambda s: (s not in used, s.name))
    for s in unknowns[:MAX_UNKNOWNS]:
        try:
            solutions = sp.solve(h, s, dict=False)
        except symbolic.Timeout:
            raise
        except Exception:  # noqa: BLE001 — "solve cannot" is an answer, not a crash
            continue
        solutions = [x for x in solutions if not x.has(sp.I, sp.zoo, sp.nan)][:MAX_SOLUTIONS]
        inside = [x for x in solutions if _inside(x, s, scope)]
        if not solutions:
            continue
        for x in inside or solutions:  # none inside the assumptions: the algebra is checked all the same
            result = relation(conclusion[0].xreplace({s: x}), conclusion[1], conclusion[2].xreplace({s: x}), scope,
                              seed)
            if result.status in (NOT_EQUAL, FALSE):
                raw = result.counterexample
                sides = [e.xreplace({s: x}).xreplace(scope.definitions) for e in (premise[0], premise[2])]
                _complete(raw["point"], [*sides, x.xreplace(scope.definitions)], scope, seed)
                raw["values"] = [exact.value(e, raw["point"]) for e in sides] + raw["values"]
                raw["solved"] = {s: x}
                result.status = FALSE
                result.notes.append(f"the hypothesis holds where {scope.labels[s]} = {sp.sstr(x)}, and there the "
                                    "conclusion does not")
                return result
            if result.status not in (EQUAL, IMPLIED):
                result.notes.append(f"the hypothesis solved for {scope.labels[s]}: {sp.sstr(x)}")
                return result
        how = ", ".join(sp.sstr(x) for x in inside or solutions)
        notes = [] if inside else [f"no point satisfies the hypothesis and the assumptions: its solution "
                                   f"{scope.labels[s]} = {how} lies outside them"]
        return Outcome(IMPLIED, f"proved (the hypothesis gives {scope.labels[s]} = {how})", notes=notes)
    return Outcome(UNDECIDED, "not proved", notes=["SymPy could not solve the hypothesis for a declared name, and the "
                                                   "conclusion is not a multiple of it"])


def _complete(point, exprs, scope, seed):
    """``point`` given a value for each parameter of ``exprs`` it lacks — one the conclusion, once solved, no longer
    has (``x = y`` makes ``x - y + 1`` a number) — a round value of its domain."""
    missing = {v: scope.kinds[v] for e in exprs for v in sorted(e.free_symbols, key=str)
               if v in scope.kinds and v not in point}
    for v, values in numeric.nice_sample(missing, random.Random(seed), 1).items():
        point[v] = repr(values[0])


def _inside(x, s, scope):
    """The solution ``x`` for ``s`` is inside ``s``'s declared bounds at some sampled point of the rest."""
    low, high = scope.bounds.get(s, (None, None))
    value = x.xreplace(scope.definitions)
    kinds = {v: scope.kinds[v] for v in value.free_symbols if v in scope.kinds}
    try:
        values = numeric.evaluate(value, numeric.sample(kinds, random.Random(0), SAMPLES))
    except ValueError:
        return False
    return any(math.isfinite(v) and (low is None or v > low) and (high is None or v < high) for v in values)


def _within(x, s, scope, point):
    """The solution ``x`` for ``s`` is inside ``s``'s declared bounds at ``point`` (the other parameters' values)."""
    low, high = scope.bounds.get(s, (None, None))
    try:
        v = exact.value(x.xreplace(scope.definitions), point)
    except (exact.Undefined, exact.Unknown):
        return False
    return v is not None and v.imag == 0 and (low is None or v.real > low) and (high is None or v.real < high)


def _ordered(small, big, op):
    """The values of (small, big) as (left, right) of the relation ``op``."""
    return (big, small) if op in (">=", ">") else (small, big)


def _searched(premise, conclusion, scope, seed):
    (hs, hb, h_strict), (cs, cb, c_strict) = gap(premise), gap(conclusion)
    hs, hb, cs, cb = (e.xreplace(scope.definitions) for e in (hs, hb, cs, cb))

    def margin(v):
        holds = v[1] - v[0] > 0 if h_strict else v[1] - v[0] >= 0
        if not holds:
            return None
        return v[3] - v[2] if c_strict is not None else -abs(v[3] - v[2])

    try:
        search = Search([hs, hb, cs, cb], margin, scope.kinds, seed, bool(c_strict))
        found = search.scan() or search.descend()
    except ValueError as exc:
        return Outcome(UNDECIDED, "not attempted", notes=[f"cannot evaluate numerically: {exc}"])
    if found:
        point, (hs, hb, cs, cb) = found
        values = [*_ordered(hs, hb, premise[1]), *_ordered(cs, cb, conclusion[1])]
        return Outcome(FALSE, "counterexample re-checked exactly", {"point": point, "values": values})
    return Outcome(UNDECIDED, "not proved", notes=["no counterexample among the sampled points where the hypothesis "
                                                   "holds, but SymPy could not prove the implication"])

