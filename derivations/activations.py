r"""The network's elementary functions as SymPy functions with *proved* derivative rules.

Differentiating a composite loss built from explicit ``log(1 + exp(...))`` and ``Piecewise`` expressions is exact but
slow (SymPy re-derives the logistic function and queries the signs of large arguments at every step). Instead the
composites use these functions, whose rules are lemmas proved once, from the explicit forms, by the steps below:

===================  ==============================  =================================================================
function             definition                      rule used when differentiating
===================  ==============================  =================================================================
:class:`Softplus`    :math:`ζ(u) = \log(1+e^u)`      :math:`ζ'(u) = σ(u)`                          (:func:`lemmas`)
:class:`Sigmoid`     :math:`σ(u) = 1/(1+e^{-u})`     :math:`σ' = σ(1-σ)`, :math:`σ(-u) = 1 - σ(u)`  (:func:`lemmas`)
:class:`Relu`        :math:`\max(u, 0)`              :math:`\mathbb 1[u > 0]` = ``Heaviside(u, 0)``  (:func:`relu_lemma`)
===================  ==============================  =================================================================
"""
import sympy as sp

from . import backprop as bp
from .core import Step, identity, same_function


class Sigmoid(sp.Function):
    r""":math:`σ(u) = 1/(1 + e^{-u})`; a leading minus sign is taken out: :math:`σ(-u) = 1 - σ(u)`."""

    @classmethod
    def eval(cls, u):
        if u.is_Number:
            return 1 / (1 + sp.exp(-u))
        if u.could_extract_minus_sign():
            return 1 - cls(-u)

    def fdiff(self, argindex=1):
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, u, **kwargs):
        return 1 / (1 + sp.exp(-u))


class Softplus(sp.Function):
    r""":math:`ζ(u) = \log(1 + e^u)`, whose derivative is :math:`σ(u)`."""

    @classmethod
    def eval(cls, u):
        if u.is_Number:
            return sp.log(1 + sp.exp(u))

    def fdiff(self, argindex=1):
        return Sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, u, **kwargs):
        return sp.log(1 + sp.exp(u))


class ReluPrime(sp.Function):
    r""":math:`\mathbb 1[g > 0]`, i.e. ``Heaviside(g, 0)``, left unevaluated while a composite is differentiated:
    SymPy's Heaviside would query the sign of its (large) argument at every construction."""


class Relu(sp.Function):
    r""":math:`\mathrm{relu}(g) = \max(g, 0)`, differentiated as :math:`\mathbb 1[g > 0]` (see :func:`relu_lemma`)."""

    @classmethod
    def eval(cls, g):
        if g.is_Number:
            return sp.Max(g, 0)

    def fdiff(self, argindex=1):
        return ReluPrime(self.args[0])

    def _eval_rewrite_as_Piecewise(self, g, **kwargs):
        return bp.relu(g)


def relu_lemma():
    r"""Step: :math:`\frac{d}{dg}\max(g,0) = \mathbb 1[g>0]`, from SymPy's derivative of the Piecewise ReLU."""
    g = sp.Symbol("g")
    derivative = sp.diff(bp.relu(g), g)

    def proof():
        return sp.simplify(sp.piecewise_fold(derivative - bp.relu_prime(g).rewrite(sp.Piecewise))) == 0

    return Step(sp.Eq(sp.Derivative(sp.Max(g, 0), g), bp.relu_prime(g)), "SymPy differentiates the Piecewise "
                "max(g, 0) branch by branch; at the kink g = 0 the value 0 is the convention of gancheck.nn.ReLU", proof)


def lemmas():
    """Steps proving the rules of :class:`Softplus` and :class:`Sigmoid` from their explicit forms."""
    u = sp.Symbol("u", real=True)
    zeta, sigma = sp.log(1 + sp.exp(u)), 1 / (1 + sp.exp(-u))
    return [identity(sp.Derivative(zeta, u), sigma, "ζ' = σ: the rule Softplus is differentiated by"),
            identity(sp.Derivative(sigma, u), sigma * (1 - sigma), "σ' = σ(1 − σ): the rule of Sigmoid"),
            identity(sigma.subs(u, -u), 1 - sigma, "σ(−u) = 1 − σ(u): Sigmoid takes out a minus sign")]


def log_one_minus_sigmoid():
    """Step: :math:`\log(1 - σ(u)) = -ζ(u)`, i.e. :math:`-\log(1-σ(u)) = \log(1 + e^u)` (the minimax loss and the
    second half of the BCE in softplus form)."""
    u = sp.Symbol("u", real=True)
    lhs, rhs = sp.log(1 - 1 / (1 + sp.exp(-u))), -sp.log(1 + sp.exp(u))
    return Step(sp.Eq(lhs, rhs), "1 − σ(u) = 1/(1 + e^u): both sides have the derivative −σ(u) on ℝ and agree at u = 0",
                lambda: same_function(lhs, rhs, u))
