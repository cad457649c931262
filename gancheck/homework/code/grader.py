"""Grading one submission: read it, load its definitions in the sandbox, run every check, keep the evidence.

Nothing a submission does stops the grading: an unreadable file is graded 0 with the reason, a missing function is one
failed item, a function that hangs or kills its process fails its own items and the others still run.
"""
import time
from pathlib import Path

import numpy as np

from .assignment import load_assignment
from .checks import KINDS, Context
from .checks.runner import grading_settings, run_function
from .report import Item, Report
from .session import Session, Unavailable
from .source import UnreadableSubmission, load_program


def grade_file(path, assignment=None, student=None):
    """The :class:`~.report.Report` of the script or notebook at ``path`` (the built-in assignment by default)."""
    assignment = assignment or load_assignment()
    path = Path(path)
    start = time.perf_counter()
    report = Report(student or path.stem, str(path), assignment.title)
    try:
        program = load_program(path)
    except UnreadableSubmission as exc:
        report.status = "unreadable"
        report.items = [_missing(f, f"not graded: {exc}") for f in assignment.functions]
        return report
    report.notes += program.notes
    with Session(program, assignment.limits) as session:
        try:
            defined, failed_load = session.load(), None
        except Unavailable as gone:
            defined, failed_load = set(), gone.reason
        for function in assignment.functions:
            if function.name not in defined:
                report.items.append(_missing(function, failed_load or
                                             "not defined: no function of that name after loading the submission"))
                continue
            report.items += _grade_function(session, function, assignment, report.notes)
    report.notes += session.notes   # after closing: the process's direct output is read then
    _output_notes(session, report.notes, assignment.limits.output_kb)
    report.seconds = time.perf_counter() - start
    return report


def _missing(function, reason):
    return Item(function.name, "defined", f"defines {function.signature}", 0.0, function.max_points, False, reason)


def _grade_function(session, function, assignment, notes):
    ctx, check = Context(session, function, assignment), KINDS[function.reference]
    hypothesis_settings = grading_settings(assignment.limits.examples)
    items = []
    for name, outcome in run_function(check, ctx, hypothesis_settings).items():
        points = function.points[name]
        items.append(Item(function.name, name, check.items[name], points if outcome.passed else 0.0, points,
                          outcome.passed, outcome.evidence, _plain(outcome.example)))
    if ctx.mutated and "unchanged" not in function.points:
        notes.append(f"{function.name} modifies its argument {ctx.mutated} in place: not graded here, but the caller's "
                     "array changes")
    return items


def _plain(example):
    if example is None:
        return None
    return {role: np.asarray(value).tolist() for role, value in example.items()}


def _output_notes(session, notes, output_kb):
    for name, (text, size) in session.output.items():
        if size:
            flood = (f" — only the first {output_kb} KiB are kept, output never costs points"
                     if size > output_kb * 1024 else "")
            shown = " ".join(text.split())[:80]
            notes.append(f"{name} printed {size:,} characters{flood}: {shown!r}")
    for stream, (text, size) in zip(("stdout", "stderr"), session.direct):
        if size:
            notes.append(f"the process wrote {size:,} bytes straight to its {stream}: {' '.join(text.split())[:80]!r}")
