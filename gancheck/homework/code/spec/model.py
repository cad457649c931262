"""The generalised assignment (format 2) as plain frozen data, built and validated by :mod:`.load`.

Roles name what an argument or a result *is*: ``D.W1``/``D.b1`` … the weight and bias of layer k of net D (in the
layout the net declares), ``D.x`` a batch, ``D.t`` its labels, ``D.x_real``/``D.x_fake`` separate batches,
``D.g1``/``D.a1`` … pre-activations and activations, ``D.z``/``D.y`` the last layer's logits and output, ``D.loss``,
``G.x`` latent points, ``G.t`` the generator's targets, ``N``, ``latent_dim``, ``rng`` a ``numpy.random.Generator``
made for the call; ``@name`` is an intermediate result of a sequence of calls.
"""
from dataclasses import dataclass, field

from .... import GancheckError
from ..assignment import Limits


class AssignmentError(GancheckError):
    """An assignment file that cannot be graded: one line, starting with the path of the offending field."""


@dataclass(frozen=True)
class Net:
    name: str
    layers: tuple            # behaviour.network.Layer, one per dense layer
    samples: str = "rows"

    @property
    def depth(self):
        return len(self.layers)


@dataclass(frozen=True)
class Loss:
    net: str
    form: str = "bce"               # D: bce; G: nonsaturating | minimax
    reduction: str = "mean"         # mean | sum over the batch
    epsilon: float = 0.0            # the ε of a student's log(y + ε), accepted within 20ε (behaviour.step)
    batches: str = "together"       # together | separate (real and fake halves, losses added)
    latent: str = "normal"          # normal | uniform (U(low, high))
    low: float = -1.0
    high: float = 1.0
    rng: str = "np.random"          # np.random | default_rng | argument (a Generator passed in)
    labels: str = "vector"          # t as (N,) | "column" (N, 1) | "row" (1, N)


@dataclass(frozen=True)
class Call:
    target: str                     # a module-level function, or a method of the instance
    args: tuple = ()                # roles, "@names" or ("value", constant)
    kwargs: tuple = ()              # ((keyword, role or constant), …)
    returns: tuple = ()             # roles, "@names" or "_" (ignored)


@dataclass(frozen=True)
class Function:
    name: str
    role: str                       # D.step, G.step, D.forward, G.forward, loss, sigmoid, derivative
    calls: tuple                    # Call, in order (one for a plain function)
    cls: str = None                 # the class whose instance runs the calls
    constructor: tuple = ()         # ((keyword, constant), …)
    attributes: tuple = ()          # ((role, path on the instance), …): parameters held by the instance
    module: str = None              # the submission's module that defines it (multi-file submissions)
    alpha: float = None
    derivative_of: str = None       # for role = "derivative": the activation function it differentiates
    points: dict = field(default_factory=dict)   # item → points
    hidden: frozenset = frozenset()
    signature: str = ""

    @property
    def max_points(self):
        return sum(self.points.values())

    @property
    def net(self):
        """``"D"`` of ``D.step``, ``None`` for a role of no net."""
        return self.role.rpartition(".")[0] or None


@dataclass(frozen=True)
class Test:
    name: str
    points: float
    hidden: bool = False
    file: str = None


@dataclass(frozen=True)
class Spec:
    title: str
    nets: dict
    losses: dict
    functions: tuple
    tests: tuple = ()
    imports: tuple = ("numpy", "scipy", "math")
    stubbed: tuple = ("matplotlib",)
    batches: tuple = (1, 3, 16)
    tolerance: float = 1e-5
    source: str = ""
    limits: Limits = Limits()
    entry: str = None               # the file of a multi-file submission whose namespace the functions are in
    packages: tuple = ("numpy", "scipy")   # the third-party packages of `imports` (the standard library is there)

    @property
    def max_points(self):
        return sum(f.max_points for f in self.functions) + sum(t.points for t in self.tests)
