r"""What a derivation is, how it is proved, checked and rendered.

A :class:`Derivation` is one result the lecture states (``lecture``: the lecture's own name for it), with a title, a
source (slide, or paper and equation), ordered :class:`Step` s — each a SymPy relation with a one-line justification
and, unless it is a definition or a stated hypothesis, a symbolic proof — and a statement: one or more :class:`Claim` s,
each a closed form (``rhs``) for a quantity (``lhs``) on a stated domain. Two independent machines judge the claims:

* :meth:`Derivation.prove` — symbolic: SymPy's own computation of the quantity (``Claim.derived``) minus the claimed
  form reduces to 0 (:func:`verify_statement`), or a derivation-specific prover decides;
* :meth:`Derivation.check` — numeric: the claimed forms are lambdified and compared, on random instances, with an
  **independent computation** within explicit tolerances (:class:`Comparison`). Independent means: not gancheck's own
  code for the same formula and not the SymPy expressions being checked, but central differences or complex-step
  derivatives of a separately written forward pass, mpmath at high precision, quadrature, Monte Carlo with a stated
  standard error, exact transport by linear programming, a library's optimiser. Every want side is the output of an
  oracle that names its method, and the reach of every oracle is inspected
  (:mod:`derivations.independence`): a check whose want side can call the implementation or the claim under test is
  refused.

Both take an optional ``candidate`` (claim label → expression) that replaces the claimed forms: a wrong formula (a
missing :math:`1/N`, a flipped sign, a factor 2, KL's arguments swapped) must be rejected by both; the tests and the
homework checker use this.
"""
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import sympy as sp

from gancheck import GancheckError

from .decide import verify_statement
from .independence import Evidence, IndependenceError, violations
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
    derivation's prover computes it. The symbols of ``rhs`` carry their assumptions (positive, real, integer);
    ``domain`` adds the constraints assumptions cannot say (``Eq(p1 + p2 + p3 + p4, 1)``, ``theta < 1``)."""

    label: str
    lhs: sp.Basic
    rhs: sp.Expr
    derived: sp.Expr | Callable | None = None
    meaning: str = "result"
    domain: tuple = ()

    def computed(self):
        return self.derived() if callable(self.derived) else self.derived

    def restrict(self, expr):
        """``expr`` on the claim's domain: every equality constraint (a normalisation such as ``Σp = 1``) solved for
        its last symbol by name and substituted, so that forms equal only on the domain are decided equal."""
        expr = sp.sympify(expr)
        for relation in self.domain:
            if isinstance(relation, sp.Equality):
                last = max(relation.free_symbols, key=lambda s: s.name)
                expr = expr.subs(last, sp.solve(relation, last)[0])
        return expr

    @property
    def symbols(self):
        """The claimed form's free symbols with the assumptions they were declared with: name → (Symbol,
        {assumption: value}), e.g. ``{"a": (a, {"positive": True})}`` (``Symbol.assumptions0`` lists every implied
        one)."""
        return {s.name: (s, dict(getattr(s, "_assumptions_orig", s.assumptions0)))
                for s in sorted(sp.sympify(self.rhs).free_symbols, key=lambda s: s.name)}


@dataclass(frozen=True)
class Comparison:
    """``got`` (computed from a claimed form) against ``want`` (:class:`~derivations.independence.Evidence` from an
    independent oracle), element-wise, under ``relation``:

    * ``"="``: ``|got - want| <= atol + rtol*|want|`` (equal infinities count as equal);
    * ``"<="``: ``got <= want + atol + rtol*|want|`` — ``want`` is a bound the claimed value must respect;
    * ``">="``: ``got >= want - atol - rtol*|want|``.

    ``criterion`` replaces the default description of the tolerance where it has a meaning of its own ("5 standard
    errors of the Monte Carlo mean", "the quantisation bound (w_P + w_Q)/4n")."""

    label: str
    got: np.ndarray
    want: Evidence
    atol: float
    rtol: float
    relation: str = "="
    criterion: str = ""

    def __post_init__(self):
        if not isinstance(self.want, Evidence):
            raise IndependenceError(f"comparison {self.label!r}: the want side must come from an oracle "
                                    "(derivations.independence.oracle), not a bare value")
        if self.relation not in ("=", "<=", ">="):
            raise ValueError(f"comparison {self.label!r}: unknown relation {self.relation!r}")

    @property
    def oracle(self):
        return self.want.oracle

    def describe(self):
        """The comparison's own pass criterion, in words."""
        if self.criterion:
            return self.criterion
        tol = f"{self.atol:.0e}" + (f" + {self.rtol:.0e}·|want|" if self.rtol else "")
        return {"=": f"|got − want| ≤ {tol}", "<=": f"got ≤ want + {tol}", ">=": f"got ≥ want − {tol}"}[self.relation]

    def errors(self):
        """``(err, ok, ratio)``: the violation (|difference|, or the excess over the bound), whether it is within
        tolerance, and its size as a fraction of the tolerance."""
        got, want = np.broadcast_arrays(np.asarray(self.got, dtype=float), np.asarray(self.want.value, dtype=float))
        with np.errstate(all="ignore"):  # a wrong candidate may give inf/NaN: it fails, it does not warn
            if self.relation == "=":
                err = np.where(got == want, 0.0, np.abs(got - want))
            elif self.relation == "<=":
                err = np.where(got <= want, 0.0, got - want)
            else:
                err = np.where(got >= want, 0.0, want - got)
            tol = self.atol + self.rtol * np.where(np.isfinite(want), np.abs(want), 0.0)
            ok = np.isfinite(err) & (err <= tol)
            ratio = np.where(err == 0, 0.0, err / tol)
        return err, ok, np.nan_to_num(ratio, nan=np.inf)


@dataclass(frozen=True)
class Criterion:
    """How one labelled comparison fared: its oracle, its own criterion, its cases and its worst error as a fraction
    of its tolerance."""

    label: str
    tag: str
    method: str
    criterion: str
    n_cases: int
    worst_ratio: float
    passed: bool


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    n_cases: int
    criteria: tuple = ()  # Criterion per comparison label, in order
    failures: tuple = ()  # labels of the comparisons that failed
    worst_ratio: float = 0.0  # the largest violation as a fraction of its tolerance (≤ 1 where passed)
    max_abs_error: float = 0.0

    @property
    def oracles(self):
        """The distinct oracle tags, in order of first use."""
        return tuple(dict.fromkeys(c.tag for c in self.criteria))

    def closest(self):
        """The criterion that came nearest to failing (largest error/tolerance), or None."""
        return max(self.criteria, key=lambda c: c.worst_ratio, default=None)

    def summary(self):
        """One sentence for a page: what the claims were checked against, and by each check's own criterion."""
        methods = "; ".join(dict.fromkeys(c.method for c in self.criteria))
        if not self.passed:
            return (f"Numeric check of the results FAILED: {', '.join(self.failures)} ({self.n_cases} cases against "
                    f"{methods}).")
        c = self.closest()
        closest = ("every error is exactly 0" if c is None or c.worst_ratio == 0 else
                   f"the closest, “{c.label}”, used {c.worst_ratio:.2g} of its tolerance ({c.criterion})")
        return (f"Numeric check of the results: {self.n_cases} cases in {len(self.criteria)} comparisons against "
                f"{methods}; each within its own criterion — {closest}.")

    def __str__(self):
        verdict = "passed" if self.passed else f"FAILED ({', '.join(self.failures)})"
        return f"{self.name}: {verdict}; {self.n_cases} cases, worst error/tolerance {self.worst_ratio:.3g}"


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
    lecture: str = ""  # the result as the lecture names it (the verify table's first column)

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
        claims = {c.label: c for c in self.claims}
        return {label: verify_statement(claims[label].restrict(claims[label].computed()), claims[label].restrict(form))
                for label, form in forms.items()}

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
        """Run the numeric comparisons (claimed forms, or ``candidate``'s, against independent oracles); a comparison
        whose oracle can reach the implementation or the claim under test raises :class:`IndependenceError`."""
        rng = np.random.default_rng(0) if rng is None else rng
        comparisons = self.numeric(rng, self.forms(candidate))
        groups = {}
        for c in comparisons:
            problems = violations(c.oracle)
            if problems:
                raise IndependenceError(f"{self.name}, comparison {c.label!r}: {problems[0]}")
            err, ok, ratio = c.errors()
            groups.setdefault(c.label, []).append((c, err, ok, ratio))
        criteria, n, worst, max_abs = [], 0, 0.0, 0.0
        for label, rows in groups.items():
            first = rows[0][0]
            cases = sum(err.size for _, err, _, _ in rows)
            ratio = max(float(np.max(r, initial=0.0)) for _, _, _, r in rows)
            passed = all(bool(ok.all()) for _, _, ok, _ in rows)
            criteria.append(Criterion(label, first.oracle.tag, first.oracle.method, first.describe(), cases, ratio,
                                      passed))
            n, worst = n + cases, max(worst, ratio)
            for _, err, _, _ in rows:
                finite = err[np.isfinite(err)]
                max_abs = max(max_abs, float(np.max(finite, initial=0.0)) if finite.size == err.size else np.inf)
        failures = tuple(c.label for c in criteria if not c.passed)
        return CheckResult(self.name, not failures and n > 0, n, tuple(criteria), failures, worst, max_abs)

    def statement(self):
        return [sp.Eq(c.lhs, c.rhs, evaluate=False) for c in self.claims]

    def to_latex(self):
        """A LaTeX fragment for a docs page: the steps as an ``aligned`` block with justifications, then the
        statement. Embed it between ``$$ … $$``."""
        lines = [latex_row(s.relation, s.justification) for s in self.steps]
        lines += [latex_row(r, c.meaning) for r, c in zip(self.statement(), self.claims)]
        return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"

    def to_text(self):
        out = [f"{self.title}  [{self.name}]", f"lecture: {self.lecture or self.title}", f"source: {self.source}"]
        out += [f"  {i + 1:>2}. {text(s.relation)}    ({s.justification})" for i, s in enumerate(self.steps)]
        out += ["  result:"] + [f"      {text(r)}    ({c.meaning})" for r, c in zip(self.statement(), self.claims)]
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)
