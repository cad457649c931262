"""``gancheck experiment NAME [--variant fast|full] [--seed S] [--out DIR]``: run one of the lecture's experiments and
write its figure (``NAME-VARIANT.png``) and data (``NAME-VARIANT.json``); ``gancheck experiment --list`` names them."""
import json
from pathlib import Path

from .. import GancheckError
from . import args as types


def _names():
    from ..experiments import EXPERIMENTS
    return EXPERIMENTS


def add_parser(subparsers):
    p = subparsers.add_parser("experiment", help="run one of the lecture's experiments, write its PNG and JSON",
                              description=__doc__)
    p.add_argument("name", nargs="?", type=types.one_of(_names, "experiment"), help="experiment name (see --list)")
    p.add_argument("--list", action="store_true", help="list the experiments and exit")
    p.add_argument("--variant", choices=("fast", "full"), default="fast",
                   help="fast: seconds, for docs and tests; full: the sizes of the papers (default: fast)")
    p.add_argument("--seed", type=types.seed, default=0, help=f"random seed, 0 to {types.SEED_MAX} (default: 0)")
    p.add_argument("--out", type=types.output_dir, default=".",
                   help="directory for the PNG and JSON (created if missing; default: .)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def run(args):
    from ..experiments import EXPERIMENTS, load, resolve, to_plain
    from ..progress import Progress

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
    try:  # created before the run: a result is never computed and then lost
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GancheckError(f"cannot create {out}: {exc.strerror}") from None
    work = module.work(resolve(module.VARIANTS, args.variant, {}))
    with Progress(work, label=f"{args.name} ({args.variant})", quiet=args.no_progress):
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

