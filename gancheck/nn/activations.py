r"""Element-wise activations, each a primitive with a hand-written backward.

======================  ==========================================  ===============================================
name                    forward :math:`a = f(g)`                    backward :math:`\bar g = \bar a\,f'(g)`
======================  ==========================================  ===============================================
ReLU                    :math:`\max(g, 0)`                          :math:`\bar a\,\mathbb 1[g > 0]` (0 at the kink)
LeakyReLU(:math:`α`)    :math:`g` if :math:`g>0` else :math:`αg`    :math:`\bar a` if :math:`g>0` else :math:`α\bar a`
Sigmoid                 :math:`σ(g) = 1/(1+e^{-g})`                 :math:`\bar a\,a(1-a)`
Tanh                    :math:`\tanh g`                             :math:`\bar a\,(1-a^2)`
Linear                  :math:`g`                                   :math:`\bar a`
======================  ==========================================  ===============================================

Keras' ``LeakyReLU`` default slope is :math:`α = 0.3`; it is ours too.

Every forward and backward takes an optional ``out`` buffer, and may be given its own input as ``out`` (in place, as
:class:`gancheck.nn.MLP` runs them over :class:`gancheck.nn.Buffers`): the ReLUs' backward needs only the sign of
:math:`g`, which :math:`a` keeps (for :math:`α \ge 0`), and the others' backward reads only :math:`a`.
"""
from functools import lru_cache

import numpy as np
from scipy.special import expit


class Activation:
    """Base of the parameter-free element-wise layers."""

    shapes = []

    def bind(self, theta, grad):
        pass

    def initialise(self, rng):
        pass

    def __repr__(self):
        return f"{type(self).__name__}()"


@lru_cache(maxsize=32)
def _zeros(shape, order):
    """Read-only zeros: ``maximum(g, zeros)`` with operands of one layout runs NumPy's vectorised loop, over twice as
    fast as broadcasting the scalar 0 on arrays of the size trained here."""
    zeros = np.zeros(shape, order=order)
    zeros.flags.writeable = False
    return zeros


class ReLU(Activation):
    def forward(self, g, out=None):
        # Cached zeros up to 2 MB each (training's batches up to 8192 × 25); larger, one-off arrays broadcast 0.
        zeros = _zeros(g.shape, "C" if g.flags.c_contiguous else "F") if g.size <= 1 << 18 else 0.0
        return np.maximum(g, zeros, out=out), g if out is None else out

    def derivative(self, g):
        r""":math:`\mathbb 1[g > 0]`, 0 at the kink; ``g`` may be the activation, which has the same signs."""
        return g > 0.0

    def backward(self, da, g, param_grads=True, out=None, input_grad=True):
        return np.multiply(da, self.derivative(g), out=out), ()


class LeakyReLU(Activation):
    def __init__(self, alpha=0.3):
        if not alpha >= 0.0:
            raise ValueError(f"LeakyReLU slope must be ≥ 0, got {alpha}")
        self.alpha = float(alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"

    def forward(self, g, out=None):
        # max(g, αg) (min for α > 1): two passes and one temporary, where selecting by a mask takes four
        scaled = self.alpha * g if self.alpha else 0.0  # α = 0: no 0·∞ = NaN
        a = (np.maximum if self.alpha <= 1.0 else np.minimum)(g, scaled, out=out)
        return a, g if out is None else out

    def backward(self, da, g, param_grads=True, out=None, input_grad=True):
        # the slope max(𝟙[g > 0], α) for α ≤ 1 by whole-array passes: np.where and masked ufuncs are several times slower
        slope = np.greater(g, 0.0, out=np.empty_like(da))
        if self.alpha <= 1.0:
            np.maximum(slope, self.alpha, out=slope)
        else:
            slope = np.where(slope > 0.0, 1.0, self.alpha)
        return np.multiply(da, slope, out=out), ()


class Sigmoid(Activation):
    def forward(self, g, out=None):
        a = expit(g, out=out)
        return a, a

    def backward(self, da, a, param_grads=True, out=None, input_grad=True):
        return np.multiply(da, a * (1.0 - a), out=out), ()


class Tanh(Activation):
    def forward(self, g, out=None):
        a = np.tanh(g, out=out)
        return a, a

    def backward(self, da, a, param_grads=True, out=None, input_grad=True):
        return np.multiply(da, 1.0 - a * a, out=out), ()


def identity(a, out=None):
    """``a`` itself, or copied into ``out`` when that is another array."""
    if out is None or out is a:
        return a
    out[...] = a
    return out


class Linear(Activation):
    identity = True

    def forward(self, g, out=None):
        return identity(g, out), None

    def backward(self, da, cache, param_grads=True, out=None, input_grad=True):
        return identity(da, out), ()


ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid, "tanh": Tanh, "linear": Linear}
