"""The shipped class-based and Keras-layout examples grade submissions in their styles, in the sandbox: a correct one
gets full marks and each mistake (the benchmark's generated ones, benchmarks/styles.py) fails exactly its items, with
the diagnosis it deserves — a summed loss in a net without ReLU is a missing 1/N, not a ReLU-mask mistake."""
import importlib.util
import random
from pathlib import Path

import pytest

from gancheck.homework.code import grade_file

spec = importlib.util.spec_from_file_location("styles", Path(__file__).parents[1] / "benchmarks" / "styles.py")
styles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(styles)

CASES = [("class", "correct", ""), ("class", "stale cache", "∂l/∂W0_d disagrees with finite differences"),
         ("keras", "correct", ""), ("keras", "summed loss", "every gradient is N = 3 times too large (the 1/N"),
         ("keras", "overflowing σ", "σ(710) = nan")]


@pytest.mark.parametrize("style, kind, phrase", CASES, ids=[f"{s}: {k}" for s, k, _ in CASES])
def test_each_style_grades_its_mistakes(style, kind, phrase, tmp_path):
    load, _, text = styles.STYLES[style]
    path = tmp_path / "student.py"
    path.write_text(text(kind, random.Random(0)))
    report = grade_file(path, load())
    failed = {i.name: i.evidence for i in report.items if not i.passed}
    assert set(failed) == styles.expected(style, kind), failed
    assert not any("ReLU mask" in evidence for evidence in failed.values()), failed
    if phrase:
        assert any(phrase in evidence for evidence in failed.values()), failed
