"""Reports of verdicts: plain text for a terminal, JSON for tools (:func:`as_dict` is the JSON's structure).

Every piece of a student's text — answers, names, file paths, and the notes that quote them — passes
:func:`gancheck.homework.terminal.printable` in both formats, so an ESC or bidi control in a sheet is shown, not obeyed;
an answer is kept on its one line.
"""
import json
from dataclasses import asdict
from decimal import Decimal

from gancheck.homework.terminal import printable

MARKS = {"equivalent": "✓", "not equivalent": "✗", "undecided": "?", "invalid": "!"}


def _status(v):
    return "follow-through" if v.follow_through else v.status


def _line(text):
    """Student text on one line: controls escaped, line breaks shown as ``\\n``."""
    return printable(text).replace("\n", "\\n").replace("\t", " ")


def number(text):
    """A counterexample's value (an exact decimal string) to 6 significant digits: ``2``, ``0.0471926``,
    ``1.97007e+434``."""
    d = Decimal(text)
    if Decimal("1e-300") < abs(d) < Decimal("1e300"):
        return f"{float(d):.6g}"
    return "0" if d == 0 else format(d, ".6g")  # beyond float64: Decimal has the exponent range


def counterexample_text(c):
    """``at y = 0.3, t = 1: yours 0.7, correct -0.7`` for a verdict's counterexample ``c``."""
    at = ", ".join(f"{_line(k)} = {number(x)}" for k, x in c["point"].items())
    yours = "undefined" if c["student"] is None else number(c["student"])
    where = f"at {at}: " if at else ""  # a number has no point to show
    return f"{where}yours {yours}, correct {number(c['correct'])}"


def verdict_lines(v):
    """A verdict as text lines: mark, quantity, status and answer, then diagnosis, counterexample and notes."""
    mark = "~" if v.follow_through else MARKS[v.status]
    lines = [f"{mark} {_line(v.quantity):<10} {_status(v):<15} {_line(v.answer)}"]
    lines += [f"    diagnosis: {_line(d)}" for d in v.diagnosis]
    if v.counterexample:
        lines.append(f"    counterexample: {counterexample_text(v.counterexample)}")
    lines += [f"    note: {_line(n)}" for n in v.notes]
    return lines


def text_report(result):
    """The whole sheet as text, ending with the score line."""
    sheet, assignment = result.sheet, result.assignment
    who = f" — {_line(sheet.student)}" if sheet.student else ""
    title = f" [{_line(assignment.title)}]" if assignment.title else ""
    lines = [f"{_line(sheet.path or 'answer sheet')}{who}{title} (generator loss: {assignment.loss})"]
    for v in result.verdicts:
        lines += verdict_lines(v)
    if result.missing:
        points = sum(map(assignment.points_of, result.missing))
        lines.append(f"- not answered ({points:g} points): {', '.join(result.missing)}")
    counts = {s: sum(_status(v) == s for v in result.verdicts)
              for s in ("equivalent", "follow-through", "not equivalent", "undecided", "invalid")}
    counts["not answered"] = len(result.missing)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines.append(f"score {result.score:g} / {result.total:g} ({summary})")
    return "\n".join(lines)


def verdict_dict(v):
    """A verdict as JSON-able data, the student's text made printable."""
    out = asdict(v)
    out.update(quantity=printable(v.quantity), answer=printable(v.answer), notes=[printable(n) for n in v.notes],
               diagnosis=[printable(d) for d in v.diagnosis])
    return out


def as_dict(result):
    sheet, assignment = result.sheet, result.assignment
    return {"sheet": None if sheet.path is None else printable(sheet.path),
            "student": None if sheet.student is None else printable(sheet.student),
            "assignment": assignment.title, "loss": assignment.loss, "score": result.score, "total": result.total,
            "all_correct": result.all_correct, "missing": result.missing,
            "verdicts": [verdict_dict(v) for v in result.verdicts]}


def json_report(result):
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2)
