"""Grading a class at once: every submission of a directory, in parallel processes, with a progress bar on stderr,
one report per student and a CSV summary.

A directory holds either one file per student (``alice.ipynb``, ``bob.py``) or one folder per student (as LMS exports
do), with a single notebook or script inside. Each submission is graded in a worker process of a pool (which in turn
runs the student's code in its own sandbox); whatever happens to one — even a worker process dying — is recorded in
that student's row and the batch goes on.
"""
import csv
import re
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ... import GancheckError
from ...progress import Progress
from .grader import grade_file
from .report import Item, Report

SUFFIXES = (".ipynb", ".py")


def find_submissions(directory):
    """``[(student, path or None, problem)]`` for the files and student folders of ``directory``, sorted by name."""
    found = []
    for entry in sorted(Path(directory).iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_file() and entry.suffix in SUFFIXES:
            found.append((entry.stem, entry, None))
        elif entry.is_dir():
            files = [f for suffix in SUFFIXES for f in sorted(entry.glob(f"*{suffix}")) if not f.name.startswith(".")]
            notebooks = [f for f in files if f.suffix == ".ipynb"]
            chosen = files if len(files) == 1 else notebooks if len(notebooks) == 1 else []
            problem = None if chosen else (f"{len(files)} candidate files, expected one .ipynb or .py"
                                           if files else "no .ipynb or .py file")
            found.append((entry.name, chosen[0] if chosen else None, problem))
    if not found:
        raise GancheckError(f"{directory}: no submissions (.ipynb or .py files, or one folder per student)")
    return found


def _failed(student, path, assignment, status, reason):
    report = Report(student, str(path or ""), assignment.title, status=status)
    report.items = [Item(f.name, "defined", f.signature, 0.0, f.max_points, False, reason)
                    for f in assignment.functions]
    return report


def _safe_name(student):
    return re.sub(r"[^\w.-]+", "_", student) or "student"


def write_report(report, out, fmt):
    """Write one report into ``out`` in the format ``fmt``; returns the path written."""
    import json

    out = Path(out)
    if fmt == "gradescope":
        path = out / _safe_name(report.student) / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report.to_gradescope(), indent=2), encoding="utf-8")
    elif fmt == "json":
        path = out / f"{_safe_name(report.student)}.json"
        path.write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
    else:
        path = out / f"{_safe_name(report.student)}.txt"
        path.write_text(report.to_text(), encoding="utf-8")
    return path


def write_summary(reports, path, assignment):
    """The class's CSV: one row per student, one column per graded item."""
    columns = [f"{f.name} · {check}" for f in assignment.functions for check in f.points]
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student", "file", "status", "score", "max_score", "seconds"] + columns)
        for report in sorted(reports, key=lambda r: r.student):
            points = {item.name: item.points for item in report.items}
            for f in assignment.functions:
                for check in f.points:   # a missing function is one item: all its checks score 0
                    points.setdefault(f"{f.name} · {check}", 0.0)
            writer.writerow([report.student, report.file, report.status, f"{report.score:g}",
                             f"{report.max_score:g}", f"{report.seconds:.2f}"] + [f"{points[c]:g}" for c in columns])


def grade_directory(directory, assignment, out, fmt="text", jobs=2, stream=None):
    """Grade every submission of ``directory`` with ``jobs`` processes; write the reports and ``summary.csv`` into
    ``out``; return the reports, sorted by student."""
    submissions = find_submissions(directory)
    Path(out).mkdir(parents=True, exist_ok=True)
    reports = {student: _failed(student, None, assignment, "error", problem)
               for student, path, problem in submissions if problem}
    pending = {student: path for student, path, problem in submissions if not problem}
    progress = Progress(len(submissions), label="grading", stream=stream or sys.stderr)
    progress.update(len(reports))
    for attempt in (1, 2):   # a second pool for what a dying worker process took down with it
        if not pending:
            break
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(grade_file, path, assignment, student): student for student, path in pending.items()}
            for future in as_completed(futures):
                student = futures[future]
                try:
                    reports[student] = future.result()
                except BrokenProcessPool:
                    if attempt == 2:
                        reports[student] = _failed(student, pending[student], assignment, "error",
                                                   "the grading process died twice on this submission")
                    continue
                except Exception as exc:  # a bug of ours must cost one row, not the class
                    reports[student] = _failed(student, pending[student], assignment, "error",
                                               f"the grader failed: {type(exc).__name__}: {exc}")
                pending.pop(student)
                progress.update(len(reports), note=student)
    for report in reports.values():
        write_report(report, out, fmt)
    write_summary(reports.values(), Path(out) / "summary.csv", assignment)
    progress.close()
    return sorted(reports.values(), key=lambda r: r.student)
