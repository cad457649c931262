r"""GAN losses, on logits, each returning ``(loss, dz)`` with ``dz`` the gradient of the loss with respect to the logits.

Every log-probability is written with the softplus :math:`\zeta(z) = \log(1+e^z)`, computed as ``logaddexp(0, z)``, and
every probability with ``expit``: finite values and gradients for any finite logit, never ``log(sigmoid(z))``. The
identities used (see ``derivations.bce``):

.. math:: -\log σ(z) = ζ(-z), \qquad -\log(1-σ(z)) = ζ(z), \qquad ζ(z) - ζ(-z) = z .
"""
import numpy as np
from scipy.special import expit

# Every loss is a mean over a batch of N rows (shape (N,) or (N, 1)) and comes in two halves: its value, which also takes
# a block of batches (steps, N, 1) and returns one value per batch (a block of training steps is scored in one call),
# and its gradient with respect to the logits, written into ``out`` when given (a training step computes only this
# half). The ``(loss, dz)`` functions join them.


def softplus(z):
    r""":math:`ζ(z) = \log(1 + e^z)`, exactly for any finite :math:`z`."""
    return np.logaddexp(0.0, z)


def _mean(terms):
    """Sum over the batch divided by its N rows: a float for one batch, an array for a block of batches."""
    if terms.ndim == 3:
        return np.add.reduce(terms, axis=(1, 2)) / terms.shape[1]
    return float(np.add.reduce(terms, axis=None)) / terms.shape[0]


def bce_value(z, t):
    r""":math:`\frac1N\sum_n \big[t_n ζ(-z_n) + (1-t_n) ζ(z_n)\big]` (see :func:`bce_logits`)."""
    return _mean(t * softplus(-z) + (1.0 - t) * softplus(z))


def bce_grad(z, t, out=None):
    r""":math:`(σ(z_n) - t_n)/N` (see :func:`bce_logits`)."""
    dz = expit(z, out=out)
    dz -= t
    dz /= z.shape[0]
    return dz


def bce_logits(z, t):
    r"""Binary cross-entropy averaged over the batch, labels :math:`t \in [0,1]` (smoothed or noisy labels allowed).

    .. math:: L = \frac1N\sum_n \big[t_n ζ(-z_n) + (1-t_n) ζ(z_n)\big], \qquad
              \frac{\partial L}{\partial z_n} = \frac{σ(z_n) - t_n}{N}

    Source: the homework's ``loss_stable``; the lecture's cross-entropy of a Bernoulli label. The equal form
    :math:`ζ(z) - tz` would save a ``logaddexp`` but lose the loss's relative precision where it is small
    (:math:`z = 10, t = 1`: :math:`10.0000454 - 10`).
    """
    return bce_value(z, t), bce_grad(z, t)


def minimax_value(z_fake):
    return -_mean(softplus(z_fake))


def minimax_grad(z_fake, out=None):
    dz = expit(z_fake, out=out)
    dz /= -z_fake.shape[0]
    return dz


def generator_minimax(z_fake):
    r"""The saturating generator loss of the minimax game (Goodfellow et al. 2014, eq. 1), to be *minimised* by G:

    .. math:: L_G = \frac1N\sum_n \log\big(1 - σ(z_n)\big) = -\frac1N\sum_n ζ(z_n), \qquad
              \frac{\partial L_G}{\partial z_n} = -\frac{σ(z_n)}{N}

    The gradient vanishes as :math:`D(G(z)) = σ(z) \to 0`: early in training, where G is poor, G barely learns.
    """
    return minimax_value(z_fake), minimax_grad(z_fake)


def nonsaturating_value(z_fake):
    return _mean(softplus(-z_fake))


def nonsaturating_grad(z_fake, out=None):
    return bce_grad(z_fake, 1.0, out)


def generator_nonsaturating(z_fake):
    r"""The non-saturating generator loss (Goodfellow et al. 2014, §3): BCE with targets :math:`t = 1`.

    .. math:: L_G = -\frac1N\sum_n \log σ(z_n) = \frac1N\sum_n ζ(-z_n), \qquad
              \frac{\partial L_G}{\partial z_n} = -\frac{1-σ(z_n)}{N}
    """
    return nonsaturating_value(z_fake), nonsaturating_grad(z_fake)


def least_squares_d_value(out_real, out_fake):
    return 0.5 * _mean((out_real - 1.0) ** 2) + 0.5 * _mean(out_fake**2)


def least_squares_d(out_real, out_fake):
    r"""LSGAN discriminator loss (Mao et al. 2017, eq. 2 with :math:`a=0, b=1`), on raw outputs :math:`D`:

    .. math:: L_D = \frac12\,\overline{(D(x)-1)^2} + \frac12\,\overline{D(G(z))^2}

    Returns ``(loss, d_real, d_fake)``.
    """
    n_r, n_f = out_real.shape[0], out_fake.shape[0]
    return least_squares_d_value(out_real, out_fake), (out_real - 1.0) / n_r, out_fake / n_f


def least_squares_g_value(out_fake):
    return 0.5 * _mean((out_fake - 1.0) ** 2)


def least_squares_g_grad(out_fake, out=None):
    return np.divide(out_fake - 1.0, out_fake.shape[0], out=out)


def least_squares_g(out_fake):
    r"""LSGAN generator loss (Mao et al. 2017, eq. 2 with :math:`c=1`): :math:`L_G = \frac12\,\overline{(D(G(z))-1)^2}`."""
    return least_squares_g_value(out_fake), least_squares_g_grad(out_fake)


def wasserstein_critic_value(f_real, f_fake):
    return _mean(f_fake) - _mean(f_real)


def wasserstein_critic(f_real, f_fake):
    r"""The WGAN critic loss (Arjovsky et al. 2017, Algorithm 1), minimised by the critic :math:`f`:

    .. math:: L_f = \overline{f(G(z))} - \overline{f(x)}, \qquad -L_f \approx W_1(P_r, P_g) \text{ when } f
              \text{ is 1-Lipschitz (up to the clipping's scale).}

    Returns ``(loss, d_real, d_fake)``.
    """
    n_r, n_f = f_real.shape[0], f_fake.shape[0]
    return wasserstein_critic_value(f_real, f_fake), np.full_like(f_real, -1.0 / n_r), np.full_like(f_fake, 1.0 / n_f)


def wasserstein_generator_value(f_fake):
    return -_mean(f_fake)


def wasserstein_generator_grad(f_fake, out=None):
    dz = np.empty_like(f_fake) if out is None else out
    dz.fill(-1.0 / f_fake.shape[0])
    return dz


def wasserstein_generator(f_fake):
    r"""The WGAN generator loss :math:`L_G = -\overline{f(G(z))}`."""
    return wasserstein_generator_value(f_fake), wasserstein_generator_grad(f_fake)


def clip_weights(theta, c):
    """WGAN's weight clipping, in place: every critic parameter into ``[-c, c]`` (Arjovsky et al. 2017, Alg. 1)."""
    np.clip(theta, -c, c, out=theta)
    return theta


GENERATOR_LOSSES = {"nonsaturating": generator_nonsaturating, "minimax": generator_minimax}


def _split(z, B):
    """A batch of logits with its ``B`` real rows first, as ``(real, fake)``."""
    return z[..., :B, :], z[..., B:, :]


def _two_sided_grad(loss):
    """The gradient half of a ``(real, fake) -> (loss, d_real, d_fake)`` loss, on one batch with real rows first."""
    def grad(z, t, B, out):
        _, out[:B], out[B:] = loss(*_split(z, B))
        return out
    return grad


_BCE_HALVES = (lambda z, t, B: bce_value(z, t), lambda z, t, B, out: bce_grad(z, t, out))
# The discriminator's loss in the game of each generator loss, as its two halves: ``value(z, t, B)`` on a batch of
# logits with ``B`` real rows first (labels ``t``; a block of batches too), ``grad(z, t, B, out)``. For a training loop.
DISCRIMINATOR_HALVES = {
    "nonsaturating": _BCE_HALVES, "minimax": _BCE_HALVES,
    "lsgan": (lambda z, t, B: least_squares_d_value(*_split(z, B)), _two_sided_grad(least_squares_d)),
    "wgan": (lambda z, t, B: wasserstein_critic_value(*_split(z, B)), _two_sided_grad(wasserstein_critic)),
}
# Each generator loss as its two halves (value, gradient with ``out``), for a training loop.
GENERATOR_HALVES = {"nonsaturating": (nonsaturating_value, nonsaturating_grad), "minimax": (minimax_value, minimax_grad),
                    "lsgan": (least_squares_g_value, least_squares_g_grad),
                    "wgan": (wasserstein_generator_value, wasserstein_generator_grad)}
