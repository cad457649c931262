r"""Reference-free behavioural checks: a student's code judged against *their own* network.

Everything here is pure parent-side code over plain callables and arrays — no sandbox, no reference network of the
same shape — so it unit-tests in-process and the grader only has to supply "call this student function with these
arrays":

* :mod:`.fd` — central differences in float64, the step chosen per coordinate's scale.
* :mod:`.step` — :func:`~.step.check_step`: is ``after − before`` equal to :math:`-α\nabla l` of the student's own
  loss? α recovered, the mistake named (sign, 1/N, transpose, which gradient), a zero gradient noted.
* :mod:`.inputs` — batches with no unit at its kink and no saturated output; weights scaled by fan-in.
* :mod:`.network` — the declared architecture and layouts as gancheck's core MLP (forward checks, safe inputs).
* :mod:`.stability` — sigmoids and losses at :math:`|z| \ge 710`, where a naive ``np.exp`` overflows.
* :mod:`.derivative` — a hand-written activation derivative against finite differences of the activation.
* :mod:`.grading` — the three together for one step function: α at N = 1, then the check at larger N.
"""
from .derivative import check_derivative
from .fd import gradient
from .grading import grade_step
from .stability import check_loss, check_sigmoid
from .step import StepVerdict, check_step, recover_alpha

__all__ = ["StepVerdict", "check_derivative", "check_loss", "check_sigmoid", "check_step", "grade_step",
           "gradient", "recover_alpha"]
