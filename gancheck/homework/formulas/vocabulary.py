r"""The whitelist shared by both parsers: the only functions and constants a formula may use, the size limits, and
the one error a refused formula raises (:class:`ParseError`, with the column of the problem).

Nothing here evaluates text: the parsers hand over already-parsed pieces and these builders assemble SymPy objects
from them. Every built node is checked at once, so a blow-up (a huge number, a huge power, a division by zero) is
refused where it appears, before anything downstream (simplification, numeric evaluation) could pay for it.

Functions (σ and the ReLU derivative come from :mod:`derivations.backprop`, the homework's reference):

.. math:: σ(z) = \frac{1}{1+e^{-z}},\quad σ'(z) = σ(z)\,(1-σ(z)),\quad \mathrm{relu}(g) = \max(0, g),\quad
          \mathrm{relu}'(g) = \mathbb 1[g > 0],\quad \mathrm{softplus}(z) = \log(1 + e^{z}),\quad
          W(x)\,e^{W(x)} = x \text{ (Lambert's W, principal branch)}
"""
import re
from dataclasses import dataclass

import sympy as sp

from derivations.backprop import relu_prime, sigmoid
from gancheck import GancheckError


class ParseError(GancheckError):
    """A formula refused by the whitelisting parsers; ``column`` is 1-based (characters)."""

    def __init__(self, message, column):
        super().__init__(f"{message} at column {column}")
        self.column = column


@dataclass(frozen=True)
class Limits:
    """Size limits. Students' formulas are short: these are generous for them and cheap for us."""

    chars: int = 1000      # text length
    depth: int = 30        # nesting of brackets, and of LaTeX groups and signs
    tree_depth: int = 100  # depth of the Python syntax tree (a sum of n terms is n deep)
    nodes: int = 400       # syntax-tree nodes
    literal: int = 10**6   # largest number literal
    digits: int = 200      # largest number of digits of any exact number built
    exponent: int = 16     # largest numeric exponent
    power_product: int = 64  # largest product of numeric exponents along nested powers, e.g. ((x**8)**8)
    undefined: bool = False  # accept undefined or non-real values (zoo, I): only for gancheck's own printed text


STUDENT = Limits()
# The sandbox re-parses expressions *printed by gancheck* from already-checked formulas after substitution: longer.
PRINTED = Limits(chars=200_000, depth=180, tree_depth=400, nodes=50_000, literal=10**200, undefined=True)


def symbol(name, kind="real"):
    """The Symbol a formula's name stands for, with its domain's assumptions: the batch size N a positive integer,
    a ``positive`` one positive, everything else real — so SymPy never brings ``re()``, ``im()`` or ``arg()`` into a
    student's formula."""
    if kind == "batch":
        return sp.Symbol(name, positive=True, integer=True)
    return sp.Symbol(name, positive=True) if kind == "positive" else sp.Symbol(name, real=True)


def _sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def _heaviside(x, h0=None):
    if h0 is None:
        return sp.Heaviside(x)
    if not (h0.is_Rational and 0 <= h0 <= 1):
        raise ValueError("the second argument of Heaviside (its value at 0) must be a number in [0, 1]")
    return sp.Heaviside(x, h0)


# name → (fewest, most arguments; None: no limit), builder. Aliases (ln, abs, max, σ) map to the same builders.
FUNCTIONS = {
    "exp": ((1, 1), sp.exp),
    "log": ((1, 2), sp.log),  # log(x, 2) = log(x)/log(2)
    "ln": ((1, 1), sp.log),
    "log2": ((1, 1), lambda x: sp.log(x, 2)),
    "sqrt": ((1, 1), sp.sqrt),
    "tanh": ((1, 1), sp.tanh),
    "Abs": ((1, 1), sp.Abs),
    "abs": ((1, 1), sp.Abs),
    "Max": ((2, None), sp.Max),
    "max": ((2, None), sp.Max),
    "Min": ((2, None), sp.Min),
    "min": ((2, None), sp.Min),
    "sigmoid": ((1, 1), sigmoid),
    "σ": ((1, 1), sigmoid),
    "sigmoid_prime": ((1, 1), _sigmoid_prime),
    "relu": ((1, 1), lambda g: sp.Max(0, g)),
    "relu_prime": ((1, 1), relu_prime),
    "Heaviside": ((1, 2), _heaviside),
    "softplus": ((1, 1), lambda z: sp.log(1 + sp.exp(z))),
    "LambertW": ((1, 1), sp.LambertW),  # W(x) e^{W(x)} = x, principal branch (f-GAN's Jeffrey conjugate)
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}


def not_a_function(name, functions=FUNCTIONS):
    return f"'{name}' is not a function that may be called (allowed: {', '.join(functions)})"


def call(name, args, column, limits=STUDENT, functions=FUNCTIONS):
    """Apply the whitelisted function ``name`` of ``functions`` (a table like :data:`FUNCTIONS`: a proof's adds
    ``diff``, ``sum``, …); a wrong name or arity is refused at ``column``."""
    if name not in functions:
        raise ParseError(not_a_function(name, functions), column)
    (fewest, most), build = functions[name]
    if len(args) < fewest or (most is not None and len(args) > most):
        wanted = f"{fewest} or more" if most is None else f"{fewest} to {most}" if most > fewest else str(fewest)
        raise ParseError(f"{name} takes {wanted} argument(s), not {len(args)}", column)
    try:
        return checked(build(*args), column, limits)
    except ParseError:
        raise
    except ValueError as exc:  # a builder refusing its arguments
        raise ParseError(str(exc), column) from None


def indicator(lhs, op, rhs, column, limits=STUDENT):
    r"""The indicator :math:`\mathbb 1[\mathrm{lhs}\ \mathrm{op}\ \mathrm{rhs}]` as a Heaviside step: strict
    comparisons give 0 at equality, non-strict ones 1 (so ``g >= 0`` is the ≥ convention of relu′)."""
    strict, sign = {">": (True, 1), ">=": (False, 1), "<": (True, -1), "<=": (False, -1)}[op]
    return checked(sp.Heaviside(sign * (lhs - rhs), 0 if strict else 1), column, limits)


_LITERAL = re.compile(r"(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


def _literal_size(text, column, limits):
    """Refuse a literal such as ``1e99999999`` or ``1e-99999999`` from its text, before its value — a number with
    a hundred million digits — is ever computed."""
    m = _LITERAL.fullmatch(text)
    if not m:
        return
    whole, fraction, exponent = m.group(1), m.group(2) or "", m.group(3) or "0"
    if len(exponent.lstrip("+-").lstrip("0")) > 6:
        raise ParseError(f"number {text[:30]} is out of range (its exponent is too large)", column)
    e = int(exponent)
    leading = len(whole.lstrip("0")) - 1 if whole.lstrip("0") else -1 - (len(fraction) - len(fraction.lstrip("0")))
    if (whole + fraction).strip("0") and leading + e > len(str(limits.literal)) - 1:
        raise ParseError(f"number {text[:30]} is too large (at most {limits.literal})", column)
    if len(fraction) - e > limits.digits:
        raise ParseError(f"number {text[:30]} has too many digits (at most {limits.digits})", column)


def number(text, column, limits=STUDENT):
    """An exact rational from a decimal literal such as ``2``, ``0.5`` or ``1e-3`` (never a binary float)."""
    _literal_size(text, column, limits)
    try:
        value = sp.Rational(text)
    except (TypeError, ValueError):
        raise ParseError(f"'{text}' is not a number", column) from None
    if abs(value) > limits.literal:
        raise ParseError(f"number {text[:30]} is too large (at most {limits.literal})", column)
    return checked(value, column, limits)


def power(base, exponent, column, limits=STUDENT):
    """``base**exponent``, refusing numeric exponents beyond the limits *before* SymPy computes anything."""
    if exponent.is_Number:
        if abs(exponent) > limits.exponent:
            raise ParseError(f"exponent {exponent} is too large (at most {limits.exponent} in absolute value)", column)
        if base.is_Number and base != 0 and abs(exponent) * _digits(base) > limits.digits:
            raise ParseError(f"the number {base}**{exponent} is too large", column)
        if _power_product(base) * max(1, abs(exponent)) > limits.power_product:
            raise ParseError(f"powers nested too deeply (exponents multiply to more than {limits.power_product})",
                             column)
    return checked(sp.Pow(base, exponent), column, limits)


def _digits(q):
    q = sp.Rational(q)
    return max(len(str(abs(q.p))), len(str(q.q)))


def _power_product(expr):
    """The largest product of numeric exponents along a chain of nested powers: substituting numbers into
    ``((x**8)**8)**8`` would cost 512-fold digits, so this product is bounded too."""
    inner = max((_power_product(a) for a in expr.args), default=1)
    return inner * max(1, abs(expr.exp)) if expr.is_Pow and expr.exp.is_Number else inner


_UNDEFINED = (sp.zoo, sp.nan, sp.oo, -sp.oo)


def checked(expr, column, limits=STUDENT):
    """Refuse a freshly built node that is undefined (division by zero, log 0), not real, or too big.

    The node's children were checked when they were built, and SymPy's automatic evaluation only rewrites the top
    two levels (flattening ``Mul``/``Add``, merging powers), so only those are inspected: linear, not quadratic."""
    parts = [expr, *expr.args, *(a for arg in expr.args for a in arg.args)]
    for node in parts:
        if node in _UNDEFINED and not limits.undefined:
            raise ParseError("the expression is undefined here (division by zero or log of 0)", column)
        if node is sp.I and not limits.undefined:
            raise ParseError("the expression is not real here (root or log of a negative number)", column)
        if node.is_Rational and _digits(node) > limits.digits:
            raise ParseError(f"a number with more than {limits.digits} digits appears", column)
        if node.is_Pow and node.exp.is_Number and abs(node.exp) > limits.exponent:
            raise ParseError(f"exponent {node.exp} is too large (at most {limits.exponent} in absolute value)", column)
    return expr
