r"""Backprop through a strided 2-D convolution (the DCGAN report, seed 002: strided convolutions and their
transposes), derived on an indexed case and checked against finite differences of a separately written forward pass.

The layer (Keras' ``Conv2D``, a correlation, channels last; one image) with kernel :math:`k\times k`, stride
:math:`s` and :math:`p` zeros padded above and left (:math:`\tilde x` the padded input):

.. math:: y_{i,j,f} = b_f + \sum_{m,n,c} \tilde x_{s i + m,\, s j + n,\, c}\, K_{m,n,c,f}

For any upstream gradient :math:`\bar y` (the loss :math:`L = \sum \bar y \odot y` has exactly that gradient at
:math:`y`), the claims are

.. math:: \bar x_{u,v,c} = \sum_{m,n,f} \tilde y_{u+m,\, v+n,\, f}\, K_{k-1-m,\, k-1-n,\, c,\, f}, \qquad
          \bar K_{m,n,c,f} = \sum_{i,j} \tilde x_{s i+m,\, s j+n,\, c}\, \bar y_{i,j,f}, \qquad
          \bar b_f = \sum_{i,j} \bar y_{i,j,f}

with :math:`\tilde y` the upstream gradient with :math:`s-1` zeros inserted between its pixels and
:math:`k-1-p` before them (:math:`\tilde y_{s i + k - 1 - p,\ s j + k - 1 - p,\ f} = \bar y_{i,j,f}`, zero elsewhere):
:math:`\bar x` is the *transposed convolution* of :math:`\bar y` — zero-inserted for the stride, kernel flipped,
channels swapped — and :math:`\bar K` correlates the input with :math:`\bar y`. The transposed convolution is the
adjoint of the convolution, :math:`\langle Cx, \bar y\rangle = \langle x, C^\top \bar y\rangle`.

Symbolic: SymPy differentiates :math:`L` built from the definition on a 5×5 input with 2 channels, a 3×3 kernel to 2
filters, stride 2 and ``"same"`` padding (:math:`p = 1`), and every entry of each claimed form, instantiated there,
equals its derivative (and the two inner products expand to the same polynomial). Numeric: the claimed forms, on
random arrays of five geometries (that one, Keras' asymmetric padding, ``"valid"``, stride 1, the DCGAN's 4×4
transposed-convolution geometry), against complex-step derivatives of
:func:`derivations.oracles.conv_forward` — explicit loops, no gancheck layer, no SymPy.
"""
from functools import lru_cache

import numpy as np
import sympy as sp

from . import oracles
from .core import Claim, Comparison, Derivation, definition
from .independence import oracle

SOURCE = "DCGAN report (seed 002): strided Conv2D, Conv2DTranspose; Dumoulin & Visin 2016, §4 (transposed convolution)"
i, j, m, n, u, v, c, f = sp.symbols("i j m n u v c f", integer=True, nonnegative=True)
k, s, p, H, W, C, F, Ho, Wo = sp.symbols("k s p H W C F H_o W_o", integer=True, positive=True)
x, xt, K, b, y, yb, yt = (sp.IndexedBase(name) for name in ("x", "xtilde", "K", "b", "y", "ybar", "ytilde"))
xbar, Kbar, bbar = sp.IndexedBase("xbar"), sp.IndexedBase("Kbar"), sp.IndexedBase("bbar")

FORWARD = b[f] + sp.Sum(xt[s * i + m, s * j + n, c] * K[m, n, c, f], (m, 0, k - 1), (n, 0, k - 1), (c, 0, C - 1))
TRANSPOSED = sp.Sum(yt[u + m, v + n, f] * K[k - 1 - m, k - 1 - n, c, f], (m, 0, k - 1), (n, 0, k - 1), (f, 0, F - 1))
CLAIMS = {  # label → (quantity, claimed form, meaning)
    "dL/dx": (xbar[u, v, c], TRANSPOSED, "the input's gradient: the transposed convolution of ȳ (zero-inserted for "
              "the stride, kernel flipped, channels swapped)"),
    "dL/dK": (Kbar[m, n, c, f], sp.Sum(xt[s * i + m, s * j + n, c] * yb[i, j, f], (i, 0, Ho - 1), (j, 0, Wo - 1)),
              "the kernel's gradient: the input correlated with ȳ at stride s"),
    "dL/db": (bbar[f], sp.Sum(yb[i, j, f], (i, 0, Ho - 1), (j, 0, Wo - 1)), "the bias's gradient: ȳ summed over "
              "pixels"),
    "adjoint": (sp.Sum(y[i, j, f] * yb[i, j, f], (i, 0, Ho - 1), (j, 0, Wo - 1), (f, 0, F - 1)),
                sp.Sum(x[u, v, c] * TRANSPOSED, (u, 0, H - 1), (v, 0, W - 1), (c, 0, C - 1)),
                "⟨Cx, ȳ⟩ = ⟨x, Cᵀȳ⟩ (bias 0): the transposed convolution is the convolution's adjoint"),
}
ARGUMENTS = (x, xt, K, b, y, yb, yt, k, s, p, H, W, C, F, Ho, Wo, i, j, m, n, u, v, c, f)
_NAMES = [str(a) for a in ARGUMENTS]
INDICES = {"dL/dx": (u, v, c), "dL/dK": (m, n, c, f), "dL/db": (f,), "adjoint": ()}

# The symbolic case: 5×5×2 input, 3×3 kernel to 2 filters, stride 2, "same" (p = 1 above and left, 1 below/right).
SMALL = dict(H=5, W=5, C=2, F=2, k=3, s=2, pads=((1, 1), (1, 1)))
# Numeric cases: (H, W, C, F, k, s, ((top, bottom), (left, right))): the symbolic one; Keras' "same" for k = 3, s = 2
# on an even side (0 above, 1 below: the DCGAN discriminator's first layer); "valid" with a leftover row and column;
# stride 1; the 8×8 convolution that the DCGAN generator's 4×4, stride-2 transposed convolution transposes.
CASES = [(5, 5, 2, 2, 3, 2, ((1, 1), (1, 1))), (8, 8, 1, 3, 3, 2, ((0, 1), (0, 1))), (7, 6, 2, 3, 3, 2, ((0, 0), (0, 0))),
         (6, 6, 3, 2, 3, 1, ((1, 1), (1, 1))), (8, 8, 3, 2, 4, 2, ((1, 1), (1, 1)))]
# The complex step is exact to rounding (no subtractive cancellation), and both sides are sums of at most
# k²·C·F = 96 products of O(1) normals: their difference is rounding, ≲ 100·ε·O(10) ≈ 1e-13. A wrong form (kernel not
# flipped, channels not swapped, stride ignored, a sign or a factor 2) is off by O(1); the tolerances sit between.
ATOL, RTOL = 1e-10, 1e-9


def _padded(a, pads, dtype):
    (top, bottom), (left, right) = pads
    out = np.zeros((a.shape[0] + top + bottom, a.shape[1] + left + right, a.shape[2]), dtype=dtype)
    out[top:top + a.shape[0], left:left + a.shape[1]] = a
    return out


def zero_inserted(g, size, stride, top, left, image, dtype=float):
    """:math:`\\tilde y`: ``g`` (``(H_o, W_o, F)``) at rows :math:`s i + k - 1 - p`, zeros elsewhere, for an
    ``image`` of ``(H, W)``: ``(H + k - 1, W + k - 1, F)``."""
    out = np.zeros((image[0] + size - 1, image[1] + size - 1, g.shape[2]), dtype=dtype)
    r0, c0 = size - 1 - top, size - 1 - left
    out[r0:r0 + stride * (g.shape[0] - 1) + 1:stride, c0:c0 + stride * (g.shape[1] - 1) + 1:stride] = g
    return out


@lru_cache(maxsize=None)
def _function(form):
    return sp.lambdify(ARGUMENTS, form, "numpy")


def instantiate(form, label, arrays, geometry):
    """The claimed ``form`` of ``label`` at every index of its quantity, for ``arrays`` (``x, K, b, ybar``: NumPy
    float arrays, or object arrays of SymPy symbols) in ``geometry``; the same code serves the proof and the check."""
    h, w, ch, nf, size, stride, pads = geometry
    dtype = object if arrays["x"].dtype == object else float
    yb_ = arrays["ybar"]
    values = dict(x=arrays["x"], xtilde=_padded(arrays["x"], pads, dtype), K=arrays["K"], b=arrays["b"],
                  ybar=yb_, ytilde=zero_inserted(yb_, size, stride, pads[0][0], pads[1][0], (h, w), dtype),
                  k=size, s=stride, p=pads[0][0], H=h, W=w, C=ch, F=nf, H_o=yb_.shape[0], W_o=yb_.shape[1])
    shape = {"dL/dx": (h, w, ch), "dL/dK": (size, size, ch, nf), "dL/db": (nf,), "adjoint": ()}[label]
    out = np.empty(shape, dtype=dtype)
    args = [values.get(name, 0) for name in _NAMES]
    slots = [_NAMES.index(str(q)) for q in INDICES[label]]
    try:
        fn = _function(form)
        for index in np.ndindex(*shape):
            for slot, value in zip(slots, index):
                args[slot] = value
            out[index] = fn(*args)
    except (IndexError, TypeError, ValueError, NameError):  # a candidate reading outside an array, or not a formula
        return None
    return out


def _symbols(h, w, ch, nf, size, out_h, out_w):
    """One plain symbol per entry (``x_0_1_1`` …): SymPy differentiates a polynomial in symbols far faster than in
    ``Indexed`` objects, whose derivatives go through Kronecker deltas."""
    def array(name, shape):
        arr = np.empty(shape, dtype=object)
        for index in np.ndindex(*shape):
            arr[index] = sp.Symbol(f"{name}_{'_'.join(map(str, index))}", real=True)
        return arr
    return dict(x=array("x", (h, w, ch)), K=array("K", (size, size, ch, nf)), b=array("b", (nf,)),
                ybar=array("ybar", (out_h, out_w, nf)))


@lru_cache(maxsize=None)
def small_case():
    """SymPy's own derivatives on :data:`SMALL`: the loss :math:`L = \\sum \\bar y \\odot y` from the definition,
    its gradients with respect to every entry of ``x, K, b``, and :math:`\\langle Cx, \\bar y\\rangle` (bias 0)."""
    g = SMALL
    pads, size, stride = g["pads"], g["k"], g["s"]
    out_h = (g["H"] + sum(pads[0]) - size) // stride + 1
    out_w = (g["W"] + sum(pads[1]) - size) // stride + 1
    arrays = _symbols(g["H"], g["W"], g["C"], g["F"], size, out_h, out_w)
    padded = _padded(arrays["x"], pads, object)
    forward = sp.lambdify((xt, K, b, s, k, C, i, j, f), FORWARD, "numpy")
    y_ = np.empty((out_h, out_w, g["F"]), dtype=object)
    for index in np.ndindex(*y_.shape):
        y_[index] = forward(padded, arrays["K"], arrays["b"], stride, size, g["C"], *index)
    loss = sp.expand(sp.Add(*(y_ * arrays["ybar"]).ravel()))
    terms = [(t, t.free_symbols) for t in loss.args]

    def grad(q):  # ∂L/∂q term by term (differentiation is linear), skipping the terms without q: 15× faster
        return sp.Add(*(t.diff(q) for t, free in terms if q in free))
    derived = {"dL/dx": [grad(q) for q in arrays["x"].ravel()], "dL/dK": [grad(q) for q in arrays["K"].ravel()],
               "dL/db": [grad(q) for q in arrays["b"]],
               "adjoint": [sp.expand(loss.subs({q: 0 for q in arrays["b"]}))]}
    geometry = (g["H"], g["W"], g["C"], g["F"], size, stride, pads)
    # y itself is not handed to the forms: "adjoint" claimed as Σ y·ȳ, its own left side, must not pass
    return arrays, derived, geometry


def prover(forms):
    arrays, derived, geometry = small_case()
    verdicts = {}
    for label, form in forms.items():
        got = instantiate(form, label, arrays, geometry)
        verdicts[label] = got is not None and all(sp.expand(a - d) == 0 for a, d in zip(got.ravel(), derived[label]))
    return verdicts


@oracle("complex step", "complex-step derivatives of a convolution written as loops (derivations.oracles)")
def _gradients(x_, K_, b_, yb_, stride, pads):
    r"""The gradients of :math:`L = \sum \bar y \odot \operatorname{conv}(x, K, b)` with respect to ``x``, ``K``
    and ``b`` by the complex step, and :math:`\langle Cx, \bar y\rangle` (bias 0), from
    :func:`derivations.oracles.conv_forward` — loops, no gancheck layer, no SymPy."""
    def loss(**arrays):
        args = dict(x=x_, K=K_, b=b_) | arrays
        return np.sum(yb_ * oracles.conv_forward(args["x"], args["K"], args["b"], stride, pads))
    return {"dL/dx": oracles.complex_step_params(lambda v: loss(x=v), x_),
            "dL/dK": oracles.complex_step_params(lambda v: loss(K=v), K_),
            "dL/db": oracles.complex_step_params(lambda v: loss(b=v), b_),
            "adjoint": np.array(np.sum(yb_ * oracles.conv_forward(x_, K_, np.zeros_like(b_), stride, pads)))}


@lru_cache(maxsize=16)
def _references(geometry, seed):
    """Random arrays for ``geometry`` and the oracle's values for them (cached: every candidate checked with one seed
    sees the same)."""
    h, w, ch, nf, size, stride, pads = geometry
    rng = np.random.default_rng(seed)
    x_, K_, b_ = rng.normal(size=(h, w, ch)), rng.normal(size=(size, size, ch, nf)), rng.normal(size=nf)
    h_out, w_out = (h + sum(pads[0]) - size) // stride + 1, (w + sum(pads[1]) - size) // stride + 1
    yb_ = rng.normal(size=(h_out, w_out, nf))
    return dict(x=x_, K=K_, b=b_, ybar=yb_), _gradients(x_, K_, b_, yb_, stride, pads)


def numeric(rng, forms):
    out = []
    seed = int(rng.integers(2**63))
    for case, geometry in enumerate(CASES):
        h, w, ch, nf, size, stride, pads = geometry
        arrays, want = _references(geometry, (seed, case))
        tag = f"{h}×{w}×{ch}→{nf}, k {size}, s {stride}, pads {pads}"
        for label, form in forms.items():
            got = instantiate(form, label, arrays, geometry)
            out.append(Comparison(f"{label} ({tag})", np.full(want[label].value.shape, np.nan) if got is None else got,
                                  want[label], ATOL, RTOL))
    return out


def derive():
    steps = (
        definition(sp.Eq(xt[u + p, v + p, c], x[u, v, c]), "the padded input: p zeros above and left (and as many "
                   "below and right as the output size needs), zero elsewhere"),
        definition(sp.Eq(y[i, j, f], FORWARD), "the convolution (Keras' Conv2D: a correlation), stride s, channels "
                   "last"),
        definition(sp.Eq(sp.Symbol("L"), sp.Sum(yb[i, j, f] * y[i, j, f], (i, 0, Ho - 1), (j, 0, Wo - 1),
                                                (f, 0, F - 1))),
                   "a loss with any upstream gradient ȳ = ∂L/∂y (L is linear in y)"),
        definition(sp.Eq(yt[s * i + k - 1 - p, s * j + k - 1 - p, f], yb[i, j, f]),
                   "ȳ zero-inserted: s − 1 zeros between its pixels, k − 1 − p before them, zero elsewhere"),
    )
    claims = tuple(Claim(label, lhs, rhs, meaning=meaning) for label, (lhs, rhs, meaning) in CLAIMS.items())
    g = SMALL
    return Derivation(
        name="conv", title="Backprop through a strided convolution, and its transpose", source=SOURCE, steps=steps,
        claims=claims, numeric=numeric, prover=prover,
        notes=(f"symbolic proof on a {g['H']}×{g['W']}×{g['C']} input, {g['k']}×{g['k']} kernel to {g['F']} filters, "
               f"stride {g['s']}, padding 'same' (p = 1): every entry of each claimed form equals SymPy's derivative",
               "numeric check: the forms on random arrays of five geometries against complex-step derivatives of a "
               "convolution written as loops"),
        lecture="strided convolution backprop (DCGAN report)")


_sum_kernel = ((m, 0, k - 1), (n, 0, k - 1), (f, 0, F - 1))
_sum_pixels = ((i, 0, Ho - 1), (j, 0, Wo - 1))
# Wrong forms that the proof and the check must reject, as (claim label, form, kind, what is wrong) with the kinds of
# tests/wrong_candidates.py:
WRONG = [
    ("dL/dx", sp.Sum(yt[u + m, v + n, f] * K[m, n, c, f], *_sum_kernel), "other", "kernel not flipped"),
    ("dL/dx", sp.Sum(yt[u + m, v + n, f] * K[k - 1 - m, k - 1 - n, f, c], *_sum_kernel), "other",
     "channels not swapped"),
    ("dL/dx", -TRANSPOSED, "sign", "flipped sign"),
    ("dL/dK", sp.Sum(xt[i + m, j + n, c] * yb[i, j, f], *_sum_pixels), "other", "stride ignored"),
    ("dL/dK", 2 * CLAIMS["dL/dK"][1], "factor 2", "factor 2"),
    ("dL/db", sp.Sum(yb[i, j, f], *_sum_pixels) / (Ho * Wo), "other", "mean over pixels for their sum"),
    ("adjoint", sp.Sum(x[u, v, c] * sp.Sum(yt[u + m, v + n, f] * K[m, n, c, f], *_sum_kernel), (u, 0, H - 1),
                       (v, 0, W - 1), (c, 0, C - 1)), "other", "adjoint with the kernel not flipped"),
    ("adjoint", CLAIMS["adjoint"][0], "other", "its own left side, ⟨Cx, ȳ⟩ (circular)"),
]
