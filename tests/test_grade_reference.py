"""The grader's reference: gancheck's core read in the homework's layout, checked against the homework's own formulas
(forward, written here in plain NumPy) and central finite differences (gradients)."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gancheck.gradcheck import numeric_grad, relative_error
from gancheck.homework.code import reference as ref

GRAD_RTOL = 1e-6   # central differences with h = 1e-6 are accurate to ~1e-9 here (gancheck.gradcheck's docstring)


def homework_forward(p, x, net):
    """The homework's formulas: g = x·Uᵀ + b, h = relu(g), out = h·Wᵀ + c (W (25,) or (2, 15), c scalar or (2,))."""
    g = x @ p[f"{net}.U"].T + p[f"{net}.b"]
    h = np.maximum(g, 0.0)
    return g, h, h @ p[f"{net}.W"].T + p[f"{net}.c"]


def bce(z, t):
    return float(np.mean(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)))


@st.composite
def problems(draw):
    """Homework-layout parameters and batches. The 200-odd values are generated from a drawn seed (drawing each one
    through Hypothesis makes this test slow for nothing); |values| lie in [0.01, 1] — when every input is tiny the
    gradient is tiny and finite differences lose it to round-off."""
    N, rng = draw(st.integers(1, 6)), np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def a(*shape):
        return np.array(rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.01, 1.0, size=shape))

    p = {"D.U": a(25, 2), "D.b": a(25), "D.W": a(25), "D.c": a(),
         "G.U": a(15, 5), "G.b": a(15), "G.W": a(2, 15), "G.c": a(2)}
    t = draw(arrays(np.float64, N, elements=st.sampled_from([0.0, 1.0])))
    return p, a(N, 2), t, a(N, 5)


def away_from_kinks(*preactivations):
    assume(all(np.min(np.abs(g)) > 1e-3 for g in preactivations))   # h = 1e-6 must not cross the kink


@settings(max_examples=15)
@given(problems())
def test_discriminator_forward_and_step_in_homework_layout(problem):
    p, x, t, _ = problem
    g, h, z = homework_forward(p, x, "D")
    away_from_kinks(g)
    out = ref.discriminator_forward(p, x)
    np.testing.assert_allclose(out["D.g"], g, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out["D.z"].ravel(), z, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out["D.y"].ravel(), 1 / (1 + np.exp(-z)), rtol=1e-12)
    loss, grads = ref.discriminator_step(p, x, t)
    assert loss == pytest.approx(bce(z, t), rel=1e-12)
    for role in ("D.U", "D.b", "D.W", "D.c"):
        assert grads[role].shape == np.shape(p[role])
        numeric = numeric_grad(lambda: bce(homework_forward(p, x, "D")[2], t), p[role])
        assert relative_error(grads[role], numeric) < GRAD_RTOL, role


@settings(max_examples=15)
@given(problems())
def test_generator_step_through_the_frozen_discriminator(problem):
    p, _, _, latent = problem
    gg, _, y = homework_forward(p, latent, "G")
    gd, _, _ = homework_forward(p, y, "D")
    away_from_kinks(gg, gd)
    ones = np.ones(len(latent))

    def loss():
        return bce(homework_forward(p, homework_forward(p, latent, "G")[2], "D")[2], ones)

    value, grads = ref.generator_step(p, latent, ones)
    assert value == pytest.approx(loss(), rel=1e-12)
    for role in ("G.U", "G.b", "G.W", "G.c"):
        assert relative_error(grads[role], numeric_grad(loss, p[role])) < GRAD_RTOL, role
    minimax, _ = ref.generator_step(p, latent, ones, loss="minimax")
    z = homework_forward(p, y, "D")[2]
    assert minimax == pytest.approx(float(np.mean(np.log1p(-1 / (1 + np.exp(-z))))), rel=1e-9)


@given(arrays(np.float64, st.integers(1, 30), elements=st.floats(-5, 5)))
def test_relu_derivative_and_its_variants(g):
    np.testing.assert_array_equal(ref.relu_derivative(g), (g > 0).astype(float))
    ones = np.ones_like(g)
    np.testing.assert_array_equal(ref.ReLUGradientOneAtZero().backward(ones, g)[0], (g >= 0).astype(float))
    np.testing.assert_array_equal(ref.ReLUActivationAsMask().backward(ones, g)[0], np.maximum(g, 0))
    np.testing.assert_array_equal(ref.ReLUInvertedMask().backward(ones, g)[0], (g < 0).astype(float))


@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-1000, 1000)), st.integers(1, 40))
def test_bce_loss_with_an_explicit_N_is_finite_everywhere(z, N):
    t = (np.arange(z.size) % 2).astype(float)
    expected = np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N
    assert ref.bce_loss(z, t, N) == pytest.approx(expected, rel=1e-12, abs=1e-300)
