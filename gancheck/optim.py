r"""Optimisers over one flat parameter vector, as Keras defines them (Keras 3 ``keras.optimizers``).

Each ``step(theta, grad)`` updates ``theta`` in place with a handful of whole-vector ufunc calls into preallocated
buffers: the cost does not grow with the number of layers.
"""
import math

import numpy as np


class SGD:
    r"""Gradient descent with (optional) momentum :math:`μ`:
    :math:`v \leftarrow μv - η\,\bar θ,\ θ \leftarrow θ + v` (plain :math:`θ \leftarrow θ - η\bar θ` when :math:`μ = 0`)."""

    def __init__(self, n, lr=0.01, momentum=0.0):
        self.lr, self.momentum = float(lr), float(momentum)
        self.v = np.zeros(n)

    def step(self, theta, grad):
        if self.momentum == 0.0:
            theta -= self.lr * grad
            return
        self.v *= self.momentum
        self.v -= self.lr * grad
        theta += self.v


class RMSProp:
    r"""RMSProp (Tieleman & Hinton 2012; Keras defaults :math:`ρ = 0.9, ε = 10^{-7}`):

    .. math:: s \leftarrow ρ s + (1-ρ)\bar θ^2, \qquad θ \leftarrow θ - η\,\bar θ / (\sqrt s + ε)
    """

    def __init__(self, n, lr=1e-3, rho=0.9, eps=1e-7):
        self.lr, self.rho, self.eps = float(lr), float(rho), float(eps)
        self.s, self.tmp = np.zeros(n), np.zeros(n)

    def step(self, theta, grad):
        s, tmp = self.s, self.tmp
        np.multiply(grad, grad, out=tmp)
        tmp -= s
        tmp *= 1.0 - self.rho
        s += tmp
        np.sqrt(s, out=tmp)
        tmp += self.eps
        np.divide(grad, tmp, out=tmp)
        tmp *= self.lr
        theta -= tmp


class Adam:
    r"""Adam (Kingma & Ba 2015, Algorithm 1, with Keras' placement of :math:`ε`):

    .. math:: m \leftarrow β_1 m + (1-β_1)\bar θ, \quad v \leftarrow β_2 v + (1-β_2)\bar θ^2, \quad
              θ \leftarrow θ - η\,\frac{\sqrt{1-β_2^t}}{1-β_1^t}\,\frac{m}{\sqrt v + ε}

    Keras defaults: :math:`η = 10^{-3}, β = (0.9, 0.999), ε = 10^{-7}`; the DCGAN setting (Radford et al. 2016) is
    :meth:`Adam.dcgan`. ``lr`` may be changed between steps (a schedule). The moments have the parameters' ``dtype``.

    The moments are kept without their :math:`(1-β)` factors, :math:`m' = m/(1-β_1)` and :math:`v' = v/(1-β_2)`, so
    each updates as :math:`m' \leftarrow β_1 m' + \bar θ` in two vector operations; the factors return as scalars:

    .. math:: \frac{m}{\sqrt v + ε} = \frac{1-β_1}{\sqrt{1-β_2}}\;\frac{m'}{\sqrt{v'} + ε/\sqrt{1-β_2}}
    """

    def __init__(self, n, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7, dtype=np.float64):
        self.lr, self.beta1, self.beta2, self.eps = float(lr), float(beta1), float(beta2), float(eps)
        self.m_, self.v_, self.tmp = np.zeros(n, dtype), np.zeros(n, dtype), np.zeros(n, dtype)
        self.t = 0

    @classmethod
    def dcgan(cls, n):
        return cls(n, lr=2e-4, beta1=0.5)

    @property
    def m(self):
        """The first moment :math:`m` of Algorithm 1."""
        return (1.0 - self.beta1) * self.m_

    @property
    def v(self):
        """The second moment :math:`v` of Algorithm 1."""
        return (1.0 - self.beta2) * self.v_

    def step(self, theta, grad):
        self.t += 1
        b1, b2, m_, v_, tmp = self.beta1, self.beta2, self.m_, self.v_, self.tmp
        m_ *= b1
        m_ += grad
        v_ *= b2
        np.multiply(grad, grad, out=tmp)
        v_ += tmp
        root = math.sqrt(1.0 - b2)  # scalars, hence math
        step = self.lr * math.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t) * (1.0 - b1) / root
        np.sqrt(v_, out=tmp)
        tmp += self.eps / root
        np.divide(m_, tmp, out=tmp)
        tmp *= step
        theta -= tmp


class EMA:
    r"""Exponential moving average of parameters (Polyak averaging; Yazıcı et al. 2019 for GANs):
    :math:`\tilde θ \leftarrow \tilde θ + (1-β)(θ - \tilde θ)`. Evaluating the averaged generator removes much of the
    oscillation of the adversarial game."""

    def __init__(self, theta, decay=0.999):
        self.decay = float(decay)
        self.avg, self.tmp = theta.copy(), np.empty_like(theta)

    def update(self, theta):
        np.subtract(theta, self.avg, out=self.tmp)
        self.tmp *= 1.0 - self.decay
        self.avg += self.tmp


OPTIMISERS = {"sgd": SGD, "rmsprop": RMSProp, "adam": Adam}
