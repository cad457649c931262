r"""The dense (fully connected) layer, the one primitive with parameters.

Forward, for a batch of rows :math:`x \in \mathbb R^{N\times n}` (Keras layout: kernel :math:`W \in \mathbb R^{n\times m}`;
the lecture writes the same map per sample as :math:`g = Ux + b` with :math:`U = W^\top`):

.. math:: \text{out} = xW + b = [x\;\mathbf 1]\begin{bmatrix}W\\ b\end{bmatrix}

Backward, given :math:`\bar{\text{out}} = \partial L/\partial\,\text{out}` (lecture: :math:`\bar U = \sum_n \bar g\,x^\top`,
:math:`\bar b = \sum_n \bar g`, :math:`\bar x = U^\top \bar g`):

.. math:: \begin{bmatrix}\bar W\\ \bar b\end{bmatrix} = [x\;\mathbf 1]^\top\,\bar{\text{out}}, \qquad
          \bar x = \bar{\text{out}}\,W^\top

The parameters sit as one block :math:`[W;\,b]` (Keras' order: kernel rows, then the bias row). An input that carries
its column of ones (an *augmented* input, as :class:`gancheck.nn.Buffers` lays them out) lets the bias ride in the
matrix product, forward and backward: one BLAS call instead of a product plus a broadcast add, or a product plus a
column sum.
"""
from functools import lru_cache

import numpy as np

from .init import INITIALISERS


@lru_cache(maxsize=64)
def _ones(n):
    """A read-only row of ones: ``ones @ dout`` sums the batch through BLAS, 2-3× faster than ``dout.sum(0)``."""
    ones = np.ones(n)
    ones.flags.writeable = False
    return ones


def _product(a, b, out=None):
    """``a @ b`` (2-D), into ``out`` when given. ``np.dot`` skips ``matmul``'s generalised-ufunc machinery, ~0.4 µs a call
    at the sizes trained here, but writes only into a C-contiguous ``out``: a column-major one is filled through its
    transpose, :math:`(ab)^\top = b^\top a^\top`; any other layout goes to ``matmul``."""
    if out is None or out.flags.c_contiguous:
        return np.dot(a, b, out=out)
    if out.flags.f_contiguous:
        np.dot(b.T, a.T, out=out.T)
        return out
    return np.matmul(a, b, out=out)


class Dense:
    """``x @ W + b``. The block ``Wb = [W; b]`` and its gradient ``dWb`` are views bound by the owning network
    (:class:`gancheck.nn.MLP`) into its flat buffers, so an optimiser updates every layer with a few ufunc calls;
    ``W, b, dW, db`` are views into those blocks."""

    def __init__(self, n_in, n_out, *, bias=True, init="glorot_uniform"):
        if init not in INITIALISERS:
            raise ValueError(f"unknown initialiser {init!r}; choose from {sorted(INITIALISERS)}")
        self.n_in, self.n_out, self.bias, self.init = int(n_in), int(n_out), bool(bias), init

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, bias={self.bias}, init={self.init!r})"

    @property
    def shapes(self):
        """Shapes of the parameters, in the order they sit in the flat buffer (Keras counts them this way)."""
        return [(self.n_in, self.n_out)] + ([(self.n_out,)] if self.bias else [])

    def bind(self, theta, grad):
        """Bind the parameter block to the flat slices ``theta, grad`` (each ``(n_in + bias) · n_out`` long)."""
        rows = self.n_in + self.bias
        self.Wb, self.dWb = theta.reshape(rows, self.n_out), grad.reshape(rows, self.n_out)
        self.W, self.dW = self.Wb[: self.n_in], self.dWb[: self.n_in]
        self.b, self.db = (self.Wb[self.n_in], self.dWb[self.n_in]) if self.bias else (None, None)
        self.grads = (self.dW, self.db) if self.bias else (self.dW,)

    def initialise(self, rng):
        self.W[...] = INITIALISERS[self.init](self.W.shape, rng)
        if self.bias:
            self.b[...] = 0.0

    def forward(self, x, out=None):
        """Return ``(out, x)``; ``x`` may be augmented (its last column ones), ``out`` is a buffer to write into."""
        if x.shape[-1] > self.n_in:  # augmented
            if self.bias:
                return _product(x, self.Wb, out), x
            x = x[:, : self.n_in]  # no bias for the ones to multiply
        out = _product(x, self.W, out)
        if self.bias:
            out += self.b
        return out, x

    def backward(self, dout, x, param_grads=True, out=None, input_grad=True):
        """Return ``(dx, grads)``. With ``param_grads=False`` (a frozen layer) ``dW, db`` are neither computed nor
        touched: only the gradient with respect to the input flows on. With ``input_grad=False`` (a first layer, whose
        input is data) ``dx`` is not computed and ``None`` is returned in its place."""
        if param_grads:
            if x.shape[-1] > self.n_in:  # augmented (the forward pass dropped the ones of a layer without bias)
                _product(x.T, dout, self.dWb)
            else:
                _product(x.T, dout, self.dW)
                if self.bias:
                    np.matmul(_ones(dout.shape[0]), dout, out=self.db)
        if not input_grad:
            return None, self.grads
        return _product(dout, self.W.T, out), self.grads
