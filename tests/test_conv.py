"""Convolutions (issue 16): equal to loop implementations written here, gradients equal to central differences, the
transposed convolution the adjoint of the convolution, Keras' shapes and parameter counts, composition in networks.

Every property runs on Hypothesis-drawn geometries: image sides 1-7, 1-3 channels in and out, kernels 1-4 and strides
1-3 (each direction on its own), padding "same" or "valid", batches of 1-2 images."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gancheck import GancheckError, models
from gancheck.gradcheck import numeric_grad, relative_error, sample_indices
from gancheck.nn import MLP, Conv2D, Conv2DTranspose, Dense, Flatten, Reshape, Stacked, conv2d_backward, conv2d_forward
from gancheck.nn.im2col import Window

@pytest.fixture(autouse=True)
def one_blas_thread():
    """Products of this size would start OpenBLAS threads, which spin against each other on a shared machine."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


TOL = 1e-6  # as for every primitive in test_nn: central differences in float64 leave ~1e-9 here
EXACT = 1e-12  # the same sums in another order: rounding only
# Each example runs loop implementations or ~100 finite-difference passes: 30 geometries per property keep the module
# at a few seconds (every property covers both paddings, strides 1-3 and kernels 1-4 within its first examples).
few = settings(max_examples=30)


@st.composite
def geometries(draw, transposed=False):
    """A layer with random geometry and random parameters (bias too), and an input batch for it."""
    side = st.integers(1, 7)
    size, kernel = (draw(side), draw(side)), (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride, padding = (draw(st.integers(1, 3)), draw(st.integers(1, 3))), draw(st.sampled_from(["same", "valid"]))
    channels, filters = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    if not transposed:
        assume(padding == "same" or all(n >= k for n, k in zip(size, kernel)))
    cls = Conv2DTranspose if transposed else Conv2D
    layer = bound(cls(size + (channels,), filters, kernel, stride, padding), draw(st.integers(0, 2**32 - 1)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return layer, rng.standard_normal((draw(st.integers(1, 2)),) + layer.in_shape), rng


def bound(layer, seed):
    net = MLP([layer]).initialise(np.random.default_rng(seed))
    net.theta[:] = np.random.default_rng(seed + 1).standard_normal(net.n_params)
    return net.layers[0]


def naive_conv(layer, x):
    """Keras' Conv2D by its definition, one output number at a time (padding by Keras' rule, restated here)."""
    (kh, kw), (sh, sw) = layer.kernel_size, layer.strides
    n, h, w, _ = x.shape
    pads = []
    for size, k, s in ((h, kh, sh), (w, kw, sw)):
        out = -(-size // s) if layer.padding == "same" else (size - k) // s + 1
        total = max((out - 1) * s + k - size, 0) if layer.padding == "same" else 0
        pads.append((out, total // 2))
    (ho, top), (wo, left) = pads
    y = np.empty((n, ho, wo, layer.filters))
    for b in range(n):
        for i in range(ho):
            for j in range(wo):
                for f in range(layer.filters):
                    acc = layer.b[f]
                    for a in range(kh):
                        for c in range(kw):
                            r, q = i * sh + a - top, j * sw + c - left
                            if 0 <= r < h and 0 <= q < w:
                                acc += x[b, r, q] @ layer.K[a, c, :, f]
                    y[b, i, j, f] = acc
    return y


def naive_transposed(layer, x):
    """Keras' Conv2DTranspose by its definition: every input pixel stamps the kernel, scaled by its value, onto the
    output at stride s (the stamps off the output's edge, where "same" crops, are dropped)."""
    (kh, kw), (sh, sw) = layer.kernel_size, layer.strides
    (ho, wo, f_out), (top, left) = layer.out_shape, (layer.window.pads[0][0], layer.window.pads[1][0])
    y = np.tile(layer.b, (len(x), ho, wo, 1))
    for b in range(len(x)):
        for i in range(x.shape[1]):
            for j in range(x.shape[2]):
                for a in range(kh):
                    for c in range(kw):
                        r, q = i * sh + a - top, j * sw + c - left
                        if 0 <= r < ho and 0 <= q < wo:
                            y[b, r, q] += layer.K[a, c] @ x[b, i, j]  # K: (k_h, k_w, filters, in_channels)
    return y


@few
@given(geometries())
def test_conv2d_equals_the_loop_definition(case):
    layer, x, _ = case
    y, _ = layer.forward(x)
    assert y.shape == (len(x),) + layer.out_shape
    np.testing.assert_allclose(y, naive_conv(layer, x), rtol=EXACT, atol=EXACT)


@few
@given(geometries(transposed=True))
def test_conv2d_transpose_equals_the_loop_definition(case):
    layer, x, _ = case
    y, _ = layer.forward(x)
    np.testing.assert_allclose(y, naive_transposed(layer, x), rtol=EXACT, atol=EXACT)


@pytest.mark.parametrize("transposed", [False, True], ids=["Conv2D", "Conv2DTranspose"])
@few
@given(data=st.data())
def test_gradients_match_finite_differences(transposed, data):
    layer, x, rng = data.draw(geometries(transposed))
    y, cache = layer.forward(x)
    R = rng.standard_normal(y.shape)
    loss = lambda: float(np.sum(layer.forward(x)[0] * R))  # noqa: E731
    dx, (dK, db) = layer.backward(R, cache)
    assert dx.shape == x.shape
    for analytic, wrt in ((dx, x), (dK, layer.K), (db, layer.b)):
        numeric = numeric_grad(loss, wrt, indices=sample_indices(wrt.size, rng))
        assert relative_error(analytic, numeric) < TOL


@pytest.mark.parametrize("transposed", [False, True], ids=["Conv2D", "Conv2DTranspose"])
@few
@given(data=st.data())
def test_backward_is_the_adjoint_of_forward(transposed, data):
    """⟨A x, y⟩ = ⟨x, Aᵀ y⟩ for the layer's linear part A (bias 0) and Aᵀ its backward pass to the input; both of the
    backward pass's algorithms for Cᵀ (col2im, zero insertion) give the same numbers."""
    layer, x, rng = data.draw(geometries(transposed))
    layer.b[...] = 0.0
    y, cache = layer.forward(x)
    g = rng.standard_normal(y.shape)
    results = []
    for zero_insert in (False, True):
        layer._zero_insert = zero_insert
        results.append((layer.backward(g, cache, param_grads=False)[0], layer.forward(x)[0]))
    (dx, y), (dx_other, y_other) = results
    np.testing.assert_allclose(np.vdot(y, g), np.vdot(x, dx), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dx_other, dx, rtol=EXACT, atol=EXACT)
    np.testing.assert_allclose(y_other, y, rtol=EXACT, atol=EXACT)


@few
@given(geometries())
def test_conv2d_transpose_is_the_backward_of_conv2d(case):
    """Keras' Conv2DTranspose with the kernel of a Conv2D is that Conv2D's input gradient, wherever its output has the
    Conv2D's input size (Keras' output sides are s·H or s·H + max(k − s, 0), not always that size)."""
    conv, x, rng = case
    transposed = bound(Conv2DTranspose(conv.out_shape, conv.in_shape[2], conv.kernel_size, conv.strides, conv.padding),
                       0)
    assume(transposed.out_shape == conv.in_shape)
    transposed.K[...] = conv.K
    transposed.b[...] = 0.0
    g = rng.standard_normal((len(x),) + conv.out_shape)
    dx, _ = conv.backward(g, conv.forward(x)[1], param_grads=False)
    np.testing.assert_allclose(transposed.forward(g)[0], dx, rtol=EXACT, atol=EXACT)


@pytest.mark.parametrize("size, kernel, stride, padding, out, pads", [
    ((28, 28), 3, 2, "same", (14, 14), ((0, 1), (0, 1))),   # the report's first layer: TensorFlow pads bottom/right
    ((14, 14), 3, 2, "same", (7, 7), ((0, 1), (0, 1))),
    ((5, 5), 3, 2, "same", (3, 3), ((1, 1), (1, 1))),      # the derivation's case: an odd side pads both
    ((28, 28), 5, 1, "valid", (24, 24), ((0, 0), (0, 0))),  # the notebook's (seed 003) first layer
    ((8, 8), 4, 2, "same", (4, 4), ((1, 1), (1, 1))),
    ((7, 5), (3, 2), (2, 3), "valid", (3, 2), ((0, 0), (0, 0))),
])
def test_window_follows_keras_output_sizes_and_padding(size, kernel, stride, padding, out, pads):
    w = Window.of(size, kernel, stride, padding)
    assert (w.out, w.pads) == (out, pads)


def keras_conv_params(k, c_in, filters):
    """Keras' count for Conv2D (and Conv2DTranspose, whose kernel is (k, k, filters, c_in)): k²·c_in·filters + bias."""
    return k * k * c_in * filters + filters


def test_seed_002_networks_have_keras_shapes_and_counts():
    D, G = models.dcgan_discriminator(), models.dcgan_generator()
    per_layer = lambda net: [sum(int(np.prod(s)) for s in l.shapes) for l in net.layers if l.shapes]  # noqa: E731
    # D: 28×28×1 → (3×3, s 2, same) 14×14×64 → 7×7×128 → flatten 6272 → 1
    assert per_layer(D) == [keras_conv_params(3, 1, 64), keras_conv_params(3, 64, 128), 7 * 7 * 128 + 1]
    assert [l.out_shape for l in D.layers if hasattr(l, "window")] == [(14, 14, 64), (7, 7, 128)]
    # G: 100 → 128·14·14 → (4×4 transposed, s 2, same) 28×28×128 → (7×7, same) 28×28×1
    assert per_layer(G) == [100 * 128 * 14 * 14 + 128 * 14 * 14, keras_conv_params(4, 128, 128),
                            keras_conv_params(7, 128, 1)]
    assert [l.out_shape for l in G.layers if hasattr(l, "window")] == [(28, 28, 128), (28, 28, 1)]
    assert (D.n_params, G.n_params, Stacked(G, D).n_trainable) == (80_769, 2_802_433, 2_802_433)


def test_seed_003_layers_match_the_notebooks_keras_summary():
    """The counts and shapes that Keras printed in the FashionGAN notebook (seed 003)."""
    shape = (28, 28, 1)
    for filters, count, out in ((32, 832, (24, 24, 32)), (64, 51_264, (20, 20, 64)), (128, 204_928, (16, 16, 128)),
                                (256, 819_456, (12, 12, 256))):
        conv = Conv2D(shape, filters, 5)
        assert (sum(int(np.prod(s)) for s in conv.shapes), conv.out_shape) == (count, out)
        shape = conv.out_shape
    assert MLP([Flatten(shape), Dense(36_864, 1)]).n_params == 36_865
    assert MLP([Dense(128, 7 * 7 * 128)]).n_params == 809_088
    for in_shape, filters, k, count in (((14, 14, 128), 128, 5, 409_728), ((28, 28, 128), 128, 4, 262_272),
                                        ((28, 28, 128), 1, 4, 2_049)):
        conv = Conv2D(in_shape, filters, k, padding="same")
        assert (sum(int(np.prod(s)) for s in conv.shapes), conv.out_shape) == (count, in_shape[:2] + (filters,))


def test_conv_kernels_start_at_keras_glorot_limits():
    net = MLP([Conv2D((8, 8, 16), 32, 3)]).initialise(np.random.default_rng(0))
    K = net.layers[0].K
    limit = np.sqrt(6 / (9 * 16 + 9 * 32))  # Keras: fans are the last two axes times the receptive field
    assert np.all(np.abs(K) <= limit) and K.max() > 0.99 * limit and np.all(net.layers[0].b == 0)


@pytest.mark.parametrize("make, kwargs, message", [
    (Conv2D, dict(in_shape=(8, 8, 1), filters=4, kernel_size=3, padding="full"), "padding must be"),
    (Conv2D, dict(in_shape=(2, 2, 1), filters=4, kernel_size=3), "does not fit"),
    (Conv2D, dict(in_shape=(8, 8), filters=4, kernel_size=3), "in_shape must be"),
    (Conv2D, dict(in_shape=(8, 8, 1), filters=0, kernel_size=3), "filters must be"),
    (Conv2D, dict(in_shape=(8, 8, 1), filters=2, kernel_size=(3, 0)), "kernel_size must be"),
    (Conv2DTranspose, dict(in_shape=(8, 8, 1), filters=2, kernel_size=3, strides=1.5), "strides must be"),
    (Conv2DTranspose, dict(in_shape=(8, 8, 1), filters=2, kernel_size=3, init="zeros"), "unknown initialiser"),
    (Reshape, dict(shape=(4, 4, 2), in_shape=(64,)), "cannot reshape"),
])
def test_bad_geometry_is_one_clear_error(make, kwargs, message):
    with pytest.raises(GancheckError, match=message):
        make(**kwargs)


def small_dcgan(dtype=np.float64):
    from gancheck.experiments.dcgan import networks

    return networks(latent_dim=3, filters=4, dtype=dtype, d_filters=(4, 6))


@few
@given(n=st.integers(1, 9), seed=st.integers(0, 2**32 - 1))
def test_buffered_dcgan_passes_equal_allocating_passes(n, seed):
    """Training's buffers (a reshape reading D's input rows, convolutions writing images that reshapes view, G's last
    convolution writing into D's input) change where numbers live, not what they are."""
    rng = np.random.default_rng(seed)
    G, D = small_dcgan()
    G.initialise(rng), D.initialise(rng)
    D.theta += 0.1 * rng.standard_normal(D.n_params)
    gan = Stacked(G, D)
    z = np.c_[rng.standard_normal((n, 3)), np.ones(n)]  # augmented latents, as train() passes them
    R = rng.standard_normal((n, 1))
    logits, caches = gan.forward(z, training=True, rng=np.random.default_rng(seed))
    _, grad = gan.backward(R, caches)
    grad = grad.copy()
    buffers = gan.buffers(n)
    for _ in range(2):  # the second pass reuses every array
        logits_b, caches_b = gan.forward(z, training=True, rng=np.random.default_rng(seed), buffers=buffers)
        assert np.shares_memory(caches_b[0], buffers[1].input)  # G wrote its images into D's input
        _, grad_b = gan.backward(R, caches_b, buffers=buffers, input_grad=False)
        np.testing.assert_allclose(logits_b, logits, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(grad_b, grad, rtol=1e-13, atol=1e-13)
    x = rng.uniform(-1, 1, (n, 64))
    d_buf = D.buffers(n)
    d_buf.x[...] = x
    out, caches = D.forward(x, training=True, rng=np.random.default_rng(seed))
    _, d_grad = D.backward(R, caches)
    d_grad = d_grad.copy()
    out_b, caches_b = D.forward(d_buf.input, training=True, rng=np.random.default_rng(seed), buffers=d_buf)
    _, d_grad_b = D.backward(R, caches_b, buffers=d_buf, input_grad=False)
    np.testing.assert_allclose(out_b, out, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(d_grad_b, d_grad, rtol=1e-13, atol=1e-13)


def test_dcgan_parameter_gradients_match_finite_differences():
    rng = np.random.default_rng(3)
    G, D = small_dcgan()
    G.initialise(rng), D.initialise(rng)
    gan = Stacked(G, D)
    z, R = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))
    logits, caches = gan.forward(z)
    _, grad = gan.backward(R, caches)
    loss = lambda: float(np.sum(gan.forward(z)[0] * R))  # noqa: E731
    idx = sample_indices(G.n_params, rng, at_most=80)
    assert relative_error(grad, numeric_grad(loss, G.theta, indices=idx)) < TOL


def test_float32_networks_stay_float32():
    G, D = small_dcgan(np.float32)
    G.initialise(np.random.default_rng(0)), D.initialise(np.random.default_rng(0))
    gan = Stacked(G, D)
    buffers = gan.buffers(5)
    z = np.ones((5, 4), np.float32)
    logits, caches = gan.forward(z, buffers=buffers)
    dz, grad = gan.backward(np.ones((5, 1), np.float32), caches, buffers=buffers)
    assert {logits.dtype, dz.dtype, grad.dtype, buffers[1].input.dtype} == {np.dtype(np.float32)}


@few
@given(geometries())
def test_functional_reference_equals_the_loop_definition_and_finite_differences(case):
    """``conv2d_forward``/``conv2d_backward``: the references a homework's own convolution is graded against."""
    layer, x, rng = case
    K, b = layer.K.copy(), layer.b.copy()
    y, cache = conv2d_forward(x, K, b, layer.strides, layer.padding)
    np.testing.assert_allclose(y, naive_conv(layer, x), rtol=EXACT, atol=EXACT)
    R = rng.standard_normal(y.shape)
    dx, dK, db = conv2d_backward(R, cache)
    loss = lambda: float(np.sum(conv2d_forward(x, K, b, layer.strides, layer.padding)[0] * R))  # noqa: E731
    for analytic, wrt in ((dx, x), (dK, K), (db, b)):
        assert relative_error(analytic, numeric_grad(loss, wrt, indices=sample_indices(wrt.size, rng))) < TOL
    assert conv2d_backward(R, conv2d_forward(x, K, None, layer.strides, layer.padding)[1])[2] is None
