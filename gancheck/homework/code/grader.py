"""Grading one submission: read it, load its definitions in the sandbox, run every check, keep the evidence.

A submission is a script, a notebook, a student's directory or a zip of one (:mod:`.folder`); the assignment is
either format — the course's (its checks: :mod:`.checks`) or format 2 (:mod:`.spec.grade`) — and both run in the
same sandbox session, one per submission, with the instructor's own tests (:mod:`.instructor`) last.

Nothing a submission does stops the grading: an unreadable file is graded 0 with the reason, a missing function is one
failed item, a function that hangs or kills its process fails its own items and the others still run.
"""
import contextlib
import time
from pathlib import Path

import numpy as np

from .assignment import load_assignment
from .calls import InSandbox
from .checks import KINDS, Context
from .checks.runner import run_function
from .folder import load_folder, unpacked
from .instructor import run_tests
from .report import Item, Report
from .session import Session, Unavailable
from .source import UnreadableSubmission, load_program


def open_program(path, assignment, stack):
    """The :class:`.source.Program` of the submission at ``path`` (a zip stays unpacked while ``stack`` is open)."""
    path = Path(path)
    if path.suffix == ".zip":
        path = stack.enter_context(unpacked(path))
    if path.is_dir():
        return load_folder(path, assignment.entry)
    return load_program(path)


def grade_file(path, assignment=None, student=None, tests=None):
    """The :class:`~.report.Report` of the submission at ``path`` (the built-in assignment by default; ``tests``:
    the instructor's tests, :func:`.instructor.load`)."""
    assignment = assignment or load_assignment()
    path = Path(path)
    start = time.perf_counter()
    report = Report(student or path.stem, str(path), assignment.title)
    with contextlib.ExitStack() as stack:
        try:
            program = open_program(path, assignment, stack)
        except UnreadableSubmission as exc:
            report.status = "unreadable"
            report.items = missing_items(assignment, f"not graded: {exc}")
            return report
        report.notes += program.notes
        packages = tuple(dict.fromkeys((*assignment.packages, *(tests.packages if tests else ()))))
        with Session(program, assignment.limits, packages, assignment.stubbed) as session:
            try:
                defined, failed_load = session.load(), None
            except Unavailable as gone:
                defined, failed_load = set(), gone.reason
            grade = _format2(session, assignment, defined) if hasattr(assignment, "nets") else _format1(session,
                                                                                                      assignment)
            for function in assignment.functions:
                if _root(function) not in defined and not getattr(function, "module", None):
                    report.items.append(_missing(function, failed_load or f"not defined: no {_root(function)} after "
                                                                          "loading the submission"))
                    continue
                report.items += grade(function, report.notes)
            if tests is not None:
                report.items += run_tests(tests, session, failed_load)
        report.notes += session.notes   # after closing: the process's direct output is read then
    _output_notes(session, report.notes, assignment.limits.output_kb)
    report.seconds = time.perf_counter() - start
    return report


def _root(function):
    """The name a function needs in the submission's namespace: its class, or its (first) function."""
    cls = getattr(function, "cls", None)
    return cls or (function.calls[0].target if hasattr(function, "calls") else function.name)


def _missing(function, reason):
    return Item(function.name, "defined", f"defines {function.signature or _root(function)}", 0.0,
                function.max_points, False, reason, hidden=bool(function.hidden))


def missing_items(assignment, reason):
    """One failed item per function (and instructor test) of ``assignment``, all with ``reason``."""
    items = [_missing(f, reason) for f in assignment.functions]
    return items + [Item("instructor", t.name, t.name, 0.0, t.points, False, reason, hidden=t.hidden)
                    for t in assignment.tests]


def _format1(session, assignment):
    def grade(function, notes):
        ctx, check = Context(session, function, assignment), KINDS[function.reference]
        items = []
        for name, outcome in run_function(check, ctx).items():
            points = function.points[name]
            items.append(Item(function.name, name, check.items[name], points if outcome.passed else 0.0, points,
                              outcome.passed, outcome.evidence, _plain(outcome.example)))
        if ctx.mutated and "unchanged" not in function.points:
            notes.append(f"{function.name} modifies its argument {ctx.mutated} in place: not graded here, but the "
                         "caller's array changes")
        return items
    return grade


def _format2(session, spec, defined):
    from .spec.grade import Grader

    grader = Grader(spec, InSandbox(session), defined)

    def grade(function, notes):
        try:
            verdicts = grader.grade(function)
        except Unavailable as gone:
            verdicts = {item: (False, gone.reason) for item in function.points}
        notes += grader.take_notes()
        return [Item(function.name, item, item, points if verdicts[item][0] else 0.0, points, verdicts[item][0],
                     verdicts[item][1], hidden=item in function.hidden) for item, points in function.points.items()]
    return grade


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
