"""A proof checked, as the parent process runs it: the file read here (a small regular UTF-8 ``.toml`` file) and sent
to the limited child, which parses it and answers with its structure (:func:`load_proof`); then one request per step
(:func:`check_proof`), each decided there, the replies checked field by field (:mod:`.outcome`). The parent never
parses, prints, simplifies or evaluates the student's text.

Follow-through, as the sheets': a step decided wrong marks its chain (:mod:`.lines`); a later step of that chain
that is right is right *given* the wrong one and earns the assignment's ``follow_through`` share of its points — the
report says which step it carries forward. The first wrong step of the proof is named; every step before it is
credited. A child that times out, dies or answers nonsense costs that one step ("undecided"), and the proof as a
whole has :data:`TOTAL_SECONDS`: the steps left after them are undecided, never a hang.
"""
import time
from dataclasses import dataclass, field

from gancheck import GancheckError
from gancheck.homework.formulas.engine import BUDGET
from gancheck.homework.formulas.verdict import MalformedReply
from gancheck.homework.terminal import printable

from . import outcome as O
from .assignment import PRACTICE
from .fileformat import read_text

TOTAL_SECONDS = 60.0


@dataclass
class StepVerdict:
    number: int
    line: int
    left: str
    op: str
    right: str
    premise: dict | None          # {"line", "left", "op", "right"} of an implication's hypothesis
    chain: int
    status: str                   # one of outcome.STATUSES
    symbolic: str = ""
    counterexample: dict | None = None
    notes: list = field(default_factory=list)
    outcome: str = O.OPEN         # right, followed, wrong, open
    carries: int | None = None    # the earlier wrong step a followed step is right given
    points: float = 1.0
    credit: float = 0.0


@dataclass
class ProofResult:
    structure: dict               # the proof as the child read it (:func:`.outcome.structure_from_reply`)
    steps: list
    assignment: object = PRACTICE
    path: str | None = None

    @property
    def score(self):
        return sum(s.credit for s in self.steps)

    @property
    def total(self):
        return sum(s.points for s in self.steps)

    @property
    def first_wrong(self):
        return next((s for s in self.steps if s.outcome == O.WRONG), None)

    @property
    def all_right(self):
        return all(s.outcome == O.RIGHT for s in self.steps)


def load_proof(path, sandbox=None):
    """``(structure, text)`` of the proof file at ``path``: read here, parsed in the limited child, its structure
    checked here. A file that is not a usable proof is a one-line :class:`GancheckError`."""
    text = read_text(path)
    box = sandbox or _shared()
    reply = box.ask({"op": "proof", "text": text, "budget": BUDGET * getattr(box, "timeout", 3.0)})
    shown = printable(str(path))
    if isinstance(reply, dict) and isinstance(reply.get("refused"), str):
        raise GancheckError(f"{shown}: {printable(reply['refused'][:400])}".replace("\n", " "))
    try:
        return O.structure_from_reply(reply), text
    except MalformedReply:
        why = reply.get("error") if isinstance(reply, dict) and isinstance(reply.get("error"), str) else "no proof"
        raise GancheckError(f"{shown}: the proof could not be read ({printable(why[:200])})") from None


def check_proof(structure, text, assignment=PRACTICE, judge=None, path=None):
    """:class:`ProofResult` of the proof ``text`` whose ``structure`` :func:`load_proof` returned, credited by the
    ``assignment``; ``judge(text, number)`` decides one step (default: :func:`in_child`)."""
    judge = judge or in_child()
    start, steps, wrong = time.monotonic(), [], {}
    points = assignment.per_step(len(structure["steps"]))
    for s in structure["steps"]:
        if time.monotonic() - start > TOTAL_SECONDS:
            found = O.Outcome(O.UNDECIDED, notes=[f"not checked: the proof's {TOTAL_SECONDS:g} s ran out"])
        else:
            found = judge(text, s["number"])
        v = StepVerdict(s["number"], s["line"], s["left"], s["op"], s["right"], s["premise"], s["chain"],
                        found.status, found.symbolic, found.counterexample, list(found.notes), points=points)
        earlier = wrong.get(v.chain)
        if v.status in O.PROVED:
            v.outcome, v.carries = (O.FOLLOWED, earlier) if earlier else (O.RIGHT, None)
        elif v.status in O.DISPROVED:
            v.outcome = O.WRONG
            wrong.setdefault(v.chain, v.number)
        v.credit = points if v.outcome == O.RIGHT else assignment.follow_through * points \
            if v.outcome == O.FOLLOWED else 0.0
        steps.append(v)
    return ProofResult(structure, steps, assignment, path)


def in_child(sandbox=None):
    """A judge that sends each step to the limited child ``sandbox`` (default: the process-wide one)."""
    def judge(text, number):
        box = sandbox or _shared()
        reply = box.ask({"op": "proof_step", "text": text, "step": number,
                         "budget": BUDGET * getattr(box, "timeout", 3.0)})
        try:
            return O.from_reply(reply)
        except MalformedReply as exc:
            error = reply.get("error") if isinstance(reply, dict) else None
            timeout = getattr(box, "timeout", None)
            note = (f"the check ran out of time ({timeout:g} s) and was stopped" if error == "timeout" else
                    f"the checker's child process failed: {error[:200]}" if isinstance(error, str) else
                    f"the checker's child process sent a malformed reply ({exc})")
            return O.Outcome(O.UNDECIDED, "timeout" if error == "timeout" else "", notes=[note])
    return judge


def in_process(budget=None):
    """A judge that decides in this process (tests, and comparing both ways)."""
    from . import child

    def judge(text, number):
        return O.Outcome(**child.step_request({"text": text, "step": number, "budget": budget})["step"])
    return judge


def _shared():
    from gancheck.homework.formulas.sandbox import shared

    return shared()
