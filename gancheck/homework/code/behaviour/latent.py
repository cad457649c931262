r"""The latent batch a generator step drew inside itself, recovered from the draws recorded in the student's process.

The worker records every random draw (:mod:`..plan`): NumPy's global functions, ``default_rng`` generators and a
generator passed in. A step that draws its batch of :math:`n \times d` latent numbers leaves it there — in one draw
of shape ``(n, d)``, or ``(d, n)`` for samples as columns, or flat and reshaped (either way), or in several draws
concatenated. :func:`candidates` lists every batch the draws could be, most likely first; the caller picks the one
with which the step makes sense (the loss it returns, or the nearest gradient step).
"""
import numpy as np


def candidates(draws, N, d):
    """``(N, d)`` arrays the recorded ``draws`` (``[(name, values)]``) could be the latent batch of."""
    flat = [np.asarray(values, dtype=float).reshape(-1) for _, values in draws]
    found = [v.reshape(N, d) for v in flat if v.size == N * d]
    found += [v.reshape(d, N).T for v in flat if v.size == N * d and d != 1 and N != 1]
    if len(flat) > 1 and sum(v.size for v in flat) == N * d:
        found.append(np.concatenate(flat).reshape(N, d))
    return found


def drawn(draws):
    """What was drawn, in words, for a message: ``randn: 10 numbers, uniform: 3 numbers`` (or ``nothing``)."""
    return ", ".join(f"{name}: {np.size(values)} numbers" for name, values in draws) or "nothing"
