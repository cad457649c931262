"""Time to check proofs (issue 17 asks < 5 s for a 20-line proof): ``python benchmarks/bench_proofs.py``.

"command" runs ``gancheck check-proof`` as a user does — a new Python process, a new limited child (its SymPy import
included), the file read and every step decided — the median of ``REPEATS`` runs. "warm" is the same proof on a child
that has decided it before (the median of further runs: SymPy's caches hold its expressions, a lower bound).
"in-process" decides it in this process (:func:`~gancheck.homework.proofs.engine.in_process`), the peer that shows
what the child's isolation costs. The machine's load average is printed with the table: the machine is shared.
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from gancheck.homework.formulas.sandbox import Sandbox
from gancheck.homework.proofs import engine

PROOFS = Path(__file__).resolve().parents[1] / "tests" / "data" / "proofs"
NAMES = ("gan/theorem.toml", "jsd/right.toml", "gibbs/right.toml", "optimal_d/right.toml", "vae_kl/right.toml",
         "saturation/right.toml", "jsd/sign_flip.toml")
REPEATS = 3


def _command(path):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gancheck", "check-proof", str(path)], capture_output=True, check=False)
    return time.perf_counter() - start


def _check(path, sandbox, judge):
    start = time.perf_counter()
    result = engine.check_proof(*engine.load_proof(path, sandbox), judge=judge)
    return time.perf_counter() - start, result


def main():
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"{'proof':28} {'lines':>5} {'steps':>5} {'score':>7} {'command s':>9} {'warm s':>7} {'in-process s':>12} "
          f"{'ratio':>6}")
    for name in NAMES:
        path = PROOFS / name
        command = statistics.median(_command(path) for _ in range(REPEATS))
        box = Sandbox()
        _, result = _check(path, box, engine.in_child(box))
        warm = statistics.median(_check(path, box, engine.in_child(box))[0] for _ in range(REPEATS))
        here = statistics.median(_check(path, box, engine.in_process())[0] for _ in range(REPEATS))
        box.close()
        lines = len(result.structure["lines"])
        print(f"{name:28} {lines:5d} {len(result.steps):5d} {result.score:3g}/{result.total:<3g} {command:9.2f} "
              f"{warm:7.2f} {here:12.2f} {warm / here:6.2f}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} after the runs")


if __name__ == "__main__":
    main()
