"""The course's networks, layer for layer as the Keras code that the lecture and the tutorial summarise.

Every discriminator ends in a *logit*: the sigmoid lives inside the losses (:mod:`gancheck.losses`), where it can be
computed stably. That changes no parameter count.
"""
from .nn import MLP, Dense, Dropout, LeakyReLU, Linear, ReLU, Stacked, Tanh


def discriminator_1d(n_in=2, hidden=25):
    """The tutorial's discriminator: ``n_in → hidden`` ReLU (He-uniform) ``→ 1`` sigmoid. 2-25-1: 101 parameters."""
    return MLP([Dense(n_in, hidden, init="he_uniform"), ReLU(), Dense(hidden, 1)], name="discriminator")


def generator_1d(latent_dim=5, hidden=15, n_out=2):
    """The tutorial's generator: ``latent_dim → hidden`` ReLU (He-uniform) ``→ n_out`` linear. 5-15-2: 122 parameters."""
    return MLP([Dense(latent_dim, hidden, init="he_uniform"), ReLU(), Dense(hidden, n_out), Linear()], name="generator")


def gan_1d(latent_dim=5):
    """The stacked model ``D(G(z))`` with ``D`` frozen: 223 parameters, 122 trainable."""
    return Stacked(generator_1d(latent_dim), discriminator_1d())


def mnist_generator(z_size=20, hidden=100, n_out=784):
    """The lecture's MNIST generator: ``20 → 100`` LeakyReLU, no bias ``→ 784`` tanh: 81,184 parameters."""
    return MLP([Dense(z_size, hidden, bias=False), LeakyReLU(), Dense(hidden, n_out), Tanh()], name="generator")


def mnist_discriminator(n_in=784, hidden=100, rate=0.5):
    """The lecture's MNIST discriminator: ``784 → 100`` LeakyReLU, dropout 0.5 ``→ 1`` logit: 78,601 parameters."""
    return MLP([Dense(n_in, hidden), LeakyReLU(), Dropout(rate), Dense(hidden, 1)], name="discriminator")
