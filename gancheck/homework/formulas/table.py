"""The catalogue as a Markdown table for the docs, formulas in the lecture's LaTeX notation."""
import sympy as sp
from sympy.printing.latex import LatexPrinter

from . import lecture
from .catalogue import entries, entry, student_name
from .references import labels, reference


def markdown_table(loss="nonsaturating"):
    """Name, symbol, meaning, allowed references and the reference formula (the local form, as
    :mod:`derivations.backprop` states it, in the names an answer uses) of every quantity."""
    rows = ["| Quantity | Symbol | Meaning | May use | Reference |", "|---|---|---|---|---|"]
    for e in entries().values():
        uses = ", ".join(f"`{student_name(e, entry(m))}`" for m in e.may_use) or _names(e)
        meaning = e.meaning.replace("_", r"\_")
        formula = latex(e, reference(e.name, loss).local, loss)
        rows.append(f"| `{e.name}` | ${e.latex}$ | {meaning} | {uses} | ${formula}$ |")
    return "\n".join(rows)


def _names(e):
    names = lecture.describe(e) if e.claim is not None else ""
    return f"`{names}`" if names else "—"


def latex(e, expr, loss="nonsaturating"):
    """LaTeX of ``expr`` as seen from ``e``'s net: ``z_bar`` → \\bar{z}, ``D.x`` → x_{D}, steps as indicators."""
    if e.claim is not None:  # a lecture result's symbols are named as the lecture writes them (mu → \mu)
        return _Printer().doprint(expr)
    shown = {}
    for s, label in labels(e.net, loss).items():
        net, _, short = label.rpartition(".")
        base, bar, _ = short.partition("_bar")
        text = rf"\bar{{{base}}}" if bar else base
        shown[s] = f"{text}_{{{net}}}" if net else text
    return _Printer({"symbol_names": shown}).doprint(expr)


class _Printer(LatexPrinter):
    def _print_Heaviside(self, expr, exp=None):
        """The lecture writes the ReLU derivative as an indicator, not SymPy's θ(g, 0)."""
        arg, h0 = (expr.args + (sp.S.Half,))[:2]
        relation = ">" if h0 == 0 else r"\geq"
        step = rf"\mathbb{{1}}[{self._print(arg)} {relation} 0]"
        return step if exp is None else rf"{step}^{{{exp}}}"
