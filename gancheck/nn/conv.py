r"""Strided 2-D convolution (Keras' ``Conv2D``, which computes a correlation) and its adjoint, the transposed
convolution (Keras' ``Conv2DTranspose``), channels-last.

For one image, :math:`y = C_K x` with (see :mod:`gancheck.nn.im2col` for the windows and the padding)

.. math:: y_{i,j,f} = b_f + \sum_{a,b,c} x^{\text{pad}}_{s i + a,\ s j + b,\ c}\, K_{a,b,c,f}

Backward, given :math:`\bar y = \partial L/\partial y` (derived in :mod:`derivations.conv`):

.. math:: \bar K_{a,b,c,f} = \sum_{n,i,j} x^{\text{pad}}_{n,\,s i+a,\,s j+b,\,c}\,\bar y_{n,i,j,f}, \qquad
          \bar b_f = \sum_{n,i,j} \bar y_{n,i,j,f}, \qquad \bar x = C_K^\top \bar y

— the kernel's gradient correlates the input with :math:`\bar y`; the input's gradient is the *transposed*
convolution of :math:`\bar y`: insert :math:`s-1` zeros between its pixels, pad, correlate with the kernel flipped
in both spatial axes and its channel axes swapped. In matrix form that is im2col's adjoint,
:math:`\bar x = \mathrm{col2im}(\bar Y K^\top)`. Both forms are computed here, whichever moves fewer numbers
(the zero-insertion form when the output has few channels).

``Conv2DTranspose`` is :math:`y = C_K^\top x + b`, the forward pass of one being the input gradient of the other
(as for the kernel layouts: Keras stores a transposed convolution's kernel as ``(k_h, k_w, filters, in_channels)``,
the kernel of the convolution it transposes).

Parameters sit as in :class:`gancheck.nn.Dense`: one flat block, kernel then bias, bound by the owning network.
"""
import numpy as np

from .. import GancheckError
from .dense import _ones, _product
from .im2col import Window, col2im, im2col, pair, zero_insert
from .init import INITIALISERS


def _shape3(shape):
    try:
        values = tuple(shape)
    except TypeError:  # not a sequence
        values = ()
    if len(values) != 3 or not all(isinstance(v, (int, np.integer)) and v >= 1 for v in values):
        raise GancheckError(f"in_shape must be (height, width, channels) of positive integers, got {shape!r}")
    return tuple(int(v) for v in values)


def _deliver(y, out):
    """``y``, or ``y`` written into the caller's buffer ``out`` (same numbers, any shape and layout)."""
    if out is None or np.may_share_memory(y, out):
        return y
    out[...] = y.reshape(out.shape)
    return out


def _into(out, shape):
    """``out`` seen with ``shape`` without a copy, or None when its layout does not allow that."""
    if out is None:
        return None
    view = out.reshape(shape)
    return view if np.may_share_memory(view, out) else None


class _Convolution:
    """What both convolutions share: the geometry ``window`` of the correlation from the larger image (``big``,
    :math:`H\\times W\\times C`) to the smaller (:math:`H_o\\times W_o\\times F`), and a kernel stored in Keras' layout
    whose last two axes are (big channels, small channels) and whose matrix ``W`` is
    ``(k_h·k_w·big channels, small channels)``."""

    def __init__(self, in_shape, filters, kernel_size, strides, padding, bias, init):
        if init not in INITIALISERS:
            raise GancheckError(f"unknown initialiser {init!r}; choose from {sorted(INITIALISERS)}")
        if not (isinstance(filters, (int, np.integer)) and filters >= 1):
            raise GancheckError(f"filters must be a positive integer, got {filters!r}")
        self.in_shape, self.filters, self.bias, self.init = _shape3(in_shape), int(filters), bool(bias), init
        self.kernel_size, self.strides = pair(kernel_size, "kernel_size"), pair(strides, "strides")
        self.padding = padding

    def __repr__(self):
        return (f"{type(self).__name__}({self.in_shape}, {self.filters}, kernel_size={self.kernel_size}, "
                f"strides={self.strides}, padding={self.padding!r})")

    @property
    def shapes(self):
        """Keras' parameter shapes, in the order they sit in the flat buffer: kernel, then bias."""
        return [self.kernel_size + self._kernel_channels] + ([(self.filters,)] if self.bias else [])

    def bind(self, theta, grad):
        n_kernel = int(np.prod(self.shapes[0]))
        rows = n_kernel // self._kernel_channels[1]
        self.K, self.dK = theta[:n_kernel].reshape(self.shapes[0]), grad[:n_kernel].reshape(self.shapes[0])
        self.W, self.dW = theta[:n_kernel].reshape(rows, -1), grad[:n_kernel].reshape(rows, -1)
        self.b, self.db = (theta[n_kernel:], grad[n_kernel:]) if self.bias else (None, None)
        self.grads = (self.dK, self.db) if self.bias else (self.dK,)

    def initialise(self, rng):
        self.K[...] = INITIALISERS[self.init](self.K.shape, rng)
        if self.bias:
            self.b[...] = 0.0

    def _by_zero_insertion(self):
        r"""Whether :math:`C^\top` is cheaper as a correlation of the zero-inserted small image than as col2im: the
        first gathers :math:`k_h k_w` small-image channels per big-image pixel, the second scatters :math:`k_h k_w`
        big-image channels per small-image pixel (a 1-channel output of a wide layer: the first, by far)."""
        (h, w), (ho, wo) = self.window.size, self.window.out
        big, small = self._kernel_channels
        return h * w * small < ho * wo * big

    def _adjoint(self, y2, big_channels):
        r""":math:`C_K^\top` on small-image rows ``y2`` ``(N·H_o·W_o, small channels)``: the big image
        ``(N, H, W, big channels)``, by whichever of its two equal forms is cheaper."""
        if not self._zero_insert:
            return col2im(_product(y2, self.W.T), self.window, big_channels)
        _, window = self.window.zero_insertion()
        flipped = self.K[::-1, ::-1].swapaxes(2, 3).reshape(-1, big_channels)
        y = y2.reshape(-1, *self.window.out, y2.shape[1])
        return _product(im2col(zero_insert(y, self.window), window), flipped).reshape(-1, *self.window.size,
                                                                                       big_channels)

    def _add_bias(self, y):
        if self.bias:
            y += self.b
        return y

    def _bias_grad(self, dy2):
        if self.bias:
            np.matmul(_ones(len(dy2)), dy2, out=self.db)


class Conv2D(_Convolution):
    """``Conv2D(in_shape, filters, kernel_size, strides=1, padding="valid")`` as Keras defines it, on images
    ``(N, H, W, C)`` (or the same numbers as rows ``(N, H·W·C)``); the output is ``(N, H_o, W_o, filters)``."""

    def __init__(self, in_shape, filters, kernel_size, strides=1, padding="valid", *, bias=True,
                 init="glorot_uniform"):
        super().__init__(in_shape, filters, kernel_size, strides, padding, bias, init)
        self.window = Window.of(self.in_shape[:2], self.kernel_size, self.strides, padding)
        self.out_shape = self.window.out + (self.filters,)
        self._kernel_channels = (self.in_shape[2], self.filters)
        self._zero_insert = self._by_zero_insertion()

    def forward(self, x, out=None):
        """Return ``(y, cols)``: ``cols`` is the im2col matrix of ``x``, all the backward pass needs."""
        cols = im2col(x.reshape(-1, *self.in_shape), self.window)
        y = _product(cols, self.W, _into(out, (len(cols), self.filters)))
        return _deliver(self._add_bias(y).reshape(-1, *self.out_shape), out), cols

    def backward(self, dy, cols, param_grads=True, out=None, input_grad=True):
        """Return ``(dx, grads)``, ``dx`` ``(N, H, W, C)``; the flags as in :meth:`gancheck.nn.Dense.backward`."""
        dy2 = dy.reshape(len(cols), self.filters)
        if param_grads:
            _product(cols.T, dy2, self.dW)
            self._bias_grad(dy2)
        if not input_grad:
            return None, self.grads
        return _deliver(self._adjoint(dy2, self.in_shape[2]), out), self.grads


class Conv2DTranspose(_Convolution):
    """``Conv2DTranspose(in_shape, filters, kernel_size, strides=1, padding="valid")`` as Keras defines it: the
    adjoint of the ``Conv2D`` from its output back to its input. Output sides are :math:`sH` (``"same"``) or
    :math:`sH + \\max(k - s, 0)` (``"valid"``)."""

    def __init__(self, in_shape, filters, kernel_size, strides=1, padding="valid", *, bias=True,
                 init="glorot_uniform"):
        super().__init__(in_shape, filters, kernel_size, strides, padding, bias, init)
        big = tuple(n * s + (max(k - s, 0) if padding == "valid" else 0)
                    for n, k, s in zip(self.in_shape[:2], self.kernel_size, self.strides))
        self.window = Window.of(big, self.kernel_size, self.strides, padding)
        self.out_shape = big + (self.filters,)
        self._kernel_channels = (self.filters, self.in_shape[2])
        self._zero_insert = self._by_zero_insertion()

    def forward(self, x, out=None):
        """Return ``(y, x2)``: ``x2`` is ``x`` as rows ``(N·H·W, C)``, all the backward pass needs."""
        x2 = x.reshape(-1, self.in_shape[2])
        return _deliver(self._add_bias(self._adjoint(x2, self.filters)), out), x2

    def backward(self, dy, x2, param_grads=True, out=None, input_grad=True):
        """Return ``(dx, grads)``, ``dx`` ``(N, H, W, C)``; the flags as in :meth:`gancheck.nn.Dense.backward`."""
        cols = im2col(dy.reshape(-1, *self.out_shape), self.window)
        if param_grads:
            _product(cols.T, x2, self.dW)
            self._bias_grad(dy.reshape(-1, self.filters))
        if not input_grad:
            return None, self.grads
        return _deliver(_product(cols, self.W).reshape(-1, *self.in_shape), out), self.grads


def _bound(x_shape, K, b, strides, padding):
    """A ``Conv2D`` for images of ``x_shape`` (H, W, C) holding copies of ``K`` (k_h, k_w, C, F) and ``b`` (F,)."""
    from .mlp import MLP

    K = np.asarray(K, dtype=float)
    if K.ndim != 4:
        raise GancheckError(f"the kernel must be (k_h, k_w, in_channels, filters), got shape {K.shape}")
    layer = Conv2D(x_shape, K.shape[3], K.shape[:2], strides, padding, bias=b is not None)
    MLP([layer])  # binds the parameters to a flat buffer
    layer.K[...] = K
    if b is not None:
        layer.b[...] = b
    return layer


def conv2d_forward(x, K, b=None, strides=1, padding="valid"):
    """The reference forward pass of Keras' ``Conv2D`` on images ``x`` ``(N, H, W, C)``, kernel ``K``
    ``(k_h, k_w, C, F)``, bias ``b`` ``(F,)`` or None: ``(y, cache)`` with ``y`` ``(N, H_o, W_o, F)`` (the homework
    checker's reference for a student's own convolution)."""
    x = np.asarray(x, dtype=float)
    y, _ = _bound(x.shape[1:], K, b, strides, padding).forward(x)
    return y, (x, K, b, strides, padding)


def conv2d_backward(dy, cache):
    """The reference backward pass: ``(dx, dK, db)`` for the upstream gradient ``dy`` and the ``cache`` of
    :func:`conv2d_forward` (``db`` is None without a bias)."""
    x, K, b, strides, padding = cache
    layer = _bound(x.shape[1:], K, b, strides, padding)
    dx, grads = layer.backward(np.asarray(dy, dtype=float), layer.forward(x)[1])
    return dx, grads[0].copy(), grads[1].copy() if b is not None else None
