r"""Objective measures of a generator, exact where the target is known.

The tutorial judges its GAN by eye ("there is no objective measure"); with a known curve or density we measure.
"""
import numpy as np
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


def mmd(a, b, bandwidth=None):
    r"""Maximum mean discrepancy with a Gaussian kernel (Gretton et al. 2012, unbiased :math:`\text{MMD}^2_u`, eq. 3),
    reported as :math:`\sqrt{\max(\text{MMD}^2_u, 0)}`. The bandwidth defaults to the median pairwise distance of the
    pooled samples."""
    a, b = np.atleast_2d(a.T).T, np.atleast_2d(b.T).T
    pooled = np.concatenate([a, b])
    d2 = np.sum((pooled[:, None, :] - pooled[None, :, :]) ** 2, axis=-1)
    if bandwidth is None:
        bandwidth = np.sqrt(np.median(d2[np.triu_indices(len(pooled), 1)]))
    k = np.exp(-d2 / (2 * bandwidth**2))
    n, m = len(a), len(b)
    kaa, kbb, kab = k[:n, :n], k[n:, n:], k[:n, n:]
    mmd2 = ((kaa.sum() - np.trace(kaa)) / (n * (n - 1)) + (kbb.sum() - np.trace(kbb)) / (m * (m - 1))
            - 2 * kab.mean())
    return float(np.sqrt(max(mmd2, 0.0)))


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
    out = {"w1": w1(samples[:, 0], reference[:, 0]), "sliced_w1": sliced_w1(samples, reference, rng),
           "mmd": mmd(samples[:1000], reference[:1000])}
    if target.curve is not None:
        low, high = target.domain
        out.update(curve_error=curve_error(samples, target.curve), in_domain=in_domain(samples, low, high),
                   domain_coverage=domain_coverage(samples, low, high))
    if target.modes is not None and target.dim == 2:
        out["modes_covered"], out["high_quality"] = ring_quality(samples, target.modes, target.mode_std)
    return out
