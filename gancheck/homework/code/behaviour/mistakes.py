r"""Naming a wrong step where the reference model applies: the declared network's gradient with one piece swapped.

A step that is not :math:`-α\nabla l` of the student's own loss fails in :mod:`.step` with the gradients that are
wrong. When the student's loss *is* the declared architecture's (their forward pass agrees with gancheck's core on
the step's input) and a declared layer is a ReLU, the course's whole-step mistake models can say more: the gradient
of gancheck's core network (:mod:`.network`, :mod:`gancheck.nn`) with the ReLU's derivative replaced by the
activation :math:`\mathrm{relu}(g)` or by the inverted mask :math:`\mathbb 1[g < 0]` — for a generator step in its own
backward, in the backward through the discriminator, or both — or with the saturating loss
:math:`\log(1 - D(G(z)))` in place of the non-saturating one (:func:`..reference.mistake_models`). One α is fitted to
the whole step under each model; a model that fits every parameter names the mistake.
"""
import numpy as np

from ....losses import bce_logits, generator_minimax, generator_nonsaturating
from ....nn import Linear, ReLU, Stacked
from ..reference import mistake_models
from .network import core_mlp, from_core
from .step import RTOL

LOSS_MATCH = 1e-8   # relative: the student's loss must be the core's to this, for the reference model to apply


def _mlp(net, params, relu):
    """The core MLP of ``net`` holding ``params``, its ReLUs of class ``relu``, ending in logits (no final σ)."""
    mlp = core_mlp(net.layers, params)
    for i, layer in enumerate(mlp.layers):
        if type(layer) is ReLU:
            mlp.layers[i] = relu()
    if net.layers[-1].activation == "sigmoid":
        mlp.layers[-1] = Linear()
    return mlp


def _rows(net, x):
    return np.asarray(x, dtype=float).T if net.samples == "columns" else np.asarray(x, dtype=float)


def _layer_params(net_name, net, roles):
    return [(roles[f"{net_name}.W{k}"], roles[f"{net_name}.b{k}"]) for k in range(1, net.depth + 1)]


def _grads(net_name, net, mlp):
    grads = {}
    for k, (layer, dense) in enumerate(zip(net.layers, mlp.layers[::2]), 1):
        grads[f"{net_name}.W{k}"], grads[f"{net_name}.b{k}"] = from_core(layer, dense.dW, dense.db)
    return grads


def reference_step(spec, net_name, roles, data, relu=ReLU, d_relu=None, loss=None):
    """``(loss, {role: gradient})`` of the declared loss through gancheck's core networks, in the declared layouts.
    ``roles`` holds every parameter (a generator step's frozen ``D.*`` too); ``data`` the batch: ``x`` and ``t``, or
    ``x_real`` and ``x_fake`` (labels 1 and 0), or the generator's ``latent``."""
    loss_spec = spec.losses.get(net_name)
    scale = (lambda N: N) if loss_spec is not None and loss_spec.reduction == "sum" else (lambda N: 1)
    net = spec.nets[net_name]
    if net_name == "G":
        D = _mlp(spec.nets["D"], _layer_params("D", spec.nets["D"], roles), d_relu or relu)
        G = _mlp(net, _layer_params("G", net, roles), relu)
        G.layers[-1] = net.layers[-1].activation_layer()   # the generator's output activation stays
        latent = _rows(net, data["latent"])
        z, caches = Stacked(G, D).forward(latent)
        form = loss or (loss_spec.form if loss_spec else "nonsaturating")
        value, dz = (generator_minimax if form == "minimax" else generator_nonsaturating)(z)
        Stacked(G, D).backward(dz * scale(len(latent)), caches)
        return value * scale(len(latent)), _grads("G", net, G)
    mlp = _mlp(net, _layer_params(net_name, net, roles), relu)
    halves = ([(data["x_real"], 1.0), (data["x_fake"], 0.0)] if "x_real" in data
              else [(data["x"], np.reshape(data["t"], -1))])
    total = 0.0
    grad = np.zeros_like(mlp.grad)
    for x, t in halves:
        x = _rows(net, x)
        z, caches = mlp.forward(x)
        value, dz = bce_logits(z, np.broadcast_to(np.reshape(t, (-1, 1)), z.shape).astype(float))
        mlp.backward(dz * scale(len(x)), caches)
        total += value * scale(len(x))
        grad += mlp.grad
    mlp.grad[...] = grad
    return total, _grads(net_name, net, mlp)


def applies(spec, net_name):
    """Whether the reference model covers this step: a D ending in σ (or in logits) with BCE, a G through such a D."""
    nets = [spec.nets[net_name]] + ([spec.nets["D"]] if net_name == "G" and "D" in spec.nets else [])
    if net_name == "G" and len(nets) == 1:
        return False
    return nets[-1].layers[-1].activation in ("sigmoid", "identity")


def _fit(deltas, grads):
    """The one α of Δθ = −α∇ over all parameters, and whether it fits every one of them."""
    den = sum(float(np.sum(g * g)) for g in grads.values())
    if den == 0.0:
        return None, False
    alpha = -sum(float(np.sum(deltas[r] * grads[r])) for r in grads) / den
    bound = RTOL * abs(alpha) * max(float(np.max(np.abs(g), initial=0.0)) for g in grads.values())
    return alpha, all(np.all(np.abs(deltas[r] + alpha * grads[r]) <= bound) for r in grads)


def misfit(spec, net_name, roles, before, after, data):
    """How far the step ``before → after`` is from the reference model's best-fitting gradient step on ``data``."""
    _, grads = reference_step(spec, net_name, roles, data)
    deltas = {r: np.asarray(after[r], dtype=float) - np.asarray(before[r], dtype=float) for r in before}
    alpha, _ = _fit(deltas, {r: grads[r] for r in before})
    return sum(float(np.sum((deltas[r] + (alpha or 0.0) * grads[r]) ** 2)) for r in before)


def diagnose(spec, net_name, roles, before, after, data, own_loss):
    """A phrase naming the mistake model the step ``before → after`` follows, or ``None`` (the model does not apply,
    the student's loss is not the architecture's, or no model fits)."""
    if not applies(spec, net_name):
        return None
    reference_loss, _ = reference_step(spec, net_name, roles, data)
    if abs(reference_loss - own_loss) > LOSS_MATCH * max(1.0, abs(reference_loss)):
        return None
    deltas = {r: np.asarray(after[r], dtype=float) - np.asarray(before[r], dtype=float) for r in before}
    _, right = reference_step(spec, net_name, roles, data)
    for description, model in mistake_models(net_name).items():
        if "loss" in model and (spec.losses.get("G") and spec.losses["G"].form == "minimax"):
            continue   # the saturating loss is the declared one: no mistake to name
        _, grads = reference_step(spec, net_name, roles, data, **model)
        if all(np.array_equal(grads[r], right[r]) for r in before):
            continue   # the model changes nothing here (no ReLU in these nets): it cannot name a mistake
        alpha, fits = _fit(deltas, {r: grads[r] for r in before})
        if fits and alpha and alpha > 0:
            return f"your step is gradient descent with {description} (α = {alpha:.4g})"
    return None
