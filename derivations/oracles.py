r"""Independent computations shared by the numeric checks: the *want* sides (see :mod:`derivations.independence`).

Nothing here imports gancheck or SymPy. Each function computes a quantity from its *definition*, by a method that
shares no code with the closed form it is compared with:

* :func:`complex_step_rows`, :func:`complex_step_params` — derivatives by the complex step
  :math:`f'(v) = \operatorname{Im} f(v + ih)/h` with :math:`h = 10^{-30}` (no subtractive cancellation: exact to
  rounding, Squire & Trapp 1998) of forward passes written here, separately from any backward pass;
* :func:`mlp_d_terms`, :func:`mlp_g_terms` — the course's two-layer MLPs and losses, forward only, complex-capable;
* :func:`mp_derivative` (the complex step in mpmath), :func:`mp_sum` and the information-theory definitions at
  ``DIGITS`` significant digits (mpmath);
* :func:`transport` — exact optimal transport between discrete measures by linear programming
  (``scipy.optimize.linprog``, HiGHS), and :func:`lipschitz_dual` — the Kantorovich–Rubinstein dual LP;
* :func:`normal_logpdf` — the Gaussian log-density written out.
"""
import mpmath
import numpy as np
from scipy.optimize import linprog
from scipy.spatial.distance import cdist

DIGITS = 40
STEP = 1e-30  # complex step: any h ≪ √eps works; the derivative's error is O(h²) ≈ 1e-60 relative


def complex_step_rows(f, v):
    r""":math:`\partial\big(\sum_n f_n\big)/\partial v_{nj}` for a per-sample function ``f`` (returns one term per row
    ``n``, each depending only on row ``n`` of ``v``): perturbing a whole column at once is exact because the rows do
    not interact."""
    v = np.asarray(v, dtype=float)
    flat = v.reshape(v.shape[0], -1)
    out = np.empty_like(flat)
    for j in range(flat.shape[1]):
        w = flat.astype(complex)
        w[:, j] += 1j * STEP
        out[:, j] = np.imag(f(w.reshape(v.shape))) / STEP
    return out.reshape(v.shape)


def complex_step_params(f, v):
    r""":math:`\partial f/\partial v_i` for a scalar function ``f`` of the array ``v``, one complex evaluation per
    element."""
    v = np.asarray(v, dtype=float)
    out = np.empty(v.size)
    for i in range(v.size):
        w = v.astype(complex).ravel()
        w[i] += 1j * STEP
        out[i] = np.imag(f(w.reshape(v.shape))) / STEP
    return out.reshape(v.shape)


def mp_derivative(f, x, step="1e-20"):
    r""":math:`f'(x)` by the complex step in mpmath, :math:`\operatorname{Im} f(x + ih)/h` with :math:`h = 10^{-20}`: at
    30 or more digits the truncation error :math:`O(h^2)` is below :math:`10^{-40}` relative."""
    h = mpmath.mpf(step)
    return mpmath.im(f(mpmath.mpc(x, h))) / h


def relu(g):
    return np.where(np.real(g) > 0, g, 0.0)


def softplus(u):
    r""":math:`ζ(u) = \log(1 + e^u)`, complex-capable, without overflow: :math:`u + \log(1 + e^{-u})` for
    :math:`\operatorname{Re} u > 0`."""
    u = np.asarray(u)
    return np.where(np.real(u) > 0, u + np.log1p(np.exp(-np.where(np.real(u) > 0, u, 0))),
                    np.log1p(np.exp(np.where(np.real(u) > 0, 0, u))))


def mlp_forward(P, x):
    r"""A two-layer MLP's forward values ``(g, h, out)``: :math:`g = xU^\top + b`, :math:`h = \mathrm{relu}(g)`,
    :math:`\text{out} = hW^\top + c` (lecture layout: ``U`` is (hidden, inputs), ``W`` (outputs, hidden) or (hidden,)
    for one output)."""
    g = x @ P["U"].T + P["b"]
    h = relu(g)
    return g, h, h @ P["W"].T + P["c"]


def mlp_d_terms(P, t, *, x=None, g=None, h=None, z=None):
    r"""The discriminator's per-sample loss terms :math:`\frac1N[t\,ζ(-z) + (1-t)\,ζ(z)]` (BCE on the logit), forward
    from whichever stage is given: :math:`g = xU^\top + b`, :math:`h = \mathrm{relu}(g)`, :math:`z = hW + c`.
    ``P`` holds ``U`` (l, k), ``b`` (l), ``W`` (l), ``c`` (scalar) in the lecture's layout; ``t = None`` gives the
    logits instead of the loss (a generator's loss is applied by :func:`mlp_g_terms`)."""
    if z is None:
        if h is None:
            h = relu(x @ P["U"].T + P["b"] if g is None else g)
        z = h @ P["W"] + P["c"]
    if t is None:
        return z
    return (t * softplus(-z) + (1 - t) * softplus(z)) / z.shape[0]


GENERATOR_LOSS_TERMS = {
    "nonsaturating": lambda z: softplus(-z) / z.shape[0],  # −log σ(z) = ζ(−z)
    "minimax": lambda z: -softplus(z) / z.shape[0],  # log(1 − σ(z)) = −ζ(z)
}


def mlp_g_terms(PG, PD, loss, *, x=None, g=None, h=None, y=None, **d_stage):
    r"""The generator's per-sample loss terms through the frozen discriminator: :math:`g = xU^\top + b`,
    :math:`h = \mathrm{relu}(g)`, :math:`y = hW^\top + c` (G's output, D's input), then D's logit and ``loss``
    ("nonsaturating" :math:`-\log σ(z)` or "minimax" :math:`\log(1-σ(z))`), each divided by N. A D stage (``g_D``,
    ``h_D``, ``z_D``) may be given instead of G's."""
    if not d_stage:
        if y is None:
            if h is None:
                h = relu(x @ PG["U"].T + PG["b"] if g is None else g)
            y = h @ PG["W"].T + PG["c"]
        d_stage = {"x": y}
    stages = {k.removesuffix("_D"): v for k, v in d_stage.items()}
    return GENERATOR_LOSS_TERMS[loss](mlp_d_terms(PD, None, **stages))


def mp_sum(values):
    return mpmath.fsum(values)


def mp_entropy(p):
    r""":math:`-\sum p_i\log p_i` in mpmath (``0 log 0 = 0``)."""
    return -mp_sum(mpmath.mpf(a) * mpmath.log(a) for a in p if a > 0)


def mp_cross_entropy(p, q):
    r""":math:`-\sum p_i\log q_i` in mpmath; :math:`+\infty` if some :math:`q_i = 0 < p_i`."""
    if any(a > 0 and b == 0 for a, b in zip(p, q)):
        return mpmath.inf
    return -mp_sum(mpmath.mpf(a) * mpmath.log(b) for a, b in zip(p, q) if a > 0)


def mp_kl(p, q):
    r""":math:`\sum p_i\log(p_i/q_i)` in mpmath; :math:`+\infty` if some :math:`q_i = 0 < p_i`."""
    if any(a > 0 and b == 0 for a, b in zip(p, q)):
        return mpmath.inf
    return mp_sum(mpmath.mpf(a) * (mpmath.log(a) - mpmath.log(b)) for a, b in zip(p, q) if a > 0)


def mp_jsd(p, q):
    r""":math:`\tfrac12\mathrm{KL}(P\|M) + \tfrac12\mathrm{KL}(Q\|M)`, :math:`M = (P+Q)/2`, in mpmath."""
    m = [(mpmath.mpf(a) + mpmath.mpf(b)) / 2 for a, b in zip(p, q)]
    return (mp_kl(p, m) + mp_kl(q, m)) / 2


def as_float(values):
    """mpmath numbers (or nested lists of them) as a float64 array."""
    return np.array(values, dtype=float)


def transport(x, p, y, q):
    r"""Exact :math:`W_1` between the discrete measures :math:`\sum_i p_i\delta_{x_i}` and
    :math:`\sum_j q_j\delta_{y_j}` (points as rows; 1-D points as a vector): the transport linear programme
    :math:`\min_{\gamma\ge0} \sum_{ij}\gamma_{ij}\|x_i - y_j\|` subject to :math:`\sum_j\gamma_{ij} = p_i`,
    :math:`\sum_i\gamma_{ij} = q_j` — the coupling definition itself, solved by HiGHS."""
    x, y = np.atleast_2d(np.asarray(x, float).T).T, np.atleast_2d(np.asarray(y, float).T).T
    cost = cdist(x, y)
    n, m = cost.shape
    rows = np.kron(np.eye(n), np.ones(m))  # Σ_j γ_ij
    cols = np.kron(np.ones(n), np.eye(m))  # Σ_i γ_ij
    res = linprog(cost.ravel(), A_eq=np.vstack([rows, cols]), b_eq=np.r_[p, q], bounds=(0, None), method="highs")
    if res.status != 0:
        raise RuntimeError(f"transport LP failed: {res.message}")
    return res.fun


def lipschitz_dual(x, p, y, q):
    r"""The Kantorovich–Rubinstein dual on the union of the supports: :math:`\max_f \sum_i p_i f(x_i) - \sum_j q_j
    f(y_j)` over functions with :math:`f(a) - f(b) \le \|a - b\|` for every pair of support points (1-Lipschitz on
    the support, which extends to the whole space by McShane's construction), solved by HiGHS. Returns
    ``(value, f at the support points)``."""
    x, y = np.atleast_2d(np.asarray(x, float).T).T, np.atleast_2d(np.asarray(y, float).T).T
    pts = np.vstack([x, y])
    k = len(pts)
    a, b = np.triu_indices(k, 1)
    dist = cdist(pts, pts)[a, b]
    A = np.zeros((2 * len(a), k))
    A[np.arange(len(a)), a], A[np.arange(len(a)), b] = 1.0, -1.0  # f(a) − f(b) ≤ d
    A[len(a) + np.arange(len(a)), a], A[len(a) + np.arange(len(a)), b] = -1.0, 1.0  # f(b) − f(a) ≤ d
    weight = np.r_[p, -np.asarray(q, float)]
    bounds = [(0, 0)] + [(None, None)] * (k - 1)  # f is defined up to a constant: fix f at the first point
    res = linprog(-weight, A_ub=A, b_ub=np.r_[dist, dist], bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"dual LP failed: {res.message}")
    return -res.fun, res.x


def normal_logpdf(v, m, s):
    r""":math:`\log\mathcal N(v; m, s^2) = -\frac{(v-m)^2}{2s^2} - \log s - \tfrac12\log 2π`."""
    return -((v - m) ** 2) / (2 * s**2) - np.log(s) - 0.5 * np.log(2 * np.pi)


def conv_forward(x, K, b, stride, pads):
    r"""A 2-D convolution (a correlation, channels last, one image) by its definition, one kernel offset at a time:
    :math:`y_{i,j,f} = b_f + \sum_{m,n} \sum_c \tilde x_{si+m,\,sj+n,\,c} K_{m,n,c,f}`, with ``pads`` =
    ``((top, bottom), (left, right))`` zeros around ``x``; complex-capable (for the complex step)."""
    (top, bottom), (left, right) = pads
    h, w, channels = x.shape
    size = K.shape[0]
    dtype = np.result_type(x, K, b)
    padded = np.zeros((h + top + bottom, w + left + right, channels), dtype=dtype)
    padded[top:top + h, left:left + w] = x
    h_out, w_out = (padded.shape[0] - size) // stride + 1, (padded.shape[1] - size) // stride + 1
    out = np.zeros((h_out, w_out, K.shape[3]), dtype=dtype) + b
    for m in range(size):
        for n in range(size):  # the pixels s·i + m, s·j + n of every output (i, j), times K[m, n]: Σ over c
            out += padded[m:m + stride * (h_out - 1) + 1:stride, n:n + stride * (w_out - 1) + 1:stride] @ K[m, n]
    return out
