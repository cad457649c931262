r"""Weight initialisers, as Keras defines them.

He-uniform (He et al. 2015; ``keras.initializers.HeUniform``):

.. math:: W_{ij} \sim \mathcal U(-\ell, \ell), \qquad \ell = \sqrt{6 / \text{fan\_in}}

Glorot-uniform (Glorot & Bengio 2010; ``keras.initializers.GlorotUniform``, Keras' default for ``Dense``):

.. math:: W_{ij} \sim \mathcal U(-\ell, \ell), \qquad \ell = \sqrt{6 / (\text{fan\_in} + \text{fan\_out})}

Biases start at zero, as in Keras. ``fan_in, fan_out`` are the kernel's two dimensions (Keras layout ``(n_in, n_out)``).
"""
import numpy as np


def he_uniform(shape, rng):
    fan_in = shape[0]
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape)


def glorot_uniform(shape, rng):
    fan_in, fan_out = shape
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


INITIALISERS = {"he_uniform": he_uniform, "glorot_uniform": glorot_uniform}
