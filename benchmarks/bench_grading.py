"""Benchmark of the code grader: classes of generated submissions graded in parallel, with and without the kernel
sandbox, with the built-in assignment.

The class mixes, with fixed proportions, correct solutions (each with its own learning rate) and every mistake class
of the submissions library, plus a few broken files: a syntax error that leaves a function missing, and a function
that never returns (it costs its time limit for each call that reaches it). Each submission is an entry of the library
(``tests/data/submissions/library.toml``, materialised by :mod:`gancheck.homework.code.library`) with its learning rate
drawn at random, so every grade is known in advance and checked.

Run: ``python benchmarks/bench_grading.py`` (``--students 100 --jobs 2 --isolation both`` by default; the issue's
run is ``--students 100 1000``). For each class size and isolation mode it prints the wall time, the wall time per
submission (the class's throughput: goal ≤ 0.6 s, so 1,000 submissions in under 10 minutes), the median and 95th
percentile of one submission's own grading time, and the ratio of the isolated run to the unisolated one. The load
average is printed too: the machine is shared, and a loaded one stretches every number.
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
from gancheck.homework.isolation import sandbox as isolation

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


def grade_class(students, jobs, seed, mode):
    """Grade a generated class of ``students`` in isolation ``mode``; returns (wall seconds, reports, roster)."""
    isolation.set_mode(mode)
    with tempfile.TemporaryDirectory() as tmp:
        submissions, out = Path(tmp) / "class", Path(tmp) / "grades"
        submissions.mkdir()
        roster = make_class(submissions, students, random.Random(seed))
        start = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            reports = grade_directory(submissions, load_assignment(), out, "json", jobs, stream=quiet)
        return time.perf_counter() - start, reports, roster


def unexpected(reports, roster):
    """The submissions whose failed items are not those of their kind."""
    wrong = []
    for report in reports:
        failed = {item.name for item in report.items if not item.passed}
        if failed != KINDS[roster[report.student]][2]:
            wrong.append((report.student, roster[report.student], sorted(failed)))
    return wrong


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[100])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--isolation", choices=("both", "kernel", "none"), default="both")
    args = parser.parse_args(argv)
    modes = ("none", "kernel") if args.isolation == "both" else (args.isolation,)
    print(f"{args.jobs} processes, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    print(f"{'isolation':<10}{'students':>9}{'wall s':>9}{'s/subm.':>9}{'median s':>10}{'p95 s':>8}{'ratio':>7}"
          f"{'load':>6}")
    wrong, walls = [], {}
    for students in args.students:
        for mode in modes:
            wall, reports, roster = grade_class(students, args.jobs, args.seed, mode)
            walls[mode, students] = wall
            seconds = sorted(r.seconds for r in reports)
            ratio = wall / walls["none", students] if ("none", students) in walls and mode != "none" else 1.0
            print(f"{mode:<10}{students:>9}{wall:>9.1f}{wall / students:>9.3f}{statistics.median(seconds):>10.2f}"
                  f"{seconds[int(0.95 * (len(seconds) - 1))]:>8.2f}{ratio:>7.2f}{os.getloadavg()[0]:>6.1f}",
                  flush=True)
            wrong += unexpected(reports, roster)
    for student, kind, failed in wrong:
        print(f"UNEXPECTED grade: {student} ({kind}) failed {failed}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
