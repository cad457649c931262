"""``gancheck autograder ASSIGNMENT.toml --out autograder.zip``: a Gradescope autograder bundle for an assignment."""


def add_parser(subparsers):
    p = subparsers.add_parser("autograder", help="write a Gradescope autograder bundle (setup.sh, run_autograder)",
                              description="Bundle an assignment for Gradescope: its containers then grade each "
                                          "submission with gancheck, hidden items hidden until published.")
    p.add_argument("assignment", help="the assignment (TOML, either format)")
    p.add_argument("--out", default="autograder.zip", metavar="ZIP", help="the bundle to write (autograder.zip)")
    p.add_argument("--tests", metavar="PY", help="the instructor's own tests file to ship with it")
    p.set_defaults(run=run)


def run(args):
    from pathlib import Path

    from .. import GancheckError
    from ..homework.code.autograder import write_bundle

    for path in filter(None, (args.assignment, args.tests)):
        if not Path(path).is_file():
            raise GancheckError(f"{path}: no such file")
    print(f"Gradescope bundle written to {write_bundle(args.assignment, args.out, args.tests)}")
    return 0
