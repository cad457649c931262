"""``gancheck grade PATH``: grade students' NumPy GAN code — one submission (a file) or a class (a directory).

Exit status: 0 every submission has full marks, 1 some points were lost, 2 unusable input (a file that is not a
regular, readable, decodable script or notebook; an assignment that is not a TOML file; no kernel sandbox on this
machine and no ``--unsafe-no-isolation``).
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
        "grade", help="grade students' NumPy GAN code (.py or .ipynb), one file or a directory of them",
        description="Grade the homework's NumPy GAN functions: each runs in a sandboxed process on Hypothesis-"
                    "generated inputs and is compared with gancheck's reference, with evidence for every verdict.")
    p.add_argument("path", nargs="?", type=types.file_or_directory,
                   help="a submission (.py or .ipynb), or a directory: one file or folder per student")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default), json, or gradescope (Gradescope's results.json)")
    p.add_argument("--out", metavar="DIR", type=types.output_dir,
                   help="write the report(s) into DIR (for a directory: default ./grades, plus summary.csv)")
    p.add_argument("--jobs", type=types.jobs, default=types.cpu_count(), metavar="N",
                   help="submissions graded in parallel (a directory; default and most: the number of CPUs)")
    p.add_argument("--assignment", metavar="TOML", type=types.text_file(),
                   help="the assignment to grade against (default: the built-in one)")
    p.add_argument("--assignment-template", action="store_true",
                   help="print the built-in assignment, to copy and edit, and exit")
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


def run(args):
    from ..homework.code import BUILTIN, grade_directory, grade_file, load_assignment
    from ..homework.code.batch import write_report

    if args.assignment_template:
        sys.stdout.write(BUILTIN.read_text(encoding="utf-8"))
        return 0
    if args.path is None:
        raise GancheckError("grade needs a PATH (a submission or a directory of them)")
    path = Path(args.path)   # the argument types have checked it and the assignment (cli.args): regular or a directory
    assignment = load_assignment(args.assignment)
    _isolation(args)
    if path.is_dir():
        out = Path(args.out or ("grades" if args.format != "json" else tempfile.mkdtemp(prefix="gancheck-grades-")))
        reports = grade_directory(path, assignment, out, args.format, args.jobs)
        if args.format == "json":   # one document on stdout; the files only where --out asked for them
            print(json.dumps({"assignment": assignment.title, "reports": [r.to_json() for r in reports]}, indent=2))
            if not args.out:
                shutil.rmtree(out, ignore_errors=True)
        else:
            for report in reports:
                print(report.headline())
            print(f"reports and summary.csv in {out}")
    else:
        reports = [grade_file(path, assignment)]
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            if args.format == "gradescope":   # Gradescope reads <out>/results.json
                target = Path(args.out) / "results.json"
                target.write_text(json.dumps(reports[0].to_gradescope(), indent=2), encoding="utf-8")
            else:
                target = write_report(reports[0], args.out, args.format)
            print(f"{reports[0].headline()}\nreport written to {target}")
        elif args.format == "text":
            sys.stdout.write(reports[0].to_text())
        else:
            data = reports[0].to_json() if args.format == "json" else reports[0].to_gradescope()
            print(json.dumps(data, indent=2))
        if reports[0].status == "unreadable":   # the report is out (Gradescope needs its 0); the status says why
            print(f"gancheck: error: {printable(reports[0].items[0].evidence)}", file=sys.stderr)
            return 2
    return 0 if all(r.score == r.max_score for r in reports) else 1
