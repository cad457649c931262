r"""What a proof may call beyond a formula's vocabulary (:data:`gancheck.homework.formulas.vocabulary.FUNCTIONS`),
each built at once into an explicit SymPy expression — nothing unevaluated reaches the checker:

* ``diff(f, x)``, ``diff(f, x, 2)`` — :math:`\partial f/\partial x` (x a declared name);
* ``subs(f, x, v)`` — :math:`f` with :math:`x = v` ("substitute D = a/(a + b)");
* ``sum(f, i)`` — :math:`\sum_{i=1}^{n} f` over the points of the declared distributions (``p_i`` inside f);
* ``KL(p, q)`` :math:`= \sum_i p_i\log(p_i/q_i)`, ``H(p)`` :math:`= -\sum_i p_i\log p_i`, ``H(p, q)``
  :math:`= -\sum_i p_i\log q_i`, ``JSD(p, q)`` :math:`= \tfrac12\mathrm{KL}(p\|m) + \tfrac12\mathrm{KL}(q\|m)`,
  :math:`m = (p+q)/2` (Cover & Thomas 2006, §2.3; Lin 1991);
* ``E(f, x)`` — :math:`\mathbb E[f]` for :math:`x \sim \mathcal N(μ, σ^2)` and f a polynomial in x, from the
  moments :math:`\mathbb E[ε^k] = (k-1)!!` for even k, 0 for odd k, of :math:`ε = (x - μ)/σ \sim \mathcal N(0, 1)`.

A builder refusing its arguments raises :class:`ValueError`, which the parsers report with the column of the call.
"""
import sympy as sp

from gancheck.homework.formulas.vocabulary import FUNCTIONS

MAX_DERIVATIVE = 3


def table(scope):
    """The function table for a proof in ``scope`` (:class:`.assumptions.Scope`)."""
    extra = {"diff": ((2, 3), lambda f, x, k=sp.Integer(1): _diff(scope, f, x, k)),
             "subs": ((3, 3), lambda f, x, v: f.xreplace({_variable(scope, x, "subs"): v}))}
    if scope.points:
        extra |= {"sum": ((2, 2), lambda f, i: _sum(scope, f, i)),
                  "KL": ((2, 2), lambda p, q: _kl(*_points(scope, p, q))),
                  "H": ((1, 2), lambda p, q=None: _cross(*_points(scope, p, q if q is not None else p))),
                  "JSD": ((2, 2), lambda p, q: _jsd(*_points(scope, p, q)))}
    if scope.normals:
        extra["E"] = ((1, 2), lambda f, x=None: _expectation(scope, f, x))
    return {**FUNCTIONS, **extra}


def _variable(scope, x, what):
    if x not in scope.variables():
        raise ValueError(f"{what}(…) takes a declared name as its variable, not {sp.sstr(x)[:30]}")
    return x


def _diff(scope, f, x, k):
    if not (k.is_Integer and 1 <= k <= MAX_DERIVATIVE):
        raise ValueError(f"diff(f, x, k) takes k = 1 to {MAX_DERIVATIVE}")
    return sp.diff(f, _variable(scope, x, "diff"), int(k))


def _sum(scope, f, i):
    if i not in scope.placeholders:
        raise ValueError(f"sum(f, i) sums over an index: i or j, not {sp.sstr(i)[:30]}")
    table = scope.placeholders[i]
    return sp.Add(*(f.xreplace({p: points[k] for p, points in table.items()}) for k in range(scope.points)))


def _points(scope, *markers):
    for m in markers:
        if m not in scope.distributions:
            raise ValueError(f"KL, H and JSD take declared distributions, not {sp.sstr(m)[:30]}")
    return [scope.distributions[m] for m in markers]


def _kl(p, q):
    return sp.Add(*(a * sp.log(a / b) for a, b in zip(p, q)))


def _cross(p, q):
    return -sp.Add(*(a * sp.log(b) for a, b in zip(p, q)))


def _jsd(p, q):
    m = [(a + b) / 2 for a, b in zip(p, q)]
    return (_kl(p, m) + _kl(q, m)) / 2


def _expectation(scope, f, x):
    if x is None:
        if len(scope.normals) != 1:
            raise ValueError("E(f, x): name the normal variable x (several are declared)")
        x = next(iter(scope.normals))
    if x not in scope.normals:
        raise ValueError(f"E(f, x) takes a name declared x ~ N(mean, variance), not {sp.sstr(x)[:30]}")
    mean, variance = scope.normals[x]
    eps = sp.Dummy("eps", real=True)
    try:
        poly = sp.Poly(sp.expand(f.xreplace({x: mean + sp.sqrt(variance) * eps})), eps)
    except sp.PolynomialError:
        raise ValueError(f"E(f, {x}) is computed for f a polynomial in {x}") from None
    return sp.Add(*(c * _moment(k) for (k,), c in poly.terms()))


def _moment(k):
    """:math:`\\mathbb E[ε^k]` of a standard normal: :math:`(k-1)!!` for even k, 0 for odd k."""
    return sp.Integer(0) if k % 2 else sp.factorial2(k - 1) if k else sp.Integer(1)
