r"""What a derivation is, how it is proved, checked and rendered.

A :class:`Derivation` has a title, a source (slide, or paper and equation), ordered :class:`Step` s — each a SymPy
relation with a one-line justification and, unless it is a definition, a symbolic proof — and a statement: one or more
:class:`Claim` s, each a closed form (``rhs``) for a quantity (``lhs``). Two independent machines judge the claims:

* :meth:`Derivation.prove` — symbolic: SymPy's own computation of the quantity (``Claim.derived``) minus the claimed
  form simplifies to 0 (:func:`verify_statement`), or a derivation-specific prover decides;
* :meth:`Derivation.check` — numeric: the claimed forms are lambdified and compared, on random instances, with an
  independent NumPy/SciPy computation, within explicit tolerances (:class:`Comparison`).

Both take an optional ``candidate`` (claim label → expression) that replaces the claimed forms: a wrong formula (a
missing :math:`1/N`, a flipped sign, a factor 2) must be rejected by both; the tests and the homework checker use this.
"""
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter

from gancheck import GancheckError


def abbreviate_exponentials(expr):
    """Replace :math:`e^{k s}` (``s`` a symbol, ``k`` a number) by :math:`E_s^k` with a fresh symbol :math:`E_s`.

    Sound for proving identities: an expression that vanishes for every value of the free symbol :math:`E_s` vanishes
    at :math:`E_s = e^s`. It turns the logistic functions into rational functions, which :func:`rational_zero` decides.
    """
    def power(arg):
        k, s = arg.as_coeff_Mul()
        return sp.Symbol(f"exp({s})") ** k if s.is_Symbol and k.is_Rational else sp.exp(arg)

    return expr.replace(sp.exp, power)


def rational_zero(expr):
    """Exact decision for rational functions of symbols and opaque atoms: the numerator over a common denominator
    expands to 0. (A numerator that vanishes identically makes the expression 0 wherever it is defined.)"""
    return sp.expand(sp.numer(sp.together(abbreviate_exponentials(expr)))) == 0


def verify_statement(lhs, rhs):
    """Decide ``lhs == rhs`` symbolically: True only if ``lhs - rhs`` reduces to exactly 0.

    Cheap exact reductions first (expansion; :func:`rational_zero`), then ``simplify``. False means "not proved",
    never a numeric guess.
    """
    lhs, rhs = sp.sympify(lhs).doit(), sp.sympify(rhs).doit()
    if lhs == rhs:  # structurally equal, including infinities (∞ − ∞ would be NaN)
        return True
    d = lhs - rhs
    if d == 0 or sp.expand(d) == 0 or rational_zero(d):
        return True
    # expand_log without force splits log(a*b) only where the symbols' assumptions make it valid
    if sp.expand(sp.expand_log(d)) == 0:
        return True
    if d.has(sp.Piecewise, sp.Abs):  # compare case by case
        d = sp.piecewise_fold(d.rewrite(sp.Piecewise))
    return sp.simplify(d) == 0


def same_function(f, g, x, at=0):
    """Decide ``f == g`` for differentiable functions of one real variable on all of ℝ: equal derivatives
    (:func:`rational_zero`, exact) and equal values at ``at``. Only for expressions defined and differentiable on the
    whole real line (a connected domain), which the caller asserts; much faster than ``simplify`` for logs of
    logistic functions."""
    return rational_zero(sp.diff(f - g, x)) and verify_statement(f.subs(x, at), g.subs(x, at))


@lru_cache(maxsize=1024)
def numeric_function(expr, symbols):
    """``expr`` lambdified for NumPy in the argument order ``symbols`` (a tuple), cached."""
    return sp.lambdify(symbols, expr, "numpy")


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``relation`` (usually ``Eq``) with its justification. ``proof`` returns True when the
    relation is proved symbolically; None marks a definition or a hypothesis, which is stated, not proved."""

    relation: sp.Basic
    justification: str
    proof: Callable[[], bool] | None = None

    def proved(self):
        return True if self.proof is None else bool(self.proof())


def identity(lhs, rhs, justification):
    """A step ``lhs = rhs`` proved by :func:`verify_statement` (kept unevaluated, so it displays even when SymPy could
    decide it on construction)."""
    return Step(sp.Eq(lhs, rhs, evaluate=False), justification, lambda: verify_statement(lhs, rhs))


def definition(relation, justification):
    return Step(relation, justification, None)


@dataclass(frozen=True)
class Claim:
    """A result of the derivation: the quantity ``lhs`` has the closed form ``rhs``. ``derived`` is SymPy's own
    computation of ``lhs`` (None when the derivation's prover computes it)."""

    label: str
    lhs: sp.Basic
    rhs: sp.Expr
    derived: sp.Expr | None = None
    meaning: str = "result"


@dataclass(frozen=True)
class Comparison:
    """``got`` (computed from a claimed form) against ``want`` (an independent computation): passes where
    ``|got - want| <= atol + rtol*|want|`` holds element-wise."""

    label: str
    got: np.ndarray
    want: np.ndarray
    atol: float
    rtol: float

    def errors(self):
        got, want = np.asarray(self.got, dtype=float), np.asarray(self.want, dtype=float)
        with np.errstate(all="ignore"):  # a wrong candidate may give inf/NaN: it fails, it does not warn
            err = np.abs(got - want)
            tol = self.atol + self.rtol * np.abs(want)
            ok = np.isfinite(err) & (err <= tol)
            rel = err / np.maximum(np.abs(want), np.finfo(float).tiny)
            ratio = np.where(err == 0, 0.0, err / tol)
        return err, rel, ok, ratio


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    max_abs_error: float
    max_rel_error: float
    n_cases: int
    failures: tuple = ()  # labels of the comparisons that failed
    worst_ratio: float = 0.0  # the largest error as a fraction of its tolerance (≤ 1 where passed)

    def __str__(self):
        verdict = "passed" if self.passed else f"FAILED ({', '.join(self.failures)})"
        return (f"{self.name}: {verdict}; {self.n_cases} cases, max abs error {self.max_abs_error:.3g}, "
                f"max rel error {self.max_rel_error:.3g}")


@dataclass(frozen=True)
class ProofResult:
    name: str
    steps: tuple  # (index, proved) for every step with a proof
    claims: Mapping[str, bool]

    @property
    def passed(self):
        return all(ok for _, ok in self.steps) and all(self.claims.values())

    def failures(self):
        return [f"step {i + 1}" for i, ok in self.steps if not ok] + [k for k, ok in self.claims.items() if not ok]


@dataclass(frozen=True)
class Derivation:
    name: str
    title: str
    source: str
    steps: tuple
    claims: tuple
    numeric: Callable  # (rng, forms: dict label → Expr) -> list[Comparison]
    prover: Callable | None = None  # (forms) -> dict label → bool; default: verify_statement(derived, form)
    notes: tuple = field(default=())

    def forms(self, candidate=None):
        """The claimed closed forms by label, with ``candidate`` (label → Expr) replacing some of them."""
        forms = {c.label: c.rhs for c in self.claims}
        for label, expr in (candidate or {}).items():
            if label not in forms:
                raise GancheckError(f"{self.name} has no claim {label!r}; it has {', '.join(forms)}")
            forms[label] = sp.sympify(expr)
        return forms

    def prove(self, candidate=None):
        forms = self.forms(candidate)
        if self.prover is not None:
            claims = dict(self.prover(forms))
        else:
            claims = {c.label: verify_statement(c.derived, forms[c.label]) for c in self.claims}
        steps = tuple((i, s.proved()) for i, s in enumerate(self.steps) if s.proof is not None)
        return ProofResult(self.name, steps, claims)

    def check(self, rng=None, candidate=None):
        rng = np.random.default_rng(0) if rng is None else rng
        comparisons = self.numeric(rng, self.forms(candidate))
        n, max_abs, max_rel, worst, failures = 0, 0.0, 0.0, 0.0, []
        for c in comparisons:
            err, rel, ok, ratio = c.errors()
            n += err.size
            worst = max(worst, float(np.max(np.nan_to_num(ratio, nan=np.inf), initial=0.0)))
            finite = np.isfinite(err)
            max_abs = max(max_abs, float(np.max(err[finite], initial=0.0)) if finite.any() else np.inf)
            max_rel = max(max_rel, float(np.max(rel[finite], initial=0.0)) if finite.any() else np.inf)
            if not finite.all():
                max_abs = max_rel = np.inf
            if not ok.all() and c.label not in failures:
                failures.append(c.label)
        return CheckResult(self.name, not failures and n > 0, max_abs, max_rel, n, tuple(failures), worst)

    def statement(self):
        return [sp.Eq(c.lhs, c.rhs, evaluate=False) for c in self.claims]

    def to_latex(self):
        """A LaTeX fragment for a docs page: the steps as an ``aligned`` block with justifications, then the
        statement. Embed it between ``$$ … $$``."""
        lines = [_latex_row(s.relation, s.justification) for s in self.steps]
        lines += [_latex_row(r, c.meaning) for r, c in zip(self.statement(), self.claims)]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def to_text(self):
        out = [f"{self.title}  [{self.name}]", f"source: {self.source}"]
        out += [f"  {i + 1:>2}. {_text(s.relation)}    ({s.justification})" for i, s in enumerate(self.steps)]
        out += ["  result:"] + [f"      {_text(r)}    ({c.meaning})" for r, c in zip(self.statement(), self.claims)]
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)


_OPS = {"==": "=", "!=": r"\neq", ">=": r"\geq", "<=": r"\leq", ">": ">", "<": "<"}


class _Latex(LatexPrinter):
    """Lecture notation: ``zbar_D`` is :math:`\bar z_D` (SymPy would print ``hbar`` as Planck's constant), the ReLU
    derivative ``Heaviside(g, 0)`` is :math:`\mathbb 1[g > 0]`."""

    def _print_Symbol(self, expr, style="plain"):
        m = re.fullmatch(r"([A-Za-z])bar(?:_(\w+))?", expr.name)
        if m:
            return rf"\bar{{{m[1]}}}" + (f"_{{{m[2]}}}" if m[2] else "")
        return super()._print_Symbol(expr, style)

    def _print_Relu(self, expr, exp=None):
        body = rf"\operatorname{{relu}}\left({self._print(expr.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"

    def _print_Heaviside(self, expr, exp=None):
        if len(expr.args) == 2 and expr.args[1] == 0:
            body = rf"\mathbb{{1}}\left[{self._print(expr.args[0])} > 0\right]"
            return body if exp is None else rf"{body}^{{{exp}}}"
        return super()._print_Heaviside(expr, exp)


def latex(expr):
    """LaTeX in the lecture's notation (see :class:`_Latex`)."""
    return _Latex().doprint(expr)


def _latex_row(relation, justification):
    text = justification.replace("\\", "").replace("{", "").replace("}", "").replace("_", r"\_").replace("&", "and")
    text = text.replace("%", r"\%").replace("#", r"\#")
    if isinstance(relation, sp.core.relational.Relational):
        body = f"{latex(relation.lhs)} &{_OPS[relation.rel_op]} {latex(relation.rhs)}"
    else:
        body = f"&{latex(relation)}"
    return f"{body} && \\text{{{text}}}"


def _text(relation):
    if isinstance(relation, sp.core.relational.Relational):
        return f"{sp.sstr(relation.lhs)} {'=' if relation.rel_op == '==' else relation.rel_op} {sp.sstr(relation.rhs)}"
    return sp.sstr(relation)


def timed(fn, *args, **kwargs):
    """``(result, seconds)``: the CLI's table reports the time each derivation takes."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0
