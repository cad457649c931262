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
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

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
    d = sp.sympify(lhs) - sp.sympify(rhs)
    if d == 0 or sp.expand(d) == 0 or rational_zero(d):
        return True
    return sp.simplify(d) == 0


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``relation`` (usually ``Eq``) with its justification. ``proof`` returns True when the
    relation is proved symbolically; None marks a definition or a hypothesis, which is stated, not proved."""

    relation: sp.Basic
    justification: str
    proof: Callable[[], bool] | None = None

    def proved(self):
        return True if self.proof is None else bool(self.proof())


def identity(relation, justification):
    """A step whose relation is an equality proved by :func:`verify_statement`."""
    return Step(relation, justification, lambda: verify_statement(relation.lhs, relation.rhs))


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
        err = np.abs(got - want)
        ok = np.isfinite(got) & (err <= self.atol + self.rtol * np.abs(want))
        rel = err / np.maximum(np.abs(want), np.finfo(float).tiny)
        return err, rel, ok


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    max_abs_error: float
    max_rel_error: float
    n_cases: int
    failures: tuple = ()  # labels of the comparisons that failed

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
        n, max_abs, max_rel, failures = 0, 0.0, 0.0, []
        for c in comparisons:
            err, rel, ok = c.errors()
            n += err.size
            finite = np.isfinite(err)
            max_abs = max(max_abs, float(np.max(err[finite], initial=0.0)) if finite.any() else np.inf)
            max_rel = max(max_rel, float(np.max(rel[finite], initial=0.0)) if finite.any() else np.inf)
            if not finite.all():
                max_abs = max_rel = np.inf
            if not ok.all() and c.label not in failures:
                failures.append(c.label)
        return CheckResult(self.name, not failures and n > 0, max_abs, max_rel, n, tuple(failures))

    def statement(self):
        return [sp.Eq(c.lhs, c.rhs, evaluate=False) for c in self.claims]

    def to_latex(self):
        """A LaTeX fragment for a docs page: the steps as an ``aligned`` block with justifications, then the
        statement. Embed it between ``$$ … $$``."""
        lines = [_latex_row(s.relation, s.justification) for s in self.steps]
        lines += [_latex_row(r, "result") for r in self.statement()]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def to_text(self):
        out = [f"{self.title}  [{self.name}]", f"source: {self.source}"]
        out += [f"  {i + 1:>2}. {_text(s.relation)}    ({s.justification})" for i, s in enumerate(self.steps)]
        out += ["  result:"] + [f"      {_text(r)}" for r in self.statement()]
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)


_OPS = {"==": "=", "!=": r"\neq", ">=": r"\geq", "<=": r"\leq", ">": ">", "<": "<"}


def _latex_row(relation, justification):
    text = justification.replace("\\", "").replace("{", "").replace("}", "").replace("_", r"\_").replace("&", "and")
    text = text.replace("%", r"\%").replace("#", r"\#")
    if isinstance(relation, sp.core.relational.Relational):
        body = f"{sp.latex(relation.lhs)} &{_OPS[relation.rel_op]} {sp.latex(relation.rhs)}"
    else:
        body = f"&{sp.latex(relation)}"
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
