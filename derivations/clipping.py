r"""The Lipschitz constant of a weight-clipped critic (lecture: "weight clipping: if w > c then w = c, if w < −c then
w = −c"; Arjovsky et al. 2017, §3).

A critic :math:`f(x) = \sum_l W_l\,\mathrm{relu}(U_l \cdot x + b_l) + c_0` with n inputs and H hidden units has, where
it is differentiable, :math:`\nabla f(x) = \sum_l W_l\,\mathbb 1[g_l > 0]\,U_l`, so by the triangle inequality

.. math:: \|\nabla f\| \le \sum_l |W_l|\,\|U_l\| \le H \cdot c \cdot \sqrt n\, c = H\sqrt n\,c^2 = K(c)

once every parameter is clipped to :math:`[-c, c]` (:math:`\|U_l\|^2 = \sum_k U_{lk}^2 \le n c^2`). The bound is the
best possible: the critic with every weight and bias equal to c has, wherever all units are active, the gradient
:math:`Hc^2\,(1, …, 1)` of norm exactly :math:`H\sqrt n\,c^2`. For the tutorial's 2-25-1 critic and the paper's
:math:`c = 0.01`, :math:`K = 25\sqrt2\cdot10^{-4} ≈ 3.5\cdot10^{-3}`: the critic estimates :math:`K'\cdot W_1` for some
:math:`K' \le K`, a scaled distance (Kantorovich–Rubinstein, :mod:`derivations.duality`).

Numeric: gradients by central differences of a separately written forward pass — at the extremal critic (equality),
at random clipped critics, and at a critic trained by gancheck with the paper's settings (RMSProp 5e-5, c = 0.01) on
the parallel lines (inequalities) — and that trained critic's estimate :math:`\overline{f(x)} - \overline{f(G(z))}`
against :math:`K\cdot|θ|`.
"""
import numpy as np
import sympy as sp

from . import oracles
from .activations import Relu, ReluPrime
from .core import Claim, Comparison, Derivation, Step, definition
from .decide import numeric_function
from .independence import oracle

c = sp.Symbol("c", positive=True)
H, n = sp.symbols("H n", integer=True, positive=True)
l, k = sp.symbols("l k", integer=True, positive=True)
CLIP = 0.01  # the paper's c
STEPS, LR = 500, 5e-5  # RMSProp at the paper's rate: every weight reaches ±c well within these steps


def _gradient_rule(hidden=3, inputs=2):
    """∇f = Σ_l W_l 1[g_l > 0] U_l, from SymPy's derivative of the explicit critic at a small size."""
    U = sp.Matrix(hidden, inputs, lambda i, j: sp.Symbol(f"U_{i}{j}"))
    b, W, xs = (sp.symbols(f"{s}0:{m}") for s, m in (("b", hidden), ("W", hidden), ("x", inputs)))
    g = [sum(U[i, j] * xs[j] for j in range(inputs)) + b[i] for i in range(hidden)]
    f = sum(W[i] * Relu(g[i]) for i in range(hidden))
    return all(sp.expand(sp.diff(f, xs[j]) - sum(W[i] * ReluPrime(g[i]) * U[i, j] for i in range(hidden))) == 0
               for j in range(inputs))


def _row_bound():
    """max of u² over |u| ≤ c is c²: ‖U_l‖² = Σ_k U_lk² ≤ n c²."""
    u = sp.Symbol("u", real=True)
    return sp.maximum(u**2, u, sp.Interval(-c, c)) == c**2


def extremal_norm():
    """‖∇f‖ of the critic with every parameter c, where every unit is active: each coordinate Σ_l c·c = Hc²."""
    coordinate = sp.Sum(c * c, (l, 1, H)).doit()
    return sp.sqrt(sp.Sum(coordinate**2, (k, 1, n)).doit())


def critic_params(rng, hidden, inputs, clip, extremal=False):
    """Lecture-layout parameters of a 2-layer critic clipped to [−clip, clip]: all equal to clip, or uniform."""
    if extremal:
        return {"U": np.full((hidden, inputs), clip), "b": np.full(hidden, clip), "W": np.full(hidden, clip), "c": 0.0}
    return {"U": rng.uniform(-clip, clip, (hidden, inputs)), "b": rng.uniform(-clip, clip, hidden),
            "W": rng.uniform(-clip, clip, hidden), "c": float(rng.uniform(-clip, clip))}


@oracle("central differences", "the largest ‖∇f‖ over the given points, by central differences (h = 1e-6) of the "
                               "critic's forward pass written separately (derivations.oracles)")
def largest_gradient(P, points, h=1e-6):
    def f(v):
        return oracles.mlp_forward(P, v)[2]

    grads = np.stack([(f(points + h * e) - f(points - h * e)) / (2 * h) for e in np.eye(points.shape[1])], axis=1)
    return float(np.max(np.linalg.norm(grads, axis=1)))


@oracle("forward pass", "mean critic output on samples of P_0 minus on P_θ, through the separately written forward "
                        "pass")
def critic_estimate(P, real, fake):
    return float(oracles.mlp_forward(P, real)[2].mean() - oracles.mlp_forward(P, fake)[2].mean())


def trained_critic(rng, theta):
    """A 2-25-1 critic trained by gancheck (the WGAN experiment's critic loop) on the parallel lines, in lecture
    layout."""
    from gancheck import models, optim
    from gancheck.experiments.fixed_g import train_discriminator

    def line(x0):
        return lambda size, gen: np.c_[np.full(size, x0), gen.uniform(0.0, 1.0, size)]

    net = models.discriminator_1d(n_in=2, hidden=25).initialise(rng)
    train_discriminator(net, line(0.0), line(theta), STEPS, rng, objective="wgan", clip=CLIP,
                        opt=optim.RMSProp(net.n_params, lr=LR))
    first, last = net.layers[0], net.layers[2]
    return {"U": first.W.T.copy(), "b": first.b.copy(), "W": last.W[:, 0].copy(), "c": float(last.b[0])}


def numeric(rng, forms):
    K = numeric_function(forms["K(c)"], (H, n, c))
    out = []
    for hidden, inputs, clip in ((25, 2, CLIP), (25, 2, 0.3), (7, 3, 0.05), (4, 5, 1.0)):
        claimed = np.array(float(K(hidden, inputs, clip)))
        active = rng.uniform(0.0, 1.0, (64, inputs))  # all units active where Σx > −1
        out.append(Comparison("K(c) is attained", claimed, largest_gradient(
            critic_params(rng, hidden, inputs, clip, extremal=True), active), 0.0, 1e-6,
            criterion="equal (rel. 1e-6, central differences) at the critic with every parameter = c"))
        points = rng.uniform(-3.0, 3.0, (256, inputs))
        for _ in range(3):
            out.append(Comparison("K(c) bounds random clipped critics", claimed,
                                  largest_gradient(critic_params(rng, hidden, inputs, clip), points), 0.0, 1e-6,
                                  relation=">="))
    theta = 1.0
    P = trained_critic(rng, theta)
    claimed = np.array(float(K(25, 2, CLIP)))
    box = np.c_[rng.uniform(-0.5, 1.5, 512), rng.uniform(-0.5, 1.5, 512)]
    out.append(Comparison("K(c) bounds the trained critic", claimed, largest_gradient(P, box), 0.0, 1e-6,
                          relation=">="))
    real = np.c_[np.zeros(4096), rng.uniform(0.0, 1.0, 4096)]
    fake = np.c_[np.full(4096, theta), rng.uniform(0.0, 1.0, 4096)]
    out.append(Comparison("trained critic's estimate ≤ K·W₁", claimed * theta, critic_estimate(P, real, fake), 0.0,
                          1e-9, relation=">="))
    return out


def derive():
    steps = (
        definition(sp.Eq(sp.Function("f")(sp.Symbol("x")), sp.Sum(sp.Symbol("W_l") * Relu(sp.Symbol("g_l")),
                                                                  (l, 1, H)) + sp.Symbol("c_0")),
                   "a 2-layer critic, g_l = U_l · x + b_l, every parameter clipped to [−c, c]"),
        Step(sp.Eq(sp.Symbol(r"\nabla{f}"), sp.Sum(sp.Symbol("W_l") * ReluPrime(sp.Symbol("g_l")) * sp.Symbol("U_l"),
                                           (l, 1, H))), "the gradient, from SymPy's derivative of the explicit critic "
             "(3 units, 2 inputs shown)", _gradient_rule),
        Step(sp.LessThan(sp.Symbol(r"\|U_{l}\|^{2}"), n * c**2),
             "max u² over |u| ≤ c is c²: ‖U_l‖ ≤ √n c; with |W_l| ≤ c and "
             "0 ≤ 1[·] ≤ 1 the triangle inequality gives ‖∇f‖ ≤ H·c·√n c", _row_bound),
    )
    claims = (Claim("K(c)", sp.Symbol("K(c)"), H * sp.sqrt(n) * c**2, extremal_norm,
                    "the best Lipschitz bound of a clipped n-H-1 ReLU critic, attained when every parameter is c; "
                    "2-25-1 with c = 0.01: 25√2·10⁻⁴ ≈ 3.5·10⁻³"),)
    return Derivation("weight-clipping", "Weight clipping: the Lipschitz constant of a clipped 2-25-1 critic",
                      "lecture (weight clipping); Arjovsky et al. 2017, §3", steps, claims, numeric,
                      lecture="Weight clipping |w| ≤ c: the critic is K-Lipschitz, K = H√n c²")
