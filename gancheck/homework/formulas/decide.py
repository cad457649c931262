r"""One comparison: is the student's formula :math:`S` equal to the reference :math:`R` on the quantity's domain?

Both arrive in forward symbols (earlier quantities already substituted); the element-wise definitions
:math:`y = σ(z)`, :math:`h = \mathrm{relu}(g)` are substituted too, so ``sigmoid(z) - t`` meets ``y - t``. Then:

1. **numeric** — :math:`S` and :math:`R` at ``POINTS`` random points of the domain (:mod:`.numeric`). Any
   disagreement starts a search for a counterexample: round values first, then general ones; a candidate counts
   only once the sandbox has re-evaluated both formulas at the exact decimal point to 30 digits and they still
   differ. Found: **not equivalent**, with the counterexample. (Not found: float64 rounding; go on to 3.)
2. **kink** — each ReLU input at 0. The ReLU derivative there is a convention: the reference takes
   :math:`\mathbb 1[g > 0]`; :math:`\mathbb 1[g \ge 0]` and :math:`\tfrac12` (SymPy's ``Heaviside(0)``) are accepted
   with a note; any other value is a counterexample.
3. **symbolic** — the sandbox proves :math:`S - R \equiv 0` case by case (ReLU inputs ±, labels 0/1). Proved:
   **equivalent**. Not proved (or timed out) although every sampled point agrees: **undecided** — never silently
   "wrong".
"""
import zlib
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from . import numeric

POINTS = 96           # random points of the numeric comparison
CANDIDATES = 64       # round-valued points tried first for a counterexample
TRIES = 2             # separating candidates re-checked per batch
EQUIVALENT, DIFFERENT, UNDECIDED = "equivalent", "not equivalent", "undecided"
CHECKED = "counterexample re-checked at 30 digits"


@dataclass
class Decision:
    status: str
    symbolic: str                      # "proved", "not proved", "timeout", … or CHECKED
    counterexample: dict | None = None
    notes: list = field(default_factory=list)
    student: sp.Expr = None            # S and R after the element-wise definitions (for the diagnosis)
    reference: sp.Expr = None
    sample: dict = None                # the random points, symbol → array


def seed(name):
    """A fixed seed per quantity, so a report is reproducible."""
    return zlib.crc32(name.encode())


def compare(student, reference, domain, sandbox, rng_seed):
    """:class:`Decision` for ``student`` vs ``reference`` (SymPy, forward symbols) on ``domain``."""
    S, R = student.xreplace(domain.definitions), reference.xreplace(domain.definitions)
    kinds = {s: domain.kinds[s] for s in sorted(S.free_symbols | R.free_symbols, key=str)}
    rng = np.random.default_rng(rng_seed)
    sample = numeric.sample(kinds, rng, POINTS)
    made = dict(student=S, reference=R, sample=sample)
    notes = []
    try:
        agreeing = numeric.agree(numeric.evaluate(S, sample), numeric.evaluate(R, sample)).all()
    except ValueError as exc:  # a construct SymPy produced that the evaluator does not know: say so, do not guess
        return Decision(UNDECIDED, "not attempted", notes=[f"cannot evaluate numerically: {exc}"], **made)
    if agreeing:
        for k in (s for s, kind in kinds.items() if kind == "relu_input"):
            kink = _kink(S, R, k, kinds, domain, sandbox, rng)
            if isinstance(kink, dict):
                return Decision(DIFFERENT, CHECKED, kink, [f"wrong value at the kink {domain.labels[k]} = 0"],
                                **made)
            notes += kink
    else:
        found = _search(S, R, kinds, domain, sandbox, [numeric.nice_sample(kinds, rng, CANDIDATES), sample])
        if found:
            return Decision(DIFFERENT, CHECKED, found, **made)
        notes.append("float64 values differ at some sampled points, but none of those points survived the "
                     "30-digit re-check")
    reply = sandbox.ask({"op": "zero", "expr": str(S - R), "kinds": {s.name: kind for s, kind in kinds.items()}})
    if reply.get("result") == "zero":
        return Decision(EQUIVALENT, "proved", notes=notes, **made)
    why = reply.get("error") or f"{reply.get('result')} after simplification"
    notes.append(f"no counterexample among the sampled points, but the symbolic proof did not succeed ({why})")
    return Decision(UNDECIDED, "timeout" if why == "timeout" else "not proved", notes=notes, **made)


def _kink(S, R, k, kinds, domain, sandbox, rng):
    """Notes on the convention at ``k = 0``, or a counterexample dict when the value there is no convention."""
    points = numeric.sample(kinds, rng, POINTS // 4)
    points[k] = np.zeros(POINTS // 4)
    s = numeric.evaluate(S, points)
    if numeric.agree(s, numeric.evaluate(R, points)).all():
        return []
    label = domain.labels[k]
    for h0, how in ((1, f"relu′(0) = 1, the ≥ convention 1[{label} ≥ 0]"),
                    (sp.S.Half, "relu′(0) = 1/2, SymPy's Heaviside(0)")):
        other = R.xreplace({sp.Heaviside(k, 0): sp.Heaviside(k, h0)})
        if numeric.agree(s, numeric.evaluate(other, points)).all():
            return [f"at the kink {label} = 0 your formula takes {how}; the reference takes relu′(0) = 0 "
                    f"(1[{label} > 0], as gancheck.nn.ReLU). Both are accepted: the derivative does not exist there"]
    return _search(S, R, kinds, domain, sandbox, [points]) or []


def _search(S, R, kinds, domain, sandbox, batches):
    """The first point of ``batches`` where S and R separate, re-checked at 30 digits, as a counterexample dict.
    At most ``TRIES`` candidates per batch, and none after the sandbox fails: the search stays bounded in time."""
    for points in batches:
        s, r = numeric.evaluate(S, points), numeric.evaluate(R, points)
        for i in np.flatnonzero(numeric.separated(s, r))[:TRIES]:
            point = _readable({k: v[i] for k, v in points.items()}, kinds, S, R)
            if point is not None:
                found = _confirm(S, R, point, kinds, domain, sandbox)
                if found is not False:
                    return found
    return None


def _readable(point, kinds, S, R):
    """Values as short decimal strings (3 significant digits if the point still separates, else exact repr)."""
    short = {k: (f"{v:.0f}" if kinds[k] in ("label", "batch") else f"{v:.3g}") for k, v in point.items()}
    for candidate in (short, {k: repr(float(v)) for k, v in point.items()}):
        values = {k: np.array([float(v)]) for k, v in candidate.items()}
        if numeric.separated(numeric.evaluate(S, values), numeric.evaluate(R, values))[0]:
            return candidate
    return None


def _confirm(S, R, point, kinds, domain, sandbox):
    """The counterexample dict if the 30-digit values at ``point`` still separate; False if they do not; None if
    the sandbox failed (then the search stops)."""
    reply = sandbox.ask({"op": "values", "exprs": [str(S), str(R)], "point": {k.name: v for k, v in point.items()},
                         "kinds": {k.name: kind for k, kind in kinds.items()}})
    values = reply.get("values")
    if not (isinstance(values, list) and len(values) == 2 and all(v is None or isinstance(v, str) for v in values)):
        return None
    if values[1] is None:
        return False
    try:
        student, correct = (None if v is None else float(v) for v in values)
    except ValueError:
        return None
    if not numeric.separated(np.array([np.nan if student is None else student]), np.array([correct]))[0]:
        return False
    shown = {domain.labels[k]: v for k, v in point.items()}
    floats = {k: np.array([float(v)]) for k, v in point.items()}
    for symbol, definition in domain.definitions.items():  # y = σ(z), h = relu(g): shown, not chosen
        if definition.free_symbols <= floats.keys():
            shown[domain.labels[symbol]] = f"{float(numeric.evaluate(definition, floats)[0]) + 0.0:.4g}"  # no -0
    return {"point": shown, "student": student, "correct": correct}
