"""Time to check whole answer sheets (issue 4 asks < 3 s for a full sheet): ``python benchmarks/bench_formulas.py``.

"cold" starts a fresh limited child (its SymPy import and the reference chain included) and has it read and decide
the sheet — the cost of ``gancheck check-sheet`` minus Python's own start-up. "again" is the median of ``REPEATS``
further runs on the same child (SymPy's caches then hold these very expressions: a lower bound). "in-process" decides
the sheet in this process (the browser's way, :func:`~gancheck.homework.formulas.engine.in_process`), the peer that
shows what the child's isolation costs.
"""
import statistics
import time
from pathlib import Path

from gancheck.homework.formulas.engine import check_sheet, in_child, in_process, load_sheet
from gancheck.homework.formulas.sandbox import Sandbox

SHEETS = Path(__file__).resolve().parents[1] / "tests" / "data" / "sheets"
REPEATS = 3


def _time(path, sandbox, judge):
    start = time.perf_counter()
    result = check_sheet(load_sheet(path, sandbox), judge=judge)
    return time.perf_counter() - start, result


def main():
    rows = []
    local = in_process()
    for path in sorted(SHEETS.iterdir(), key=lambda p: (p.name != "correct.toml", p.name)):
        box = Sandbox()
        cold, result = _time(path, box, in_child(box))
        warm = statistics.median(_time(path, box, in_child(box))[0] for _ in range(REPEATS))
        here = statistics.median(_time(path, box, local)[0] for _ in range(REPEATS))
        box.close()
        rows.append((path.name, len(result.verdicts), f"{result.score:g}/{result.total:g}", cold, warm, here))
    print(f"{'sheet':36} {'answers':>7} {'score':>7} {'cold s':>7} {'again s':>7} {'in-process s':>12} {'ratio':>6}")
    for name, n, score, cold, warm, here in rows:
        print(f"{name:36} {n:7d} {score:>7} {cold:7.2f} {warm:7.2f} {here:12.2f} {warm / here:6.2f}")
    worst = max(r[3] for r in rows if r[1] >= 20)
    print(f"full sheets (all {max(r[1] for r in rows)} quantities): worst cold {worst:.2f} s (target < 3 s)")


if __name__ == "__main__":
    main()
