"""One step of a proof decided, under a deadline: an equality by the formula checker's own comparison
(:func:`gancheck.homework.formulas.decide.compare`: numeric, an exactly re-checked counterexample, the symbolic
proof), an inequality by :mod:`.inequality`, an implication by :mod:`.implication`. A counterexample is shown in the
names the proof declares — ``D = 0.25``, never the parameter ``D' = 0.333`` it was sampled as — with the values of
the step's two sides there (and of its hypothesis' sides, which hold there). A justification that names a rule the
step does not follow adds a note (:mod:`.reasons`).
"""
from gancheck.homework.formulas import decide as comparison
from gancheck.homework.formulas import exact, symbolic

from . import implication, inequality, reasons
from .outcome import EQUAL, NOT_EQUAL, UNDECIDED, Outcome

DIGITS = 6   # significant digits of a counterexample's derived values (D = u/(1 + u), p_k = w_k/Σw)


def decide(proof, number, budget=None, prove=symbolic.difference):
    """The fields of the :class:`.outcome.Outcome` of step ``number`` (1-based) of ``proof``, within ``budget``
    seconds of wall time (None: no limit)."""
    step = proof.steps[number - 1]
    left, right = proof.sides(step.relation)
    seed = comparison.seed(f"step {number}")
    scope = proof.scope

    def relation(a, op, b, scope, seed):
        return _relation(a, op, b, scope, seed, prove)

    try:
        with symbolic.deadline(budget):
            if step.premise is None:
                outcome = relation(left, step.relation.op, right, scope, seed)
                premise = ()
            else:
                premise = proof.sides(step.premise)
                outcome = implication.decide((premise[0], step.premise.op, premise[1]),
                                             (left, step.relation.op, right), scope, seed, relation)
            if outcome.counterexample is not None:
                outcome.counterexample = _shown(outcome.counterexample, (left, right, *premise), scope)
            line = step.relation.line
            outcome.notes += reasons.notes(proof.file.because[line - 1], step, [s.relation.op for s in proof.steps
                                                                                if s.relation.line == line],
                                           (left, right), outcome.status)
    except symbolic.Timeout:
        outcome = Outcome(UNDECIDED, "timeout", notes=[f"the check ran out of time ({budget:g} s)"])
    return outcome.fields()


def _relation(left, op, right, scope, seed, prove):
    """The :class:`.outcome.Outcome` of ``left op right`` with no hypothesis; a counterexample stays raw
    (``{"point": {parameter: "1.5"}, "values": [left, right]}``) until :func:`_shown`."""
    if op != "=":
        small, big, strict = implication.gap((left, op, right))
        outcome = inequality.decide(small, big, strict, scope, seed)
        if outcome.counterexample is not None:
            point, (a, b) = outcome.counterexample
            outcome.counterexample = {"point": point, "values": [a, b] if op in ("<=", "<") else [b, a]}
        return outcome
    if symbolic.quick_zero(right - left):  # an identity in the declared symbols holds on their domain
        return Outcome(EQUAL, "proved")
    d = comparison.compare(right, left, scope.domain, seed, prove)
    if d.status == comparison.EQUIVALENT:
        return Outcome(EQUAL, d.symbolic)
    if d.status == comparison.UNDECIDED:
        return Outcome(UNDECIDED, d.symbolic, notes=d.notes)
    by_label = {label: s for s, label in scope.labels.items() if s in scope.kinds}
    point = {by_label[k]: v for k, v in d.counterexample["point"].items() if k in by_label}
    return Outcome(NOT_EQUAL, d.symbolic, {"point": point, "values": [d.counterexample["correct"],
                                                                      d.counterexample["student"]]}, d.notes)


def _shown(raw, expressions, scope):
    """A raw counterexample in the proof's names: each declared symbol the step's expressions use, with its value."""
    point, solved = raw["point"], raw.get("solved", {})
    used = set().union(*(e.free_symbols for e in expressions), *(x.free_symbols for x in solved.values()), solved)
    shown = {}
    for s, label in scope.labels.items():
        if s not in used or label in scope.hidden:
            continue
        if s in point and s not in solved:
            shown[label] = point[s]
        else:
            value = solved.get(s, s).xreplace(scope.definitions)
            shown[label] = _text(exact.value(value, point))
    values = [_text(v) for v in raw["values"]]
    premise, (left, right) = (values[:2], values[2:]) if len(values) == 4 else (None, values)
    return {"point": shown, "left": left, "right": right, "premise": premise}


def _text(value):
    if value is None or isinstance(value, str):
        return value
    return exact.text(value, DIGITS)
