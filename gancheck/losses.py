r"""GAN losses, on logits, each returning ``(loss, dz)`` with ``dz`` the gradient of the loss with respect to the logits.

Every log-probability is written with the softplus :math:`\zeta(z) = \log(1+e^z)`, computed as ``logaddexp(0, z)``, and
every probability with ``expit``: finite values and gradients for any finite logit, never ``log(sigmoid(z))``. The
identities used (see ``derivations.bce``):

.. math:: -\log σ(z) = ζ(-z), \qquad -\log(1-σ(z)) = ζ(z), \qquad ζ(z) - ζ(-z) = z .
"""
import numpy as np
from scipy.special import expit


def bce_logits(z, t):
    r"""Binary cross-entropy averaged over the batch, labels :math:`t \in [0,1]` (smoothed or noisy labels allowed).

    .. math:: L = \frac1N\sum_n \big[t_n ζ(-z_n) + (1-t_n) ζ(z_n)\big], \qquad
              \frac{\partial L}{\partial z_n} = \frac{σ(z_n) - t_n}{N}

    Source: the homework's ``loss_stable``; the lecture's cross-entropy of a Bernoulli label. The equal form
    :math:`ζ(z) - tz` would save a ``logaddexp`` but lose the loss's relative precision where it is small
    (:math:`z = 10, t = 1`: :math:`10.0000454 - 10`).
    """
    N = z.shape[0]
    loss = float(np.add.reduce(t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z), axis=None)) / N
    return loss, (expit(z) - t) / N


def generator_minimax(z_fake):
    r"""The saturating generator loss of the minimax game (Goodfellow et al. 2014, eq. 1), to be *minimised* by G:

    .. math:: L_G = \frac1N\sum_n \log\big(1 - σ(z_n)\big) = -\frac1N\sum_n ζ(z_n), \qquad
              \frac{\partial L_G}{\partial z_n} = -\frac{σ(z_n)}{N}

    The gradient vanishes as :math:`D(G(z)) = σ(z) \to 0`: early in training, where G is poor, G barely learns.
    """
    N = z_fake.shape[0]
    return -float(np.sum(np.logaddexp(0.0, z_fake))) / N, -expit(z_fake) / N


def generator_nonsaturating(z_fake):
    r"""The non-saturating generator loss (Goodfellow et al. 2014, §3): BCE with targets :math:`t = 1`.

    .. math:: L_G = -\frac1N\sum_n \log σ(z_n) = \frac1N\sum_n ζ(-z_n), \qquad
              \frac{\partial L_G}{\partial z_n} = -\frac{1-σ(z_n)}{N}
    """
    N = z_fake.shape[0]
    return float(np.add.reduce(np.logaddexp(0.0, -z_fake), axis=None)) / N, (expit(z_fake) - 1.0) / N


def least_squares_d(out_real, out_fake):
    r"""LSGAN discriminator loss (Mao et al. 2017, eq. 2 with :math:`a=0, b=1`), on raw outputs :math:`D`:

    .. math:: L_D = \frac12\,\overline{(D(x)-1)^2} + \frac12\,\overline{D(G(z))^2}

    Returns ``(loss, d_real, d_fake)``.
    """
    n_r, n_f = out_real.shape[0], out_fake.shape[0]
    loss = 0.5 * float(np.sum((out_real - 1.0) ** 2)) / n_r + 0.5 * float(np.sum(out_fake**2)) / n_f
    return loss, (out_real - 1.0) / n_r, out_fake / n_f


def least_squares_g(out_fake):
    r"""LSGAN generator loss (Mao et al. 2017, eq. 2 with :math:`c=1`): :math:`L_G = \frac12\,\overline{(D(G(z))-1)^2}`."""
    n = out_fake.shape[0]
    return 0.5 * float(np.sum((out_fake - 1.0) ** 2)) / n, (out_fake - 1.0) / n


def wasserstein_critic(f_real, f_fake):
    r"""The WGAN critic loss (Arjovsky et al. 2017, Algorithm 1), minimised by the critic :math:`f`:

    .. math:: L_f = \overline{f(G(z))} - \overline{f(x)}, \qquad -L_f \approx W_1(P_r, P_g) \text{ when } f
              \text{ is 1-Lipschitz (up to the clipping's scale).}

    Returns ``(loss, d_real, d_fake)``.
    """
    n_r, n_f = f_real.shape[0], f_fake.shape[0]
    loss = float(np.sum(f_fake)) / n_f - float(np.sum(f_real)) / n_r
    return loss, np.full_like(f_real, -1.0 / n_r), np.full_like(f_fake, 1.0 / n_f)


def wasserstein_generator(f_fake):
    r"""The WGAN generator loss :math:`L_G = -\overline{f(G(z))}`."""
    n = f_fake.shape[0]
    return -float(np.sum(f_fake)) / n, np.full_like(f_fake, -1.0 / n)


def clip_weights(theta, c):
    """WGAN's weight clipping, in place: every critic parameter into ``[-c, c]`` (Arjovsky et al. 2017, Alg. 1)."""
    np.clip(theta, -c, c, out=theta)
    return theta


GENERATOR_LOSSES = {"nonsaturating": generator_nonsaturating, "minimax": generator_minimax}
