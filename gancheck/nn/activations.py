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
"""
import numpy as np
from scipy.special import expit


class Activation:
    """Base of the parameter-free element-wise layers."""

    shapes = []

    def bind(self, params, grads):
        pass

    def initialise(self, rng):
        pass

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(Activation):
    def forward(self, g):
        return np.maximum(g, 0.0), g

    def backward(self, da, g, param_grads=True):
        return da * (g > 0.0), ()


class LeakyReLU(Activation):
    def __init__(self, alpha=0.3):
        self.alpha = float(alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"

    def forward(self, g):
        return np.where(g > 0.0, g, self.alpha * g), g

    def backward(self, da, g, param_grads=True):
        return da * np.where(g > 0.0, 1.0, self.alpha), ()


class Sigmoid(Activation):
    def forward(self, g):
        a = expit(g)
        return a, a

    def backward(self, da, a, param_grads=True):
        return da * a * (1.0 - a), ()


class Tanh(Activation):
    def forward(self, g):
        a = np.tanh(g)
        return a, a

    def backward(self, da, a, param_grads=True):
        return da * (1.0 - a * a), ()


class Linear(Activation):
    def forward(self, g):
        return g, None

    def backward(self, da, cache, param_grads=True):
        return da, ()


ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "sigmoid": Sigmoid, "tanh": Tanh, "linear": Linear}
