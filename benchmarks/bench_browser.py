"""Time to a verdict in the browser mode, NumPy blocked: ``python benchmarks/bench_browser.py``.

The site's answer boxes run :mod:`gancheck.homework.formulas.browser` in Pyodide (goal: first verdict < 6 s after the
page loads, later ones < 1 s there). This measures the same code in CPython, in fresh interpreters where NumPy, SciPy,
PyYAML, Hypothesis and matplotlib cannot be imported: "import" is ``import browser`` (SymPy and mpmath included),
"first" the first verdict (the reference chain is built then, and SymPy's first ``simplify`` imports more of SymPy),
"later" the median and the slowest of the other answers, each answered on its own; "warm" is :func:`browser.warm`,
which a page can call while it loads to take the first verdict's one-time costs. The peer is the command line in the
same run: a whole ``gancheck check-formula`` process (its limited child included) for one answer.
"""
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = [("D.z_bar", "(y - t)/N"), ("D.W_bar", "z_bar*g"), ("G.W_bar", "y_bar*h"), ("G.L", "log(1+exp(-2*D.z))/N"),
           ("D.g_bar", r"\bar{h}\,\mathbb{1}[g > 0]"), ("D.z_bar", "exp(1000)"), ("D.L", "(softplus(z) - t*z)/N"),
           ("G.b_bar", "(D.y - 1)*D.W*D.U*relu_prime(D.g)*W*relu_prime(g)/N"), ("G.D.z_bar", "-D.y/N"),
           ("D.x_bar", "g_bar*W"), ("relu_prime", "Heaviside(g, 1)"), ("G.g_bar", "h_bar*(D.g > 0)")]
RUNS = 3
_PROGRAM = r"""
import importlib.abc, json, sys, time
class _Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"numpy", "scipy", "yaml", "hypothesis", "matplotlib"}:
            raise ImportError(name)
sys.meta_path.insert(0, _Absent())
t0 = time.perf_counter()
from gancheck.homework.formulas import browser
t1 = time.perf_counter()
if sys.argv[2] == "warm":
    browser.warm()
t2 = time.perf_counter()
times = []
for quantity, answer in json.loads(sys.argv[1]):
    start = time.perf_counter()
    browser.check(quantity, answer)
    times.append(time.perf_counter() - start)
print(json.dumps({"import": t1 - t0, "warm": t2 - t1, "times": times}))
"""


def _browser(warm=""):
    out = subprocess.run([sys.executable, "-c", _PROGRAM, json.dumps(ANSWERS), warm], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def _cli(quantity, answer):
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", "import sys; from gancheck.cli import main; sys.exit(main())",
                          "check-formula", quantity, "--", answer], cwd=ROOT, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(out.stderr)
    return time.perf_counter() - start


def main():
    runs = [_browser() for _ in range(RUNS)]
    warmed = [_browser("warm") for _ in range(RUNS)]
    imports = statistics.median(r["import"] for r in runs)
    first = statistics.median(r["times"][0] for r in runs)
    later = [t for r in runs for t in r["times"][1:]]
    warm = statistics.median(r["warm"] for r in warmed)
    first_warm = statistics.median(r["times"][0] for r in warmed)
    cli = statistics.median(_cli(*ANSWERS[i % len(ANSWERS)]) for i in range(RUNS))
    print(f"{'browser mode, NumPy blocked (CPython)':44} {'median s':>9}")
    print(f"{'import browser (SymPy, mpmath)':44} {imports:9.2f}")
    print(f"{'first verdict':44} {first:9.2f}")
    print(f"{'import + first verdict':44} {imports + first:9.2f}   (Pyodide goal < 6 s after page load)")
    print(f"{'later verdicts: median / slowest':44} {statistics.median(later):9.3f} / {max(later):.3f}   "
          "(goal < 1 s)")
    print(f"{'warm(), while the page loads':44} {warm:9.2f}")
    print(f"{'first verdict after warm()':44} {first_warm:9.3f}")
    print(f"{'peer: gancheck check-formula, whole process':44} {cli:9.2f}   "
          f"(ratio to import + first: {cli / (imports + first):.2f})")


if __name__ == "__main__":
    main()
