"""Benchmark of the code grader: a class of generated submissions graded in parallel with the built-in assignment.

The class mixes, with fixed proportions, correct solutions (each with its own learning rate) and every mistake class
of the submissions library, plus a few broken files: a syntax error that leaves a function missing, and a function
that never returns (it costs its time limit for each call that reaches it). Each submission is an entry of the library
(``tests/data/submissions/library.toml``, materialised by :mod:`gancheck.homework.code.library`) with its learning rate
drawn at random, so every grade is known in advance and checked.

Run: ``python benchmarks/bench_grading.py`` (``--students 100 --jobs 2`` by default; target: under 2 minutes).
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gancheck.homework.code import grade_directory, library, load_assignment

DIS, GEN = [(f"grad_decent_{net} · loss", f"grad_decent_{net} · step") for net in ("dis", "gen")]
BOTH_STEPS = {DIS[1], GEN[1]}

# kind → (share of the class, library entry, the items it must fail)
KINDS = {
    "correct": (0.40, "correct", set()),
    "wrong sign": (0.08, "wrong_sign", {DIS[1]}),
    "missing 1/N": (0.08, "missing_1_over_N", {"loss_stable · value", "loss_stable · stable", *DIS, *GEN}),
    "transposed": (0.08, "transposed_gradient", BOTH_STEPS),
    "wrong mask": (0.08, "wrong_mask", BOTH_STEPS),
    "saturating": (0.08, "saturating", set(GEN)),
    "in-place drelu": (0.08, "inplace_drelu", {"drelu · unchanged"}),
    "syntax error": (0.10, "syntax_error", {"forward_gen · defined", *GEN}),
    "never returns": (0.02, "infinite_loop", {"forward_dis · outputs", *DIS, *GEN}),
}


def make_class(directory, students, rng):
    """Write ``students`` submissions into ``directory``; returns ``{student: kind}``."""
    kinds = [kind for kind, (share, _, _) in KINDS.items() for _ in range(round(share * students))]
    kinds = (kinds + ["correct"] * students)[:students]
    rng.shuffle(kinds)
    roster = {}
    for i, kind in enumerate(kinds):
        alpha = rng.choice([0.001, 0.005, 0.01, 0.05, 0.1])
        student = f"student{i:03d}"
        (Path(directory) / f"{student}.py").write_text(library.text(KINDS[kind][1], alpha=alpha))
        roster[student] = kind
    return roster


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    assignment = load_assignment()
    with tempfile.TemporaryDirectory() as tmp:
        submissions, out = Path(tmp) / "class", Path(tmp) / "grades"
        submissions.mkdir()
        roster = make_class(submissions, args.students, random.Random(args.seed))
        start = time.perf_counter()
        reports = grade_directory(submissions, assignment, out, "json", args.jobs, stream=open(os.devnull, "w"))
        wall = time.perf_counter() - start
    wrong = []
    rows = {}
    for report in reports:
        kind = roster[report.student]
        failed = {item.name for item in report.items if not item.passed}
        if failed != KINDS[kind][2]:
            wrong.append((report.student, kind, sorted(failed)))
        rows.setdefault(kind, []).append(report)
    print(f"{args.students} submissions, {args.jobs} processes, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'kind':<18}{'n':>4}{'score':>9}{'mean s':>9}{'max s':>8}")
    for kind in KINDS:
        group = rows.get(kind, [])
        if group:
            seconds = [r.seconds for r in group]
            print(f"{kind:<18}{len(group):>4}{statistics.mean(r.score for r in group):>9.1f}"
                  f"{statistics.mean(seconds):>9.2f}{max(seconds):>8.2f}")
    print(f"wall time {wall:.1f} s ({wall / args.students:.2f} s per submission); target < 120 s: "
          f"{'met' if wall < 120 else 'MISSED'}")
    for student, kind, failed in wrong:
        print(f"UNEXPECTED grade: {student} ({kind}) failed {failed}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
