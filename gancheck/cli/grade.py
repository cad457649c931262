"""``gancheck grade PATH``: grade students' NumPy GAN code — one submission or a class.

PATH is one submission when it is a file (``.py``, ``.ipynb``, or a ``.zip`` of a student's files), or a directory
given with ``--single`` or holding the assignment's ``entry`` file at its top; any other directory is a class: one
file, zip or folder per student (a folder is that student's files, several modules allowed).

Exit status: 0 every submission has full marks, 1 some points were lost, 2 unusable input (a file that is not a
regular, readable, decodable script or notebook; an assignment or tests file that cannot be used; no kernel sandbox
on this machine and no ``--unsafe-no-isolation``).
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

from .. import GancheckError
from . import args as types
from ..homework.terminal import printable

FORMATS = ("text", "json", "gradescope")


def add_parser(subparsers):
    p = subparsers.add_parser(
        "grade", help="grade students' NumPy GAN code (.py, .ipynb, a zip or a folder), one or a class of them",
        description="Grade the homework's NumPy GAN functions in a kernel sandbox: the course's checks against "
                    "gancheck's reference, or a format-2 assignment's behavioural checks (a step against finite "
                    "differences of the student's own loss), with evidence for every verdict.")
    p.add_argument("path", nargs="?", type=types.file_or_directory,
                   help="a submission (.py, .ipynb or .zip), or a directory: one file, zip or folder per student "
                        "(or one student's files, see --single)")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default), json, or gradescope (Gradescope's results.json)")
    p.add_argument("--out", metavar="DIR", type=types.output_dir,
                   help="write the report(s) into DIR (for a directory: default ./grades, plus summary.csv)")
    p.add_argument("--jobs", type=types.jobs, default=types.cpu_count(), metavar="N",
                   help="submissions graded in parallel (a directory; default and most: the number of CPUs)")
    p.add_argument("--assignment", metavar="TOML", type=types.text_file(),
                   help="the assignment to grade against, either format (default: the course's built-in one)")
    p.add_argument("--assignment-template", action="store_true",
                   help="print a commented format-2 assignment (the course's homework), to copy and edit, and exit")
    p.add_argument("--tests", metavar="PY", type=types.text_file((".py",)),
                   help="the instructor's own tests, named with their points in the assignment's [[tests]]")
    p.add_argument("--single", action="store_true",
                   help="PATH, a directory, is one student's submission (their modules), not a class")
    p.add_argument("--release-hidden", action="store_true",
                   help="explain the assignment's hidden items in the text and JSON reports too")
    p.add_argument("--unsafe-no-isolation", action="store_true",
                   help="run students' code without the kernel sandbox (only where user namespaces are missing, on a "
                        "machine you can lose: the code can then read and write whatever you can)")
    p.set_defaults(run=run)


def _isolation(args):
    from ..homework.isolation import sandbox as isolation

    if args.unsafe_no_isolation:
        isolation.set_mode("none")
        print("gancheck: warning: --unsafe-no-isolation: students' code runs without the kernel sandbox",
              file=sys.stderr)
    else:
        isolation.require()


def _one_submission(path, assignment, single):
    if not path.is_dir():
        return True
    return single or (assignment.entry is not None and (path / assignment.entry).is_file())


def run(args):
    from ..homework.code import BUILTIN, grade_directory, grade_file, instructor
    from ..homework.code.batch import write_report
    from ..homework.code.spec import load_any, template

    if args.assignment_template:
        sys.stdout.write(template())
        return 0
    if args.path is None:
        raise GancheckError("grade needs a PATH (a submission or a directory of them)")
    path = Path(args.path)   # the argument types have checked it and the assignment (cli.args): regular or a directory
    assignment = load_any(args.assignment or BUILTIN)
    tests = instructor.load(assignment, args.tests) if args.tests else None
    if tests is None and assignment.tests:
        raise GancheckError(f"{args.assignment}: declares instructor tests ([[tests]]): pass their file with --tests")
    if args.single and not path.is_dir():
        raise GancheckError(f"--single: {path} is a file, which is one submission anyway")
    _isolation(args)
    release = args.release_hidden
    if not _one_submission(path, assignment, args.single):
        out = Path(args.out or ("grades" if args.format != "json" else tempfile.mkdtemp(prefix="gancheck-grades-")))
        reports = grade_directory(path, assignment, out, args.format, args.jobs, tests=tests, release=release)
        if args.format == "json":   # one document on stdout; the files only where --out asked for them
            print(json.dumps({"assignment": assignment.title, "reports": [r.to_json(release) for r in reports]},
                             indent=2))
            if not args.out:
                shutil.rmtree(out, ignore_errors=True)
        else:
            for report in reports:
                print(report.headline())
            print(f"reports and summary.csv in {out}")
    else:
        reports = [grade_file(path, assignment, tests=tests)]
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            if args.format == "gradescope":   # Gradescope reads <out>/results.json
                target = Path(args.out) / "results.json"
                target.write_text(json.dumps(reports[0].to_gradescope(), indent=2), encoding="utf-8")
            else:
                target = write_report(reports[0], args.out, args.format, release)
            print(f"{reports[0].headline()}\nreport written to {target}")
        elif args.format == "text":
            sys.stdout.write(reports[0].to_text(release=release))
        else:
            data = reports[0].to_json(release) if args.format == "json" else reports[0].to_gradescope()
            print(json.dumps(data, indent=2))
        if reports[0].status == "unreadable":   # the report is out (Gradescope needs its 0); the status says why
            print(f"gancheck: error: {printable(reports[0].items[0].evidence)}", file=sys.stderr)
            return 2
    return 0 if all(r.score == r.max_score for r in reports) else 1
