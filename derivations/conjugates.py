r"""f-GAN: the convex conjugates :math:`f^*`, their domains and the output activations :math:`g_f` (Nowozin et al. 2016,
Tables 1 and 2) for KL, reverse KL, Jensen–Shannon, Jeffrey and Pearson χ².

The f-GAN objective :math:`D_f(P\|Q) \ge \sup_T \mathbb E_P[T(x)] - \mathbb E_Q[f^*(T(x))]` needs the conjugate

.. math:: f^*(t) = \sup_{u \in \operatorname{dom} f}\ \{tu - f(u)\}

SymPy derives it: f is strictly convex (:math:`f'' > 0`), so the stationary point :math:`u^*(t)` of :math:`tu - f(u)`
— the solution of :math:`f'(u) = t` — is the maximiser whenever it lies in :math:`\operatorname{dom} f`, and
:math:`\operatorname{dom} f^* = \{t : u^*(t) \in \operatorname{dom} f\}` (outside it :math:`tu - f(u)` is unbounded).
The critic's last layer :math:`T = g_f(V(x))` must take every value in :math:`\operatorname{dom} f^*` and no other: the
claimed :math:`g_f` is decided by its range (:func:`sympy.calculus.util.function_range`). JS here is the f-GAN paper's
generator :math:`u\log u - (u+1)\log\frac{u+1}2`, twice the standard JSD (:mod:`derivations.fdivergences`); Jeffrey's
conjugate involves Lambert's W, decided after the substitution :math:`t = 1 - w - \log w` (:math:`w = W(e^{1-t}) > 0`).

Numeric: :math:`\sup_u\{tu - f(u)\}` by SciPy's bounded scalar optimiser on the generators written in NumPy; the
domain's edge located by bisection on where :math:`tu - f(u)` stops being bounded; :math:`g_f` sampled against that
edge; and the tightness of the f-GAN bound, :math:`\mathbb E_P[T^*] - \mathbb E_Q[f^*(T^*)] = D_f` at
:math:`T^* = f'(p/q)`, by quadrature on Gaussian pairs against the Gaussians' closed-form divergences.
"""
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy import integrate
from scipy.optimize import minimize_scalar
from scipy.special import wrightomega
from sympy.calculus.util import function_range

from .core import Claim, Comparison, Derivation, Step
from .decide import verify_statement
from .fdivergences import gaussian_closed_forms, scipy_jsd
from .independence import oracle

u = sp.Symbol("u", positive=True)
ur = sp.Symbol("u", real=True)  # Pearson's generator lives on all of ℝ
t, v = sp.symbols("t v", real=True)
w = sp.Symbol("w", positive=True)
LOG2 = sp.log(2)
# name → (u symbol, f(u), claimed f*(t), claimed dom f*, claimed g_f(v)); f-GAN Tables 1 and 2
TABLE = {
    "KL": (u, u * sp.log(u), sp.exp(t - 1), sp.S.Reals, v),
    "reverse KL": (u, -sp.log(u), -1 - sp.log(-t), sp.Interval.open(-sp.oo, 0), -sp.exp(v)),
    "JS": (u, u * sp.log(u) - (u + 1) * sp.log((u + 1) / 2), -sp.log(2 - sp.exp(t)), sp.Interval.open(-sp.oo, LOG2),
           LOG2 - sp.log(1 + sp.exp(-v))),
    "Jeffrey": (u, (u - 1) * sp.log(u), sp.LambertW(sp.exp(1 - t)) + 1 / sp.LambertW(sp.exp(1 - t)) + t - 2,
                sp.S.Reals, v),
    "Pearson": (ur, (ur - 1) ** 2, t**2 / 4 + t, sp.S.Reals, v),
}
# NumPy generators and derivatives for the oracles, written from Table 1 (not from the conjugates)
NUMPY_F = {
    "KL": (lambda x: x * np.log(x), lambda x: np.log(x) + 1),
    "reverse KL": (lambda x: -np.log(x), lambda x: -1 / x),
    "JS": (lambda x: x * np.log(x) - (x + 1) * np.log((x + 1) / 2), lambda x: np.log(2 * x / (x + 1))),
    "Jeffrey": (lambda x: (x - 1) * np.log(x), lambda x: np.log(x) + 1 - 1 / x),
    "Pearson": (lambda x: (x - 1) ** 2, lambda x: 2 * (x - 1)),
}
POSITIVE = {name: spec[0] is u for name, spec in TABLE.items()}


@lru_cache(maxsize=None)
def stationary(name):
    """u*(t): the solution of f'(u) = t, unique because f'' > 0."""
    var, f = TABLE[name][:2]
    # unchecked and unsimplified (fast); _stationary proves the root, strict convexity its uniqueness
    roots = [r for r in sp.solve(sp.diff(f, var) - t, var, check=False, simplify=False)
             if not (POSITIVE[name] and r.is_positive is False)]  # unchecked: drop roots outside dom f (JS's −1)
    return roots[0] if len(roots) == 1 else sp.nan


def _stationary(name):
    """f'(u*(t)) = t: the root solves the first-order condition (on dom f*, where u*(t) ∈ dom f)."""
    var, f = TABLE[name][:2]
    return same_function_of_t(name, sp.diff(f, var).subs(var, stationary(name)), t)


@lru_cache(maxsize=None)
def conjugate(name):
    var, f = TABLE[name][:2]
    star = stationary(name)
    return t * star - f.subs(var, star)


@lru_cache(maxsize=None)
def domain(name):
    """{t : u*(t) ∈ dom f}; for Jeffrey u* = 1/W(e^{1−t}) > 0 for every t (W > 0 on (0, ∞))."""
    if not POSITIVE[name]:
        return sp.S.Reals
    star = stationary(name)
    if name == "Jeffrey":
        return sp.S.Reals if bool(_lambert(star).is_positive) else sp.S.EmptySet
    return sp.solveset(star > 0, t, sp.S.Reals)


# t = φ(y), y > 0, runs over the domain: forms are decided there (a conjugate is claimed only on its domain)
ON_DOMAIN = {"reverse KL": {t: -w}, "JS": {t: LOG2 - sp.log(1 + w)}}


def _lambert(expr):
    """Jeffrey's forms in w = W(e^{1−t}) > 0, t = 1 − w − log w (a bijection ℝ → (0, ∞)); e^{t + w − 1} = 1/w."""
    expr = sp.sympify(expr).replace(sp.LambertW, lambda a: w if sp.expand(a - sp.exp(1 - t)) == 0 else sp.LambertW(a))
    expr = expr.subs(t, 1 - w - sp.log(w))
    return sp.expand(sp.expand_log(sp.simplify(expr), force=False))


def same_function_of_t(name, a, b):
    """``a == b`` on dom f*: on the domain's parametrisation, in w = W(e^{1−t}) (Jeffrey), or directly."""
    if name in ON_DOMAIN:
        sub = ON_DOMAIN[name]
        return verify_statement(sp.sympify(a).subs(sub), sp.sympify(b).subs(sub))
    if name == "Jeffrey":
        return verify_statement(_lambert(a), _lambert(b))
    return verify_statement(a, b)


def _strictly_convex(name):
    var, f = TABLE[name][:2]
    return bool(sp.simplify(sp.diff(f, var, 2)).is_positive)


def prover(forms):
    out = {}
    for label, form in forms.items():
        kind, name = label.split(" ", 1)
        if kind == "f*":
            out[label] = same_function_of_t(name, conjugate(name), form)
        elif kind == "dom":
            out[label] = sp.sympify(form) == domain(name)
        else:  # g_f: its range must be dom f*
            out[label] = function_range(sp.sympify(form), v, sp.S.Reals) == domain(name)
    return out


@oracle("scipy.optimize", "sup_u {tu − f(u)} by bounded Brent (minimize_scalar) over u = e^s, s ∈ [−40, 40] (over u "
                          "∈ [−60, 60] for Pearson), f written in NumPy from Table 1")
def numeric_conjugate(name, ts):
    f = NUMPY_F[name][0]
    out = []
    for tv in ts:
        if POSITIVE[name]:
            res = minimize_scalar(lambda s: f(np.exp(s)) - tv * np.exp(s), bounds=(-40, 40), method="bounded",
                                  options={"xatol": 1e-12})
        else:
            res = minimize_scalar(lambda x: f(x) - tv * x, bounds=(-60, 60), method="bounded", options={"xatol": 1e-12})
        out.append(-res.fun)
    return np.array(out)


def _unbounded(f, tv):
    """tu − f(u) still climbing between u = e^200 and e^300, far beyond every maximiser for |t| ≤ 50 (they sit below
    e^51): the supremum is +∞. (Pearson's (u − 1)² grows faster than any tu: never.)"""
    if f is NUMPY_F["Pearson"][0]:
        return False
    big = np.exp(np.array([200.0, 300.0]))
    h = tv * big - f(big)
    return bool(h[1] > h[0] + 1.0)


@oracle("bisection", "the domain's upper edge: bisection (60 halvings) for the t where tu − f(u) becomes unbounded as "
                     "u → ∞, f in NumPy; +∞ if it never does up to t = 50")
def domain_edge(name):
    f = NUMPY_F[name][0]
    lo, hi = -50.0, 50.0
    if not _unbounded(f, hi):
        return np.inf
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if _unbounded(f, mid) else (mid, hi)
    return (lo + hi) / 2


@oracle("closed forms", "the Gaussians' closed-form KL, reverse KL, Jeffrey, Pearson χ², and 2 × scipy's JSD² for JS")
def divergence_values(m1, s1, m2, s2, px, qx):
    closed = gaussian_closed_forms(m1, s1, m2, s2).value
    return {"KL": closed["KL"], "reverse KL": closed["reverse KL"], "Jeffrey": closed["Jeffrey"],
            "Pearson": closed["Pearson chi2"], "JS": 2 * scipy_jsd(px, qx).value}


_OMEGA = sp.Function("wrightomega")


def numeric_form(expr, var):
    """A claimed form as a NumPy function; W(e^a) is evaluated as Wright's ω(a) (equal for real a, and free of the
    overflow of e^a: Jeffrey's conjugate at the very negative t of a distribution's tails)."""
    expr = sp.sympify(expr).replace(lambda e: isinstance(e, sp.LambertW) and isinstance(e.args[0], sp.exp),
                                    lambda e: _OMEGA(e.args[0].args[0]))
    return sp.lambdify(var, expr, [{"wrightomega": wrightomega}, "numpy"])


SAMPLE_T = {"KL": (-3.0, 3.0), "reverse KL": (-5.0, -0.05), "JS": (-3.0, 0.64), "Jeffrey": (-3.0, 3.0),
            "Pearson": (-3.0, 3.0)}


def numeric(rng, forms):
    out = []
    for name in TABLE:
        ts = rng.uniform(*SAMPLE_T[name], 6)
        got = numeric_form(forms[f"f* {name}"], t)(ts)
        out.append(Comparison(f"f* {name}", np.broadcast_to(np.asarray(got, dtype=float), ts.shape),
                              numeric_conjugate(name, ts), 1e-8, 1e-8))
        edge = domain_edge(name)
        dom = sp.sympify(forms[f"dom {name}"])
        claimed_edge = float(dom.sup) if isinstance(dom, sp.Interval) else np.nan
        out.append(Comparison(f"dom {name}", np.array(claimed_edge), edge, 1e-9, 0.0,
                              criterion="the claimed domain's upper edge against the bisection (equal, or both +∞)"))
        g = sp.lambdify(v, forms[f"g_f {name}"], "numpy")
        vs = np.linspace(-30.0, 30.0, 121)
        values = np.broadcast_to(np.asarray(g(vs), dtype=float), vs.shape)
        out.append(Comparison(f"g_f {name} stays in dom f*", values, edge, 0.0, 0.0, relation="<="))
        out.append(Comparison(f"g_f {name} reaches the edge", np.array(values.max() if np.isfinite(edge.value) else
                                                                      np.inf), edge, 1e-12, 0.0,
                              criterion="max g_f over v ∈ [−30, 30] within 1e-12 of a finite edge (both +∞ otherwise)"))
    x = np.linspace(-12.0, 12.0, 24001)  # Simpson, step 1e-3; the densities are below e^-40 beyond
    for m2, sd in rng.uniform([-1.0, 0.8], [1.0, 1.2], (2, 2)):
        # equal widths keep p/q = exp(linear in x) within e^±25 on the grid: T* = f'(p/q) stays representable
        px = np.exp(-x**2 / (2 * sd**2)) / (sd * np.sqrt(2 * np.pi))
        qx = np.exp(-(x - m2) ** 2 / (2 * sd**2)) / (sd * np.sqrt(2 * np.pi))
        want = divergence_values(0.0, sd, m2, sd, px, qx)
        for name in TABLE:
            T = NUMPY_F[name][1](px / qx)  # the optimal critic T* = f'(p/q)
            values = numeric_form(forms[f"f* {name}"], t)(T)
            bound = integrate.simpson(px * T - qx * np.broadcast_to(values, x.shape), x=x)
            out.append(Comparison(f"f-GAN bound tight, {name}", np.array(bound), want[name], 1e-6, 1e-6,
                                  criterion="E_P T* − E_Q f*(T*) equal to D_f within 1e-6 (Simpson, and scipy's "
                                            "Riemann sum for JS)"))
    return out


def derive():
    steps = tuple(Step(sp.GreaterThan(sp.Derivative(TABLE[name][1], TABLE[name][0], 2), 0),
                       f"{name}: f'' > 0, and u*(t) solves f'(u) = t: the unique maximiser of tu − f(u)",
                       lambda name=name: _strictly_convex(name) and _stationary(name)) for name in TABLE)
    claims = ()
    for name, (var, f, star, dom, g) in TABLE.items():
        claims += (Claim(f"f* {name}", sp.Function(rf"f^*_{{\text{{{name}}}}}")(t), star, None,
                         f"{name}: sup_u {{tu − f(u)}}, f(u) = {sp.sstr(f)}"),
                   Claim(f"dom {name}", sp.Symbol(rf"\operatorname{{dom}} f^*_{{\text{{{name}}}}}"), dom, None,
                         f"{name}: where u*(t) ∈ dom f"),
                   Claim(f"g_f {name}", sp.Function(rf"g_{{\text{{{name}}}}}")(v), g, None,
                         f"{name}: the output activation, onto dom f*"))
    return Derivation("fgan-conjugates", "f-GAN: conjugates f*, their domains and output activations g_f",
                      "Nowozin et al. 2016 (f-GAN), Tables 1 and 2; lecture (experimental results: KL, KL-rev, JS, "
                      "Jeffrey, Pearson)", steps, claims, numeric, prover=prover,
                      notes=("JS is f-GAN's generator u log u − (u + 1) log((u + 1)/2) = 2 × the standard JSD's",),
                      lecture="f-GAN (the experiment's five divergences): conjugates f*(t) and output activations g_f")
