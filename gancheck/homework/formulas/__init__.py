"""Check students' hand-derived backprop formulas: equivalence, counterexample, follow-through, diagnosis — without
ever running their text.

Pipeline (one module each):

* :mod:`.catalogue` — the quantities (``catalogue.toml``) joined with the reference formulas of
  :mod:`derivations.backprop`; :func:`.table.markdown_table` renders it for the docs.
* :mod:`.pysyntax`, :mod:`.latex` — whitelisting parsers (SymPy/Python syntax, LaTeX) over :mod:`.vocabulary`.
* :mod:`.numeric` — domain sampling and a float64 tree evaluator; :mod:`.sandbox` / :mod:`.worker` — the
  time- and memory-limited child process that does the symbolic work.
* :mod:`.decide` — one comparison: symbolic and numeric, the ReLU kink convention, a verified counterexample;
  :mod:`.diagnose` — which common mistake explains a wrong answer.
* :mod:`.engine` — verdicts for one formula or a sheet, with follow-through; :mod:`.sheet` loads TOML/YAML answer
  sheets; :mod:`.report` renders text or JSON.

This package imports nothing heavy itself: the sandbox child imports it and must start fast.
"""

_API = {"check_formula": "engine", "check_sheet": "engine", "load_sheet": "sheet", "ParseError": "vocabulary",
        "markdown_table": "table"}
__all__ = list(_API)


def __getattr__(name):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
