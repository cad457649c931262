"""Losses on logits: gradients against finite differences, stability at |logit| = 1e4, agreement with the naive
probability-space formulas where those are representable."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import expit

from gancheck import losses
from gancheck.gradcheck import numeric_grad, relative_error
from strategies import matrices

rows = st.integers(1, 64)


def logits(n, bound):
    return arrays(np.float64, (n, 1), elements=st.floats(-bound, bound, allow_nan=False))


def labels(n):
    return arrays(np.float64, (n, 1), elements=st.floats(0.0, 1.0))


SCALAR = {  # name → (loss(z), needs labels)
    "bce": lambda z, t: losses.bce_logits(z, t),
    "minimax": lambda z, t: losses.generator_minimax(z),
    "nonsaturating": lambda z, t: losses.generator_nonsaturating(z),
    "lsgan_g": lambda z, t: losses.least_squares_g(z),
    "wgan_g": lambda z, t: losses.wasserstein_generator(z),
}


def check_gradient(dz, loss, z):
    """``dz`` against central differences of ``loss()`` in ``z``. At a stationary point (the whole gradient 0, as
    LSGAN's at D = 1) a relative error would compare the reference's round-off with 0: such samples are redrawn, as
    samples at a ReLU kink are."""
    assume(np.abs(dz).max() > 1e-9)
    assert relative_error(dz, numeric_grad(loss, z)) < 1e-6


@pytest.mark.parametrize("name", SCALAR)
@given(data=st.data(), n=rows)
def test_loss_gradient_matches_finite_differences(name, data, n):
    z, t = data.draw(logits(n, 20.0)), data.draw(labels(n))
    f = SCALAR[name]
    _, dz = f(z, t)
    assert dz.shape == z.shape
    check_gradient(dz, lambda: f(z, t)[0], z)


@given(data=st.data(), n=rows)
def test_two_sided_losses_gradients(data, n):
    a, b = data.draw(matrices(n, 1, 20.0)), data.draw(matrices(n, 1, 20.0))
    # Both losses are a real part plus a fake part. Each side's gradient is checked with the other side's inputs at 0:
    # a large other part would only add its round-off (ε|L|/h) to the finite difference of a small gradient.
    zero = np.zeros_like(a)
    for fn in (losses.least_squares_d, losses.wasserstein_critic):
        _, da, db = fn(a, b)
        assert np.array_equal(da, fn(a, zero)[1]) and np.array_equal(db, fn(zero, b)[2])  # the parts are separate
        assert relative_error(da, numeric_grad(lambda: fn(a, zero)[0], a)) < 1e-6
        assert relative_error(db, numeric_grad(lambda: fn(zero, b)[0], b)) < 1e-6


@pytest.mark.parametrize("name", SCALAR)
@given(data=st.data(), n=rows)
def test_losses_and_gradients_finite_for_huge_logits(name, data, n):
    z, t = data.draw(logits(n, 1e4)), data.draw(labels(n))
    z[0] = data.draw(st.sampled_from([-1e4, 1e4]))
    loss, dz = SCALAR[name](z, t)
    assert np.isfinite(loss) and np.all(np.isfinite(dz))


@given(data=st.data(), n=rows)
def test_bce_equals_the_probability_form_where_representable(data, n):
    # |z| ≤ 10 keeps σ(z), 1 − σ(z) ≥ 4.5e-5: the naive form's cancellation error in log(1 − σ) stays below
    # ε / 4.5e-5 ≈ 2.5e-12 absolute, so 1e-10 compares formulas, not round-off.
    z, t = data.draw(logits(n, 10.0)), data.draw(labels(n))
    y = expit(z)
    naive = -np.mean(t * np.log(y) + (1 - t) * np.log1p(-y))
    assert losses.bce_logits(z, t)[0] == pytest.approx(naive, rel=1e-10, abs=1e-10)


def test_bce_at_extreme_logits_is_exact():
    # softplus(1e4) = 1e4 exactly in float64; the naive form gives inf (log 0).
    z = np.array([[1e4], [-1e4]])
    loss, dz = losses.bce_logits(z, np.array([[0.0], [1.0]]))
    assert loss == 1e4
    assert dz.tolist() == [[0.5], [-0.5]]


def test_saturation_of_the_minimax_loss():
    # D(G(z)) = σ(-20) ≈ 2e-9: the minimax gradient vanishes, the non-saturating one stays ≈ -1/N.
    z = np.full((4, 1), -20.0)
    assert np.all(np.abs(losses.generator_minimax(z)[1]) < 1e-9)
    assert np.allclose(losses.generator_nonsaturating(z)[1], -0.25, rtol=1e-8)


def test_weight_clipping():
    theta = np.array([-1.0, -0.005, 0.0, 0.2])
    losses.clip_weights(theta, 0.01)
    assert theta.tolist() == [-0.01, -0.005, 0.0, 0.01]


B = 3  # real rows of the discriminator's batches below (then as many fake rows)
HALVES = {**{f"D {name}": halves for name, halves in losses.DISCRIMINATOR_HALVES.items()},
          **{f"G {name}": (lambda z, t, B, v=v: v(z), lambda z, t, B, out, g=g: g(z, out))
             for name, (v, g) in losses.GENERATOR_HALVES.items()}}


@pytest.mark.parametrize("name", HALVES)
@given(data=st.data(), steps=st.integers(1, 8))
def test_a_block_of_batches_is_scored_as_each_batch_alone(name, data, steps):
    # Training scores its history a block of steps at a time: one call must give each step's own value.
    z = data.draw(arrays(np.float64, (steps, 2 * B, 1), elements=st.floats(-30, 30)))
    t = data.draw(arrays(np.float64, (steps, 2 * B, 1), elements=st.floats(0.0, 1.0)))
    value = HALVES[name][0]
    block = value(z, t, B)
    assert block.shape == (steps,)
    np.testing.assert_allclose(block, [value(z[i], t[i], B) for i in range(steps)], rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("name", HALVES)
@given(data=st.data())
def test_the_gradient_half_is_the_gradient_of_the_value_half(name, data):
    z = data.draw(arrays(np.float64, (2 * B, 1), elements=st.floats(-20, 20)))
    t = data.draw(arrays(np.float64, (2 * B, 1), elements=st.floats(0.0, 1.0)))
    value, grad = HALVES[name]
    out = np.empty_like(z)
    assert grad(z, t, B, out) is out
    check_gradient(out, lambda: value(z, t, B), z)
