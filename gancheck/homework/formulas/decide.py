r"""One comparison: is the student's formula :math:`S` equal to the reference :math:`R` on the quantity's domain?

Both arrive in forward symbols (earlier quantities already substituted); the element-wise definitions
:math:`y = σ(z)`, :math:`h = \mathrm{relu}(g)` are substituted too, so ``sigmoid(z) - t`` meets ``y - t``. Then:

1. **numeric** — :math:`S` and :math:`R` at ``POINTS`` random points of the domain (:mod:`.numeric`). Any
   disagreement — an overflow to ±inf included — starts a search for a counterexample: round values first, then
   general ones; a candidate counts only once both formulas, evaluated exactly at the decimal point (:mod:`.exact`),
   still differ. Found: **not equivalent**, with the counterexample. (Not found: float64 rounding; go on to 3.)
2. **kink** — each ReLU input at 0. The ReLU derivative there is a convention: the reference takes
   :math:`\mathbb 1[g > 0]`; :math:`\mathbb 1[g \ge 0]` and :math:`\tfrac12` (SymPy's ``Heaviside(0)``) are accepted
   with a note; any other value is a counterexample.
3. **symbolic** — :math:`S - R \equiv 0` proved case by case (:mod:`.symbolic`). Proved: **equivalent**. Not proved
   (or out of time) although every sampled point agrees: **undecided** — never silently "wrong".

Nothing here knows about answers, sheets or processes: it compares two expressions on a domain, so a proof's steps can
be decided with it one at a time as well.
"""
import random
import zlib
from dataclasses import dataclass, field

import sympy as sp

from . import exact, numeric, symbolic

POINTS = 96           # random points of the numeric comparison
CANDIDATES = 64       # round-valued points tried first for a counterexample
TRIES = 2             # separating candidates re-checked exactly per batch
EQUIVALENT, DIFFERENT, UNDECIDED = "equivalent", "not equivalent", "undecided"
CHECKED = "counterexample re-checked exactly"


@dataclass
class Decision:
    status: str
    symbolic: str                      # "proved", "not proved", "timeout", … or CHECKED
    counterexample: dict | None = None  # {"point": {name: "1.5"}, "student": "0.25" or None, "correct": "-0.75"}
    notes: list = field(default_factory=list)
    student: sp.Expr = None            # S and R after the element-wise definitions (for the diagnosis)
    reference: sp.Expr = None
    sample: dict = None                # the random points: symbol → list of floats


def seed(name):
    """A fixed seed per quantity, so a report is reproducible (and the same in every process and browser)."""
    return zlib.crc32(name.encode())


def compare(student, reference, domain, rng_seed, prove=symbolic.difference):
    """:class:`Decision` for ``student`` vs ``reference`` (SymPy, forward symbols) on ``domain``; ``prove`` decides
    whether an expression is identically zero (:func:`.symbolic.difference`)."""
    S, R = student.xreplace(domain.definitions), reference.xreplace(domain.definitions)
    kinds = {s: domain.kinds[s] for s in sorted(S.free_symbols | R.free_symbols, key=str)}
    rng = random.Random(rng_seed)
    sample = numeric.sample(kinds, rng, POINTS)
    made = dict(student=S, reference=R, sample=sample)
    search = _Search(S, R, kinds, domain)
    notes = []
    try:
        agreeing = numeric.all_agree(numeric.evaluate(S, sample), numeric.evaluate(R, sample))
    except ValueError as exc:  # a construct SymPy produced that the evaluators do not know: say so, do not guess
        return Decision(UNDECIDED, "not attempted", notes=[f"cannot evaluate numerically: {exc}"], **made)
    if agreeing:
        for k in (s for s, kind in kinds.items() if kind == "relu_input"):
            kink = _kink(search, k, rng)
            if isinstance(kink, dict):
                return Decision(DIFFERENT, CHECKED, kink, [f"wrong value at the kink {domain.labels[k]} = 0"],
                                **made)
            notes += kink
    else:
        found = search.run([numeric.nice_sample(kinds, rng, CANDIDATES), sample])
        if found:
            return Decision(DIFFERENT, CHECKED, found, **made)
        notes.append(search.why_not())
    outcome, why, constant, case = _prove(prove, S - R, kinds)
    if outcome == symbolic.ZERO:
        return Decision(EQUIVALENT, "proved", notes=notes, **made)
    found = outcome == symbolic.NONZERO and search.constant(constant, case, sample)
    if found:
        note = (f"at this point your formula differs from the reference by exactly {found['difference']} (proved): "
                "too small for the values to show, but not zero")
        return Decision(DIFFERENT, "proved different", found["counterexample"], [note], **made)
    notes.append(f"no counterexample among the sampled points, but the symbolic proof did not succeed ({why})")
    return Decision(UNDECIDED, "timeout" if outcome == symbolic.TIMEOUT else "not proved", notes=notes, **made)


def _prove(prove, difference, kinds):
    """(outcome, reason, constant, case): the prover's answer, its time running out, or its failure."""
    try:
        outcome, constant, case = prove(difference, kinds)
    except symbolic.Timeout:
        return symbolic.TIMEOUT, "timeout", None, {}
    except MemoryError:
        return symbolic.UNKNOWN, "memory limit reached", None, {}
    except Exception as exc:  # noqa: BLE001 — SymPy failing on a hostile formula is "not proved", not a crash
        return symbolic.UNKNOWN, f"SymPy failed: {type(exc).__name__}", None, {}
    return outcome, f"{outcome} after simplification", constant, case


def _kink(search, k, rng):
    """Notes on the convention at ``k = 0``, or a counterexample dict when the value there is no convention."""
    points = numeric.sample(search.kinds, rng, POINTS // 4)
    points[k] = [0.0] * (POINTS // 4)
    s = numeric.evaluate(search.S, points)
    if numeric.all_agree(s, numeric.evaluate(search.R, points)):
        return []
    label = search.domain.labels[k]
    for h0, how in ((1, f"relu′(0) = 1, the ≥ convention 1[{label} ≥ 0]"),
                    (sp.S.Half, "relu′(0) = 1/2, SymPy's Heaviside(0)")):
        other = search.R.xreplace({sp.Heaviside(k, 0): sp.Heaviside(k, h0)})
        if numeric.all_agree(s, numeric.evaluate(other, points)):
            return [f"at the kink {label} = 0 your formula takes {how}; the reference takes relu′(0) = 0 "
                    f"(1[{label} > 0], as gancheck.nn.ReLU). Both are accepted: the derivative does not exist there"]
    return search.run([points]) or []


class _Search:
    """The counterexample search: float64 candidates, each re-checked exactly, at most ``TRIES`` per batch (the
    search stays bounded in time); remembers why candidates failed, for the note of an undecided verdict."""

    def __init__(self, S, R, kinds, domain):
        self.S, self.R, self.kinds, self.domain = S, R, kinds, domain
        self.unknown = []

    def run(self, batches):
        """The first point of ``batches`` where S and R separate exactly, as a counterexample dict (or None)."""
        for points in batches:
            s, r = numeric.evaluate(self.S, points), numeric.evaluate(self.R, points)
            candidates = [i for i, pair in enumerate(zip(s, r)) if numeric.separated(*pair)][:TRIES]
            for i in candidates:
                point = self._readable(numeric.point(points, i))
                found = point is not None and self._confirm(point)  # {} is the point of a formula without symbols
                if found:
                    return found
        return None

    def why_not(self):
        if self.unknown:
            return f"float64 values differ at some sampled points, but your formula's value there {self.unknown[0]}"
        return ("float64 values differ at some sampled points, but none of those points survived the exact "
                "re-check")

    def constant(self, constant, case, sample):
        """When S − R simplifies to a number in one case of the domain (a stray ``+ 1e-9``: far below the float64
        separation), a point of ``sample`` in that case as a counterexample, if the number is certainly not 0."""
        if not exact.nonzero(constant):
            return None
        for i in range(numeric.size(sample)):
            point = numeric.point(sample, i)
            if all(_in_case(point[s], v) for s, v in case.items() if s in point):
                shown = {k: (f"{v:.0f}" if self.kinds[k] in ("label", "batch") else repr(v)) for k, v in point.items()}
                found = self._confirm(shown, threshold=None)
                if found:
                    return {"counterexample": found, "difference": exact.text(exact.value(constant, {}), 6)}
        return None

    def _readable(self, point):
        """Values as short decimal strings (3 significant digits if the point still separates, else exact repr)."""
        short = {k: (f"{v:.0f}" if self.kinds[k] in ("label", "batch") else f"{v:.3g}") for k, v in point.items()}
        for candidate in (short, {k: repr(float(v)) for k, v in point.items()}):
            values = {k: [float(v)] for k, v in candidate.items()}
            if numeric.separated(numeric.evaluate(self.S, values)[0], numeric.evaluate(self.R, values)[0]):
                return candidate
        return None

    def _confirm(self, point, threshold=numeric.SEPARATION):
        """The counterexample dict if the exact values at ``point`` still separate (relatively, by more than
        ``threshold``; None: the difference is known already), else None."""
        try:
            correct = exact.value(self.R, point)
        except (exact.Undefined, exact.Unknown):
            return None
        try:
            student = exact.value(self.S, point)
        except exact.Undefined:
            student = None
        except exact.Unknown as exc:
            self.unknown.append(f"is {exc}" if str(exc).startswith("too large") else f"could not be evaluated ({exc})")
            return None
        gap = None if student is None or threshold is None else abs(student - correct)
        if gap is not None and gap <= threshold * max(1, abs(student), abs(correct)):
            return None
        shown = {self.domain.labels[k]: v for k, v in point.items()}
        for symbol, definition in self.domain.definitions.items():  # y = σ(z), h = relu(g): shown, not chosen
            if definition.free_symbols <= point.keys():
                shown[self.domain.labels[symbol]] = exact.text(exact.value(definition, point), 4)
        shown = {label: v for label, v in shown.items() if label not in self.domain.hidden}
        return {"point": shown, "student": None if student is None else exact.text(student),
                "correct": exact.text(correct)}


def _in_case(value, case_value):
    """A sampled value lies in a case's part of the domain: the same label, or a ReLU input of the same sign."""
    if case_value.is_Number:
        return value == float(case_value)
    return (value > 0) == (case_value.could_extract_minus_sign() is False)
