r"""The optimal generator (Goodfellow et al. 2014, Theorem 1; lecture: "what is the optimal G? It is G that makes JSD
smallest = 0").

With the optimal discriminator, :math:`C(G) = \max_D V(G, D) = -\log 4 + 2\,\mathrm{JSD}(P_{\text{data}}\|P_G)`
(:mod:`derivations.jsd`). Gibbs' inequality (:mod:`derivations.gibbs`) applied to :math:`\mathrm{KL}(P\|M)` and
:math:`\mathrm{KL}(Q\|M)` gives :math:`\mathrm{JSD} \ge 0` with equality iff :math:`P_G = P_{\text{data}}`, so the
global minimum of :math:`C` is :math:`-\log 4`, reached only there. Independently of Gibbs, Lagrange's condition for
minimising :math:`C` over the simplex, :math:`\partial_{q_i} C = \log\frac{q_i}{p_i + q_i} = -λ`, makes
:math:`q_i/p_i` the same for every atom, and normalisation makes it 1.

Numeric: SciPy's BFGS minimising :math:`C` over the simplex (softmax logits) from random starts — its minimum value
and its minimiser — and :math:`C(P, Q) \ge -\log 4` for random :math:`Q` in mpmath at 40 digits.
"""
import mpmath
import numpy as np
import sympy as sp

from . import gibbs, oracles
from .core import Claim, Comparison, Derivation, definition, identity
from .decide import numeric_function
from .independence import oracle
from .information import P_SYM, Q_SYM, SIMPLEX, jsd, random_pairs, simplex_minimum
from .jsd import AT_DSTAR, p, q

r = sp.Symbol("r", positive=True)  # e^{−λ}: the stationarity log(q/(p + q)) = −λ is q/(p + q) = r


def _minimiser():
    """q from Lagrange's condition (the step below proves ∂C/∂q = log(q/(p + q))): q/(p + q) = r, the same r for every
    atom, so q = c·p with c = r/(1 − r); Σq = 1 = c·Σp forces c = 1."""
    stationary = sp.solve(q / (p + q) - r, q)[0]
    ratio = sp.cancel(stationary / p)
    return stationary.subs(r, sp.solve(ratio - 1, r)[0])


def _minimum():
    return sum(AT_DSTAR.subs({p: a, q: a}) for a in P_SYM)


@oracle("mpmath", "C(P, Q) = Σ p log(p/(p+q)) + q log(q/(p+q)) in mpmath at 40 digits")
def value(pairs):
    with mpmath.workdps(oracles.DIGITS):
        return np.array([float(oracles.mp_sum(mpmath.mpf(a) * mpmath.log(a / (a + b)) + mpmath.mpf(b) * mpmath.log(
            b / (a + b)) for a, b in zip(P, Q))) for P, Q in pairs])


def numeric(rng, forms):
    minimum = numeric_function(forms["min C(G)"], P_SYM)
    minimiser = numeric_function(forms["argmin q_i"], (p,))
    out = []
    pairs = random_pairs(rng, 8)
    for P, _ in pairs[:4]:
        found = simplex_minimum(P, "V")
        out += [Comparison("min C(G)", np.array(float(minimum(*P))), found[0], 1e-10, 0.0,
                           criterion="|claimed − optimiser's minimum| ≤ 1e-10 (BFGS to gradient 1e-11)"),
                # C is quadratic near its minimiser: a value accurate to 1e-16 locates it to ~1e-8
                Comparison("argmin q_i", np.broadcast_to(minimiser(P), P.shape), found[1], 1e-6, 0.0,
                           criterion="|claimed − optimiser's minimiser| ≤ 1e-6 (C is flat to second order there)")]
    claimed = np.array([float(minimum(*P)) for P, _ in pairs])
    out.append(Comparison("min C(G) ≤ C(G)", claimed, value(pairs), 1e-13, 0.0, relation="<="))
    return out


def derive():
    C = sp.Symbol("C(G)")
    m_sym = [(a + b) / 2 for a, b in zip(P_SYM, Q_SYM)]
    steps = (
        definition(sp.Eq(C, -sp.log(4) + 2 * jsd(P_SYM, Q_SYM)), "max_D V(G, D) at D* (the result jsd), "
                   "P = P_data, Q = P_G on four atoms"),
        *gibbs.steps(P_SYM, m_sym, what="KL(P‖M), and likewise KL(Q‖M)"),
        identity(sp.Derivative(AT_DSTAR, q), sp.log(q / (p + q)), "Lagrange: ∂C/∂q_i = log(q_i/(p_i + q_i)) = −λ "
                 "for every atom, so q_i/p_i is one constant, which Σq = Σp = 1 makes 1"),
        identity(sp.Subs(AT_DSTAR, q, p), -2 * p * sp.log(2), "at P_G = P_data each atom gives −2p log 2: C = −log 4"),
    )
    claims = (
        Claim("min C(G)", sp.Symbol(r"\min_{G} C(G)"), -2 * sp.log(2), _minimum,
              "the global minimum −log 4, since JSD ≥ 0", domain=SIMPLEX[:1]),
        Claim("argmin q_i", sp.Symbol(r"q_{i}^{*}"), p, _minimiser, "the minimiser P_G = P_data, atom by atom (JSD = 0 "
              "iff P = Q)"),
    )
    return Derivation("optimal-g", "The optimal generator: P_G = P_data, where C(G) = −log 4",
                      "Goodfellow et al. 2014, Theorem 1; lecture (summary: the optimal G makes JSD smallest = 0)",
                      steps, claims, numeric,
                      lecture="The optimal G makes JSD smallest = 0: P_G(x) = P_data(x)")
