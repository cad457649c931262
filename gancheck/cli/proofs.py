"""``gancheck check-proof PROOF``: a proof checked line by line — every step equal, implied, wrong with a
counterexample, or undecided with the reason — the first wrong step named and the steps after it carried forward.

Exit status: 0 every step right, 1 a step wrong or undecided, 2 unusable input (the proof file or one of its lines,
the assignment). ``--template`` prints a starter proof that explains the format.
"""
from . import args as types
from .formulas import FORMATS, _Show


def _template():
    from gancheck.homework.proofs.fileformat import template

    return template()


def add_parser(subparsers):
    p = subparsers.add_parser("check-proof", help="check a hand-written proof line by line (TOML)",
                              description="Check every step of a proof: e1 = e2 <= e3, A => B, under the proof's "
                                          "declared assumptions.")
    p.add_argument("proof", type=types.text_file((".toml",)), help="the proof file (see --template)")
    p.add_argument("--assignment", type=types.text_file((".toml",)),
                   help="the instructor's assignment (TOML): the proof's points and its follow-through credit")
    p.add_argument("--format", default="text", choices=FORMATS)
    p.add_argument("--template", action=_Show, text=_template, help="print a starter proof and exit")
    p.set_defaults(run=run)


def run(args):
    from gancheck.homework.formulas.sandbox import shared

    shared().start()  # the limited child imports SymPy while this process reads the input
    from gancheck.homework.proofs import engine, report
    from gancheck.homework.proofs.assignment import PRACTICE, load_assignment

    assignment = load_assignment(args.assignment) if args.assignment else PRACTICE
    structure, text = engine.load_proof(args.proof)
    result = engine.check_proof(structure, text, assignment, path=args.proof)
    print(report.json_report(result) if args.format == "json" else report.text_report(result))
    return 0 if result.all_right else 1
