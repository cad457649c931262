"""A checked proof as text for a terminal, or as JSON for tools (:func:`as_dict` is the JSON's structure).

Every piece of the student's text — lines, justifications, names, file paths, notes that quote them — passes
:func:`gancheck.homework.terminal.printable` in both formats, so a control character in a proof is shown, not obeyed.
"""
import json
import re
from dataclasses import asdict

from gancheck.homework.formulas.report import number
from gancheck.homework.terminal import printable

from . import outcome as O
from .lines import SHOWN

MARKS = {O.RIGHT: "✓", O.FOLLOWED: "~", O.WRONG: "✗", O.OPEN: "?"}


def _line(text):
    return printable(text).replace("\n", "\\n").replace("\t", " ")


def relation(r):
    """``left op right`` of a step or a hypothesis, as written (≤ for <=, ⇒ for =>)."""
    return f"{_line(r['left'])} {SHOWN[r['op']]} {_line(r['right'])}"


def step_lines(v):
    """A step as text lines: mark, number, status, the relation; then its counterexample and notes."""
    status = "follow-through" if v.outcome == O.FOLLOWED else v.status
    shown = relation(asdict(v))
    if v.premise:
        shown = f"{relation(v.premise)}  ⇒  {shown}"
    lines = [f"  {MARKS[v.outcome]} step {v.number:<3} {status:<15} {shown}"]
    c = v.counterexample
    if c:
        at = _grouped(c["point"])
        sides = "left undefined" if c["left"] is None else f"left {number(c['left'])}"
        sides += ", right undefined" if c["right"] is None else f", right {number(c['right'])}"
        held = f" (the hypothesis holds there: {number(c['premise'][0])} {SHOWN[v.premise['op']]} " \
            f"{number(c['premise'][1])})" if c["premise"] and None not in c["premise"] else ""
        lines.append(f"        counterexample: {'at ' + _line(at) + ': ' if at else ''}{sides}{held}")
    if v.carries:
        lines.append(f"        right given step {v.carries}: carried forward")
    lines += [f"        note: {_line(n)}" for n in v.notes]
    return lines


def _grouped(point):
    """The point as text, a distribution's points together: ``p = (0.1, 0.9)`` for ``p_1 = 0.1, p_2 = 0.9``."""
    out, groups = [], {}
    for name, value in point.items():
        m = re.fullmatch(r"(.+)_(\d+)", name)
        if m:
            if m[1] not in groups:
                groups[m[1]] = []
                out.append((m[1], groups[m[1]]))
            groups[m[1]].append(number(value))
        else:
            out.append((name, number(value)))
    return ", ".join(f"{name} = ({', '.join(v)})" if isinstance(v, list) else f"{name} = {v}" for name, v in out)


def text_report(result):
    """The whole proof as text: each line with its steps, the first wrong step, the score."""
    s, assignment = result.structure, result.assignment
    who = f" — {_line(s['student'])}" if s["student"] else ""
    title = f": {_line(s['title'])}" if s["title"] else ""
    lines = [f"{_line(result.path or 'proof')}{who}{title}" + (f" [{_line(assignment.title)}]" if assignment.title
                                                                  else "")]
    if s["assume"]:
        lines.append(f"assuming {'; '.join(map(_line, s['assume']))}")
    for name, formula in s["define"]:
        lines.append(f"where {_line(name)} = {_line(formula)}")
    by_line = {}
    for v in result.steps:
        by_line.setdefault(v.line, []).append(v)
    hypotheses = {}
    for h in s["hypotheses"]:
        hypotheses.setdefault(h["line"], []).append(h)
    for number_, text in enumerate(s["lines"], 1):
        because = s["because"][number_ - 1]
        lines.append(f"line {number_}: {_line(text)}" + (f"    [{_line(because)}]" if because else ""))
        lines += [f"  · hypothesis {relation(h)} (assumed, for the ⇒ after it)" for h in hypotheses.get(number_, [])]
        for v in by_line.get(number_, []):
            lines += step_lines(v)
    first = result.first_wrong
    if first:
        carried = [v.number for v in result.steps if v.carries == first.number]
        after = f"; steps {', '.join(map(str, carried))} carried forward" if carried else ""
        lines.append(f"first wrong step: {first.number} (line {first.line}){after}")
    counts = {}
    for v in result.steps:
        key = "follow-through" if v.outcome == O.FOLLOWED else v.status
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in counts.items())
    lines.append(f"score {result.score:g} / {result.total:g} ({summary})")
    return "\n".join(lines)


def as_dict(result):
    s = result.structure
    steps = []
    for v in result.steps:
        d = asdict(v)
        d.update(left=printable(v.left), right=printable(v.right), notes=[printable(n) for n in v.notes])
        if v.premise:
            d["premise"] = {**v.premise, "left": printable(v.premise["left"]), "right": printable(v.premise["right"])}
        steps.append(d)
    first = result.first_wrong
    return {"proof": None if result.path is None else printable(result.path),
            "title": None if s["title"] is None else printable(s["title"]),
            "student": None if s["student"] is None else printable(s["student"]),
            "assignment": result.assignment.title, "assume": [printable(a) for a in s["assume"]],
            "score": result.score, "total": result.total, "all_right": result.all_right,
            "first_wrong": None if first is None else first.number, "steps": steps}


def json_report(result):
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2)
