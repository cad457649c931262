"""Optimisers: Keras' update rules, checked against the papers' forms and closed-form trajectories."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gancheck import optim

vectors = arrays(np.float64, 7, elements=st.floats(-10, 10))


@given(grads=st.lists(vectors, min_size=1, max_size=20), lr=st.floats(1e-5, 1e-1))
def test_adam_equals_kingma_ba_algorithm_1_with_rescaled_epsilon(grads, lr):
    # Keras' ε sits outside the bias correction; it equals the paper's form with ε̂ = ε·sqrt(1 − β2^t).
    b1, b2, eps = 0.9, 0.999, 1e-7
    theta, ref = np.zeros(7), np.zeros(7)
    opt, m, v = optim.Adam(7, lr=lr), np.zeros(7), np.zeros(7)
    for t, g in enumerate(grads, start=1):
        opt.step(theta, g)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        ref -= lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - b2**t))
    np.testing.assert_allclose(theta, ref, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(opt.m, m, rtol=1e-12, atol=1e-300)  # the moments, kept without their (1 − β) factors
    np.testing.assert_allclose(opt.v, v, rtol=1e-12, atol=1e-300)


def test_adam_defaults_and_dcgan_setting():
    a, d = optim.Adam(3), optim.Adam.dcgan(3)
    assert (a.lr, a.beta1, a.beta2, a.eps) == (1e-3, 0.9, 0.999, 1e-7)
    assert (d.lr, d.beta1) == (2e-4, 0.5)


def test_adam_first_step_is_lr_times_sign_up_to_epsilon():
    # t = 1: m = (1−β1) g, v = (1−β2) g², so Δθ = −η · sqrt(1−β2)|g| / (sqrt(1−β2)|g| + ε) · sign(g).
    g, lr = np.array([5.0, -0.1, 1e-3]), 0.01
    theta = np.zeros(3)
    optim.Adam(3, lr=lr).step(theta, g)
    r = np.sqrt(1 - 0.999) * np.abs(g)
    np.testing.assert_allclose(theta, -lr * np.sign(g) * r / (r + 1e-7), rtol=1e-12)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_with_constant_gradient_follows_its_closed_form(momentum):
    # v_k = -η g (1 - μ^k)/(1 - μ), θ_K = Σ v_k.
    theta, g, lr, K = np.zeros(2), np.array([1.0, -2.0]), 0.1, 15
    opt = optim.SGD(2, lr=lr, momentum=momentum)
    for _ in range(K):
        opt.step(theta, g)
    ks = np.arange(1, K + 1)
    expected = -lr * g * np.sum((1 - momentum**ks) / (1 - momentum)) if momentum else -lr * g * K
    np.testing.assert_allclose(theta, expected, rtol=1e-12)


@pytest.mark.parametrize("make", [lambda n: optim.RMSProp(n, lr=0.01), lambda n: optim.Adam(n, lr=0.05),
                                  lambda n: optim.SGD(n, lr=0.1, momentum=0.5)], ids=["rmsprop", "adam", "sgd"])
def test_optimisers_minimise_a_quadratic(make):
    A = np.diag([1.0, 3.0, 0.5])
    theta, opt = np.array([1.0, -2.0, 3.0]), make(3)
    for _ in range(3000):
        opt.step(theta, A @ theta)
    assert np.linalg.norm(theta) < 0.05


def test_rmsprop_first_step():
    # s = (1 − ρ) g², step = η g / (sqrt(s) + ε) = η / sqrt(1 − ρ) · sign(g) (ε negligible).
    theta = np.zeros(2)
    optim.RMSProp(2, lr=0.01).step(theta, np.array([4.0, -0.5]))
    np.testing.assert_allclose(theta, [-0.01 / np.sqrt(0.1), 0.01 / np.sqrt(0.1)], rtol=1e-6)


def test_ema_is_an_exponential_average():
    theta = np.zeros(1)
    ema = optim.EMA(theta, decay=0.9)
    for _ in range(5):
        ema.update(np.ones(1))
    assert ema.avg[0] == pytest.approx(1 - 0.9**5, rel=1e-12)
