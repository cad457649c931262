"""The course's networks, layer for layer as the Keras code that the lecture and the tutorial summarise.

Every discriminator ends in a *logit*: the sigmoid lives inside the losses (:mod:`gancheck.losses`), where it can be
computed stably. That changes no parameter count.
"""
import numpy as np

from .nn import (MLP, Conv2D, Conv2DTranspose, Dense, Dropout, Flatten, LeakyReLU, Linear, ReLU, Reshape, Sigmoid,
                 Stacked, Tanh)


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


def dcgan_discriminator(in_shape=(28, 28, 1), filters=(64, 128), kernel_size=3, alpha=0.2, rate=0.4):
    """The DCGAN report's discriminator (seed 002): per entry of ``filters`` a ``kernel_size`` convolution with stride
    2 and ``"same"`` padding (strided convolutions instead of pooling), LeakyReLU(``alpha``), dropout ``rate``; then
    flatten ``→ 1`` logit. It reads images as rows of ``H·W·C`` numbers (first layer: a reshape, no parameters).
    At 28×28×1: 640 + 73,856 + 6,273 = 80,769 parameters."""
    layers, shape = [Reshape(in_shape)], tuple(in_shape)
    for f in filters:
        conv = Conv2D(shape, f, kernel_size, strides=2, padding="same")
        layers += [conv, LeakyReLU(alpha), Dropout(rate)]
        shape = conv.out_shape
    return MLP(layers + [Flatten(shape), Dense(int(np.prod(shape)), 1)], name="discriminator")


def dcgan_generator(latent_dim=100, out_shape=(28, 28, 1), filters=128, kernel_size=4, out_kernel=7, alpha=0.2,
                    out="sigmoid"):
    """The DCGAN report's generator (seed 002): ``latent_dim →`` a dense layer of ``filters`` feature maps at half the
    output's side, LeakyReLU, reshaped; a transposed convolution (``kernel_size``, stride 2, ``"same"``) doubles the
    side, LeakyReLU; a ``out_kernel`` convolution (``"same"``) to the output's channels, ``out`` activation (the
    report's sigmoid for pixels in [0, 1]; tanh for [−1, 1]). It writes images as rows of ``H·W·C`` numbers (last
    layer: a flatten, no parameters). At 100 → 28×28×1: 2,533,888 + 262,272 + 6,273 = 2,802,433 parameters."""
    h, w, c = out_shape
    small = (h // 2, w // 2, filters)
    up = Conv2DTranspose(small, filters, kernel_size, strides=2, padding="same")
    last = Conv2D(up.out_shape, c, out_kernel, padding="same")
    activation = {"sigmoid": Sigmoid, "tanh": Tanh}[out]
    return MLP([Dense(latent_dim, int(np.prod(small))), LeakyReLU(alpha), Reshape(small), up, LeakyReLU(alpha), last,
                activation(), Flatten(last.out_shape)], name="generator")
