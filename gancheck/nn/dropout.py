r"""Inverted dropout (Srivastava et al. 2014, as Keras implements it).

In training, each unit is kept with probability :math:`1-p` and the kept ones are scaled so the expectation is unchanged:

.. math:: a = x \odot m / (1-p), \quad m_i \sim \text{Bernoulli}(1-p), \qquad \bar x = \bar a \odot m/(1-p)

In evaluation it is the identity. The mask comes from an explicit ``numpy.random.Generator``: no global state.
"""
import numpy as np

from .activations import Activation, identity


class Dropout(Activation):
    stochastic = True  # the network passes ``training`` and ``rng`` to this layer only

    def __init__(self, rate):
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
        self.rate = float(rate)

    def __repr__(self):
        return f"Dropout({self.rate})"

    def forward(self, x, *, training=False, rng=None, out=None):
        if not training or self.rate == 0.0:
            return identity(x, out), None
        if rng is None:
            raise ValueError("Dropout in training mode needs an explicit rng (numpy.random.Generator)")
        scaled_mask = (rng.random(x.shape) >= self.rate) / (1.0 - self.rate)
        return np.multiply(x, scaled_mask, out=out), scaled_mask

    def backward(self, da, scaled_mask, param_grads=True, out=None, input_grad=True):
        if scaled_mask is None:
            return identity(da, out), ()
        return np.multiply(da, scaled_mask, out=out), ()
