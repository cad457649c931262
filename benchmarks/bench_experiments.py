"""Run every experiment's fast variant (``--full``: also every full one) and print experiment, headline, seconds.

    python benchmarks/bench_experiments.py [--full] [--only NAME ...] [--seed S] [--json FILE]

BLAS is limited to one thread before NumPy loads: the matrices here are at most 128 wide, and on a shared machine
OpenBLAS's threads spin against each other (measured 3-5× slower on the mode-collapse networks).
"""
import argparse
import json
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from gancheck.experiments import EXPERIMENTS, load, to_plain  # noqa: E402  (after the thread limit)


def headline_text(headline):
    return ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in headline.items())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also run the full variants")
    parser.add_argument("--only", nargs="+", choices=list(EXPERIMENTS), help="run only these experiments")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the headlines and times to this file")
    args = parser.parse_args(argv)
    rows = []
    for variant in ("fast", "full") if args.full else ("fast",):
        for name in args.only or EXPERIMENTS:
            start = time.perf_counter()
            data = load(name).run(variant, args.seed)
            seconds = time.perf_counter() - start
            rows.append({"experiment": name, "variant": variant, "headline": data["headline"], "seconds": seconds})
            print(f"| {name} | {variant} | {headline_text(data['headline'])} | {seconds:.1f} |", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(to_plain(rows), f, indent=1)


if __name__ == "__main__":
    main()
