"""``gancheck check-formula QUANTITY "EXPR"`` and ``gancheck check-sheet SHEET``: verdicts on hand-derived formulas.

Exit status: 0 every formula equivalent to the reference, 1 something wrong or undecided, 2 unusable input (unknown
quantity, unreadable formula or sheet).
"""
import json

FORMATS = ("text", "json")


def add_parser(subparsers):
    p = subparsers.add_parser("check-formula", help="check one hand-derived formula against the reference",
                              description="Check one formula, e.g. gancheck check-formula D.W_bar 'z_bar*h'.")
    p.add_argument("quantity", help="catalogue name, e.g. D.z_bar, G.g_bar, relu_prime")
    p.add_argument("expr", help="the formula, in SymPy/Python syntax or LaTeX (after -- if it starts with -)")
    p.add_argument("--loss", default="nonsaturating", choices=("nonsaturating", "minimax"), help="generator loss")
    p.add_argument("--syntax", default="auto", choices=("auto", "python", "latex"))
    p.add_argument("--format", default="text", choices=FORMATS)
    p.set_defaults(run=run)
    p = subparsers.add_parser("check-sheet", help="check a student's answer sheet (TOML or YAML)",
                              description="Check every formula of an answer sheet (.toml, .yaml).")
    p.add_argument("sheet", help="path of the answer sheet")
    p.add_argument("--format", default="text", choices=FORMATS)
    p.set_defaults(run=run)


def run(args):
    from dataclasses import asdict

    from gancheck.homework.formulas import relay
    from gancheck.homework.formulas.sandbox import shared

    if not relay.inside():   # the student's text is read only inside kernel sandboxes (see formulas.relay)
        return relay.run(args)

    shared().start()  # the sandbox child imports SymPy while this process does the same
    from gancheck.homework.formulas import engine, report
    from gancheck.homework.formulas.sheet import load_sheet

    if args.command == "check-formula":
        verdict = engine.check_formula(args.quantity, args.expr, loss=args.loss, syntax=args.syntax)
        print(json.dumps(asdict(verdict), ensure_ascii=False, indent=2) if args.format == "json"
              else "\n".join(report.verdict_lines(verdict)))
        return 0 if verdict.status == "equivalent" else 1
    result = engine.check_sheet(load_sheet(args.sheet))
    print(report.json_report(result) if args.format == "json" else report.text_report(result))
    return 0 if result.all_correct else 1
