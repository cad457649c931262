"""Check students' proofs line by line: every step of a chain ``e₁ = e₂ ≤ e₃ …`` or ``A ⇒ B`` decided under the
proof's declared assumptions — equal, implied, not equal (or false) with a counterexample that satisfies them, or
undecided with the reason — the first wrong step named and the steps after it carried forward.

Pipeline (one module each), the same split as the formula checker's (:mod:`gancheck.homework.formulas`):

* :mod:`.fileformat` — the proof file (TOML: ``[proof]`` with ``assume`` and ``define``, then ``[[step]]`` lines),
  bounded; read as bytes by the parent, parsed only in the limited child.
* :mod:`.assumptions` — the declarations (``a, b > 0``, ``0 < D < 1``, ``p, q distributions on 4 points``,
  ``eps ~ N(0, 1)``) as symbols, a sampling domain and reparameterisations; :mod:`.functions` — what a proof may call
  beyond a formula's vocabulary (``diff``, ``subs``, ``sum``, ``E``, ``KL``, ``H``, ``JSD``).
* :mod:`.lines` — a line split at its top-level relations into steps, hypotheses and chains.
* :mod:`.inequality` and :mod:`.implication` — what :mod:`gancheck.homework.formulas.decide` does for ``=``, done for
  ``≤``/``<`` and ``⇒``: a counterexample search, then a symbolic proof; :mod:`.step` decides one step, and
  :mod:`.reasons` compares an inequality its justification names (Jensen, a tangent line) with it.
* :mod:`.engine` — the parent: the file to the child, one request per step, follow-through, credit by the instructor's
  :mod:`.assignment`; :mod:`.report` renders text or JSON. :mod:`.child` holds the child's two requests.

Nothing here needs NumPy: the decisions are those of the formula checker (float64 in plain Python, mpmath, SymPy).
"""

_API = {"check_proof": "engine", "load_proof": "engine", "load_assignment": "assignment", "template": "fileformat"}
__all__ = list(_API)


def __getattr__(name):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
