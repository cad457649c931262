"""Grading a class at once: every submission of a directory, ``jobs`` at a time, with a progress bar on stderr,
one report per student and a CSV summary.

A class directory holds one entry per student: a file (``alice.ipynb``, ``bob.py``), a zip (``carol.zip``) or a
folder (as LMS exports do) — a folder or a zip is that student's submission, one file or several modules that import
each other (:mod:`.folder` finds its entry). Every entry is accounted for: a symbolic link, a FIFO or a device is a
row with its reason, never followed or read, and two entries that would share a name (``alice.py`` and
``alice.ipynb``) are told apart by their full file names. Each submission is graded in a fresh process of its own
(forked for it, ended after it), which runs the student's code in kernel sandboxes of its own: nothing is shared
between two students, and whatever happens to one — even its grading process dying — is recorded in that student's
row while the batch goes on.
"""
import csv
import hashlib
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from multiprocessing.connection import wait
from pathlib import Path

from ... import GancheckError
from ...progress import Progress
from ..isolation import sandbox as isolation
from ..terminal import printable
from .files import kind
from .folder import modules_below
from .grader import grade_file, missing_items
from .report import Report

SUFFIXES = (".ipynb", ".py", ".zip")


def _entry_kind(path):
    try:
        return kind(os.lstat(path).st_mode)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"


def _folder(entry):
    """A student's folder: ``(path, None)``, or ``(None, problem)`` when it cannot hold a submission."""
    try:
        candidates, notes = modules_below(entry)
    except OSError as exc:
        return None, f"the folder cannot be read ({exc.strerror})"
    return (entry, None) if candidates else (None, "no .ipynb or .py file" + "".join(f"; {n}" for n in notes))


def find_submissions(directory):
    """``[(student, path or None, problem)]`` for the files and student folders of ``directory``, sorted by name."""
    found = []
    for entry in sorted(Path(directory).iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        what = _entry_kind(entry)
        if what == "a directory":
            found.append((entry.name, entry, *_folder(entry)))
        elif entry.suffix in SUFFIXES or what == "a symbolic link":
            found.append((entry.stem, entry, entry, None) if what is None else
                         (entry.stem, entry, None, f"{entry.name} is {what}, not a regular file or folder: not graded"))
    if not found:
        raise GancheckError(f"{directory}: no submissions (.ipynb, .py or .zip files, or one folder per student)")
    names = Counter(name for name, *_ in found)   # alice.py and alice.ipynb: each keeps its full file name
    return sorted((entry.name if names[name] > 1 else name, path, problem) for name, entry, path, problem in found)


def _failed(student, path, assignment, status, reason):
    report = Report(student, str(path or ""), assignment.title, status=status)
    report.items = missing_items(assignment, reason)
    return report


def _safe_name(student):
    """A file name for ``student``'s report: the name itself where it is safe, else a safe form plus a short hash
    of the original, so that ``a b`` and ``a_b`` never share a file."""
    safe = re.sub(r"[^\w.-]+", "_", student).strip(".") or "student"
    if safe != student:
        safe += "-" + hashlib.blake2b(student.encode(errors="surrogateescape"), digest_size=3).hexdigest()
    return safe


def write_report(report, out, fmt, release=False):
    """Write one report into ``out`` in the format ``fmt`` (hidden items explained only if ``release``); returns the
    path written."""
    import json

    out = Path(out)
    if fmt == "gradescope":
        path = out / _safe_name(report.student) / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report.to_gradescope(), indent=2), encoding="utf-8")
    elif fmt == "json":
        path = out / f"{_safe_name(report.student)}.json"
        path.write_text(json.dumps(report.to_json(release), indent=2), encoding="utf-8")
    else:
        path = out / f"{_safe_name(report.student)}.txt"
        path.write_text(report.to_text(release=release), encoding="utf-8")
    return path


def write_summary(reports, path, assignment):
    """The class's CSV: one row per student, one column per graded item."""
    columns = [f"{f.name} · {check}" for f in assignment.functions for check in f.points]
    columns += [f"instructor · {t.name}" for t in assignment.tests]
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", "file", "status", "score", "max_score", "seconds"] + columns)
        for report in sorted(reports, key=lambda r: r.student):
            points = {item.name: item.points for item in report.items}
            for column in columns:   # a missing function is one item: all its checks score 0
                points.setdefault(column, 0.0)
            writer.writerow([printable(report.student), printable(report.file), report.status, f"{report.score:g}",
                             f"{report.max_score:g}", f"{report.seconds:.2f}"] + [f"{points[c]:g}" for c in columns])


def _grade_one(connection, path, assignment, student, tests):
    """In the forked process: one grade, sent back to the batch (a report of ours, never student data unchecked)."""
    try:
        report = grade_file(path, assignment, student, tests)
    except Exception as exc:  # a bug of ours must cost one row, not the class
        report = _failed(student, path, assignment, "error", f"the grader failed: {type(exc).__name__}: {exc}")
    connection.send(report)
    connection.close()


def _graded(pending, assignment, jobs, done, tests):
    """Grade ``pending`` (student → path), at most ``jobs`` processes at a time; ``done(report)`` after each. A grading
    process that outlives its submission's time limit by far (a bug of ours) is killed: its sandboxes die with it."""
    context = multiprocessing.get_context("fork")   # a copy of this process: no start-up, and no process reused
    queue, running = list(pending.items()), {}
    patience = 2 * assignment.limits.total_seconds + 120
    while queue or running:
        while queue and len(running) < jobs:
            student, path = queue.pop(0)
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_grade_one, args=(send, path, assignment, student, tests), daemon=True)
            process.start()
            send.close()
            running[receive] = (student, path, process, time.monotonic() + patience)
        ready = wait(list(running), timeout=max(0.0, min(d for *_, d in running.values()) - time.monotonic()))
        for receive in ready or [r for r, (*_, d) in running.items() if d <= time.monotonic()]:
            student, path, process, _ = running.pop(receive)
            try:
                report = receive.recv() if receive in ready else None
            except (EOFError, OSError):
                report = None
            receive.close()
            if report is None:
                process.kill()
                reason = "died" if receive in ready else f"did not finish within {patience:g} s"
                report = _failed(student, path, assignment, "error", f"the grading process {reason} on this "
                                                                    "submission")
            process.join()
            done(report)


def grade_directory(directory, assignment, out, fmt="text", jobs=2, stream=None, tests=None, release=False):
    """Grade every submission of ``directory``, ``jobs`` at a time (at most the number of CPUs and of submissions),
    with the instructor's ``tests`` if any; write the reports (hidden items explained only if ``release``) and
    ``summary.csv`` into ``out``; return the reports, sorted by student."""
    isolation.require()
    submissions = find_submissions(directory)
    Path(out).mkdir(parents=True, exist_ok=True)
    reports = {student: _failed(student, path, assignment, "error", problem)
               for student, path, problem in submissions if problem}
    pending = {student: path for student, path, problem in submissions if not problem}
    progress = Progress(len(submissions), label="grading", stream=stream or sys.stderr)
    progress.update(len(reports))

    def done(report):
        reports[report.student] = report
        progress.update(len(reports), note=printable(report.student)[:40])

    _graded(pending, assignment, max(1, min(jobs, os.cpu_count() or 1, len(pending))), done, tests)
    for report in reports.values():
        write_report(report, out, fmt, release)
    write_summary(reports.values(), Path(out) / "summary.csv", assignment)
    progress.close()
    return sorted(reports.values(), key=lambda r: r.student)
