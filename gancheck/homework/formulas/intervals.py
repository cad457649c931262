r"""A real variable confined to an interval, written through a positive parameter that SymPy and the sampler both
understand:

.. math:: x \in (c, \infty):\ x = c + u, \qquad x \in (-\infty, c):\ x = c - u, \qquad
          x \in (a, b):\ x = a + (b - a)\,\frac{u}{1 + u}, \qquad u > 0.

Why: SymPy's assumptions say *positive*, never *less than 1* or *less than* :math:`\log 2`. With :math:`D = u/(1+u)`
it knows :math:`1 - D = 1/(1+u) > 0` and splits :math:`\log(1 - D)`; with :math:`t = \log 2 - u` it knows
:math:`\log 2 - t > 0`. The numeric side samples :math:`u` (log-uniformly, :mod:`.numeric`), so every sampled point
lies inside the interval, and a counterexample shows :math:`x`, never :math:`u`. The parameter's name ends in ``'``:
it is never a name a formula can write.
"""
import sympy as sp


def confined(name, low=None, high=None):
    """``(x, u, definition)`` for the variable ``name`` on ``(low, high)`` (numbers, None for ±∞): the Symbol formulas
    are read in (positive or negative where the interval allows), the parameter ``u > 0`` and ``x``'s definition in
    it — ``u`` and the definition are None where no parameter is needed (all of ℝ, or ``(0, ∞)``)."""
    if low is not None and high is not None and not low < high:
        raise ValueError(f"the interval ({low}, {high}) is empty")
    positive, negative = low is not None and low >= 0, high is not None and high <= 0
    x = sp.Symbol(name, positive=True) if positive else sp.Symbol(name, negative=True) if negative else \
        sp.Symbol(name, real=True)
    if (low is None and high is None) or (low == 0 and high is None):
        return x, None, None
    u = sp.Symbol(f"{name}'", positive=True)
    if high is None:
        return x, u, low + u
    if low is None:
        return x, u, high - u
    return x, u, low + (high - low) * u / (1 + u)
