r"""An inequality step :math:`A \le B` (or :math:`A < B`): a counterexample search (:mod:`.search`), then a
symbolic proof that :math:`B - A \ge 0` on the domain — in the proof's parameters, all positive or real
(:mod:`.assumptions`), so SymPy's sign rules apply. The proof tries, in order:

* the sign of :math:`B - A` as it stands, over a common denominator, and factored (a sum of positive terms, a
  square);
* the sign of each group of logarithms with a common coefficient: :math:`c\log R \ge 0` when :math:`c \ge 0`,
  :math:`R \ge 1` — termwise monotonicity such as :math:`p\log\frac{2p}{p+q} \le p\log 2` — also after a constant
  is spread over a distribution's points (:math:`\log 2 = \sum_i \tfrac{p_i + q_i}2 \log 2`, so JSD ≤ log 2);
* **the tangent lines** of the logarithm (Gibbs' lemma), :math:`\log u \le u - 1` and :math:`\log u \ge 1 - 1/u`
  for :math:`u > 0`, and of the exponential, :math:`e^u \ge 1 + u`. Written :math:`B - A = \sum_k c_k\log u_k + r`
  with :math:`c_k` of known sign, each term is bounded below by its tangent, and the bound — free of logarithms —
  must be :math:`\ge 0` (Cover & Thomas 2006, Thm 2.6.3);
* **Jensen** for the concave logarithm: :math:`\sum_k c_k\log x_k \le \log\sum_k c_k x_k` when :math:`c_k \ge 0`,
  :math:`\sum_k c_k = 1`;
* **monotonicity**: :math:`\log a \le \log b` and :math:`e^a \le e^b` follow from :math:`a \le b`.

Not proved and no counterexample: "undecided", with both facts stated.
"""
import sympy as sp

from gancheck.homework.formulas import symbolic

from .search import Search
from .outcome import FALSE, IMPLIED, UNDECIDED, Outcome

DEPTH = 2         # monotonicity nested at most this deep (log of log …)
FACTOR_OPS = 80   # factoring is tried on expressions up to this size (it grows fast with the number of symbols)


def decide(small, big, strict, scope, seed):
    """:class:`.outcome.Outcome` of ``small ≤ big`` (``<`` if ``strict``) under the proof's ``scope``: the sampled
    points scanned, then a proof in the declared symbols (a stronger statement, and small), then in the
    parameters (the domain exactly), then a descent towards a counterexample."""
    A, B = (e.xreplace(scope.definitions) for e in (small, big))
    sums = [sp.Add(*points) for points in scope.distributions.values()]
    ones = sums + [sp.Add(*sums) / len(sums)] if len(sums) > 1 else sums  # each is 1 on the domain
    try:
        search = Search([A, B], lambda v: v[1] - v[0], scope.kinds, seed, strict)
        found = search.scan()
        how = "" if found else prove(small, big, strict, ones) or prove(A, B, strict)
        found = found or (None if how else search.descend())
    except ValueError as exc:
        return Outcome(UNDECIDED, "not attempted", notes=[f"cannot evaluate numerically: {exc}"])
    if found:
        return Outcome(FALSE, "counterexample re-checked exactly", found)
    if how:
        return Outcome(IMPLIED, how)
    relation = "<" if strict else "≤"
    return Outcome(UNDECIDED, "not proved", notes=[f"no counterexample among the sampled points (and a descent from "
                                                   f"the closest ones), but SymPy could not prove {relation}"])


def prove(A, B, strict, ones=(), depth=0):
    """How ``A ≤ B`` (``<``) was proved on the parameters' domain (a short phrase), or "" if it was not; ``ones``
    are expressions equal to 1 on the domain (a distribution's sum), over which a constant may be spread. A
    :class:`~gancheck.homework.formulas.symbolic.Timeout` propagates."""
    try:
        if nonnegative(B - A, strict):
            return "proved (sign)"
        if not strict and _log_groups(B - A):
            return "proved (sign of each logarithm)"
        constant = (B - A).as_independent(*(B - A).free_symbols, as_Add=True)[0]
        if not strict and constant != 0 and any(_log_groups(B - A + constant * (one - 1)) for one in ones):
            return "proved (sign of each logarithm, the constant spread over the points)"
        if not strict and _tangents(B - A):
            return "proved (log u ≤ u − 1)"
        if not strict and _exp_tangents(B - A):
            return "proved (e^u ≥ 1 + u)"
        if not strict and _jensen(A, B):
            return "proved (Jensen: log is concave)"
        if depth < DEPTH and type(A) is type(B) and isinstance(A, (sp.log, sp.exp)):
            inner = prove(A.args[0], B.args[0], strict, depth=depth + 1)
            return inner and f"{inner}, then {A.func.__name__} is increasing"
    except symbolic.Timeout:
        raise
    except Exception:  # noqa: BLE001 — SymPy failing on a student's expression is "not proved", not a crash
        return ""
    return ""


def nonnegative(e, strict=False):
    """``e ≥ 0`` (``> 0``) by SymPy's sign rules: as it stands, and — free of logarithms — over a common denominator
    and, small, factored (a square)."""
    def sign(x):
        return x.is_positive if strict else x.is_nonnegative

    if e == 0:
        return not strict
    if sign(e):
        return True
    if e.has(sp.log):  # a common denominator does not help SymPy with the sign of a logarithm (the costly part)
        return False
    together = sp.cancel(sp.together(e))
    if together == 0:
        return not strict
    if sign(together):
        return True
    return not together.has(sp.log) and sp.count_ops(together) <= FACTOR_OPS and bool(sign(sp.factor(together)))


def _groups(e):
    """``([(c, R), …], r)`` with ``e = Σ c·log R + r``: the logarithms sharing a coefficient (up to a rational
    factor) combined into one, ``r`` free of logarithms; None if ``e`` is not linear in its logarithms."""
    logs = sorted(e.atoms(sp.log), key=sp.default_sort_key)
    if not logs:
        return None
    marks = [sp.Dummy() for _ in logs]
    linear = sp.expand(e.xreplace(dict(zip(logs, marks))))
    coefficients = [linear.coeff(m) for m in marks]
    rest = sp.expand(linear - sp.Add(*(c * m for c, m in zip(coefficients, marks))))
    if any(c.has(*marks) for c in coefficients) or rest.has(*marks):
        return None
    groups = {}
    for log, c in zip(logs, coefficients):
        for term in sp.Add.make_args(c):  # (p_1 + q_1 + …)·log 2: each point's share with that point's logs
            weight, key = term.as_coeff_Mul()
            groups.setdefault(key, []).append((weight, log.args[0]))
    out = []
    for c, members in groups.items():  # c·Σ w log x = (c·k)·log Π x^(w/k): the smallest |w| taken out, no roots
        k = min(abs(w) for w, _ in members)
        out.append((c * k, sp.Mul(*(x ** (w / k) for w, x in members))))
    return out, rest


def _log_groups(e):
    r"""Each :math:`c\log R \ge 0` (c ≥ 0 and R ≥ 1, or c ≤ 0 and R ≤ 1) and the rest ≥ 0 — a termwise
    :math:`p\log(2p/(p+q)) \le p\log 2`."""
    found = _groups(e)
    return found is not None and all((nonnegative(c) and nonnegative(R - 1)) or (nonnegative(-c) and
                                     nonnegative(1 - R)) for c, R in found[0]) and nonnegative(found[1])


def _tangents(e):
    r"""``e ≥ 0`` after each :math:`c\log R` is replaced by its tangent bound — :math:`c(R - 1)` for c ≤ 0,
    :math:`c(1 - 1/R)` for c ≥ 0 — the bound, free of logarithms, ≥ 0 by :func:`nonnegative`."""
    found = _groups(e)
    if found is None:
        return False
    groups, bound = found
    for c, R in groups:
        if nonnegative(-c):
            bound += c * (R - 1)
        elif nonnegative(c):
            bound += c * (1 - 1 / R)
        else:
            return False
    return nonnegative(bound)


def _exp_tangents(e):
    r"""``e ≥ 0`` after each :math:`c\,e^u` with c ≥ 0 is replaced by its tangent bound :math:`c(1 + u)`."""
    exps = sorted((a for a in e.atoms(sp.exp) if a.free_symbols), key=sp.default_sort_key)
    if not exps:
        return False
    marks = [sp.Dummy() for _ in exps]
    linear = sp.expand(e.xreplace(dict(zip(exps, marks))))
    bound = linear
    for x, mark in zip(exps, marks):
        c = linear.coeff(mark)
        if c.has(*marks) or not nonnegative(c):
            return False
        bound = bound - c * mark + c * (1 + x.args[0])
    return not bound.has(*marks) and nonnegative(bound)


def _jensen(A, B):
    """:math:`A = \\sum_k c_k \\log x_k \\le \\log\\sum_k c_k x_k = B`, the weights :math:`c_k \\ge 0` summing to 1."""
    if not isinstance(B, sp.log):
        return False
    factor, inner = A.as_coeff_Mul()  # the terms as written: expanding a sum over a distribution is costly
    terms = [factor * t for t in sp.Add.make_args(inner)]
    weights, values = [], []
    for term in terms:
        logs = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.log)]
        if len(logs) != 1:
            return False
        weights.append(sp.Mul(*(f for f in sp.Mul.make_args(term) if f is not logs[0])))
        values.append(logs[0].args[0])
    return (all(nonnegative(c) for c in weights) and sp.cancel(sp.together(sp.Add(*weights) - 1)) == 0
            and sp.cancel(sp.together(B.args[0] - sp.Add(*(c * x for c, x in zip(weights, values))))) == 0)
