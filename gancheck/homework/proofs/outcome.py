"""A step's verdict, and the checks that a verdict arriving from the limited child is one.

Plain standard library, as :mod:`gancheck.homework.formulas.verdict`: the parent reads the child's replies with this
and trusts nothing in them — every field checked for its type, size and vocabulary — so a broken child costs one
"undecided" step, never an exception or a huge allocation.
"""
from dataclasses import dataclass, field

from gancheck.homework.formulas.verdict import MalformedReply, is_number

from .fileformat import MAX_ASSUME, MAX_BECAUSE, MAX_DEFINE, MAX_LINE, MAX_LINES, MAX_NAME, SYNTAXES
from .lines import MAX_STEPS, RELATIONS

EQUAL, IMPLIED, NOT_EQUAL, FALSE, UNDECIDED = "equal", "implied", "not equal", "false", "undecided"
STATUSES = (EQUAL, IMPLIED, NOT_EQUAL, FALSE, UNDECIDED)
PROVED, DISPROVED = (EQUAL, IMPLIED), (NOT_EQUAL, FALSE)
# What a step means for the proof: right, right given an earlier wrong step of its chain (carried forward), wrong,
# not known either way.
RIGHT, FOLLOWED, WRONG, OPEN = "right", "followed", "wrong", "open"
_TEXT, _LIST, _POINT = 2000, 12, 40


@dataclass
class Outcome:
    """What the child decides for one step. ``counterexample``: ``{"point": {name: "1.5"}, "left": "0.25" or None
    (undefined), "right": "…", "premise": ["…", "…"] or None}`` — the values of the step's sides, and of its
    hypothesis' sides for an implication."""

    status: str
    symbolic: str = ""
    counterexample: dict | None = None
    notes: list = field(default_factory=list)

    def fields(self):
        return {"status": self.status, "symbolic": self.symbolic, "counterexample": self.counterexample,
                "notes": list(self.notes)}


def from_reply(reply):
    """The :class:`Outcome` in a child's reply to ``{"op": "proof_step"}``; :class:`MalformedReply` otherwise."""
    v = reply.get("step") if isinstance(reply, dict) else None
    if not isinstance(v, dict) or set(v) != {"status", "symbolic", "counterexample", "notes"}:
        raise MalformedReply("no step verdict in the reply")
    if v["status"] not in STATUSES or not _text(v["symbolic"]):
        raise MalformedReply("bad status")
    if not (isinstance(v["notes"], list) and len(v["notes"]) <= _LIST and all(map(_text, v["notes"]))):
        raise MalformedReply("bad notes")
    c = v["counterexample"]
    if c is not None:
        _check_counterexample(c)
    if (c is not None) != (v["status"] in DISPROVED):
        raise MalformedReply("a counterexample goes with a wrong step, and only with one")
    return Outcome(**v)


def _text(x):
    return isinstance(x, str) and len(x) <= _TEXT


def _value(x):
    return x is None or is_number(x)


def _check_counterexample(c):
    if not (isinstance(c, dict) and set(c) == {"point", "left", "right", "premise"} and isinstance(c["point"], dict)):
        raise MalformedReply("bad counterexample")
    if len(c["point"]) > _POINT or not all(isinstance(k, str) and len(k) <= 40 and is_number(x)
                                           for k, x in c["point"].items()):
        raise MalformedReply("bad counterexample point")
    premise = c["premise"]
    if not (_value(c["left"]) and _value(c["right"]) and (premise is None or (
            isinstance(premise, list) and len(premise) == 2 and all(map(_value, premise))))):
        raise MalformedReply("bad counterexample values")


_STRUCTURE = {"title", "student", "syntax", "assume", "define", "lines", "because", "steps", "hypotheses"}


def structure_from_reply(reply):
    """The structure of a proof in a child's reply to ``{"op": "proof"}`` (:func:`.child.structure`), every field
    checked; :class:`MalformedReply` if anything is out of shape."""
    s = reply.get("proof") if isinstance(reply, dict) else None
    if not isinstance(s, dict) or set(s) != _STRUCTURE:
        raise MalformedReply("no proof in the reply")
    lines = s["lines"]
    if not (_strings(lines, MAX_LINES, MAX_LINE) and lines and isinstance(s["because"], list)
            and len(s["because"]) == len(lines) and all(b is None or _short(b, MAX_BECAUSE) for b in s["because"])):
        raise MalformedReply("bad lines")
    if not (all(x is None or _short(x, MAX_NAME) for x in (s["title"], s["student"])) and s["syntax"] in SYNTAXES
            and _strings(s["assume"], MAX_ASSUME, MAX_NAME)):
        raise MalformedReply("bad metadata")
    if not (isinstance(s["define"], list) and len(s["define"]) <= MAX_DEFINE and all(
            isinstance(d, list) and len(d) == 2 and _strings(d, 2, MAX_LINE) for d in s["define"])):
        raise MalformedReply("bad definitions")
    steps, hypotheses = s["steps"], s["hypotheses"]
    if not (isinstance(steps, list) and 0 < len(steps) <= MAX_STEPS and isinstance(hypotheses, list)
            and len(hypotheses) <= MAX_STEPS):
        raise MalformedReply("bad steps")
    for k, step in enumerate(steps, 1):
        if not (isinstance(step, dict) and set(step) == {"line", "left", "op", "right", "number", "chain", "premise"}
                and _relation(step, len(lines)) and step["op"] != "=>" and step["number"] == k
                and _integer(step["chain"], 1, MAX_STEPS) and (step["premise"] is None
                                                                or _relation(step["premise"], len(lines)))):
            raise MalformedReply(f"bad step {k}")
    if not all(_relation(h, len(lines)) for h in hypotheses):
        raise MalformedReply("bad hypotheses")
    return s


def _short(x, most):
    return isinstance(x, str) and len(x) <= most


def _strings(xs, count, most):
    return isinstance(xs, list) and len(xs) <= count and all(_short(x, most) for x in xs)


def _integer(x, low, high):
    return isinstance(x, int) and not isinstance(x, bool) and low <= x <= high


def _relation(r, lines):
    return (isinstance(r, dict) and {"line", "left", "op", "right"} <= set(r) and _integer(r["line"], 1, lines)
            and _short(r["left"], MAX_LINE) and _short(r["right"], MAX_LINE) and r["op"] in RELATIONS)
