r"""Weight initialisers, as Keras defines them.

He-uniform (He et al. 2015; ``keras.initializers.HeUniform``):

.. math:: W_{ij} \sim \mathcal U(-\ell, \ell), \qquad \ell = \sqrt{6 / \text{fan\_in}}

Glorot-uniform (Glorot & Bengio 2010; ``keras.initializers.GlorotUniform``, Keras' default for ``Dense``):

.. math:: W_{ij} \sim \mathcal U(-\ell, \ell), \qquad \ell = \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}

Biases start at zero, as in Keras. ``fan_in, fan_out`` are the kernel's last two dimensions (Keras layout
``(n_in, n_out)``), each times the receptive field (the product of the leading dimensions: :math:`k_h k_w` for a
convolution kernel ``(k_h, k_w, n_in, n_out)``), as ``keras.initializers`` computes them.
"""
import numpy as np


def fans(shape):
    receptive_field = int(np.prod(shape[:-2]))
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def he_uniform(shape, rng):
    fan_in, _ = fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


def glorot_uniform(shape, rng):
    fan_in, fan_out = fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


INITIALISERS = {"he_uniform": he_uniform, "glorot_uniform": glorot_uniform}
