"""Time to check whole answer sheets (issue 4 asks < 3 s for a full sheet): ``python benchmarks/bench_formulas.py``.

"cold" starts a fresh sandbox child (its SymPy import included) for the sheet; the first row, the full correct sheet,
also pays for loading the catalogue and the reference chain in this process — the cost of ``gancheck check-sheet``
minus Python's own start-up. "again" is the median of ``REPEATS`` further runs on the same child (SymPy's caches then
hold these very expressions: a lower bound).
"""
import statistics
import time
from pathlib import Path

from gancheck.homework.formulas.engine import check_sheet
from gancheck.homework.formulas.sandbox import Sandbox
from gancheck.homework.formulas.sheet import load_sheet

SHEETS = Path(__file__).resolve().parents[1] / "tests" / "data" / "sheets"
REPEATS = 3


def _time(sheet, sandbox):
    start = time.perf_counter()
    result = check_sheet(sheet, sandbox)
    return time.perf_counter() - start, result


def main():
    rows = []
    for path in sorted(SHEETS.iterdir(), key=lambda p: (p.name != "correct.toml", p.name)):
        sheet = load_sheet(path)
        cold_box = Sandbox()
        cold, result = _time(sheet, cold_box)
        warm = statistics.median(_time(sheet, cold_box)[0] for _ in range(REPEATS))
        cold_box.close()
        rows.append((path.name, len(sheet.answers), f"{result.score:g}/{result.total:g}", cold, warm))
    print(f"{'sheet':32} {'answers':>7} {'score':>7} {'cold s':>7} {'again s':>7}")
    for name, n, score, cold, warm in rows:
        print(f"{name:32} {n:7d} {score:>7} {cold:7.2f} {warm:7.2f}")
    worst = max(r[3] for r in rows if r[1] >= 20)
    print(f"full sheets (all {max(r[1] for r in rows)} quantities): worst cold {worst:.2f} s (target < 3 s)")


if __name__ == "__main__":
    main()
