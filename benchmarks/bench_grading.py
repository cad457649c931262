"""Benchmark of the code grader: a class of generated submissions graded in parallel with the built-in assignment.

The class mixes, with fixed proportions, correct solutions (each with its own learning rate) and every mistake class
of the submissions library, plus a few broken files: a missing function, a syntax error, and a function that never
returns (it costs its time limit for each call that reaches it). Submissions are variants of
``tests/data/submissions/correct.py`` made by text substitution, so every grade is known in advance and checked.

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

from gancheck.homework.code import grade_directory, load_assignment

CORRECT = (Path(__file__).parents[1] / "tests" / "data" / "submissions" / "correct.py").read_text()

# kind → (share of the class, substitutions on correct.py, the items it must fail)
KINDS = {
    "correct": (0.40, [], set()),
    "wrong sign": (0.08, [("z_bar = (y - t) / N", "z_bar = (t - y) / N")], {"grad_decent_dis · step"}),
    "missing 1/N": (0.08, [("z_bar = (y - t) / N", "z_bar = (y - t)"),
                            ("z_bar = (y - t) / n", "z_bar = (y - t)")],
                    {"grad_decent_dis · step", "grad_decent_gen · step"}),
    "transposed": (0.08, [("U_bar = G_bar.T @ x", "U_bar = (x.T @ G_bar).reshape(U.shape)")],
                   {"grad_decent_dis · step"}),
    "wrong mask": (0.08, [("G_bar = H_bar * drelu(G)", "G_bar = H_bar * relu(G)")],
                   {"grad_decent_dis · step", "grad_decent_gen · step"}),
    "saturating": (0.08, [("    l = loss_stable(z, t, n)\n    z_bar = (y - t) / n",
                           "    l = np.mean(np.log(1 - y))\n    z_bar = -y / n")],
                   {"grad_decent_gen · loss", "grad_decent_gen · step"}),
    "in-place drelu": (0.08, [("    return (z > 0).astype(float)",
                               "    z[z > 0] = 1\n    z[z <= 0] = 0\n    return z")],
                       {"drelu · unchanged"}),
    "missing function": (0.05, [("def forward_gen(", "def forward_generator(")],
                         {"forward_gen · defined", "grad_decent_gen · loss", "grad_decent_gen · step"}),
    "syntax error": (0.05, [("def forward_dis(X, U, b, W, c):", "def forward_dis(X, U, b, W, c)")],
                     {"forward_dis · defined", "grad_decent_dis · loss", "grad_decent_dis · step",
                      "grad_decent_gen · loss", "grad_decent_gen · step"}),
    "never returns": (0.02, [("    H = relu(G)\n    z = H @ W + c",
                              "    while True:\n        pass\n    H = relu(G)\n    z = H @ W + c")],
                      {"forward_dis · outputs", "grad_decent_dis · loss", "grad_decent_dis · step",
                       "grad_decent_gen · loss", "grad_decent_gen · step"}),
}


def make_class(directory, students, rng):
    """Write ``students`` submissions into ``directory``; returns ``{student: kind}``."""
    kinds = [kind for kind, (share, _, _) in KINDS.items() for _ in range(round(share * students))]
    kinds = (kinds + ["correct"] * students)[:students]
    rng.shuffle(kinds)
    roster = {}
    for i, kind in enumerate(kinds):
        text = CORRECT.replace("alpha = 0.01", f"alpha = {rng.choice([0.001, 0.005, 0.01, 0.05, 0.1])}")
        for old, new in KINDS[kind][1]:
            assert old in text, (kind, old)
            text = text.replace(old, new)
        student = f"student{i:03d}"
        (Path(directory) / f"{student}.py").write_text(text)
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
