r"""The homework's backprop chain: every "bar" quantity of the 1-D GAN as a per-sample, per-unit scalar formula.

This module is the single reference for those formulas: the homework checker (:mod:`gancheck.homework`), the docs and
the derivations :mod:`derivations.disc_backprop` / :mod:`derivations.gen_backprop` (which *prove* every formula here by
SymPy differentiation of the loss built from explicit element symbols, and compare with gancheck's NumPy backward)
all read it.

The model (lecture notation, one sample, unit indices dropped):

* discriminator D: :math:`g = Ux + b,\ h = \mathrm{relu}(g),\ z = Wh + c,\ y = σ(z)`, batch loss
  :math:`L = \frac1N\sum_n \big[t\log(1+e^{-z}) + (1-t)\log(1+e^{z})\big]`;
* generator G (latent :math:`x`): :math:`g = Ux + b,\ h = \mathrm{relu}(g),\ y = Wh + c`, and G's :math:`y` is D's
  :math:`x`. Loss ``"nonsaturating"``: D's BCE with targets :math:`t = 1`; ``"minimax"``:
  :math:`L = \frac1N\sum_n \log(1 - D(G(x)))` (Goodfellow et al. 2014, eq. 1).

Scalar form: a product such as ``W_bar = z_bar*h`` stands for :math:`\bar W_j = \sum_n \bar z_n h_{nj}` — every index
of the right-hand side that the left-hand side lacks is summed (over the batch or over units). The factor :math:`1/N`
is explicit in ``z_bar``. The ReLU derivative is ``Heaviside(g, 0)``, i.e. :math:`\mathbb 1[g > 0]`, 0 at the kink
(as :class:`gancheck.nn.ReLU` computes it); accepting the other convention at :math:`g = 0` is the checker's business.

API::

    chain(net, loss="nonsaturating") -> list[Quantity]   # net "D" or "G"; G's chain starts with D's path to its input
    forward_symbols(net) -> dict[str, Symbol]           # "x", "g", ..., "N"; for "G" also D's as "D.x", "D.y", ...
    symbols(net, loss="nonsaturating") -> dict[str, Symbol]  # forward symbols + quantities ("z_bar", "D.x_bar", ...)
    elementwise_definitions(net) -> dict[Symbol, Expr]  # y = σ(z), h = relu(g): substitute to compare sigmoid(z) with y
    loss(net, loss_kind="nonsaturating") -> Expr        # one sample's term of the batch loss, 1/N explicit
    index_roles() -> dict[Symbol, tuple[str, ...]]      # each symbol's indices: h is h_{nl}, W is W_l, ...

Symbols carry no assumptions, and every net's symbols are distinct: D's :math:`U` is ``Symbol("U_D")`` (LaTeX
:math:`U_{D}`), G's is ``Symbol("U_G")``, :math:`\bar z` of D is ``Symbol("zbar_D")`` (LaTeX :math:`\bar z_{D}`); the
batch size ``Symbol("N")`` is shared. Student-facing names map to them through :func:`symbols`.
"""
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from gancheck import GancheckError

NETS = ("D", "G")
LOSSES = ("nonsaturating", "minimax")
N = sp.Symbol("N")

# Forward names per net, in the order the lecture introduces them.
_FORWARD = {"D": ("x", "g", "h", "z", "y", "t", "U", "b", "W", "c"), "G": ("x", "g", "h", "y", "U", "b", "W", "c")}


@dataclass(frozen=True)
class Quantity:
    """One "bar" quantity: ``symbol`` equals ``local`` (earlier quantities' symbols allowed) and ``expanded`` (forward
    symbols only)."""

    name: str
    symbol: sp.Symbol
    local: sp.Expr
    expanded: sp.Expr
    meaning: str
    depends_on: tuple


def _check_net(net):
    if net not in NETS:
        raise GancheckError(f"unknown network {net!r}; choose from {', '.join(NETS)}")


def _check_loss(loss):
    if loss not in LOSSES:
        raise GancheckError(f"unknown generator loss {loss!r}; choose from {', '.join(LOSSES)}")


@lru_cache(maxsize=None)
def _own(net):
    return {name: sp.Symbol(f"{name}_{net}") for name in _FORWARD[net]}


def forward_symbols(net):
    """Student-facing forward name → Symbol: the net's own names unprefixed plus ``"N"``; for ``"G"`` also D's forward
    symbols (except the target ``t``) prefixed ``"D."``, which the generator's chain reaches through the frozen D."""
    _check_net(net)
    out = dict(_own(net), N=N)
    if net == "G":
        out.update({f"D.{k}": v for k, v in _own("D").items() if k != "t"})
    return out


_BARS = {"D": "zWchgUbx", "G": "yWchgUb"}  # the homework's quantities, in its order

# Index signature of every forward symbol (a quantity has its variable's): n sample; G's latent input i, hidden unit j,
# output k; D's input k (G's output feeds it) and hidden unit l. Scalar forms sum over the indices their target lacks.
_INDICES = {
    "D": {"x": "nk", "g": "nl", "h": "nl", "z": "n", "y": "n", "t": "n", "U": "lk", "b": "l", "W": "l", "c": ""},
    "G": {"x": "ni", "g": "nj", "h": "nj", "y": "nk", "U": "ji", "b": "j", "W": "kj", "c": "k"},
}


def index_roles():
    """Symbol → tuple of index letters, for every forward symbol, every quantity symbol and ``N`` (no index):
    ``n`` sample; G's latent ``i``, hidden ``j``, output ``k``; D's input ``k`` and hidden ``l``. The scalar form of a
    quantity sums over each index of its right-hand side that its own signature lacks (:mod:`derivations.indexed`)."""
    roles = {N: ()}
    for net, table in _INDICES.items():
        for name, letters in table.items():
            roles[_own(net)[name]] = tuple(letters)
            if name in _BARS[net]:
                roles[_bar(net, name)] = tuple(letters)
    return roles


def relu_prime(g):
    r"""The ReLU derivative :math:`\mathbb 1[g > 0]` (0 at the kink), as in :class:`gancheck.nn.ReLU`."""
    return sp.Heaviside(g, 0)


def relu(g):
    r""":math:`\mathrm{relu}(g) = \max(g, 0)` as a Piecewise, so that SymPy differentiates it branch by branch."""
    return sp.Piecewise((g, g > 0), (0, True))


def sigmoid(z):
    r""":math:`σ(z) = 1/(1 + e^{-z})`."""
    return 1 / (1 + sp.exp(-z))


def elementwise_definitions(net):
    """The forward relations that hold element by element (no implicit sums): ``y = σ(z)`` and ``h = relu(g)`` for D,
    ``h = relu(g)`` for G plus D's two (through ``"D."`` symbols). Substituting them lets an answer written with
    ``sigmoid(z)`` be compared with the reference's ``y``."""
    _check_net(net)
    d = _own("D")
    out = {d["y"]: sigmoid(d["z"]), d["h"]: relu(d["g"])}
    if net == "G":
        out[_own("G")["h"]] = relu(_own("G")["g"])
    return out


def loss(net, loss_kind="nonsaturating"):
    r"""One sample's term of the batch loss on D's logit, with the batch factor :math:`1/N` explicit (the batch loss is
    its sum over n). ``"D"``: D's BCE (:mod:`derivations.bce`'s ``STABLE``; its ``NAIVE`` form in :math:`y = σ(z)`),
    ``loss_kind`` ignored; ``"G"``: the generator's loss at D's logit :math:`z_D` of a generated sample:

    .. math:: L^D_n = \frac1N\big[t\log(1+e^{-z}) + (1-t)\log(1+e^{z})\big],\qquad
              L^{G,\text{ns}}_n = -\frac1N\log σ(z_D) = \frac1N\log(1+e^{-z_D}),\qquad
              L^{G,\text{mm}}_n = \frac1N\log(1-σ(z_D))

    (Goodfellow et al. 2014, eq. 1 and §3). Differentiated in :math:`z`, each gives its chain's ``D.z_bar``."""
    _check_net(net)
    _check_loss(loss_kind)
    z = _own("D")["z"]
    if net == "D":
        t = _own("D")["t"]
        return (t * sp.log(1 + sp.exp(-z)) + (1 - t) * sp.log(1 + sp.exp(z))) / N
    if loss_kind == "nonsaturating":
        return sp.log(1 + sp.exp(-z)) / N
    return sp.log(1 - sigmoid(z)) / N


def _bar(net, name):
    return sp.Symbol(f"{name}bar_{net}")


def _locals(net):
    """name → (local form, meaning) for the quantities of a net's two layers, in that net's indices."""
    s, bar = _own(net), (lambda name: _bar(net, name))
    j, i = _INDICES[net]["h"][1], _INDICES[net]["x"][1]  # hidden and input index letters
    if net == "D":  # one output: the top gradient is the logit's z̄_n
        top, top_ix, w_ix, w_sum = "z", "", j, ""
    else:  # G's outputs y_k feed D
        top, top_ix, w_ix, w_sum = "y", "k", f"k{j}", "Σ_k "
    t = f"{top}̄{'_' + top_ix if top_ix else ''}"
    return {
        "W": (bar(top) * s["h"], f"∂L/∂W_{w_ix} = Σ_n {t}·h_{j}: the batch sum is implicit"),
        "c": (bar(top), f"∂L/∂c{'_' + top_ix if top_ix else ''} = Σ_n {t}: the batch sum is implicit"),
        "h": (bar(top) * s["W"], f"∂L/∂h_{j} = {w_sum}{t}·W_{w_ix}, per sample"),
        "g": (bar("h") * relu_prime(s["g"]), f"∂L/∂g_{j} = h̄_{j}·1[g_{j} > 0]: the ReLU derivative, 0 at the kink"),
        "U": (bar("g") * s["x"], f"∂L/∂U_{j}{i} = Σ_n ḡ_{j}·x_{i}: the batch sum is implicit"),
        "b": (bar("g"), f"∂L/∂b_{j} = Σ_n ḡ_{j}: the batch sum is implicit"),
        "x": (bar("g") * s["U"], f"∂L/∂x_{i} = Σ_{j} ḡ_{j}·U_{j}{i}: the gradient at D's input, per sample"),
    }


def _top_rows(loss):
    """D's logit gradient for D's own BCE (loss None) or for the generator's loss."""
    d = _own("D")
    return {
        None: ((d["y"] - d["t"]) / N, "∂L/∂z = (y − t)/N per sample: the BCE gradient on the logit, factor 1/N"),
        "nonsaturating": ((d["y"] - 1) / N, "∂L/∂z_D = (D.y − 1)/N: BCE with targets t = 1 (non-saturating)"),
        "minimax": (-d["y"] / N, "∂L/∂z_D = −D.y/N: the minimax loss (1/N)Σ log(1 − D(G(x)))"),
    }[loss]


@lru_cache(maxsize=None)
def _chain(net, loss):
    d_rows, g_rows = _locals("D"), _locals("G")
    if net == "D":
        rows = [("D", "z", _top_rows(None))] + [("D", n, d_rows[n]) for n in _BARS["D"][1:]]
    else:
        g_rows["y"] = (_bar("D", "x"), "∂L/∂y_k = D.x̄_k: G's output is D's input, per sample")
        rows = ([("D", "z", _top_rows(loss))] + [("D", n, d_rows[n]) for n in "hgx"]
                + [("G", n, g_rows[n]) for n in _BARS["G"]])
    quantities, by_symbol = [], {}
    for owner, name, (local, meaning) in rows:
        depends = tuple(by_symbol[s].name for s in sorted(local.free_symbols, key=str) if s in by_symbol)
        expanded = local.xreplace({s: q.expanded for s, q in by_symbol.items()})
        q = Quantity(f"{owner}.{name}_bar", _bar(owner, name), local, expanded, meaning, depends)
        quantities.append(q)
        by_symbol[q.symbol] = q
    return tuple(quantities)


def chain(net, loss="nonsaturating"):
    """The ordered chain of quantities for ``net``; ``loss`` ("nonsaturating" or "minimax") selects the generator's loss
    and does not change D's own chain (its BCE with targets ``t``). G's chain starts with D's path to its input
    (``D.z_bar`` for that loss, ``D.h_bar``, ``D.g_bar``, ``D.x_bar``), then ``G.y_bar`` … ``G.b_bar``."""
    _check_net(net)
    _check_loss(loss)
    return list(_chain(net, loss))


def symbols(net, loss="nonsaturating"):
    """Every name an answer for ``net`` may use → Symbol: :func:`forward_symbols` plus the chain's quantities, the
    net's own unprefixed (``"z_bar"``) and the other net's prefixed (``"D.x_bar"``)."""
    out = forward_symbols(net)
    for q in chain(net, loss):
        short = q.name.split(".", 1)[1]
        out[short if q.name.startswith(f"{net}.") else q.name] = q.symbol
    return out
