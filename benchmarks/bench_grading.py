"""Benchmark of the code grader: classes of generated submissions in three homework styles graded in parallel, with
and without the kernel sandbox, in the same run.

The styles (:mod:`styles`): the course's function layout (the built-in assignment), a class whose methods share
weights (``examples/class_methods.toml``) and a three-layer Keras-layout step with leaky ReLU and tanh
(``examples/keras_three_layers.toml``). Each class mixes, in fixed proportions, correct submissions and the style's
mistakes — for the course layout every mistake class of the submissions library, a syntax error and a function that
never returns (it costs its time limit for each call that reaches it) — so every grade is known in advance and checked:
a grade that differs is printed and the run fails.

Run: ``python benchmarks/bench_grading.py`` (``--students 100 --jobs 2 --isolation both`` by default; issue 11's
second run is ``--students 1000 --isolation kernel``). A class of ``--students`` is split evenly over the styles, one
class directory per style. For each size, isolation mode and style it prints the wall time, the wall time per
submission (the class's throughput: goal ≤ 0.6 s, so 1,000 submissions in under 10 minutes), the median and 95th
percentile of one submission's own grading time, and the ratio of the isolated run to the unisolated one; a row
``all`` sums the styles. The load average is printed too: the machine is shared, and a loaded one stretches every
number.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gancheck.homework.code import grade_directory
from gancheck.homework.isolation import sandbox as isolation

sys.path.insert(0, str(Path(__file__).parent))
from styles import STYLES, expected, make_class  # noqa: E402  (the benchmark's own module, beside it)


def grade_class(style, students, jobs, seed, mode):
    """Grade a generated class of ``students`` in ``style`` and isolation ``mode``: (wall seconds, reports, roster)."""
    isolation.set_mode(mode)
    with tempfile.TemporaryDirectory() as tmp:
        submissions, out = Path(tmp) / "class", Path(tmp) / "grades"
        submissions.mkdir()
        roster = make_class(style, submissions, students, random.Random(seed))
        assignment = STYLES[style][0]()
        start = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            reports = grade_directory(submissions, assignment, out, "json", jobs, stream=quiet)
        return time.perf_counter() - start, reports, roster


def unexpected(style, reports, roster):
    """The submissions whose failed items are not those of their kind."""
    wrong = []
    for report in reports:
        failed = {item.name for item in report.items if not item.passed}
        if failed != expected(style, roster[report.student]):
            wrong.append((report.student, roster[report.student], sorted(failed)))
    return wrong


def row(label, mode, n, wall, seconds, ratio):
    seconds = sorted(seconds)
    return (f"| {label:<7}| {mode:<7}| {n:>6} | {wall:>8.1f} | {wall / n:>7.3f} | {statistics.median(seconds):>8.2f} "
            f"| {seconds[int(0.95 * (len(seconds) - 1))]:>6.2f} | {ratio:>5.2f} | {os.getloadavg()[0]:>4.1f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[100], help="class sizes (split over the styles)")
    parser.add_argument("--styles", nargs="+", choices=list(STYLES), default=list(STYLES))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--isolation", choices=("both", "kernel", "none"), default="both")
    args = parser.parse_args(argv)
    modes = ("none", "kernel") if args.isolation == "both" else (args.isolation,)
    print(f"{args.jobs} processes, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start\n")
    print("| style  | isol.  | subm.  |   wall s | s/subm. | median s | p95 s | ratio | load |")
    print("|--------|--------|--------|----------|---------|----------|-------|-------|------|")
    wrong, walls = [], {}
    for students in args.students:
        shares = [students // len(args.styles) + (i < students % len(args.styles)) for i in range(len(args.styles))]
        for mode in modes:
            total, everyone = 0.0, []
            for style, n in zip(args.styles, shares):
                wall, reports, roster = grade_class(style, n, args.jobs, args.seed, mode)
                walls[mode, students, style] = wall
                total += wall
                everyone += [r.seconds for r in reports]
                base = walls.get(("none", students, style))
                print(row(style, mode, n, wall, [r.seconds for r in reports],
                          wall / base if base and mode != "none" else 1.0), flush=True)
                wrong += unexpected(style, reports, roster)
            walls[mode, students, "all"] = total
            base = walls.get(("none", students, "all"))
            print(row("all", mode, students, total, everyone, total / base if base and mode != "none" else 1.0),
                  flush=True)
    for student, kind, failed in wrong:
        print(f"UNEXPECTED grade: {student} ({kind}) failed {failed}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
