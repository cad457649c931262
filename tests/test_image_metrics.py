"""The image metrics (issue 16) against closed forms and an independent matrix square root (SciPy's ``sqrtm``), with
Hypothesis-drawn Gaussians and probability tables; the classifier behind them on the real digits."""
import numpy as np
import pytest
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st

from gancheck import GancheckError
from gancheck.image_metrics import (Judge, class_coverage, classifier_score, frechet_distance, gaussian_frechet)

seeds = st.integers(0, 2**32 - 1)


def spd(rng, d):
    a = rng.standard_normal((d, d))
    return a @ a.T + 0.1 * np.eye(d)


@given(seed=seeds, d=st.integers(1, 8))
def test_frechet_equals_the_formula_with_scipys_sqrtm(seed, d):
    """tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) with SciPy's general (Schur) square root of the non-symmetric product: an independent
    route to the same number (ours goes through the symmetric Σ₂^½Σ₁Σ₂^½ and eigenvalues)."""
    rng = np.random.default_rng(seed)
    mu1, mu2, s1, s2 = rng.standard_normal(d), rng.standard_normal(d), spd(rng, d), spd(rng, d)
    root = scipy.linalg.sqrtm(s1 @ s2).real
    want = np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2 * root)
    assert gaussian_frechet(mu1, s1, mu2, s2) == pytest.approx(want, rel=1e-8, abs=1e-9)


@given(seed=seeds, d=st.integers(1, 8))
def test_frechet_of_commuting_covariances_is_the_sum_of_squared_differences(seed, d):
    """Diagonal covariances: d² = |μ₁ − μ₂|² + Σᵢ(σ₁ᵢ − σ₂ᵢ)² (the W₂ distance between product Gaussians)."""
    rng = np.random.default_rng(seed)
    mu1, mu2 = rng.standard_normal(d), rng.standard_normal(d)
    sd1, sd2 = rng.uniform(0.1, 3, d), rng.uniform(0.1, 3, d)
    want = np.sum((mu1 - mu2) ** 2) + np.sum((sd1 - sd2) ** 2)
    assert gaussian_frechet(mu1, np.diag(sd1**2), mu2, np.diag(sd2**2)) == pytest.approx(want, rel=1e-10, abs=1e-12)


def test_frechet_of_samples():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4000, 3))
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    shifted = a + np.array([1.0, 0.0, 2.0])
    assert frechet_distance(a, shifted) == pytest.approx(5.0, rel=1e-9)  # a pure shift: |Δμ|², same covariance
    with pytest.raises(GancheckError, match="Fréchet"):
        frechet_distance(a[:1], a)


@given(seed=seeds, n=st.integers(1, 50), k=st.integers(2, 10))
def test_classifier_score_lies_between_one_and_the_number_of_classes(seed, n, k):
    probs = np.random.default_rng(seed).dirichlet(np.ones(k), size=n)
    assert 1.0 - 1e-12 <= classifier_score(probs) <= k + 1e-9


def test_classifier_score_extremes():
    assert classifier_score(np.full((20, 10), 0.1)) == pytest.approx(1.0)  # every sample the same guess
    assert classifier_score(np.eye(10)) == pytest.approx(10.0)  # confident and balanced
    assert classifier_score(np.tile(np.eye(10)[3], (10, 1))) == pytest.approx(1.0)  # confident, one class: collapse


def test_class_coverage_counts_quarter_fair_shares_of_confident_samples():
    one_hot = np.eye(10)[np.r_[np.repeat(np.arange(8), 12), [8, 9]]]  # 98 samples: 8 classes × 12, two singletons
    assert class_coverage(one_hot) == 8  # a quarter of the fair share of 98 samples is 2.45
    unsure = np.full((100, 10), 0.1)
    assert class_coverage(unsure) == 0  # nothing classified with probability ≥ 0.9


@pytest.fixture(scope="module")
def digits_judge():
    from gancheck.experiments.digits import load

    x, y = load(0)
    return Judge(x[300:], y[300:]), x[:300], y[:300]


def test_judge_classifies_held_out_digits_and_scores_them_near_the_top(digits_judge):
    judge, x_test, y_test = digits_judge
    assert judge.accuracy(x_test, y_test) > 0.95  # measured 0.98
    m = judge.measure(x_test, x_test)
    # d(a, a) = 0 up to round-off in the square roots of the covariance's near-zero eigenvalues (dead ReLU features):
    # each contributes ≈ √(ε‖Σ‖) ≈ 1e-8, and there are up to 64 of them.
    assert m["classes"] == 10 and m["score"] > 8.5 and m["fid"] == pytest.approx(0.0, abs=1e-6)
    assert judge.features(x_test).shape == (300, 64)
