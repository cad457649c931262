r"""An activation's hand-written derivative against finite differences of the activation itself.

Backpropagation through an element-wise activation :math:`a = f(g)` computes :math:`\bar g = \bar a \odot f'(g)`;
that is right iff :math:`\bar a \odot f'(g) = \nabla_g \langle \bar a, f(g)\rangle` for every :math:`\bar a`. The
check compares both sides for a random :math:`\bar a`, the right one by central differences of the student's own
``f`` (:mod:`.fd`). A function that is not element-wise (a softmax) fails here exactly when treating its derivative as
element-wise is wrong: only the diagonal of its Jacobian would be used. Inputs avoid 0, the kink of a ReLU, where
either one-sided derivative is accepted by the step checks instead.
"""
import numpy as np

from . import fd

RTOL = 1e-6


def check_derivative(f, df, shape=(7, 3), rng=None):
    """``None`` if ``df`` is the derivative of ``f`` (in the sense above) on a random input of ``shape``; else why."""
    rng = rng or np.random.default_rng(7)
    g = rng.uniform(0.05, 3.0, shape) * rng.choice([-1.0, 1.0], shape)
    a_bar = rng.normal(size=shape)
    mine = a_bar * np.asarray(df(g.copy()), dtype=float)
    ref = fd.gradient(lambda p: float(np.sum(a_bar * np.asarray(f(p["g"]), dtype=float))), {"g": g})["g"]
    if mine.shape != ref.shape:
        return f"returns shape {mine.shape} for an input of shape {ref.shape}"
    err = np.abs(mine - ref)
    if np.all(err <= RTOL * max(float(np.max(np.abs(ref))), 1e-12)):
        return None
    i = np.unravel_index(int(np.argmax(err)), shape)
    return (f"ā·f'(g) disagrees with ∇⟨ā, f(g)⟩ by finite differences at g = {g[i]:.4g}: yours {mine[i]:.6g}, "
            f"finite differences {ref[i]:.6g}")
