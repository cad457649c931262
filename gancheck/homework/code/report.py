"""A graded submission and its three renderings: readable text, JSON, and Gradescope's ``results.json``.

Gradescope's format (https://gradescope-autograders.readthedocs.io/en/latest/specs/): top-level ``score`` and
``execution_time``, and ``tests[]`` with ``name``, ``score``, ``max_score``, ``status`` ("passed"/"failed"),
``output`` and ``visibility``.

Every rendering passes its text through :func:`~gancheck.homework.terminal.printable`: file names, exception messages
and printed output come from students, and a control sequence among them must not reach the instructor's terminal.

A *hidden* item is scored but not explained: in the text and JSON reports — which go to students — its evidence and
failing input are replaced by :data:`HIDDEN` until the instructor releases them (``release=True``, ``gancheck grade
--release-hidden``); in Gradescope's ``results.json`` it is ``"visibility": "after_published"``, so Gradescope shows
it, evidence and all, only once the instructor publishes the grades.
"""
import textwrap
from dataclasses import asdict, dataclass, field, replace

from ..terminal import printable

HIDDEN = "hidden: scored, explained once the instructor releases it"


@dataclass
class Item:
    function: str
    check: str
    title: str
    points: float
    max_points: float
    passed: bool
    evidence: str
    example: dict = None     # the (simplified) failing input, role → nested lists
    hidden: bool = False     # scored, but not explained to the student until the instructor releases it

    @property
    def name(self):
        return f"{self.function} · {self.check}"


@dataclass
class Report:
    student: str
    file: str
    assignment: str
    status: str = "graded"   # or "unreadable", "error"
    items: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self):
        return sum(i.points for i in self.items)

    @property
    def max_score(self):
        return sum(i.max_points for i in self.items)

    def shown(self, release=False):
        """The items as a student may see them: hidden ones without their evidence unless ``release``."""
        return [item if release or not item.hidden else replace(item, evidence=HIDDEN, example=None)
                for item in self.items]

    def headline(self):
        return printable(f"{self.student}: {self.score:g}/{self.max_score:g} points — {self.assignment}")

    def to_text(self, width=118, release=False):
        lines = [f"gancheck grade {self.file}", self.headline()]
        if self.status != "graded":
            lines.append(f"status: {self.status}")
        column = max((len(i.name) for i in self.items), default=0)
        for item in self.shown(release):
            mark = ("✓" if item.passed else "✗") + ("ʰ" if item.hidden else "")
            head = f"  {mark} {item.name:<{column}}  {item.points:g}/{item.max_points:g}  "
            lines += textwrap.wrap(item.evidence, width, initial_indent=head, subsequent_indent=" " * len(head),
                                   break_on_hyphens=False) or [head]
        if self.notes:
            lines.append("notes:")
            for note in self.notes:
                lines += textwrap.wrap(note, width, initial_indent="  · ", subsequent_indent="    ")
        return printable("\n".join(lines) + "\n")

    def to_json(self, release=False):
        data = asdict(self)
        del data["seconds"]   # a report is the same, byte for byte, whatever the machine's load; times: summary.csv
        data.update(score=self.score, max_score=self.max_score, items=[asdict(i) for i in self.shown(release)])
        return _printable(data)

    def to_gradescope(self):
        return _printable({
            "score": self.score,
            "execution_time": round(self.seconds, 2),
            "output": self.headline() + "".join(f"\n· {note}" for note in self.notes),
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": [{"name": item.name, "score": item.points, "max_score": item.max_points,
                       "status": "passed" if item.passed else "failed", "output": item.evidence,
                       "visibility": "after_published" if item.hidden else "visible"} for item in self.items],
        })


def _printable(data):
    """``data`` with every string in it made :func:`printable`."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {_printable(k): _printable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_printable(v) for v in data]
    return data
