r"""Experiments with the generator held fixed: train the discriminator (or critic) alone, and probe G's gradient.

With :math:`p_G` fixed, Algorithm 1's inner loop is plain supervised learning: D minimises the cross-entropy of
"real = 1, generated = 0", i.e. maximises :math:`V(G, D) = \mathbb E_{p_\text{data}}\log D + \mathbb E_{p_G}\log(1-D)`
(Goodfellow et al. 2014, eq. 1), whose maximiser is :math:`D^* = p_\text{data}/(p_\text{data}+p_G)` (Prop. 1).
The WGAN critic instead minimises :math:`\overline{f(G(z))} - \overline{f(x)}` under weight clipping
(Arjovsky et al. 2017, Algorithm 1).
"""
import numpy as np

from .. import losses, optim, progress
from ..nn import Stacked


def train_discriminator(D, sample_real, sample_fake, steps, rng, *, batch=64, objective="bce", opt=None, clip=0.0,
                        lr_final=1.0, every=0, probe=None):
    """Train ``D`` for ``steps`` steps on ``batch`` real and ``batch`` fake rows per step; ``D`` is initialised by the
    caller. ``sample_real(n, rng)`` and ``sample_fake(n, rng)`` return ``(n, dim)`` rows. ``objective`` is ``"bce"``
    (D of the GAN, logits) or ``"wgan"`` (critic); ``opt`` defaults to Adam (Keras defaults); ``clip`` > 0 clips every
    parameter to ``[-clip, clip]`` after each step; the learning rate decays linearly to ``lr_final`` of its start.

    ``probe(step)`` is called before training, every ``every`` steps and after the last step; the list of
    ``(step, probe(step))`` is returned. Each step returns D's loss in ``losses`` (an array of ``steps``)."""
    opt = opt or optim.Adam(D.n_params)
    lr0 = opt.lr
    labels = np.concatenate([np.ones((batch, 1)), np.zeros((batch, 1))])
    trace, d_loss = [], np.empty(steps)
    if probe is not None:
        trace.append((0, probe(0)))
    for step in range(steps):
        opt.lr = lr0 * (1.0 - (1.0 - lr_final) * step / steps)
        x = np.concatenate([sample_real(batch, rng), sample_fake(batch, rng)])
        out, caches = D.forward(x, training=True, rng=rng)
        if objective == "bce":
            d_loss[step], dout = losses.bce_logits(out, labels)
        else:
            d_loss[step], d_real, d_fake = losses.wasserstein_critic(out[:batch], out[batch:])
            dout = np.concatenate([d_real, d_fake])
        D.backward(dout, caches)
        opt.step(D.theta, D.grad)
        if clip:
            losses.clip_weights(D.theta, clip)
        if probe is not None and ((every and (step + 1) % every == 0) or step + 1 == steps):
            trace.append((step + 1, probe(step + 1)))
        if (step + 1) % 100 == 0 or step + 1 == steps:
            progress.advance((step + 1) - 100 * (step // 100))  # the steps since the last report
    return trace, d_loss


def generator_grad_norm(G, D, z, loss):
    r"""Euclidean norm of the generator's parameter gradient :math:`\|\nabla_{θ_G} L_G\|` through the frozen ``D`` on the
    latent batch ``z``, for ``loss`` in :data:`gancheck.losses.GENERATOR_LOSSES` (``"minimax"``:
    :math:`\overline{\log(1-D(G(z)))}`; ``"nonsaturating"``: :math:`-\overline{\log D(G(z))}`). Overwrites ``G.grad``."""
    gan = Stacked(G, D)
    logits, caches = gan.forward(z)
    _, dlogits = losses.GENERATOR_LOSSES[loss](logits)
    _, grad = gan.backward(dlogits, caches)
    return float(np.linalg.norm(grad))
