"""Verdicts for one formula (:func:`check_formula`) or a whole answer sheet (:func:`check_sheet`), as the parent process
runs them: it orders the answers by the catalogue, sends each one — with the earlier answers and their outcomes, for
follow-through — to a *judge*, and credits the verdicts by the assignment's points and rules.

The parent never parses, prints, simplifies or evaluates a student's text. The default judge is the limited child
(:func:`in_child`: one JSON request per answer, :mod:`.worker`), whose replies are checked field by field
(:func:`.verdict.from_reply`); a child that times out, dies or answers nonsense costs that one verdict ("undecided")
and the next answer gets a fresh child. :func:`in_process` judges in this process instead — for the reader's browser
(:mod:`.browser`), where the page itself is the sandbox, and for tests that compare the two.
"""
from dataclasses import dataclass, field

from gancheck import GancheckError
from gancheck.homework.terminal import printable

from . import verdict as V
from .assignment import PRACTICE
from .catalogue import UnknownQuantity, entries, entry
from .sheet import from_fields, read_text

# The child's own deadline, as a fraction of the parent's wall-time limit per request: it answers "undecided" itself
# (and stays warm) well before the parent would have to kill it.
BUDGET = 0.6


@dataclass
class SheetResult:
    sheet: object
    verdicts: list
    assignment: object = PRACTICE
    missing: list = field(default_factory=list)   # asked quantities the sheet does not answer

    @property
    def score(self):
        return sum(v.credit for v in self.verdicts)

    @property
    def total(self):
        return sum(v.points for v in self.verdicts) + sum(map(self.assignment.points_of, self.missing))

    @property
    def all_correct(self):
        return not self.missing and all(v.status == V.EQUIVALENT for v in self.verdicts)


def check_formula(quantity, text, *, loss="nonsaturating", syntax="auto", judge=None):
    """:class:`.verdict.Verdict` for one formula. An unknown quantity raises :class:`.catalogue.UnknownQuantity`;
    an unreadable formula is an ``invalid`` verdict whose note says where."""
    entry(quantity)
    return (judge or in_child())(quantity, text, loss=loss, syntax=syntax, earlier=[])


def check_sheet(sheet, assignment=PRACTICE, judge=None):
    """:class:`SheetResult` for a :class:`.sheet.Sheet` under an :class:`.assignment.Assignment`: answers judged in
    the catalogue's order, an unknown quantity an ``invalid`` verdict naming the closest ones."""
    if sheet.loss is not None and sheet.loss != assignment.loss:
        raise GancheckError(f"{printable(sheet.path or 'the sheet')}: the answers assume the {sheet.loss} generator loss, but "
                            f"the assignment asks for the {assignment.loss} one")
    judge = judge or in_child()
    verdicts, earlier = [], []
    for name in (n for n in entries() if n in sheet.answers):
        text = sheet.answers[name]
        v = judge(name, text, loss=assignment.loss, syntax=sheet.syntax, earlier=list(earlier))
        _credit(v, assignment)
        verdicts.append(v)
        earlier.append((name, text, v.outcome))
    for name in (n for n in sheet.answers if n not in entries()):
        verdicts.append(V.Verdict(name, sheet.answers[name], V.INVALID, points=0.0,
                                  notes=[str(UnknownQuantity(name))]))
    return SheetResult(sheet, verdicts, assignment, assignment.missing(sheet.answers))


def _credit(v, assignment):
    v.points = assignment.points_of(v.quantity)
    v.credit = v.points if v.status == V.EQUIVALENT else assignment.follow_through * v.points if v.follow_through \
        else 0.0


def in_child(sandbox=None):
    """A judge that sends each answer to the limited child ``sandbox`` (default: the process-wide one)."""
    def judge(quantity, text, *, loss, syntax, earlier):
        box = sandbox or _shared()
        budget = BUDGET * getattr(box, "timeout", 3.0)
        reply = box.ask({"op": "judge", "quantity": quantity, "text": text, "loss": loss, "syntax": syntax,
                         "earlier": [list(x) for x in earlier], "budget": budget})
        try:
            return V.from_reply(reply, quantity, text, 1.0)
        except V.MalformedReply as exc:
            return _failed(quantity, text, reply, exc, getattr(box, "timeout", None))
    return judge


def _failed(quantity, text, reply, problem, timeout):
    error = reply.get("error") if isinstance(reply, dict) else None
    if error == "timeout":
        note = f"the check ran out of time ({timeout:g} s) and was stopped"
    elif isinstance(error, str):
        note = f"the checker's child process failed: {error[:200]}"
    else:
        note = f"the checker's child process sent a malformed reply ({problem})"
    return V.Verdict(quantity, text, V.UNDECIDED, notes=[note], symbolic="timeout" if error == "timeout" else "")


def in_process(prove=None):
    """A judge that decides in this process (no child: the browser, and tests comparing both ways)."""
    from . import judge as judging

    def judge(quantity, text, *, loss, syntax, earlier):
        fields = judging.judge(quantity, text, loss=loss, syntax=syntax, earlier=earlier,
                               **({"prove": prove} if prove else {}))
        return V.Verdict(quantity, text, **fields)
    return judge


def load_sheet(path, sandbox=None):
    """The :class:`.sheet.Sheet` in the file at ``path``: read here (a small regular UTF-8 file), parsed in the
    limited child, its fields checked here. A bad file is a one-line :class:`GancheckError`."""
    text, form = read_text(path)
    box = sandbox or _shared()
    reply = box.ask({"op": "sheet", "text": text, "form": form, "budget": BUDGET * getattr(box, "timeout", 3.0)})
    shown = printable(str(path))
    if isinstance(reply, dict) and isinstance(reply.get("refused"), str):
        raise GancheckError(f"{shown}: {printable(reply['refused'][:400])}")
    try:
        return from_fields(reply.get("sheet") if isinstance(reply, dict) else None, str(path))
    except ValueError:
        why = reply.get("error") if isinstance(reply, dict) and isinstance(reply.get("error"), str) else "no sheet"
        raise GancheckError(f"{shown}: the sheet could not be read ({printable(why[:200])})") from None


def _shared():
    from .sandbox import shared  # subprocesses only where a child is used: never in the browser

    return shared()
