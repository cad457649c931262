r"""The geometry of a strided 2-D correlation and its two data movements, *im2col* and its adjoint *col2im*.

Images are channels-last, ``(N, H, W, C)``, as in Keras (the course's code): a pixel's channels are contiguous, so a
row of the im2col matrix is ``k_h·k_w`` contiguous runs of ``C`` numbers, and the matrix product that follows
(:mod:`gancheck.nn.conv`) returns ``(N·H_o·W_o, F)``, which *is* the channels-last output, with no transpose.

A correlation with kernel :math:`K \in \mathbb R^{k_h\times k_w\times C\times F}`, stride :math:`s` and the input
zero-padded by :math:`p` on top and left is

.. math:: y_{n,i,j,f} = \sum_{a,b,c} x^{\text{pad}}_{n,\,s i + a,\,s j + b,\,c}\, K_{a,b,c,f}, \qquad
          \text{i.e.}\quad Y = \mathrm{im2col}(x)\, K_{(abc),f}

``im2col`` gathers the windows (a strided view, :func:`numpy.lib.stride_tricks.sliding_window_view`, copied once);
``col2im`` is its adjoint, :math:`\langle \mathrm{im2col}(x), P\rangle = \langle x, \mathrm{col2im}(P)\rangle`:
it adds every window entry back to the pixel it came from, one vectorised add per kernel tap :math:`(a, b)`.
"""
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import GancheckError

PADDINGS = ("valid", "same")


def pair(value, name):
    """``value`` as a pair of positive integers (an integer means the same in both directions, as in Keras)."""
    try:
        values = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    except TypeError:  # neither an integer nor a sequence
        values = ()
    if len(values) != 2 or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1
                                   for v in values):
        raise GancheckError(f"{name} must be a positive integer or a pair of them, got {value!r}")
    return int(values[0]), int(values[1])


@dataclass(frozen=True)
class Window:
    r"""Where the windows of a correlation from an image of ``size`` = :math:`(H, W)` lie.

    Keras' rules (``keras.src.ops.operation_utils.compute_conv_output_shape``): ``"valid"`` keeps whole windows only,
    :math:`H_o = \lfloor (H - k)/s \rfloor + 1`; ``"same"`` gives :math:`H_o = \lceil H/s \rceil` and pads
    :math:`\max((H_o - 1)s + k - H, 0)` zeros, the odd one at the bottom (right), as TensorFlow does.
    """

    size: tuple       # (H, W) of the image
    kernel: tuple     # (k_h, k_w)
    stride: tuple     # (s_h, s_w)
    pads: tuple       # ((top, bottom), (left, right))
    out: tuple        # (H_o, W_o)

    @classmethod
    def of(cls, size, kernel, stride, padding):
        if padding not in PADDINGS:
            raise GancheckError(f"padding must be 'valid' or 'same', got {padding!r}")
        kernel, stride = pair(kernel, "kernel_size"), pair(stride, "strides")
        pads, out = [], []
        for n, k, s in zip(size, kernel, stride):
            o = -(-n // s) if padding == "same" else (n - k) // s + 1
            if o < 1:
                raise GancheckError(f"a {kernel[0]}×{kernel[1]} kernel does not fit a {size[0]}×{size[1]} image "
                                    "with padding 'valid'")
            total = max((o - 1) * s + k - n, 0)
            pads.append((total // 2, total - total // 2))
            out.append(o)
        return cls(tuple(size), kernel, stride, tuple(pads), tuple(out))

    @property
    def padded(self):
        """:math:`(H + p_{\\text{top}} + p_{\\text{bottom}},\\ W + p_{\\text{left}} + p_{\\text{right}})`."""
        return tuple(n + lo + hi for n, (lo, hi) in zip(self.size, self.pads))

    def zero_insertion(self):
        r"""``(pads, window)`` of :math:`\bar x = C^\top \bar y` computed as a correlation: :math:`\bar y` with
        :math:`s-1` zeros between its pixels, padded by ``pads`` (``((top, bottom), (left, right))``), correlated at
        stride 1 with the flipped kernel by ``window``. Row :math:`u` of :math:`\bar x` collects
        :math:`\bar y_i K_a` over :math:`s i + a = u + p_{\text{top}}`, hence :math:`k - 1 - p_{\text{top}}` zeros
        before and enough after for :math:`H` windows."""
        pads = tuple((k - 1 - lo, n + lo - s * (o - 1) - 1)
                     for n, k, s, (lo, _), o in zip(self.size, self.kernel, self.stride, self.pads, self.out))
        size = tuple(n + k - 1 for n, k in zip(self.size, self.kernel))
        return pads, Window(size, self.kernel, (1, 1), ((0, 0), (0, 0)), self.size)

    def taps(self):
        """For each kernel tap :math:`(a, b)`, the slices of the padded image its window entries come from."""
        (kh, kw), (sh, sw), (ho, wo) = self.kernel, self.stride, self.out
        return [((a, b), (slice(a, a + (ho - 1) * sh + 1, sh), slice(b, b + (wo - 1) * sw + 1, sw)))
                for a in range(kh) for b in range(kw)]


def im2col(x, window):
    """``x`` ``(N, H, W, C)`` → the matrix ``(N·H_o·W_o, k_h·k_w·C)`` whose row :math:`(n, i, j)` is the window under
    output pixel :math:`(i, j)`, ordered :math:`(a, b, c)` like a Keras kernel's first three axes."""
    (top, bottom), (left, right) = window.pads
    if top or bottom or left or right:
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    (sh, sw), (ho, wo) = window.stride, window.out
    views = sliding_window_view(x, window.kernel, axis=(1, 2))  # (N, H', W', C, k_h, k_w), no copy
    views = views[:, : (ho - 1) * sh + 1 : sh, : (wo - 1) * sw + 1 : sw].transpose(0, 1, 2, 4, 5, 3)
    return views.reshape(-1, window.kernel[0] * window.kernel[1] * x.shape[3])  # the one copy


def col2im(cols, window, channels):
    """The adjoint of :func:`im2col`: window entries ``(N·H_o·W_o, k_h·k_w·C)`` added back into an image
    ``(N, H, W, C)``; the entries that fell on padding are dropped."""
    (kh, kw), (ho, wo) = window.kernel, window.out
    patches = cols.reshape(-1, ho, wo, kh, kw, channels)
    padded = np.zeros((len(patches), *window.padded, channels), dtype=cols.dtype)
    for (a, b), (rows, columns) in window.taps():  # k_h·k_w adds, each over the whole batch
        padded[:, rows, columns] += patches[:, :, :, a, b]
    (top, _), (left, _) = window.pads
    (h, w) = window.size
    return padded[:, top : top + h, left : left + w]


def zero_insert(y, window):
    r"""``y`` ``(N, H_o, W_o, F)`` with :math:`s - 1` zeros between its pixels and padded as
    :meth:`Window.zero_insertion` says: the image whose stride-1 correlation with the flipped kernel is
    :math:`C^\top y`."""
    ((top, bottom), (left, right)), _ = window.zero_insertion()
    (sh, sw), (ho, wo) = window.stride, window.out
    out = np.zeros((len(y), top + (ho - 1) * sh + 1 + bottom, left + (wo - 1) * sw + 1 + right, y.shape[3]), y.dtype)
    out[:, top : top + (ho - 1) * sh + 1 : sh, left : left + (wo - 1) * sw + 1 : sw] = y
    return out
