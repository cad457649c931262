"""``gancheck autograder ASSIGNMENT.toml --out autograder.zip``: a Gradescope autograder bundle for an assignment."""
from . import args as types


def add_parser(subparsers):
    p = subparsers.add_parser("autograder", help="write a Gradescope autograder bundle (setup.sh, run_autograder)",
                              description="Bundle an assignment for Gradescope: its containers then grade each "
                                          "submission with gancheck, hidden items hidden until published.")
    p.add_argument("assignment", type=types.text_file((".toml",)), help="the assignment (TOML, either format)")
    p.add_argument("--out", default="autograder.zip", type=types.output_file((".zip",)), metavar="ZIP",
                   help="the bundle to write (autograder.zip)")
    p.add_argument("--tests", type=types.text_file((".py",)), metavar="PY",
                   help="the instructor's own tests file to ship with it")
    p.set_defaults(run=run)


def run(args):
    from ..homework.code.autograder import write_bundle

    print(f"Gradescope bundle written to {write_bundle(args.assignment, args.out, args.tests)}")
    return 0
