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
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from gancheck import GancheckError

from .decide import verify_statement
from .render import latex, latex_row, text  # noqa: F401  (latex: the docs pages render with it)


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
    computation of ``lhs``, or a zero-argument function returning it (computed only when proving), or None when the
    derivation's prover computes it."""

    label: str
    lhs: sp.Basic
    rhs: sp.Expr
    derived: sp.Expr | Callable | None = None
    meaning: str = "result"

    def computed(self):
        return self.derived() if callable(self.derived) else self.derived


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
    cached: bool = False  # taken from a ProofCache: the same code and SymPy version proved it before

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

    def decide(self, candidate=None, labels=None):
        """Label → whether the claimed form (or ``candidate``'s replacement) is proved equal to SymPy's derivation;
        ``labels`` restricts the decision to those claims (each claim is judged on its own)."""
        forms = self.forms(candidate)
        if labels is not None:
            forms = {label: forms[label] for label in labels}
        if self.prover is not None:
            return dict(self.prover(forms))
        derived = {c.label: c for c in self.claims}
        return {label: verify_statement(derived[label].computed(), form) for label, form in forms.items()}

    def prove(self, candidate=None, cache=None):
        """Every step's proof and every claim's decision. ``cache`` (a :class:`derivations.proofcache.ProofCache`)
        serves and stores passing proofs of the reference claims; a candidate is always proved afresh."""
        if cache is not None and not candidate:
            hit = cache.get(self.name)
            if hit is not None:
                return ProofResult(self.name, hit[0], hit[1], cached=True)
        claims = self.decide(candidate)
        steps = tuple((i, s.proved()) for i, s in enumerate(self.steps) if s.proof is not None)
        result = ProofResult(self.name, steps, claims)
        if cache is not None and not candidate and result.passed:
            cache.put(self.name, steps, claims)
        return result

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
        lines = [latex_row(s.relation, s.justification) for s in self.steps]
        lines += [latex_row(r, c.meaning) for r, c in zip(self.statement(), self.claims)]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def to_text(self):
        out = [f"{self.title}  [{self.name}]", f"source: {self.source}"]
        out += [f"  {i + 1:>2}. {text(s.relation)}    ({s.justification})" for i, s in enumerate(self.steps)]
        out += ["  result:"] + [f"      {text(r)}    ({c.meaning})" for r, c in zip(self.statement(), self.claims)]
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)
