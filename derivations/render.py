"""Rendering derivations: LaTeX in the lecture's notation (an ``aligned`` block for a docs page) and plain text."""
import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

_OPS = {"==": "=", "!=": r"\neq", ">=": r"\geq", "<=": r"\leq", ">": ">", "<": "<"}


class _Latex(LatexPrinter):
    r"""Lecture notation: ``zbar_D`` is :math:`\bar z_D` (SymPy would print ``hbar`` as Planck's constant), the ReLU
    derivative ``Heaviside(g, 0)`` is :math:`\mathbb 1[g > 0]`, softplus :math:`ζ`, sigmoid :math:`σ`."""

    def _print_Symbol(self, expr, style="plain"):
        m = re.fullmatch(r"([A-Za-z])bar(?:_(\w+))?", expr.name)
        if m:
            return rf"\bar{{{m[1]}}}" + (f"_{{{m[2]}}}" if m[2] else "")
        return super()._print_Symbol(expr, style)

    def _function(self, name, expr, exp):
        body = rf"{name}\left({self._print(expr.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"

    def _print_Relu(self, expr, exp=None):
        return self._function(r"\operatorname{relu}", expr, exp)

    def _print_Sigmoid(self, expr, exp=None):
        return self._function(r"\sigma", expr, exp)

    def _print_Softplus(self, expr, exp=None):
        return self._function(r"\zeta", expr, exp)

    def _print_ReluPrime(self, expr, exp=None):
        return self._print_Heaviside(sp.Heaviside(expr.args[0], 0), exp)

    def _print_Heaviside(self, expr, exp=None):
        if len(expr.args) == 2 and expr.args[1] == 0:
            body = rf"\mathbb{{1}}\left[{self._print(expr.args[0])} > 0\right]"
            return body if exp is None else rf"{body}^{{{exp}}}"
        return super()._print_Heaviside(expr, exp)


def latex(expr):
    """LaTeX in the lecture's notation (see :class:`_Latex`)."""
    return _Latex().doprint(expr)


def latex_row(relation, justification):
    text = justification.replace("\\", "").replace("{", "").replace("}", "").replace("_", r"\_").replace("&", "and")
    text = text.replace("%", r"\%").replace("#", r"\#")
    if isinstance(relation, sp.core.relational.Relational):
        body = f"{latex(relation.lhs)} &{_OPS[relation.rel_op]} {latex(relation.rhs)}"
    else:
        body = f"&{latex(relation)}"
    return f"{body} && \\text{{{text}}}"


def text(relation):
    if isinstance(relation, sp.core.relational.Relational):
        return f"{sp.sstr(relation.lhs)} {'=' if relation.rel_op == '==' else relation.rel_op} {sp.sstr(relation.rhs)}"
    return sp.sstr(relation)
