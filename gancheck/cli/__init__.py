"""The ``gancheck`` command. Each subcommand is a module here with ``add_parser(subparsers)`` and ``run(args) -> int``.

Bad input raises :class:`gancheck.GancheckError` (or ``OSError`` for files): the command prints one line and exits 2.
"""
import argparse
import importlib
import sys

from .. import GancheckError, __version__

# name → module; modules are imported lazily so `gancheck train` never pays for SymPy.
SUBCOMMANDS = {
    "train": "train",
    "verify": "derive",
    "derive": "derive",
    "check-formula": "formulas",
    "check-sheet": "formulas",
    "check-proof": "proofs",
    "grade": "grade",
    "experiment": "experiment",
    "autograder": "autograder",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: one line, exit 2
        self.exit(2, f"gancheck: error: {message}\n")


def build_parser():
    parser = _Parser(prog="gancheck", description="Teach and verify the mathematics of GANs.")
    parser.add_argument("--version", action="version", version=f"gancheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    seen = set()
    for module_name in SUBCOMMANDS.values():
        if module_name not in seen:
            seen.add(module_name)
            importlib.import_module(f".{module_name}", __name__).add_parser(sub)
    return parser


def main(argv=None):
    """Run ``gancheck ARGV`` and return its exit status (argparse's usage errors and ``--help`` included)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        return args.run(args)
    except (GancheckError, OSError) as exc:
        print(f"gancheck: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gancheck: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
