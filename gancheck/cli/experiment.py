"""``gancheck experiment NAME [--variant fast|full] [--seed S] [--out DIR]``: run one of the lecture's experiments and
write its figure (``NAME-VARIANT.png``) and data (``NAME-VARIANT.json``); ``gancheck experiment --list`` names them."""
import argparse
import json
import os
from pathlib import Path

from .. import GancheckError


def _seed(text):
    if not text.isdigit():  # NumPy's generators take non-negative integers only
        raise argparse.ArgumentTypeError(f"seed must be an integer ≥ 0, got {text!r}")
    return int(text)


def add_parser(subparsers):
    p = subparsers.add_parser("experiment", help="run one of the lecture's experiments, write its PNG and JSON",
                              description=__doc__)
    p.add_argument("name", nargs="?", help="experiment name (see --list)")
    p.add_argument("--list", action="store_true", help="list the experiments and exit")
    p.add_argument("--variant", choices=("fast", "full"), default="fast",
                   help="fast: seconds, for docs and tests; full: the sizes of the papers (default: fast)")
    p.add_argument("--seed", type=_seed, default=0, help="random seed, an integer ≥ 0 (default: 0)")
    p.add_argument("--out", default=".", help="directory for the PNG and JSON (created if missing; default: .)")
    p.set_defaults(run=run)


def run(args):
    from ..experiments import EXPERIMENTS, load, to_plain

    if args.list:
        import re

        for name in EXPERIMENTS:
            first = re.sub(r":math:`([^`]*)`", r"\1", load(name).__doc__.strip().splitlines()[0])  # no reST roles
            print(f"{name:<14} {first}")
        return 0
    if not args.name:
        raise GancheckError("name an experiment (gancheck experiment --list shows them)")
    module = load(args.name)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # checked before the run: a result is never computed and then lost
    if not os.access(out, os.W_OK):
        raise GancheckError(f"cannot write to {out}")
    data = module.run(args.variant, args.seed)
    stem = out / f"{args.name}-{args.variant}"
    with open(f"{stem}.json", "w") as f:
        json.dump(to_plain(data), f)
    from ..plots import save
    save(module.plot(data), f"{stem}.png")
    for key, value in data["headline"].items():
        print(f"{key:<24} {value:.6g}" if isinstance(value, float) else f"{key:<24} {value}")
    print(f"wrote {stem}.json and {stem}.png")
    return 0
