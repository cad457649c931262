"""The start of a script run in an interpreter that cannot import what a reader's browser lacks (NumPy, SciPy,
PyYAML, Hypothesis, matplotlib): the browser's checker and the proof checker must decide without them."""

ABSENT = r"""
import importlib.abc, sys
class _Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"numpy", "scipy", "yaml", "hypothesis", "matplotlib"}:
            raise ImportError(f"{name} is not in the browser")
sys.meta_path.insert(0, _Absent())
"""
