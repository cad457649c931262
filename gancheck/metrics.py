r"""Objective measures of a generator, exact where the target is known.

The tutorial judges its GAN by eye ("there is no objective measure"); with a known curve or density we measure.
"""
import numpy as np
from scipy.spatial.distance import pdist, squareform
from scipy.special import expit
from scipy.stats import wasserstein_distance


def curve_error(x, f):
    r"""Mean distance of generated points to the curve along :math:`x_2`: :math:`\frac1n\sum_i |x_{i2} - f(x_{i1})|`."""
    return float(np.mean(np.abs(x[:, 1] - f(x[:, 0]))))


def in_domain(x, low, high):
    """Fraction of generated :math:`x_1` inside the target's domain ``[low, high]``."""
    return float(np.mean((x[:, 0] >= low) & (x[:, 0] <= high)))


def domain_coverage(x, low, high, bins=20):
    """Fraction of ``bins`` equal cells of ``[low, high]`` that hold at least a quarter of the generated points a
    uniform spread would put there: 1 for a generator that covers the domain, small for a collapsed one."""
    counts, _ = np.histogram(x[:, 0], bins=bins, range=(low, high))
    return float(np.mean(counts >= 0.25 * len(x) / bins))


def w1(a, b):
    r"""1-D Wasserstein-1 distance between two samples, :math:`\int |F_a - F_b|` (``scipy.stats.wasserstein_distance``)."""
    return float(wasserstein_distance(np.ravel(a), np.ravel(b)))


def sliced_w1(a, b, rng, n_projections=64):
    r"""Sliced Wasserstein-1 (Rabin et al. 2011): the mean over random unit directions :math:`θ` of
    :math:`W_1(θ^\top a, θ^\top b)`. Equals :func:`w1` in one dimension."""
    a, b = np.atleast_2d(a.T).T, np.atleast_2d(b.T).T
    theta = rng.standard_normal((a.shape[1], n_projections))
    theta /= np.linalg.norm(theta, axis=0)
    pa, pb = a @ theta, b @ theta
    if len(a) == len(b):  # equal sizes: W1 pairs sorted samples, all projections at once
        return float(np.mean(np.abs(np.sort(pa, axis=0) - np.sort(pb, axis=0))))
    return float(np.mean([wasserstein_distance(u, v) for u, v in zip(pa.T, pb.T)]))


def _gaussian_kernels(a, b, bandwidth):
    """The Gaussian kernel matrices ``k(a, a), k(b, b), k(a, b)`` and the bandwidth (median pairwise distance of the
    pooled samples unless given)."""
    a, b = np.atleast_2d(a.T).T, np.atleast_2d(b.T).T
    pooled = np.concatenate([a, b])
    d2 = pdist(pooled, "sqeuclidean")  # the pairs i < j, once each
    if bandwidth is None:
        bandwidth = np.sqrt(np.median(d2))
    k = squareform(np.exp(d2 / (-2 * bandwidth**2)))
    np.fill_diagonal(k, 1.0)  # k(x, x) = exp(0)
    n = len(a)
    return k[:n, :n], k[n:, n:], k[:n, n:]


def mmd(a, b, bandwidth=None):
    r"""Maximum mean discrepancy with a Gaussian kernel (Gretton et al. 2012, unbiased :math:`\text{MMD}^2_u`, eq. 3),
    reported as :math:`\sqrt{\max(\text{MMD}^2_u, 0)}` — *clipped*: two samples of one distribution give
    :math:`\text{MMD}^2_u < 0` about half the time, hence exactly 0 here (:func:`mmd2_u` keeps the sign and gives a
    standard error). The bandwidth defaults to the median pairwise distance of the pooled samples."""
    kaa, kbb, kab = _gaussian_kernels(a, b, bandwidth)
    n, m = len(kaa), len(kbb)
    mmd2 = ((kaa.sum() - np.trace(kaa)) / (n * (n - 1)) + (kbb.sum() - np.trace(kbb)) / (m * (m - 1))
            - 2 * kab.mean())
    return float(np.sqrt(max(mmd2, 0.0)))


def mmd2_u(a, b, bandwidth=None):
    r"""The unbiased estimate of :math:`\text{MMD}^2` between two samples of equal size :math:`n` and its standard
    error, ``(estimate, se)``. The estimate is the U-statistic of Gretton et al. (2012, Lemma 6),

    .. math:: \text{MMD}^2_u = \frac{1}{n(n-1)}\sum_{i\ne j} h_{ij}, \qquad
              h_{ij} = k(a_i, a_j) + k(b_i, b_j) - k(a_i, b_j) - k(a_j, b_i),

    negative as often as not when both samples come from one distribution (it is unclipped). Its variance is Hoeffding's
    (1948) for a U-statistic of order 2, :math:`\frac{2}{n(n-1)}\big(2(n-2)ζ_1 + ζ_2\big)` with
    :math:`ζ_1 = \operatorname{Cov}(h_{12}, h_{13})` and :math:`ζ_2 = \operatorname{Var} h_{12}`, each moment estimated
    without bias from sums over distinct indices. When the distributions are equal :math:`ζ_1 = 0` and its estimate is
    as often negative, which could make the variance negative: it is taken as :math:`\max(ζ_1, 0)`, so the error is
    never reported as 0 and errs on the large side. Gaussian kernel, bandwidth as in :func:`mmd`."""
    kaa, kbb, kab = _gaussian_kernels(a, b, bandwidth)
    n = len(kaa)
    if len(kbb) != n or n < 4:
        raise ValueError("mmd2_u needs two samples of the same size, at least 4")
    h = kaa + kbb - kab - kab.T
    np.fill_diagonal(h, 0.0)
    row = h.sum(axis=1)
    total, rows2, squares = row.sum(), row @ row, np.sum(h * h)
    n1, n2, n3 = n * (n - 1), n * (n - 1) * (n - 2), n * (n - 1) * (n - 2) * (n - 3)
    theta2 = (total**2 - 4 * rows2 + 2 * squares) / n3      # (E h)², from pairs of disjoint index pairs
    zeta1 = max((rows2 - squares) / n2 - theta2, 0.0)       # E h₁₂h₁₃ − (E h)²
    zeta2 = max(squares / n1 - theta2, 0.0)                 # E h₁₂² − (E h)²
    variance = 2 / n1 * (2 * (n - 2) * zeta1 + zeta2)
    return float(total / n1), float(np.sqrt(variance))


def ring_quality(x, modes, std, radius_in_std=3.0):
    """Mode-collapse measures on a mixture with centres ``modes`` (Srivastava et al. 2017, §5.1): a sample is
    *high quality* if it lies within ``3 std`` of its nearest mode; a mode is *covered* if it receives at least a quarter
    of its fair share ``n / (4K)`` of high-quality samples. Returns ``(modes_covered, high_quality_fraction)``."""
    dist = np.linalg.norm(x[:, None, :] - modes[None, :, :], axis=-1)
    nearest, good = dist.argmin(axis=1), dist.min(axis=1) <= radius_in_std * std
    per_mode = np.bincount(nearest[good], minlength=len(modes))
    return int(np.sum(per_mode >= len(x) / (4 * len(modes)))), float(np.mean(good))


def d_accuracy(D, real, fake):
    """The tutorial's measure: the discriminator's accuracy on real (D > ½) and on fake (D < ½) points."""
    return float(np.mean(D.forward(real)[0] > 0.0)), float(np.mean(D.forward(fake)[0] < 0.0))


def d_mean(D, x):
    """Mean :math:`D(x) = σ(\\text{logit})` over the rows of ``x``."""
    return float(np.mean(expit(D.forward(x)[0])))


def evaluate(target, samples, rng, reference=None):
    """Every metric that applies to ``target``, on generated ``samples``; ``reference`` is a target sample of the same
    size (drawn from ``rng`` if not given)."""
    if reference is None:
        reference = target.sample(len(samples), rng)
    out = {"w1": w1(samples[:, 0], reference[:, 0]), "sliced_w1": sliced_w1(samples, reference, rng)}
    out["mmd2"], out["mmd2_se"] = mmd2_u(samples[:1000], reference[:1000])
    if target.curve is not None:
        low, high = target.domain
        out.update(curve_error=curve_error(samples, target.curve), in_domain=in_domain(samples, low, high),
                   domain_coverage=domain_coverage(samples, low, high))
    if target.modes is not None and target.dim == 2:
        out["modes_covered"], out["high_quality"] = ring_quality(samples, target.modes, target.mode_std)
    return out


# What each key of evaluate() (and of a training checkpoint) means: the legend of gancheck train's metrics.json.
LEGEND = {
    "w1": {"meaning": "Wasserstein-1 distance between the first coordinate x1 of the generated points and of as many "
                      "target points", "unit": "units of x1", "better": "lower"},
    "sliced_w1": {"meaning": "Wasserstein-1 distance averaged over 64 random directions onto which both samples are "
                             "projected (all coordinates count)", "unit": "units of x", "better": "lower"},
    "mmd2": {"meaning": "unbiased estimate of the squared maximum mean discrepancy (Gaussian kernel, bandwidth the "
                        "median distance) between 1,000 generated and 1,000 target points; not clipped, so it is "
                        "negative about half the time when the two distributions are equal",
             "unit": "squared kernel distance (dimensionless, at most 2)",
             "better": "lower; within about 2 mmd2_se of 0, no difference is detectable"},
    "mmd2_se": {"meaning": "standard error of mmd2 (Hoeffding's variance of a U-statistic)", "unit": "as mmd2",
                "better": "smaller means a more precise mmd2"},
    "curve_error": {"meaning": "mean vertical distance |x2 - f(x1)| of the generated points to the target's curve",
                    "unit": "units of x2", "better": "lower; 0 on the curve"},
    "in_domain": {"meaning": "fraction of generated x1 inside the target's domain", "unit": "fraction",
                  "better": "higher; 1 when every point is inside"},
    "domain_coverage": {"meaning": "fraction of 20 equal cells of the domain holding at least a quarter of the points "
                                   "a uniform spread would put there", "unit": "fraction",
                        "better": "higher; 1 when the whole domain is covered, small for a collapsed generator"},
    "modes_covered": {"meaning": "modes that receive at least a quarter of their fair share of high-quality points "
                                 "(Srivastava et al. 2017)", "unit": "modes", "better": "higher; all of them"},
    "high_quality": {"meaning": "fraction of generated points within 3 standard deviations of their nearest mode",
                     "unit": "fraction", "better": "higher"},
    "acc_real": {"meaning": "D's accuracy on fresh target points at the checkpoint: the fraction with D(x) > 1/2",
                 "unit": "fraction", "better": "0.5 when D cannot tell real from generated (the equilibrium, "
                                               "D* = 1/2); near 1 when D separates them"},
    "acc_fake": {"meaning": "D's accuracy on the evaluated generator's points at the checkpoint: the fraction with "
                            "D(G(z)) < 1/2", "unit": "fraction", "better": "as acc_real"},
}


def floor(target, n, rng):
    """:func:`evaluate` on two independent target samples of ``n`` points: what a perfect generator would score with
    samples of this size (the sampling noise every metric carries)."""
    return evaluate(target, target.sample(n, rng), rng, reference=target.sample(n, rng))
