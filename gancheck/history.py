"""The training history: per step, D's and G's losses, D's mean output on real and fake rows and its accuracy on each —
all measured on the step's own minibatch (:data:`COLUMNS` says what each column means).

Training runs in blocks of ``BLOCK`` steps: random numbers are drawn a block at a time, and the history is scored a block
at a time (:class:`History`) from the logits each step stored.
"""
import math

import numpy as np
from scipy.special import expit

from . import GancheckError, losses

BLOCK = 100  # steps per block: fewer, larger random draws and history passes

# column → (meaning, unit). Each is measured on the minibatch of that step, before its updates; the evaluations at
# checkpoints (gancheck.metrics) use fresh samples instead, hence the distinct names of the accuracies.
COLUMNS = {
    "d_loss": ("D's loss on the step's real and generated rows (cross-entropy for nonsaturating and minimax)",
               "nats (the WGAN critic's: units of its score)"),
    "g_loss": ("G's loss on the step's latent batch", "nats (the WGAN generator's: units of the critic's score)"),
    "d_real": ("mean D(x) on the step's real rows (the critic's raw score for WGAN and LSGAN)", "probability"),
    "d_fake": ("mean D(G(z)) on the step's generated rows (the critic's raw score for WGAN and LSGAN)", "probability"),
    "batch_acc_real": ("fraction of the step's real rows with D(x) > 1/2 (logit > 0)", "fraction"),
    "batch_acc_fake": ("fraction of the step's generated rows with D(G(z)) < 1/2 (logit < 0)", "fraction"),
}


class NonFiniteError(GancheckError):
    """Training diverged: a loss or a parameter became NaN or infinite. ``step`` is the first bad step (from 0)."""

    def __init__(self, message, step):
        super().__init__(message)
        self.step = step


class History:
    """The history, written a block of steps at a time.

    A step only stores its logits (and labels, when they are noisy); every ``BLOCK`` steps the losses, mean D outputs
    and accuracies of the whole block are computed in one vectorised pass each, so their cost per step is a fraction of
    a microsecond rather than a dozen NumPy calls on 128 numbers. A non-finite loss is reported with the step it
    happened at."""

    def __init__(self, cfg, history, B, M, t, start=0):
        self.cfg, self.history, self.B = cfg, history, B
        self.z_d, self.z_g = np.empty((BLOCK, 2 * B, 1)), np.empty((BLOCK, M, 1))
        self.t = np.broadcast_to(t, self.z_d.shape) if not cfg.label_noise else np.empty_like(self.z_d)
        self.start, self.n = start, 0

    def record(self, z_d, t, z_g):
        self.z_d[self.n], self.z_g[self.n] = z_d, z_g
        if self.cfg.label_noise:
            self.t[self.n] = t
        self.n += 1

    def flush(self):
        """Score the steps recorded since the last flush; returns how many."""
        cfg, B, n, h = self.cfg, self.B, self.n, self.history
        z_d, z_g, rows = self.z_d[:n], self.z_g[:n], slice(self.start, self.start + n)
        h["d_loss"][rows] = losses.DISCRIMINATOR_HALVES[cfg.loss][0](z_d, self.t[:n], B)
        h["g_loss"][rows] = losses.GENERATOR_HALVES[cfg.loss][0](z_g)
        score = expit(z_d) if cfg.loss in ("nonsaturating", "minimax") else z_d  # D(x), or the critic's raw score
        h["d_real"][rows], h["d_fake"][rows] = score[:, :B, 0].mean(1), score[:, B:, 0].mean(1)
        h["batch_acc_real"][rows] = (z_d[:, :B, 0] > 0).mean(1)
        h["batch_acc_fake"][rows] = (z_d[:, B:, 0] < 0).mean(1)
        bad = ~(np.isfinite(h["d_loss"][rows]) & np.isfinite(h["g_loss"][rows]))
        if bad.any():
            step = self.start + int(np.argmax(bad))
            name, value = next((q, h[k][step]) for k, q in (("d_loss", "discriminator loss"),
                                                             ("g_loss", "generator loss"))
                               if not math.isfinite(h[k][step]))
            raise NonFiniteError(f"training diverged at step {step + 1}: {name} is {value}", step)
        self.start, self.n = self.start + n, 0
        return n
