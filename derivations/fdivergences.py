r"""f-divergences (Nowozin et al. 2016, f-GAN, Table 1): the five the lecture's experiment compares.

The lecture shows the f-GAN paper's experiment — one Gaussian fitted to a mixture under KL, KL-rev, JS, Jeffrey and
Pearson, each fit tested under every divergence (its “train \ test” table) — but no table of the divergences
themselves; their generators are the paper's Table 1.

:math:`D_f(P\|Q) = \int q(x)\, f\!\big(p(x)/q(x)\big)\,dx` with :math:`f` convex, :math:`f(1) = 0`. Pointwise, with
:math:`u = p/q`:

* KL: :math:`f(u) = u\log u`, :math:`q f(p/q) = p\log(p/q)`
* reverse KL: :math:`f(u) = -\log u`, :math:`q f(p/q) = q\log(q/p)`
* Jensen–Shannon: :math:`f(u) = \tfrac12[u\log u - (u+1)\log\tfrac{u+1}2]`,
  :math:`q f(p/q) = \tfrac12[p\log\tfrac{2p}{p+q} + q\log\tfrac{2q}{p+q}]`
* Jeffrey: :math:`f(u) = (u-1)\log u`, :math:`q f(p/q) = (p-q)\log(p/q)`
* Pearson χ²: :math:`f(u) = (u-1)^2`, :math:`q f(p/q) = (p-q)^2/q`

**JS scale.** We use the standard Jensen–Shannon divergence, :math:`\mathrm{JSD} \in [0, \log 2]` (the lecture's and
:mod:`derivations.jsd`'s). The f-GAN paper's generator :math:`u\log u - (u+1)\log\frac{u+1}2` is twice ours and gives
:math:`2\,\mathrm{JSD}` (a step below proves the factor). Numeric: Gaussian pairs, Simpson quadrature of the claimed
integrand against the Gaussians' closed forms (KL, reverse KL, Jeffrey, Pearson χ²; written independently of the
generators) and against ``scipy.spatial.distance.jensenshannon`` squared (JS). The conjugates and output activations of
the f-GAN objective are :mod:`derivations.conjugates`.
"""
import numpy as np
import sympy as sp
from scipy import integrate
from scipy.spatial.distance import jensenshannon

from .core import Claim, Comparison, Derivation, Step
from .decide import numeric_function, verify_statement
from .independence import oracle

p, q, u = sp.symbols("p q u", positive=True)
GENERATORS = {  # name → (f(u), the named divergence's integrand)
    "KL": (u * sp.log(u), p * sp.log(p / q)),
    "reverse KL": (-sp.log(u), q * sp.log(q / p)),
    "Jensen-Shannon": ((u * sp.log(u) - (u + 1) * sp.log((u + 1) / 2)) / 2,
                       (p * sp.log(2 * p / (p + q)) + q * sp.log(2 * q / (p + q))) / 2),
    "Jeffrey": ((u - 1) * sp.log(u), (p - q) * sp.log(p / q)),
    "Pearson chi2": ((u - 1) ** 2, (p - q) ** 2 / q),
}
F_GAN_JS = u * sp.log(u) - (u + 1) * sp.log((u + 1) / 2)


def _name(name):
    return sp.Function(rf"f_{{\text{{{name}}}}}")


def _valid_generator(f):
    def proof():
        return sp.simplify(f.subs(u, 1)) == 0 and bool(sp.simplify(sp.diff(f, u, 2)).is_nonnegative)

    return proof


@oracle("closed forms", "the Gaussians' closed-form KL, reverse KL, Jeffrey and Pearson χ² (Nielsen & Nock 2014)")
def gaussian_closed_forms(m1, s1, m2, s2):
    """Closed forms for P = N(m1, s1²), Q = N(m2, s2²): KL, reverse KL, Jeffrey, and Pearson χ² (needs
    2 s2² > s1²; Nielsen & Nock 2014, eq. for the χ² of Gaussians)."""
    def kl(ma, sa, mb, sb):
        return np.log(sb / sa) + (sa**2 + (ma - mb) ** 2) / (2 * sb**2) - 0.5

    chi2 = s2**2 / (s1 * np.sqrt(2 * s2**2 - s1**2)) * np.exp((m1 - m2) ** 2 / (2 * s2**2 - s1**2)) - 1
    forward, reverse = kl(m1, s1, m2, s2), kl(m2, s2, m1, s1)
    return {"KL": forward, "reverse KL": reverse, "Jeffrey": forward + reverse, "Pearson chi2": chi2}


@oracle("scipy", "scipy.spatial.distance.jensenshannon² of the two densities' grid weights (a Riemann sum, O(h²))")
def scipy_jsd(px, qx):
    return jensenshannon(px, qx) ** 2


def _gaussian(m, s):
    # plain NumPy (scipy.stats' frozen pdf costs ~50 µs a call, and quad calls it hundreds of times)
    return lambda v: np.exp(-((v - m) ** 2) / (2 * s**2)) / (s * np.sqrt(2 * np.pi))


def numeric(rng, forms):
    x = np.linspace(-20.0, 20.0, 40001)  # Simpson, step 1e-3: error ≪ 1e-9 for these Gaussian integrands
    out = []
    for m2, s1, s2 in rng.uniform([-1.5, 0.6, 1.0], [1.5, 1.0, 1.6], (2, 3)):
        P, Q = _gaussian(0.0, s1), _gaussian(m2, s2)
        px, qx = P(x), Q(x)
        closed = gaussian_closed_forms(0.0, s1, m2, s2)
        for name in GENERATORS:
            got = np.array(integrate.simpson(np.broadcast_to(numeric_function(forms[name], (p, q))(px, qx), x.shape),
                                             x=x))
            if name == "Jensen-Shannon":  # scipy's jensenshannon is √JSD (natural log) of the normalised grid weights
                out.append(Comparison(f"{name} vs scipy jensenshannon²", got, scipy_jsd(px, qx), 1e-6, 0.0))
            else:
                out.append(Comparison(f"{name} vs closed form", got, closed[name], 1e-8, 1e-8))
    return out


def derive():
    steps = tuple(Step(sp.Eq(_name(name)(u), f), "f(1) = 0 and f'' ≥ 0 on u > 0: a valid generator",
                       _valid_generator(f)) for name, (f, _) in GENERATORS.items())
    js = GENERATORS["Jensen-Shannon"][0]
    steps += (Step(sp.Eq(F_GAN_JS, 2 * _name("Jensen-Shannon")(u)), "f-GAN's JS generator is twice the standard one: "
                   "its D_f is 2·JSD", lambda: verify_statement(F_GAN_JS, 2 * js)),)
    claims = tuple(Claim(name, q * _name(name)(p / q), integrand, q * f.subs(u, p / q),
                         f"pointwise integrand of {name}") for name, (f, integrand) in GENERATORS.items())
    return Derivation("fdivergences", "f-divergences: KL, reverse KL, Jensen–Shannon, Jeffrey, Pearson χ²",
                      "Nowozin et al. 2016 (f-GAN), Table 1; lecture (experimental results: KL, KL-rev, JS, Jeffrey, "
                      "Pearson)", steps, claims, numeric,
                      notes=("JS scale: standard JSD in [0, log 2]; the f-GAN table's generator is 2× ours",),
                      lecture="Experimental results: KL, KL-rev, JS, Jeffrey, Pearson (the f-divergences D_f)")
