"""Reports of verdicts: plain text for a terminal, JSON for tools (:func:`as_dict` is the JSON's structure)."""
import json
from dataclasses import asdict

MARKS = {"equivalent": "✓", "not equivalent": "✗", "undecided": "?", "invalid": "!"}


def _status(v):
    return "follow-through" if v.follow_through else v.status


def verdict_lines(v):
    """A verdict as text lines: mark, quantity, status and answer, then diagnosis, counterexample and notes."""
    lines = [f"{MARKS[v.status] if not v.follow_through else '~'} {v.quantity:<10} {_status(v):<15} {v.answer}"]
    lines += [f"    diagnosis: {d}" for d in v.diagnosis]
    if v.counterexample:
        c = v.counterexample
        at = ", ".join(f"{k} = {x}" for k, x in c["point"].items())
        yours = "undefined" if c["student"] is None else f"{c['student']:.6g}"
        lines.append(f"    counterexample: at {at}: yours {yours}, correct {c['correct']:.6g}")
    lines += [f"    note: {n}" for n in v.notes]
    return lines


def text_report(result):
    """The whole sheet as text, ending with the score line."""
    sheet = result.sheet
    who = f" — {sheet.student}" if sheet.student else ""
    lines = [f"{sheet.path or 'answer sheet'}{who} (generator loss: {sheet.loss})"]
    for v in result.verdicts:
        lines += verdict_lines(v)
    counts = {s: sum(_status(v) == s for v in result.verdicts)
              for s in ("equivalent", "follow-through", "not equivalent", "undecided", "invalid")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines.append(f"score {result.score:g} / {result.total:g} ({summary})")
    return "\n".join(lines)


def as_dict(result):
    sheet = result.sheet
    return {"sheet": sheet.path, "student": sheet.student, "loss": sheet.loss, "score": result.score,
            "total": result.total, "all_correct": result.all_correct,
            "verdicts": [asdict(v) for v in result.verdicts]}


def json_report(result):
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2)
