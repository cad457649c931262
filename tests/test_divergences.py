"""gancheck.divergences: properties (Hypothesis) and agreement with SciPy — scipy.stats.entropy, the square root and
log base of scipy.spatial.distance.jensenshannon, scipy.stats.wasserstein_distance — and closed forms for Gaussians."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.special import ndtr

from gancheck import GancheckError
from gancheck import divergences as dv

# Probability vectors: positive weights in [1e-3, 1], normalised; 2 to 12 atoms. Sums of ≤ 12 terms ≤ log(1e3) ≈ 7
# in size: identities hold to ~1e-14; tolerances 1e-12.
TOL = 1e-12


@st.composite
def distributions(draw, n=None, zeros=False):
    n = n if n is not None else draw(st.integers(2, 12))
    low = 0.0 if zeros else 1e-3
    # No subnormal weights: SciPy's jensenshannon divides p by m = (p + q)/2, which underflows to 0 for p = 5e-324
    # and returns inf — a flaw of the reference, not of gancheck (whose JSD stays finite there).
    w = draw(arrays(np.float64, n, elements=st.floats(low, 1.0, allow_subnormal=False)))
    if w.sum() == 0:
        w[0] = 1.0
    return w / w.sum()


@st.composite
def pairs(draw, zeros=False):
    n = draw(st.integers(2, 12))
    return draw(distributions(n, zeros)), draw(distributions(n, zeros))


@given(pairs(zeros=True))
def test_jsd_symmetric_and_bounded(pq):
    p, q = pq
    j = dv.js_divergence(p, q)
    assert j == pytest.approx(dv.js_divergence(q, p), abs=TOL)
    assert -TOL <= j <= np.log(2) + TOL
    assert dv.js_divergence(p, q, base=2) <= 1 + TOL


@given(pairs(zeros=True))
def test_jsd_matches_scipy_square_root_and_base(pq):
    p, q = pq
    assert dv.js_divergence(p, q) == pytest.approx(scipy_jsd(p, q), abs=TOL)
    assert dv.js_divergence(p, q, base=2) == pytest.approx(scipy_jsd(p, q, base=2), abs=TOL)


def scipy_jsd(p, q, base=None):
    """SciPy returns the JS *distance* sqrt(JSD); for p ≈ q its JSD can round to a tiny negative and the square root
    gives NaN — that case is a JSD of 0."""
    distance = jensenshannon(p, q, base=base)
    return 0.0 if np.isnan(distance) else distance**2


@given(pairs())
def test_kl_nonnegative_and_cross_entropy_decomposes(pq):
    p, q = pq
    kl = dv.kl_divergence(p, q)
    assert kl >= -TOL
    assert dv.cross_entropy(p, q) == pytest.approx(dv.entropy(p) + kl, abs=TOL)
    assert dv.kl_divergence(p, p) == pytest.approx(0.0, abs=TOL)


@given(pairs(zeros=True), st.sampled_from([None, 2.0, 10.0]))
def test_entropy_and_kl_match_scipy(pq, base):
    p, q = pq
    assert dv.entropy(p, base=base) == pytest.approx(stats.entropy(p, base=base), abs=TOL)
    q = (q + 1e-3) / (q + 1e-3).sum()  # q > 0 where p > 0: KL finite
    assert dv.kl_divergence(p, q, base=base) == pytest.approx(stats.entropy(p, q, base=base), abs=TOL)


def test_kl_is_infinite_off_support_and_jsd_log2_on_disjoint_supports():
    p, q = np.array([0.5, 0.5, 0.0, 0.0]), np.array([0.0, 0.0, 0.25, 0.75])
    assert dv.kl_divergence(p, q) == np.inf
    assert dv.js_divergence(p, q) == pytest.approx(np.log(2), abs=TOL)
    assert dv.entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0, abs=TOL)


@given(pairs())
def test_f_divergences_are_the_named_divergences(pq):
    p, q = pq
    kl_pq, kl_qp = dv.kl_divergence(p, q), dv.kl_divergence(q, p)
    assert dv.f_divergence(p, q, "kl") == pytest.approx(kl_pq, abs=TOL)
    assert dv.f_divergence(p, q, "reverse_kl") == pytest.approx(kl_qp, abs=TOL)
    assert dv.f_divergence(p, q, "jeffrey") == pytest.approx(kl_pq + kl_qp, abs=TOL)
    assert dv.f_divergence(p, q, "jensen_shannon") == pytest.approx(dv.js_divergence(p, q), abs=TOL)  # standard scale
    assert dv.f_divergence(p, q, "pearson") == pytest.approx(np.sum((p - q) ** 2 / q), rel=TOL)
    assert dv.f_divergence(p, q, lambda u: (u - 1) ** 2) == pytest.approx(dv.f_divergence(p, q, "pearson"), rel=TOL)


def _gaussian(m, s):
    return lambda x: np.exp(-((x - m) ** 2) / (2 * s**2)) / (s * np.sqrt(2 * np.pi))


@given(st.floats(-1, 1), st.floats(0.5, 1), st.floats(-1, 1), st.floats(0.5, 2))
def test_density_kl_matches_the_gaussian_closed_form(m1, s1, m2, s2):
    """On (−14, 14) neither density underflows (q ≥ e^{-338}) and P's mass outside is below 1e-38."""
    closed = np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    got = dv.kl_divergence(_gaussian(m1, s1), _gaussian(m2, s2), support=(-14.0, 14.0))
    assert got == pytest.approx(closed, abs=1e-8)  # quad's epsabs 1e-12 on a smooth integrand, with margin
    j = dv.js_divergence(_gaussian(m1, s1), _gaussian(m2, s2), support=(-14.0, 14.0))
    assert -1e-10 <= j <= np.log(2)


@given(st.floats(-3, 3), st.floats(0.3, 2))
def test_wasserstein_1d_of_a_shift_matches_scipy(shift, s):
    """W1 between N(0, s²) and N(shift, s²) is |shift|: from the CDFs by quadrature, and scipy on a weighted grid."""
    x = np.linspace(-12.0, 12.0, 4801)
    w = dv.wasserstein_1d(lambda v: ndtr(v / s), lambda v: ndtr((v - shift) / s), support=(-15.0, 15.0))
    assert w == pytest.approx(abs(shift), abs=1e-7)
    # a grid of step 5e-3 discretises each law: scipy's exact W1 of the two discrete laws is within ~1e-3 of |shift|
    scipy_w = stats.wasserstein_distance(x, x, stats.norm(0, s).pdf(x), stats.norm(shift, s).pdf(x))
    assert w == pytest.approx(scipy_w, abs=5e-3)


@pytest.mark.parametrize("call, message", [
    (lambda: dv.entropy([0.5, 0.6]), "sums to"),
    (lambda: dv.entropy([1.2, -0.2]), "negative"),
    (lambda: dv.entropy([[0.5, 0.5]]), "1-D probability vector"),
    (lambda: dv.kl_divergence([0.5, 0.5], [1.0]), "differ in length"),
    (lambda: dv.js_divergence([1.0], [1.0], base=1), "log base"),
    (lambda: dv.f_divergence([0.5, 0.5], [1.0, 0.0], "kl"), "zero entries"),
    (lambda: dv.f_divergence([0.5, 0.5], [0.5, 0.5], "hellinger"), "unknown f-divergence"),
    (lambda: dv.kl_divergence(np.cos, np.cos, support=(1, 0)), "a < b"),
    (lambda: dv.kl_divergence(np.cos, np.cos, support=3), "pair"),
    (lambda: dv.f_divergence(_gaussian(0, 1), lambda x: 0.0, "kl", support=(-1, 1)), "Q vanishes"),
])
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(GancheckError, match=message):
        call()
