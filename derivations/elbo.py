r"""The evidence lower bound and its gap (lecture: the VAE's :math:`\mathcal L^B`; Kingma & Welling 2014, eq. 3 and 10).

For any density :math:`q(z\mid x)`, Bayes' rule :math:`p(x) = p(x\mid z)\,p(z)/p(z\mid x)` holds for every z, so
taking :math:`\mathbb E_q` of its log and adding and subtracting :math:`\mathbb E_q\log q`:

.. math:: \log p(x) = \underbrace{\mathbb E_q[\log p(x\mid z)] - \mathrm{KL}(q(z\mid x)\,\|\,p(z))}_{\text{ELBO}}
          + \mathrm{KL}\big(q(z\mid x)\,\|\,p(z\mid x)\big)

and since the last KL is :math:`\ge 0` (Gibbs; :mod:`derivations.gibbs`), :math:`\text{ELBO} \le \log p(x)`, with
equality iff q is the posterior. The VAE *minimises* :math:`L = -\text{ELBO} = \text{reconstruction} + \mathrm{KL}`:
the KL term enters the loss with a **plus** sign (it is a penalty, :math:`\ge 0`).

Closed forms for the conjugate model the lecture's VAE reduces to in one dimension: prior :math:`p(z) = \mathcal N(0,
1)`, decoder :math:`p(x\mid z) = \mathcal N(z, s^2)`, encoder :math:`q = \mathcal N(m, v^2)`. SymPy verifies Bayes'
rule with the evidence :math:`\mathcal N(x; 0, 1 + s^2)` and the posterior
:math:`\mathcal N\big(x/(1+s^2),\ s^2/(1+s^2)\big)`, and takes every expectation over q by the moments of
:math:`z = m + vε`. Numeric: adaptive quadrature over z — the evidence :math:`\int p(x\mid z)p(z)\,dz`, the ELBO
:math:`\int q\log(p(x\mid z)p(z)/q)`, and the gap with the posterior computed by Bayes' rule from the quadrature
evidence (not from its closed form) — and a Monte Carlo ELBO within 5 standard errors.
"""
import numpy as np
import sympy as sp
from scipy import integrate

from . import oracles
from .core import Claim, Comparison, Derivation, Step, definition, identity
from .decide import numeric_function, rational_zero
from .independence import oracle
from .vae import eps, expect

x, z, m = sp.symbols("x z m", real=True)
s, v = sp.symbols("s v", positive=True)
POST_MEAN, POST_VAR = x / (1 + s**2), s**2 / (1 + s**2)


def log_normal(value, mean, var):
    return -(value - mean) ** 2 / (2 * var) - sp.log(2 * sp.pi * var) / 2


LIKELIHOOD, PRIOR, Q = log_normal(x, z, s**2), log_normal(z, 0, 1), log_normal(z, m, v**2)
EVIDENCE = log_normal(x, 0, 1 + s**2)
POSTERIOR = log_normal(z, POST_MEAN, POST_VAR)
KL_PRIOR = (m**2 + v**2 - 1 - sp.log(v**2)) / 2  # KL(N(m, v²) ‖ N(0, 1)), derivations.vae
ELBO = -sp.log(2 * sp.pi * s**2) / 2 - ((x - m) ** 2 + v**2) / (2 * s**2) - KL_PRIOR
GAP = sp.log(sp.sqrt(POST_VAR) / v) + (v**2 + (m - POST_MEAN) ** 2) / (2 * POST_VAR) - sp.Rational(1, 2)
ARGS = (x, s, m, v)
QUAD = dict(epsabs=1e-12, epsrel=1e-12, limit=200)


def over_q(expr):
    """E_q[expr] for an expression polynomial in z after expanding its logs: z = m + vε and the normal moments."""
    return expect(sp.expand(sp.expand_log(expr.subs(z, m + v * eps))))


def _evidence_by_bayes():
    """log p(x|z) + log p(z) − log p(z|x): the step below proves it free of z, so it is log p(x) (the posterior is a
    normalised density, so no constant can hide in it)."""
    return sp.expand(sp.expand_log(LIKELIHOOD + PRIOR - POSTERIOR))


def _bayes():
    bayes = _evidence_by_bayes()
    return rational_zero(sp.diff(bayes, z)) and rational_zero(bayes - sp.expand(sp.expand_log(EVIDENCE)))


@oracle("quadrature", "scipy.integrate.quad over z of the densities written out: the evidence ∫p(x|z)p(z)dz, the "
                      "ELBO ∫q log(p(x|z)p(z)/q), and ∫q log(q/p(z|x)) with p(z|x) = p(x|z)p(z)/p(x) from that "
                      "evidence")
def by_quadrature(xv, sv, mv, vv):
    def log_joint(t):
        return oracles.normal_logpdf(xv, t, sv) + oracles.normal_logpdf(t, 0.0, 1.0)

    def log_q(t):
        return oracles.normal_logpdf(t, mv, vv)

    lo, hi = mv - 30 * vv, mv + 30 * vv
    wide = (min(lo, -30.0), max(hi, 30.0))
    evidence = np.log(integrate.quad(lambda t: np.exp(log_joint(t)), *wide, points=[xv, 0.0], **QUAD)[0])
    elbo = integrate.quad(lambda t: np.exp(log_q(t)) * (log_joint(t) - log_q(t)), lo, hi, **QUAD)[0]
    gap = integrate.quad(lambda t: np.exp(log_q(t)) * (log_q(t) - (log_joint(t) - evidence)), lo, hi, **QUAD)[0]
    return {"log p(x)": evidence, "ELBO": elbo, "ELBO gap": gap, "VAE loss": -elbo}


@oracle("Monte Carlo", "Monte Carlo mean of log p(x|z) + log p(z) − log q(z), z ~ q, with its standard error")
def elbo_monte_carlo(xv, sv, mv, vv, rng, n=20000):
    t = mv + vv * rng.standard_normal(n)
    w = oracles.normal_logpdf(xv, t, sv) + oracles.normal_logpdf(t, 0.0, 1.0) - oracles.normal_logpdf(t, mv, vv)
    return {"mean": w.mean(), "se": w.std(ddof=1) / np.sqrt(n)}


def numeric(rng, forms):
    out = []
    fns = {label: numeric_function(forms[label], ARGS) for label in ("ELBO", "log p(x)", "ELBO gap", "VAE loss")}
    for case in rng.uniform([-3.0, 0.3, -2.0, 0.2], [3.0, 2.0, 2.0, 1.5], (4, 4)):
        want = by_quadrature(*case)
        for label, fn in fns.items():
            out.append(Comparison(label, np.array(float(fn(*case))), want[label], 1e-9, 1e-9))
        out.append(Comparison("ELBO ≤ log p(x)", np.array(float(fns["ELBO"](*case))), want["log p(x)"], 1e-9, 0.0,
                              relation="<="))
        mc = elbo_monte_carlo(*case, rng)
        out.append(Comparison("ELBO: Monte Carlo", np.array(float(fns["ELBO"](*case))), mc["mean"],
                              5 * mc.value["se"], 0.0, criterion="within 5 standard errors of the Monte Carlo mean "
                                                                  "(20000 samples)"))
    return out


def derive():
    log_px, L = sp.Symbol(r"\log p(x)"), sp.Symbol(r"\mathrm{ELBO}")
    steps = (
        definition(sp.Eq(log_px, sp.Symbol(r"\log p(x \mid z) + \log p(z) - \log p(z \mid x)")),
                   "Bayes' rule p(x|z)p(z) = p(z|x)p(x), for every z"),
        definition(sp.Eq(log_px, L + sp.Symbol(r"\mathrm{KL}(q \| p(z \mid x))")),
                   "take E_q, add and subtract E_q log q: ELBO = E_q[log p(x|z)] − KL(q ‖ p(z))"),
        definition(sp.Eq(sp.Symbol(r"L_{\text{VAE}}"), -L), "the VAE minimises −ELBO = reconstruction + KL (plus "
                   "sign)"),
        Step(sp.Eq(LIKELIHOOD + PRIOR - POSTERIOR, EVIDENCE, evaluate=False), "the Gaussian model: Bayes' rule holds "
             "for every z with p(x) = N(0, 1 + s²) and p(z|x) = N(x/(1 + s²), s²/(1 + s²))", _bayes),
        identity(ELBO + GAP, EVIDENCE, "ELBO + KL(q ‖ p(z|x)) = log p(x) in closed form"),
    )
    claims = (
        Claim("ELBO", L, ELBO, lambda: over_q(LIKELIHOOD + PRIOR - Q), "E_q[log p(x|z)] − KL(q ‖ N(0, 1)), q = "
              "N(m, v²), p(x|z) = N(z, s²)"),
        Claim("log p(x)", log_px, EVIDENCE, _evidence_by_bayes,
              "the evidence ∫ p(x|z) p(z) dz = N(x; 0, 1 + s²)"),
        Claim("ELBO gap", sp.Symbol(r"\log p(x) - \mathrm{ELBO}"), GAP, lambda: over_q(Q - POSTERIOR),
              "= KL(q ‖ p(z|x)) ≥ 0: ELBO ≤ log p(x), equal iff q is the posterior"),
        Claim("VAE loss", sp.Symbol(r"L_{\text{VAE}}"), -ELBO, lambda: over_q(-LIKELIHOOD) + KL_PRIOR,
              "reconstruction E_q[−log p(x|z)] plus KL(q ‖ p(z)): the slides' “var. loss = −KL” has the wrong sign"),
    )
    return Derivation("elbo", "The ELBO: log p(x) = ELBO + KL(q ‖ p(z|x)), so ELBO ≤ log p(x)",
                      "lecture (VAE: L^B = −KL[q ‖ p] + (1/L) Σ log p(x|z)); Kingma & Welling 2014, eq. 3, 10",
                      steps, claims, numeric,
                      lecture="VAE lower bound L^B = −KL[q_φ(z|x) ‖ p_θ(z)] + (1/L) Σ log p_θ(x|z)")
