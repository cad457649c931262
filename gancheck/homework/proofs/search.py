r"""The counterexample search for a relation that is not an equality: a point of the domain where it fails, found in
float64 and confirmed exactly — the numeric half of "checked with SymPy where it can and by a counterexample search
where it cannot".

A relation is given by expressions (its sides, and a hypothesis' sides) and a *margin* of their values, negative
where it fails — :math:`B - A` for :math:`A \le B`; for a strict :math:`A < B` a margin of 0 fails too. Candidates:
``CANDIDATES`` round-valued points, ``POINTS`` random ones (:mod:`gancheck.homework.formulas.numeric`), then a
descent from the ``STARTS`` lowest: coordinate steps (additive for a real parameter, multiplicative for a positive
one) halving from 1 over ``ROUNDS`` rounds, every neighbour of a round evaluated at once. A float64 margin below
:math:`-10^{-9}\max(1, |\text{values}|)` is a candidate; it counts only if the values at the same decimal point,
computed exactly (:mod:`gancheck.homework.formulas.exact`, 30 digits), still give a margin below
:math:`-10^{-20}\max(1, |\text{values}|)` — rounding never makes a counterexample.
"""
import math
import random

from gancheck.homework.formulas import exact, numeric

CANDIDATES, POINTS, STARTS, ROUNDS, TRIES = 64, 192, 4, 14, 4
FLOAT_TOL, EXACT_TOL = 1e-9, 1e-20


class Search:
    """The search for one relation: :meth:`scan` the sampled points, and (only if a proof fails) :meth:`descend`.
    ``margin(values)`` returns None where the relation does not apply (its hypothesis fails there)."""

    def __init__(self, exprs, margin, kinds, seed, strict=False):
        self.exprs, self.margin, self.strict = exprs, margin, strict
        self.kinds = {s: kinds[s] for s in sorted(set().union(*(e.free_symbols for e in exprs)), key=str)}
        self.rng, self.scored = random.Random(seed), []

    def scan(self):
        """``(point, values)`` where the relation fails exactly at a sampled point — ``point``: Symbol → decimal
        text, ``values``: the exact values of the expressions there — or None."""
        for points in (numeric.nice_sample(self.kinds, self.rng, CANDIDATES),
                       numeric.sample(self.kinds, self.rng, POINTS)):
            self.scored += _scores(self.exprs, self.margin, points, self.strict)
        self.scored.sort(key=lambda x: x[0])
        return self._first(point for score, point in self.scored[:TRIES] if score < 0)

    def descend(self):
        """As :meth:`scan`, from a descent that starts at the sampled points closest to failing."""
        return self._first(_descend(self.exprs, self.margin, self.kinds, start, score, self.strict)
                           for score, start in self.scored[:STARTS])

    def _first(self, points):
        for point in points:
            found = point is not None and _confirm(self.exprs, self.margin, point, self.strict)
            if found:
                return found
        return None


def _scores(exprs, margin, points, strict):
    """(score, point) for every point where the margin applies: negative where the relation fails in float64."""
    columns = [numeric.evaluate(e, points) for e in exprs]
    out = []
    for i in range(numeric.size(points)):
        values = [c[i] for c in columns]
        m = margin(values) if numeric.finite(*values) else None
        if m is not None and math.isfinite(m):
            scale = max(1.0, *map(abs, values))
            shift = FLOAT_TOL * scale  # fails: m < -shift, or for a strict relation m < shift
            out.append(((m - shift if strict else m + shift) / scale, numeric.point(points, i)))
    return out


def _descend(exprs, margin, kinds, point, score, strict):
    """Coordinate descent on the margin's score from ``point``; the best point if it fails in float64, else None."""
    step = 1.0
    for _ in range(ROUNDS):
        neighbours = [_moved(point, s, kinds[s], sign * step) for s in kinds for sign in (1, -1)]
        if not neighbours:
            break
        columns = {s: [n[s] for n in neighbours] for s in kinds}
        best = min(_scores(exprs, margin, columns, strict), key=lambda x: x[0], default=None)
        if best is not None and best[0] < score:
            score, point = best
        else:
            step /= 2
    return point if score < 0 else None


def _moved(point, s, kind, step):
    out = dict(point)
    out[s] = point[s] * math.exp(step) if kind == "positive" else point[s] + step * max(1.0, abs(point[s]))
    return out


def _confirm(exprs, margin, point, strict):
    """The point as short decimals (or exact ones if rounding loses the failure) if it fails exactly."""
    for shown in ({s: f"{v:.3g}" for s, v in point.items()}, {s: repr(float(v)) for s, v in point.items()}):
        try:
            values = [exact.value(e, shown) for e in exprs]
        except (exact.Undefined, exact.Unknown):
            continue
        m = margin(values)
        if m is None:
            continue
        tol = EXACT_TOL * max(1, *map(abs, values))
        if m < -tol or (strict and m <= tol):
            return shown, values
    return None
