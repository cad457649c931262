"""A verdict on one answer, and the checks that a verdict arriving from the limited child is one.

Plain standard library: the parent imports this to read the child's replies, and trusts nothing in them — every
field is checked for its type, its size and its vocabulary (:func:`from_reply`), so a broken or subverted child can
produce at worst an "undecided" verdict, never an exception, a huge allocation or a forged score.
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

EQUIVALENT, DIFFERENT, UNDECIDED, INVALID = "equivalent", "not equivalent", "undecided", "invalid"
STATUSES = (EQUIVALENT, DIFFERENT, UNDECIDED, INVALID)
# What a judged answer means for the answers after it (follow-through): right, right given one's own earlier
# mistake, wrong (or undecided: not known to be right), unreadable.
RIGHT, FOLLOWED, WRONG, UNREADABLE = "right", "followed", "wrong", "invalid"


@dataclass
class Verdict:
    quantity: str
    answer: str
    status: str                       # one of STATUSES
    points: float = 1.0
    credit: float = 0.0
    follow_through: bool = False
    diagnosis: list = field(default_factory=list)
    counterexample: dict | None = None  # {"point": {name: "1.5"}, "student": "0.25" or None, "correct": "-0.75"}
    notes: list = field(default_factory=list)
    symbolic: str = ""                # how the symbolic side ended ("proved", "not proved", "timeout", …)
    reference: str = ""               # the reference's local form, in the names an answer uses

    @property
    def outcome(self):
        if self.status == INVALID:
            return UNREADABLE
        if self.status == EQUIVALENT:
            return RIGHT
        return FOLLOWED if self.follow_through else WRONG


# The fields the child decides, with their bounds: (type check, largest size).
_TEXT, _LIST = 2000, 12


class MalformedReply(ValueError):
    """A reply from the child that is not a verdict."""


def from_reply(reply, quantity, answer, points):
    """The :class:`Verdict` in a child's ``reply`` (a dict), for the parent's own ``quantity``, ``answer`` and
    ``points``; :class:`MalformedReply` if anything in it is out of shape."""
    if not isinstance(reply, dict) or not isinstance(reply.get("verdict"), dict):
        raise MalformedReply("no verdict in the reply")
    v = reply["verdict"]
    if set(v) != {"status", "follow_through", "diagnosis", "counterexample", "notes", "symbolic", "reference"}:
        raise MalformedReply("unexpected fields")
    if v["status"] not in STATUSES or not isinstance(v["follow_through"], bool):
        raise MalformedReply("bad status")
    for name in ("diagnosis", "notes"):
        if not (isinstance(v[name], list) and len(v[name]) <= _LIST and all(map(_short_text, v[name]))):
            raise MalformedReply(f"bad {name}")
    if not (_short_text(v["symbolic"]) and _short_text(v["reference"])):
        raise MalformedReply("bad text")
    if v["counterexample"] is not None:
        _check_counterexample(v["counterexample"])
    if v["follow_through"] and v["status"] != DIFFERENT:
        raise MalformedReply("follow-through on a verdict that is not 'not equivalent'")
    return Verdict(quantity, answer, points=points, **v)


def _short_text(x):
    return isinstance(x, str) and len(x) <= _TEXT


def is_number(text):
    """A finite decimal number written as text (a counterexample's value)."""
    try:
        return isinstance(text, str) and len(text) <= 60 and Decimal(text).is_finite()  # 1e+434 is fine
    except InvalidOperation:
        return False


def _check_counterexample(c):
    if not (isinstance(c, dict) and set(c) == {"point", "student", "correct"} and isinstance(c["point"], dict)):
        raise MalformedReply("bad counterexample")
    point = c["point"]
    if len(point) > 40 or not all(isinstance(k, str) and len(k) <= 20 and is_number(x) for k, x in point.items()):
        raise MalformedReply("bad counterexample point")
    if not (is_number(c["correct"]) and (c["student"] is None or is_number(c["student"]))):
        raise MalformedReply("bad counterexample values")
