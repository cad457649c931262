r"""One step function graded behaviourally: α recovered at N = 1, then :math:`θ' = θ - α\nabla l` checked at each N.

The caller supplies two plain callables over ``{name: array}`` parameter dicts — the only contact with the student's
code, so the same function serves in-process tests and the sandbox:

* ``step(params, N, rng) -> (new_params, returned_loss or None, losses)`` makes one step on a batch of size N that it
  draws from ``rng``, and returns the updated parameters, the loss the student's code returned (if any) and
  ``losses([params, …]) -> [float, …]``, the student's own loss on *that* batch (their forward pass and the declared
  loss form) at many parameters at once, which is differentiated numerically at the parameters before the step.
  It may raise :class:`Unsafe` (the batch it drew itself puts a unit at its kink): the observation is redrawn.
* ``params(N, rng)`` — the parameters before the step, drawn safely (:mod:`.inputs`).

At N = 1 a missing or an extra 1/N cannot show, so α is recovered there (unless declared); the larger batches then
catch what scales with N.
"""
from dataclasses import dataclass, field

import numpy as np

from . import fd
from .step import StepVerdict, check_step, recover_alpha, tolerance

AT_MOST = 48   # coordinates per parameter array differentiated numerically (all of a smaller array)
REDRAWS = 40   # a generator step draws its own latent batch, which may put a unit at its kink or D(G(z)) beyond
               # σ = 0.95: with 5 redraws, 1 of 8 seeds left the course's G step without a verdict; a redraw is cheap


class Unsafe(Exception):
    """The observation cannot be differentiated numerically (a unit at its kink): draw another."""


@dataclass
class StepReport:
    verdict: StepVerdict
    alpha: float = None
    alpha_origin: str = ""
    loss_reason: str = None      # why the returned loss is wrong, or None
    notes: list = field(default_factory=list)
    observed: tuple = None       # (before, after, N, the student's own loss at before) of the last step checked


def _observe(step, params, N, seed):
    for attempt in range(REDRAWS):
        rng = np.random.default_rng(seed + 7919 * attempt)
        before = {k: np.array(v, dtype=float) for k, v in params(N, rng).items()}
        try:
            new, returned, loss = step({k: v.copy() for k, v in before.items()}, N, rng)
            return before, new, returned, loss
        except Unsafe:
            if attempt == REDRAWS - 1:
                raise


def grade_step(step, params, batches=(1, 3, 16), alpha=None, epsilon=0.0, names=None, seed=0):
    """A :class:`StepReport` for ``step`` (see the module's docstring); ``params(N, rng)`` draws the parameters."""
    notes, origin = [], "declared"
    if alpha is None:
        for attempt in range(3):
            before, new, _, loss = _observe(step, params, batches[0], seed + attempt)
            grads = fd.gradient(loss, before, AT_MOST, np.random.default_rng(seed), batched=True)
            alpha = recover_alpha(before, new, grads)
            if alpha is not None:
                origin = f"recovered at N = {batches[0]}"
                break
        else:
            notes.append(f"no learning rate could be recovered at N = {batches[0]}: no parameter moved along the "
                         "gradient of your loss")
    verdict, loss_reason, observed = None, None, None
    for N in batches:
        before, new, returned, loss = _observe(step, params, N, seed + 100 + N)
        own = loss([before])[0]
        if not np.isfinite(own):
            verdict = StepVerdict(False, alpha, f"N = {N}: your own loss (your forward pass, the declared loss) is "
                                                f"{own} here, so there is no gradient to compare the step with")
            break
        grads = fd.gradient(loss, before, AT_MOST, np.random.default_rng(seed + N), batched=True)
        verdict = check_step(before, new, grads, alpha, N, epsilon, names)
        if verdict.inconclusive:
            notes.append(f"N = {N}: {verdict.message}")
            continue
        observed = (before, new, N, own)
        if returned is not None and loss_reason is None:
            loss_reason = _returned_loss(returned, own, N, epsilon)
        if not verdict.passed:
            verdict.message = f"N = {N}: {verdict.message}"
            break
    return StepReport(verdict, alpha, origin, loss_reason, notes, observed)


def _returned_loss(returned, expected, N, epsilon):
    returned = float(np.asarray(returned, dtype=float).reshape(-1)[0]) if np.size(returned) == 1 else None
    if returned is None:
        return "the loss returned is not a single number"
    if abs(returned - expected) <= (tolerance(epsilon) * 10) * max(1.0, abs(expected)):
        return None
    if N > 1 and abs(returned - N * expected) <= 1e-6 * abs(N * expected):
        return f"is N = {N} times the loss (a sum where the mean belongs): {returned:.6g}, expected {expected:.6g}"
    if N > 1 and abs(returned * N - expected) <= 1e-6 * abs(expected):
        return f"is the loss divided by N = {N} (the mean where the sum belongs): {returned:.6g}, expected {expected:.6g}"
    return f"is {returned:.6g}, expected the loss before the step, {expected:.6g}"
