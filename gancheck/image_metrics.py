r"""Objective measures of generated images, read off a small classifier trained on the real ones.

The Inception Score (Salimans et al. 2016) and the Fréchet Inception Distance (Heusel et al. 2017) judge generated
images through an ImageNet classifier. On scikit-learn's 8×8 digits the same ideas need only a small network trained
on the real digits (:class:`Judge`, a one-hidden-layer ``sklearn.neural_network.MLPClassifier``):

* **class coverage** (:func:`class_coverage`): how many of the 10 classes receive at least a quarter of their fair
  share of *confidently* classified samples — the mode count of Srivastava et al. (2017, §5.1) with classes as modes;
* **classifier score** (:func:`classifier_score`), the Inception Score's analogue: :math:`\exp\big(\mathbb E_x\,
  \mathrm{KL}(p(y\mid x)\,\|\,p(y))\big)`, between 1 (every sample the same ambiguous guess) and 10 (every sample
  confidently classified, classes balanced);
* **Fréchet distance** (:func:`frechet_distance`), FID's analogue: the Fréchet (Wasserstein-2) distance between
  Gaussians fitted to the classifier's hidden features of real and of generated images (Dowson & Landau 1982):

.. math:: d^2 = \|μ_1 - μ_2\|^2 + \operatorname{tr}\Big(Σ_1 + Σ_2 - 2\big(Σ_2^{1/2} Σ_1 Σ_2^{1/2}\big)^{1/2}\Big)

Lower is better; it is biased upwards by finite samples (as FID is), so only distances computed with the same sample
sizes are compared.
"""
from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

from . import GancheckError

CONFIDENT = 0.9  # a sample counts towards its class's coverage when the classifier gives that class ≥ 0.9


def _symmetric_sqrt(s):
    """:math:`S^{1/2}` of a symmetric positive semi-definite matrix, by its eigendecomposition (round-off's tiny
    negative eigenvalues clipped to 0)."""
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def gaussian_frechet(mu1, sigma1, mu2, sigma2):
    r"""Squared Fréchet distance between :math:`\mathcal N(μ_1, Σ_1)` and :math:`\mathcal N(μ_2, Σ_2)` (the formula
    above; :math:`\operatorname{tr}(Σ_1Σ_2)^{1/2}` through the symmetric :math:`Σ_2^{1/2}Σ_1Σ_2^{1/2}`, whose
    eigenvalues are real and non-negative)."""
    root = _symmetric_sqrt(sigma2)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root @ sigma1 @ root), 0.0, None)).sum()
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(sigma1) + np.trace(sigma2) - 2.0 * cross)


def frechet_distance(a, b):
    """The squared Fréchet distance between Gaussians fitted (mean, unbiased covariance) to the rows of ``a`` and
    ``b`` (features, one sample per row)."""
    a, b = np.atleast_2d(a), np.atleast_2d(b)
    if min(len(a), len(b)) < 2 or a.shape[1] != b.shape[1]:
        raise GancheckError("the Fréchet distance needs two samples of ≥ 2 rows with the same number of features")
    return gaussian_frechet(a.mean(0), np.cov(a, rowvar=False).reshape(a.shape[1], -1),
                            b.mean(0), np.cov(b, rowvar=False).reshape(b.shape[1], -1))


def classifier_score(probs):
    r""":math:`\exp\big(\frac1n\sum_i \mathrm{KL}(p(\cdot\mid x_i)\,\|\,\bar p)\big)`, :math:`\bar p` the mean of the
    rows of ``probs`` (class probabilities, one sample per row): the Inception Score's formula (Salimans et al. 2016)."""
    probs = np.asarray(probs, dtype=float)
    marginal = probs.mean(axis=0)
    kl = np.sum(xlogy(probs, probs) - xlogy(probs, marginal), axis=1)
    return float(np.exp(kl.mean()))


def class_coverage(probs, confident=CONFIDENT):
    """How many classes get at least a quarter of their fair share :math:`n/(4K)` of the samples classified into them
    with probability ≥ ``confident``."""
    probs = np.asarray(probs)
    n, k = probs.shape
    sure = probs.max(axis=1) >= confident
    counts = np.bincount(probs.argmax(axis=1)[sure], minlength=k)
    return int(np.sum(counts >= n / (4 * k)))


@dataclass
class Judge:
    """A one-hidden-layer classifier (``hidden`` ReLU units, scikit-learn's ``MLPClassifier``) trained on real images
    ``x`` (rows) with labels ``y``; its hidden layer gives the features of :func:`frechet_distance`."""

    x: np.ndarray
    y: np.ndarray
    hidden: int = 64
    seed: int = 0

    def __post_init__(self):
        try:
            from sklearn.neural_network import MLPClassifier
            from threadpoolctl import threadpool_limits
        except ImportError:
            raise GancheckError("image metrics need scikit-learn: pip install 'gancheck[digits]'") from None
        # L-BFGS converges on 1,500 digits in ~300 iterations. The strong L2 penalty (α = 1) keeps the classifier
        # calibrated on images that are not digits: seed 0, independent-pixel images get p ≥ 0.9 29 % of the time
        # (α = 0.01: 76 %, with 9 "covered" classes), while held-out accuracy stays 98.7 %.
        # Products this small gain nothing from BLAS threads, which spin against each other on a shared machine.
        self.model = MLPClassifier((self.hidden,), solver="lbfgs", alpha=1.0, max_iter=1000, random_state=self.seed)
        with threadpool_limits(limits=1, user_api="blas"):
            self.model.fit(self.x, self.y)

    def features(self, x):
        """The hidden layer's activations, :math:`\\max(xW_1 + b_1, 0)`."""
        return np.maximum(x @ self.model.coefs_[0] + self.model.intercepts_[0], 0.0)

    def probabilities(self, x):
        return self.model.predict_proba(x)

    def accuracy(self, x, y):
        return float(self.model.score(x, y))

    def measure(self, x, reference):
        """Coverage, classifier score, Fréchet distance to ``reference`` (real images) and the confident fraction of
        generated images ``x``, as a dict."""
        probs = self.probabilities(x)
        return {"classes": class_coverage(probs), "score": classifier_score(probs),
                "fid": frechet_distance(self.features(reference), self.features(x)),
                "confident": float(np.mean(probs.max(axis=1) >= CONFIDENT))}
