"""``gancheck check-formula QUANTITY "EXPR"`` and ``gancheck check-sheet SHEET``: verdicts on hand-derived formulas.

Exit status: 0 every formula equivalent to the reference, 1 something wrong, undecided or not answered, 2 unusable
input (unknown quantity, unreadable formula, sheet or assignment). ``check-formula --list`` prints the quantities,
``check-sheet --template`` a starter sheet.
"""
import argparse
import json
import os
import sys

from . import args as types

FORMATS = ("text", "json")


class _Show(argparse.Action):
    """Print a text from :mod:`gancheck.homework.formulas.starter` (or returned by ``text``, a function) and exit, as
    ``--version`` does."""

    def __init__(self, option_strings, dest, text, **kwargs):
        super().__init__(option_strings, dest, nargs=0, **kwargs)
        self.text = text

    def __call__(self, parser, namespace, values, option_string=None):
        from gancheck.homework.formulas import starter

        try:
            print(self.text() if callable(self.text) else getattr(starter, self.text)(), flush=True)
        except BrokenPipeError:  # `--list | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        parser.exit(0)


def add_parser(subparsers):
    p = subparsers.add_parser("check-formula", help="check one hand-derived formula against the reference",
                              description="Check one formula, e.g. gancheck check-formula D.W_bar 'z_bar*h'.")
    p.add_argument("quantity", help="catalogue name, e.g. D.z_bar, G.g_bar, relu_prime (see --list)")
    p.add_argument("expr", help="the formula, in SymPy/Python syntax or LaTeX (after -- if it starts with -)")
    p.add_argument("--loss", default="nonsaturating", choices=("nonsaturating", "minimax"), help="generator loss")
    p.add_argument("--syntax", default="auto", choices=("auto", "python", "latex"))
    p.add_argument("--format", default="text", choices=FORMATS)
    p.add_argument("--list", action=_Show, text="quantity_list", help="list the quantities, their meaning and names")
    p.set_defaults(run=run)
    p = subparsers.add_parser("check-sheet", help="check a student's answer sheet (TOML or YAML)",
                              description="Check every formula of an answer sheet (.toml, .yaml).")
    p.add_argument("sheet", type=types.text_file((".toml", ".yaml", ".yml")), help="path of the answer sheet")
    p.add_argument("--assignment", type=types.text_file((".toml",)),
                   help="the instructor's assignment (TOML): points, follow-through, loss")
    p.add_argument("--format", default="text", choices=FORMATS)
    p.add_argument("--template", action=_Show, text="template", help="print a starter answer sheet")
    p.set_defaults(run=run)


def run(args):
    from gancheck.homework.formulas.sandbox import shared

    shared().start()  # the limited child imports SymPy while this process reads the input
    from gancheck import GancheckError
    from gancheck.homework.formulas import engine, report
    from gancheck.homework.terminal import printable

    if args.command == "check-formula":
        verdict = engine.check_formula(args.quantity, args.expr, loss=args.loss, syntax=args.syntax)
        if verdict.status == "invalid":  # an unreadable formula is unusable input: its one line, exit 2
            raise GancheckError(printable(verdict.notes[0]).replace("\n", " "))
        print(json.dumps(report.verdict_dict(verdict), ensure_ascii=False, indent=2) if args.format == "json"
              else "\n".join(report.verdict_lines(verdict)))
        return 0 if verdict.status == "equivalent" else 1
    from gancheck.homework.formulas.assignment import PRACTICE, load_assignment

    assignment = load_assignment(args.assignment) if args.assignment else PRACTICE
    result = engine.check_sheet(engine.load_sheet(args.sheet), assignment)
    print(report.json_report(result) if args.format == "json" else report.text_report(result))
    return 0 if result.all_correct else 1
