r"""A step's justification read for the rules it names. The checker decides every step on its own — a justification
never makes a wrong step right, nor a right one wrong — but a reason that names a rule the step does not follow is
worth a note, because it shows *why* the step went wrong:

* an inequality's rule — Jensen, Gibbs (KL ≥ 0), :math:`\log u \le u - 1`, :math:`e^u \ge 1 + u`, AM–GM,
  Cauchy–Schwarz, the triangle inequality — given for a line with no inequality in it;
* **Jensen** on a step it does not give: for a concave :math:`f` (log, √) it gives
  :math:`\sum_k w_k f(x_k) \le f(\sum_k w_k x_k)` — :math:`f` *of the mean* the larger side — and for a convex one
  (exp, a square) the reverse (Cover & Thomas 2006, Thm 2.6.2); a step with :math:`f` of a sum on the other side
  claims a curvature the function lacks;
* a **tangent line** on the wrong side: :math:`\log u \le u - 1` bounds a logarithm from *above*,
  :math:`e^u \ge 1 + u` an exponential from *below*; with coefficients ≥ 0 a step that puts it the other way is
  reversed.

The direction notes go with a step that is not proved (wrong or undecided); any other reason is shown as written and
not read. Runs in the limited child, on a justification of at most
:data:`~gancheck.homework.proofs.fileformat.MAX_BECAUSE` characters (matched by anchored regular expressions).
"""
import re

import sympy as sp

from .outcome import PROVED, UNDECIDED

_INEQUALITIES = (  # (name as the note says it, pattern in the justification)
    ("Jensen's inequality", re.compile(r"jensen", re.I)),
    ("Gibbs' inequality", re.compile(r"gibbs|\bKL\b[^=<>≤≥]*(>=|≥|\\ge)\s*0", re.I)),
    ("log u ≤ u − 1", re.compile(r"\blog\s*\(?\s*(\w+)\s*\)?\s*(<=|≤|\\le)\s*\1\s*[-−]\s*1", re.I)),
    ("e^u ≥ 1 + u", re.compile(r"(\be\s*\^\s*\(?\s*\w+\s*\)?|\bexp\s*\(\s*\w+\s*\))\s*(>=|≥|\\ge)\s*1\s*\+",
                               re.I)),
    ("AM–GM", re.compile(r"\bAM\s*[-–—]\s*GM\b|arithmetic[- ]geometric", re.I)),
    ("Cauchy–Schwarz", re.compile(r"cauchy|schwarz", re.I)),
    ("the triangle inequality", re.compile(r"triangle inequality", re.I)),
)
_CONCAVE, _CONVEX = "concave", "convex"


def notes(because, step, others, sides, status):
    """Notes on the justification ``because`` (text or None) of ``step`` (:class:`.lines.Step`), ``others`` the ops
    of every step of its line, ``sides`` its ``(left, right)`` in SymPy, ``status`` its decided status."""
    if not because:
        return []
    named = [name for name, pattern in _INEQUALITIES if pattern.search(because)]
    if not named:
        return []
    op = step.relation.op
    if op == "=":
        if any(o != "=" for o in others):
            return []  # the rule is for the line's inequality, not this step
        return [f"the reason given, {named[0]}, is an inequality, but this step is an equation: it does not follow "
                "from that rule (the step is decided on its own)"]
    if status in PROVED:
        return []
    small, big = sides if op in ("<", "<=") else sides[::-1]
    out = []
    if "Jensen's inequality" in named:
        out += _jensen(small, big, status)
    if "log u ≤ u − 1" in named and _has(big, sp.log) and not _has(small, sp.log):
        out.append("log u ≤ u − 1 bounds a logarithm from above (by its tangent at u = 1), but this step puts the "
                   "logarithm on the larger side: with coefficients ≥ 0 the tangent gives the other direction")
    if "e^u ≥ 1 + u" in named and _has(small, sp.exp) and not _has(big, sp.exp):
        out.append("e^u ≥ 1 + u bounds an exponential from below (by its tangent at u = 0), but this step puts the "
                   "exponential on the smaller side: with coefficients ≥ 0 the tangent gives the other direction")
    return out


def _jensen(small, big, status):
    """Jensen's direction against the functions of a sum on each side (f of the mean is the larger side for a
    concave f, the smaller for a convex one)."""
    on_small, on_big = _of_a_sum(small), _of_a_sum(big)
    if not on_small | on_big:
        return ["the reason given is Jensen's inequality, which compares f of a mean with the mean of f — no log, "
                "exp, √ or square of a sum appears in this step"]
    alone = [(f, "smaller") for f in on_small - on_big] + [(f, "larger") for f in on_big - on_small]
    for (name, curvature), where in alone:
        if (curvature == _CONCAVE) == (where == "smaller"):
            gives, needs = ("f(mean) ≥ mean of f", "convexity") if curvature == _CONCAVE else \
                ("f(mean) ≤ mean of f", "concavity")
            return [f"the reason given is Jensen's inequality, but {name} is {curvature}: Jensen gives {gives}, and "
                    f"this step puts {name} of a sum on the {where} side — it needs the {needs} {name} lacks"]
    if status == UNDECIDED:
        return ["Jensen's inequality gives this direction for weights ≥ 0 that sum to 1; the checker proves it for "
                "the logarithm only, so the step stays undecided"]
    return ["Jensen's inequality gives this direction only with weights ≥ 0 that sum to 1, the same weights and "
            "points inside f on one side and outside it on the other"]


def _of_a_sum(e):
    """``{(name, curvature)}`` of the functions applied to a sum in ``e``: log, √ (concave), exp, a square
    (convex)."""
    out = set()
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.log) and isinstance(node.args[0], sp.Add):
            out.add(("log", _CONCAVE))
        elif isinstance(node, sp.exp) and isinstance(node.args[0], sp.Add):
            out.add(("exp", _CONVEX))
        elif isinstance(node, sp.Pow) and isinstance(node.base, sp.Add) and node.exp in (sp.Rational(1, 2), 2):
            out.add(("√", _CONCAVE) if node.exp == sp.Rational(1, 2) else ("the square", _CONVEX))
    return out


def _has(e, function):
    return any(isinstance(node, function) for node in sp.preorder_traversal(e))
