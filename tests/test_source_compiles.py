"""Every Python file of the package, the derivations, the docs' hooks and the benchmarks compiles without a warning —
a docstring's LaTeX (``c\\,e^u``, ``\\log``) in a string that is not raw is an invalid escape, a DeprecationWarning
today (SyntaxWarning on Python 3.12) and an error in a later Python."""
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_invalid_escape_sequences():
    bad = []
    # not tests/data: students' files, some broken on purpose
    sources = [p for folder in ("gancheck", "derivations", "docs", "benchmarks") for p in (ROOT / folder).rglob("*.py")]
    for path in sorted(sources + list((ROOT / "tests").glob("*.py"))):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                compile(path.read_text(encoding="utf-8"), str(path), "exec")
            except (SyntaxError, SyntaxWarning, DeprecationWarning) as exc:
                bad.append(f"{path.relative_to(ROOT)}: {exc}")
    assert not bad, bad
