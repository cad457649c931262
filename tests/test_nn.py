"""Every primitive's backward against central finite differences (float64, relative error < 1e-6), on random shapes.

A sample whose ReLU/LeakyReLU input lies within ``KINK`` of 0 is redrawn (``assume``): finite differences straddling
the kink measure an average of the two one-sided slopes, not a derivative; the tolerance is never widened for it.
"""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gancheck import models
from strategies import matrices
from gancheck.gradcheck import numeric_grad, relative_error, sample_indices
from gancheck.nn import MLP, Dense, Dropout, LeakyReLU, Linear, ReLU, Sigmoid, Stacked, Tanh

TOL = 1e-6
KINK = 1e-4  # 100 h: far enough from 0 that x ± h never crosses the kink
dims = st.integers(1, 64)
widths = st.integers(1, 16)  # columns of Hypothesis-drawn arrays: rows up to 64 keep batches real, draws stay fast
seeds = st.integers(0, 2**32 - 1)


def check_layer(layer, x, rng):
    """Backward of ``layer`` at ``x`` against finite differences of the scalar L = sum(forward(x) * R)."""
    out, _ = layer.forward(x)
    R = rng.standard_normal(out.shape)
    loss = lambda: float(np.sum(layer.forward(x)[0] * R))  # noqa: E731
    out, cache = layer.forward(x)
    dx, grads = layer.backward(R, cache)
    assert dx.shape == x.shape
    idx = sample_indices(x.size, rng)
    assert relative_error(dx, numeric_grad(loss, x, indices=idx)) < TOL
    for p, g in zip(getattr(layer, "W", None) is not None and [layer.W] + ([layer.b] if layer.bias else []) or [], grads):
        assert relative_error(g, numeric_grad(loss, p, indices=sample_indices(p.size, rng))) < TOL


def bound_dense(n_in, n_out, bias, rng):
    net = MLP([Dense(n_in, n_out, bias=bias)]).initialise(rng)
    return net.layers[0]


@given(st.data(), dims, widths, dims, st.booleans(), seeds)
def test_dense_backward_matches_finite_differences(data, n, n_in, n_out, bias, seed):
    rng = np.random.default_rng(seed)
    layer = bound_dense(n_in, n_out, bias, rng)
    layer.b is not None and layer.b.__setitem__(..., rng.standard_normal(n_out))
    check_layer(layer, data.draw(matrices(n, n_in)), rng)


@pytest.mark.parametrize("layer", [ReLU(), LeakyReLU(0.3), LeakyReLU(0.01), Sigmoid(), Tanh(), Linear()], ids=repr)
@given(st.data(), dims, widths, seeds)
def test_activation_backward_matches_finite_differences(layer, data, n, m, seed):
    # |x| ≤ 4 keeps tanh' ≥ 1.3e-3: beyond, the derivative sinks towards the finite-difference reference's own
    # round-off (ε|f|/h ≈ 1e-10) and the check would measure the reference, not the backward.
    x = data.draw(matrices(n, m, bound=4.0))
    if isinstance(layer, (ReLU, LeakyReLU)):
        assume(np.all(np.abs(x) > KINK))
    check_layer(layer, x, np.random.default_rng(seed))


def test_relu_derivative_at_the_kink_is_zero():
    # The convention 1[g > 0]: the subgradient 0 at g = 0 (what np.maximum's backward, Keras and the homework use).
    dx, _ = ReLU().backward(np.ones(3), np.array([-1.0, 0.0, 1.0]))
    assert dx.tolist() == [0.0, 0.0, 1.0]


@given(st.data(), dims, widths, st.floats(0.05, 0.9), seeds)
def test_dropout_backward_matches_finite_differences_for_a_fixed_mask(data, n, m, rate, seed):
    layer, x = Dropout(rate), data.draw(matrices(n, m))
    R = np.random.default_rng(seed).standard_normal((n, m))
    loss = lambda: float(np.sum(layer.forward(x, training=True, rng=np.random.default_rng(seed))[0] * R))  # noqa: E731
    out, mask = layer.forward(x, training=True, rng=np.random.default_rng(seed))
    dx, _ = layer.backward(R, mask)
    assert relative_error(dx, numeric_grad(loss, x)) < TOL
    assert set(np.unique(mask)) <= {0.0, 1.0 / (1.0 - rate)}


def test_dropout_modes():
    x, layer = np.ones((4000, 50)), Dropout(0.5)
    assert layer.forward(x)[0] is x  # evaluation: the identity
    out, _ = layer.forward(x, training=True, rng=np.random.default_rng(0))
    # Inverted dropout keeps the mean: 200,000 Bernoulli(½)·2 draws, std of the mean 1/sqrt(200000) ≈ 0.0022.
    assert abs(out.mean() - 1.0) < 5 * 0.0023
    with pytest.raises(ValueError, match="rng"):
        layer.forward(x, training=True)
    with pytest.raises(ValueError):
        Dropout(1.0)


@pytest.mark.parametrize("make", [models.discriminator_1d, models.generator_1d], ids=["D", "G"])
@given(n=st.integers(1, 64), seed=seeds)
def test_mlp_parameter_gradient_matches_finite_differences(make, n, seed):
    rng = np.random.default_rng(seed)
    net = make().initialise(rng)
    net.theta += 0.1 * rng.standard_normal(net.n_params)  # nonzero biases too
    x = rng.standard_normal((n, net.layers[0].n_in))
    g = x @ net.layers[0].W + net.layers[0].b
    assume(np.all(np.abs(g) > KINK))
    out, caches = net.forward(x)
    R = rng.standard_normal(out.shape)
    dx, grad = net.backward(R, caches)
    loss = lambda: float(np.sum(net.forward(x)[0] * R))  # noqa: E731
    assert relative_error(grad, numeric_grad(loss, net.theta)) < TOL
    assert relative_error(dx, numeric_grad(loss, x)) < TOL


@given(n=st.integers(1, 64), seed=seeds)
def test_generator_step_gradient_flows_through_frozen_discriminator(n, seed):
    rng = np.random.default_rng(seed)
    gan = Stacked(models.generator_1d().initialise(rng), models.discriminator_1d().initialise(rng))
    z = rng.standard_normal((n, 5))
    x = gan.G.forward(z)[0]
    assume(np.all(np.abs(z @ gan.G.layers[0].W + gan.G.layers[0].b) > KINK))
    assume(np.all(np.abs(x @ gan.D.layers[0].W + gan.D.layers[0].b) > KINK))
    gan.D.grad[:] = rng.standard_normal(gan.D.n_params)  # whatever D's last step left behind
    d_theta, d_grad = gan.D.theta.copy(), gan.D.grad.copy()
    logits, caches = gan.forward(z)
    R = rng.standard_normal(logits.shape)
    _, grad = gan.backward(R, caches)
    loss = lambda: float(np.sum(gan.forward(z)[0] * R))  # noqa: E731
    assert relative_error(grad, numeric_grad(loss, gan.G.theta)) < TOL
    # Frozen means frozen: a generator step neither reads into nor writes D's gradient, let alone its parameters.
    assert np.array_equal(gan.D.theta, d_theta) and np.array_equal(gan.D.grad, d_grad)


@pytest.mark.parametrize("make, expected", [
    (models.discriminator_1d, 101), (models.generator_1d, 122),
    (models.mnist_generator, 81_184), (models.mnist_discriminator, 78_601)])
def test_parameter_counts_agree_with_keras_summaries(make, expected):
    assert make().n_params == expected


def test_stacked_gan_counts_agree_with_keras_summary():
    gan = models.gan_1d()
    assert (gan.n_params, gan.n_trainable) == (223, 122)


def test_keras_layer_breakdown():
    # Keras: dense 75 + dense_1 26 (D); dense 90 + dense_1 32 (G); dense 2000 + dense_1 79184 (MNIST G, no bias).
    per_layer = lambda net: [sum(int(np.prod(s)) for s in l.shapes) for l in net.layers if l.shapes]  # noqa: E731
    assert per_layer(models.discriminator_1d()) == [75, 26]
    assert per_layer(models.generator_1d()) == [90, 32]
    assert per_layer(models.mnist_generator()) == [2000, 79184]
    assert per_layer(models.mnist_discriminator()) == [78500, 101]


@pytest.mark.parametrize("init, limit", [("he_uniform", np.sqrt(6 / 400)), ("glorot_uniform", np.sqrt(6 / 700))])
def test_initialisers_follow_keras_limits(init, limit):
    layer = bound_dense(400, 300, True, np.random.default_rng(0)) if init == "glorot_uniform" else \
        MLP([Dense(400, 300, init=init)]).initialise(np.random.default_rng(0)).layers[0]
    W = layer.W
    assert np.all(np.abs(W) <= limit) and W.max() > 0.99 * limit and W.min() < -0.99 * limit
    # U(-l, l) has variance l²/3: 120,000 draws pin the sample variance to within ~0.5 %.
    assert abs(W.var() / (limit**2 / 3) - 1) < 0.02
    assert np.all(layer.b == 0)


NETS = {"D": models.discriminator_1d, "G": models.generator_1d,
        "mnist G (no bias, tanh)": lambda: models.mnist_generator(hidden=12, n_out=9),
        "mnist D (dropout)": lambda: models.mnist_discriminator(n_in=9, hidden=12)}


@pytest.mark.parametrize("name", NETS)
@given(n=st.integers(1, 64), seed=seeds)
def test_buffered_passes_equal_allocating_passes(name, n, seed):
    # The training layout (ones column, in-place activations, column-major) changes where numbers live, not what they
    # are: 1e-13 relative allows only the rounding of b added inside the product rather than after it.
    rng = np.random.default_rng(seed)
    net = NETS[name]().initialise(rng)
    net.theta += 0.1 * rng.standard_normal(net.n_params)
    x = rng.standard_normal((n, net.layers[0].n_in))
    x_saved = x.copy()
    out, caches = net.forward(x, training=True, rng=np.random.default_rng(seed))
    R = rng.standard_normal(out.shape)
    dx, grad = net.backward(R.copy(), caches)
    dx, grad = dx.copy(), grad.copy()
    buffers = net.buffers(n)
    for _ in range(2):  # the second pass reuses every array
        buffers.x[...] = x
        out_b, caches_b = net.forward(buffers.input, training=True, rng=np.random.default_rng(seed), buffers=buffers)
        dx_b, grad_b = net.backward(R.copy(), caches_b, buffers=buffers)
        np.testing.assert_allclose(out_b, out, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(dx_b, dx, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(grad_b, grad, rtol=1e-13, atol=1e-13)
    assert np.array_equal(x, x_saved)  # the caller's input is never written to
    _, grad_c = net.backward(R.copy(), caches_b, buffers=buffers, input_grad=False)
    assert np.array_equal(grad_c, grad_b)  # skipping the input's gradient changes no parameter gradient


@given(n=st.integers(1, 64), seed=seeds)
def test_buffered_generator_step_writes_into_the_discriminators_input(n, seed):
    rng = np.random.default_rng(seed)
    gan = Stacked(models.generator_1d().initialise(rng), models.discriminator_1d().initialise(rng))
    z, R = rng.standard_normal((n, 5)), rng.standard_normal((n, 1))
    logits, caches = gan.forward(z)
    _, grad = gan.backward(R, caches)
    grad = grad.copy()
    buffers = gan.buffers(n)
    buffers[0].x[...] = z
    logits_b, caches_b = gan.forward(buffers[0].input, buffers=buffers)
    assert np.shares_memory(caches_b[0], buffers[1].input)  # G's output is D's input: no copy between them
    np.testing.assert_allclose(buffers[1].x, caches[0], rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(logits_b, logits, rtol=1e-13, atol=1e-13)
    d_theta = gan.D.theta.copy()
    _, grad_b = gan.backward(R, caches_b, buffers=buffers, input_grad=False)
    np.testing.assert_allclose(grad_b, grad, rtol=1e-13, atol=1e-13)
    assert np.array_equal(gan.D.theta, d_theta)
