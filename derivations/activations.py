r"""The network's elementary functions as SymPy functions with *proved* derivative rules.

Differentiating a composite loss built from explicit ``log(1 + exp(...))`` and ``Piecewise`` expressions is exact but
slow (SymPy re-derives the logistic function and queries the signs of large arguments at every step). Instead the
composites use these functions, whose rules are lemmas proved once, from the explicit forms, by the steps below:

===================  ==============================  =================================================================
function             definition                      rule used when differentiating
===================  ==============================  =================================================================
:class:`Softplus`    :math:`ζ(u) = \log(1+e^u)`      :math:`ζ'(u) = σ(u)`                          (:func:`lemmas`)
:class:`Sigmoid`     :math:`σ(u) = 1/(1+e^{-u})`     :math:`σ' = σ(1-σ)`, :math:`σ(-u) = 1 - σ(u)`  (:func:`lemmas`)
:class:`Relu`        :math:`\max(u, 0)`              :math:`\mathbb 1[u > 0]`, ``Heaviside(u, 0)`` (:func:`relu_lemma`)
===================  ==============================  =================================================================
"""
import sympy as sp

from . import backprop as bp
from .core import Step, identity
from .decide import same_function


class _Elementary(sp.Function):
    """A one-argument function with an explicit form (used for numbers and by ``rewrite``) and NumPy code."""

    numpy_code = ""  # format string with {np} (the NumPy module) and {u} (the argument)

    @classmethod
    def explicit(cls, u):
        raise NotImplementedError

    @classmethod
    def eval(cls, u):
        if u.is_Number:
            return cls.explicit(u)

    def _eval_rewrite_as_exp(self, u, **kwargs):
        return self.explicit(u)

    def _numpycode(self, printer):
        return self.numpy_code.format(np=printer._module_format("numpy"), u=printer._print(self.args[0]))

    def _eval_derivative(self, s):
        # the chain rule f'(u)·u', without SymPy's generic `u'.is_zero` test, whose assumption queries on the large
        # arguments of a composite loss cost more than the differentiation itself
        du = self.args[0].diff(s)
        return sp.S.Zero if du == 0 else self.fdiff() * du


class Sigmoid(_Elementary):
    r""":math:`σ(u) = 1/(1 + e^{-u})`; a leading minus sign is taken out: :math:`σ(-u) = 1 - σ(u)`."""

    numpy_code = "{np}.exp(-{np}.logaddexp(0, -({u})))"  # stable for any float: σ(u) = exp(−ζ(−u))

    @classmethod
    def explicit(cls, u):
        return 1 / (1 + sp.exp(-u))

    @classmethod
    def eval(cls, u):
        if u.could_extract_minus_sign():
            return 1 - cls(-u)
        return super().eval(u)

    def fdiff(self, argindex=1):
        return self * (1 - self)


class Softplus(_Elementary):
    r""":math:`ζ(u) = \log(1 + e^u)`, whose derivative is :math:`σ(u)`."""

    numpy_code = "{np}.logaddexp(0, {u})"

    @classmethod
    def explicit(cls, u):
        return sp.log(1 + sp.exp(u))

    def fdiff(self, argindex=1):
        return Sigmoid(self.args[0])


class ReluPrime(_Elementary):
    r""":math:`\mathbb 1[g > 0]`, i.e. ``Heaviside(g, 0)``, left unevaluated while a composite is differentiated:
    SymPy's Heaviside would query the sign of its (large) argument at every construction."""

    numpy_code = "{np}.heaviside({u}, 0.0)"

    @classmethod
    def explicit(cls, u):
        return bp.relu_prime(u)


class Relu(_Elementary):
    r""":math:`\mathrm{relu}(g) = \max(g, 0)`, differentiated as :math:`\mathbb 1[g > 0]` (see :func:`relu_lemma`)."""

    numpy_code = "{np}.maximum({u}, 0.0)"

    @classmethod
    def explicit(cls, u):
        return sp.Max(u, 0)

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

    return Step(sp.Eq(sp.Derivative(sp.Max(g, 0), g), bp.relu_prime(g)),
                "SymPy differentiates the Piecewise max(g, 0) branch by branch; at the kink g = 0 the value 0 is the "
                "convention of gancheck.nn.ReLU", proof)


def lemmas():
    """Steps proving the rules of :class:`Softplus` and :class:`Sigmoid` from their explicit forms."""
    u = sp.Symbol("u", real=True)
    zeta, sigma = sp.log(1 + sp.exp(u)), 1 / (1 + sp.exp(-u))
    return [identity(sp.Derivative(zeta, u), sigma, "ζ' = σ: the rule Softplus is differentiated by"),
            identity(sp.Derivative(sigma, u), sigma * (1 - sigma), "σ' = σ(1 − σ): the rule of Sigmoid"),
            identity(sigma.subs(u, -u), 1 - sigma, "σ(−u) = 1 − σ(u): Sigmoid takes out a minus sign")]


def log_one_minus_sigmoid():
    r"""Step: :math:`\log(1 - σ(u)) = -ζ(u)`, i.e. :math:`-\log(1-σ(u)) = \log(1 + e^u)` (the minimax loss and the
    second half of the BCE in softplus form)."""
    u = sp.Symbol("u", real=True)
    lhs, rhs = sp.log(1 - 1 / (1 + sp.exp(-u))), -sp.log(1 + sp.exp(u))
    return Step(sp.Eq(lhs, rhs), "1 − σ(u) = 1/(1 + e^u): both sides have the derivative −σ(u) on ℝ and agree at u = 0",
                lambda: same_function(lhs, rhs, u))
