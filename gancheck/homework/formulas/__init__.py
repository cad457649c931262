"""Check students' hand-derived backprop formulas: equivalence, counterexample, follow-through, diagnosis — without
ever running their text, and without reading it in the parent process at all.

Pipeline (one module each):

* :mod:`.catalogue` — the quantities (``catalogue.toml``), plain data; :mod:`.references` joins them with the
  reference formulas of :mod:`derivations.backprop`; :mod:`.table` renders them for the docs, :mod:`.starter` for a
  student (``--list``, ``--template``).
* :mod:`.pysyntax`, :mod:`.latex` — whitelisting parsers (SymPy/Python syntax, LaTeX) over :mod:`.vocabulary`.
* :mod:`.numeric` (float64) and :mod:`.exact` (mpmath) evaluate formulas as programs (:mod:`.program`) — plain
  Python, no NumPy; :mod:`.symbolic` proves :math:`S - R = 0` under a deadline.
* :mod:`.decide` — one comparison: numeric, the ReLU kink convention, an exactly re-checked counterexample, the
  symbolic proof; :mod:`.diagnose` and :mod:`.confusions` — which common mistake explains a wrong answer.
* :mod:`.judge` — the verdict on one answer, follow-through from the earlier ones (:mod:`.chain`); it runs in the
  limited child (:mod:`.worker`, launched by :mod:`.sandbox`) or in a reader's browser (:mod:`.browser`).
* :mod:`.engine` — the parent: a formula or a sheet (:mod:`.sheet`, YAML through :mod:`.safeyaml`) sent answer by
  answer to a judge, the replies checked (:mod:`.verdict`), credited by the :mod:`.assignment`; :mod:`.report`
  renders text or JSON.

This package imports nothing heavy itself: the child imports it and must start fast, and the parent never needs
SymPy to check a sheet.
"""

_API = {"check_formula": "engine", "check_sheet": "engine", "load_sheet": "engine", "ParseError": "vocabulary",
        "markdown_table": "table", "load_assignment": "assignment"}
__all__ = list(_API)


def __getattr__(name):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
