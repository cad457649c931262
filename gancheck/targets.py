r"""Target distributions whose curve or density is known, so that a generator can be measured exactly.

Each target samples rows ``(n, dim)`` from an explicit ``numpy.random.Generator`` and carries what the metrics need:
a ``curve`` :math:`x_2 = f(x_1)` with its ``domain``, a 1-D density ``pdf``, or the ``modes`` of a mixture.
"""
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import norm

from . import GancheckError


@dataclass(frozen=True)
class Target:
    name: str
    dim: int
    description: str
    _sample: object = field(repr=False)
    curve: object = None        # f with x2 = f(x1), for curve targets
    domain: tuple = None        # (low, high) of x1 for curve targets, of x for 1-D targets
    pdf: object = None          # density, 1-D targets
    modes: np.ndarray = None    # (K, dim) centres of a mixture
    mode_std: float = None

    def sample(self, n, rng):
        return self._sample(int(n), rng)


def curve(f, low, high, name, description):
    """Points :math:`(x, f(x))`, :math:`x \\sim \\mathcal U(\\text{low}, \\text{high})`."""
    def sample(n, rng):
        x = rng.uniform(low, high, size=n)
        return np.stack([x, f(x)], axis=1)
    return Target(name, 2, description, sample, curve=f, domain=(low, high))


def gaussian_1d(mu=0.0, sigma=1.0):
    return Target("gaussian", 1, f"N({mu}, {sigma}²)", lambda n, rng: rng.normal(mu, sigma, size=(n, 1)),
                  pdf=lambda x: norm.pdf(x, mu, sigma), domain=(mu - 4 * sigma, mu + 4 * sigma))


def mixture_1d(weights=(0.5, 0.5), means=(-2.0, 2.0), sigmas=(0.5, 0.5)):
    w, m, s = (np.asarray(v, dtype=float) for v in (weights, means, sigmas))

    def sample(n, rng):
        k = rng.choice(len(w), size=n, p=w)
        return rng.normal(m[k], s[k])[:, None]

    def pdf(x):
        return np.sum(w * norm.pdf(np.asarray(x)[..., None], m, s), axis=-1)

    return Target("mixture", 1, f"{len(w)}-component Gaussian mixture", sample, pdf=pdf,
                  domain=(float(np.min(m - 5 * s)), float(np.max(m + 5 * s))), modes=m[:, None], mode_std=float(s.max()))


def ring(k=8, radius=2.0, std=0.02):
    """The 8-Gaussians ring of the mode-collapse literature (Metz et al. 2017): ``k`` modes on a circle."""
    angles = 2 * np.pi * np.arange(k) / k
    modes = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)

    def sample(n, rng):
        return modes[rng.integers(k, size=n)] + std * rng.standard_normal((n, 2))

    return Target("ring", 2, f"{k} Gaussians on a circle of radius {radius}, std {std}", sample, modes=modes, mode_std=std)


def disjoint(a=(-2.0, -1.0), b=(1.0, 2.0)):
    """Uniform on two disjoint intervals: a target whose support has a gap (vanishing-gradient examples)."""
    widths = np.array([a[1] - a[0], b[1] - b[0]])

    def sample(n, rng):
        u = rng.uniform(0.0, widths.sum(), size=n)
        return np.where(u < widths[0], a[0] + u, b[0] + u - widths[0])[:, None]

    def pdf(x):
        x = np.asarray(x)
        return (((a[0] <= x) & (x <= a[1])) | ((b[0] <= x) & (x <= b[1]))) / widths.sum()

    return Target("disjoint", 1, f"uniform on [{a[0]}, {a[1]}] ∪ [{b[0]}, {b[1]}]", sample, pdf=pdf, domain=(a[0], b[1]))


TARGETS = {
    "x2": lambda: curve(np.square, -0.5, 0.5, "x2", "the course's curve (x, x²), x ~ U(-0.5, 0.5)"),
    "sine": lambda: curve(np.sin, -np.pi, np.pi, "sine", "(x, sin x), x ~ U(-π, π)"),
    "gaussian": gaussian_1d,
    "mixture": mixture_1d,
    "ring": ring,
    "disjoint": disjoint,
}


def get(name):
    """The target called ``name`` (one of :data:`TARGETS`)."""
    try:
        return TARGETS[name]()
    except KeyError:
        raise GancheckError(f"unknown target {name!r}; choose from {', '.join(TARGETS)}") from None
