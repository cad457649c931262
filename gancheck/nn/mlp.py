r"""Composition: a multilayer perceptron over one flat parameter buffer, and the stacked GAN.

The network owns two flat float64 vectors, ``theta`` (parameters) and ``grad`` (their gradients); every layer's
``W, b, dW, db`` are views into them. Composites only compose: the forward pass chains the layers' ``forward``, the
backward pass chains their ``backward`` in reverse (the chain rule), nothing is hand-fused.
"""
import numpy as np


class MLP:
    def __init__(self, layers, name="mlp"):
        self.layers, self.name = list(layers), name
        shapes = [s for layer in self.layers for s in layer.shapes]
        sizes = [int(np.prod(s)) for s in shapes]
        self.theta = np.zeros(sum(sizes))
        self.grad = np.zeros(sum(sizes))
        offsets = np.cumsum([0] + sizes)
        views = [(self.theta[a:b].reshape(s), self.grad[a:b].reshape(s)) for a, b, s in zip(offsets, offsets[1:], shapes)]
        for layer in self.layers:
            mine, views = views[: len(layer.shapes)], views[len(layer.shapes):]
            layer.bind([p for p, _ in mine], [g for _, g in mine])

    def __repr__(self):
        return f"MLP({self.layers}, name={self.name!r})"

    @property
    def n_params(self):
        return self.theta.size

    def initialise(self, rng):
        """Draw every layer's initial parameters from ``rng`` (a ``numpy.random.Generator``); returns ``self``."""
        for layer in self.layers:
            layer.initialise(rng)
        return self

    def forward(self, x, *, training=False, rng=None):
        """Return ``(out, caches)``; ``training``/``rng`` reach only stochastic layers (dropout)."""
        caches = []
        for layer in self.layers:
            if getattr(layer, "stochastic", False):
                x, cache = layer.forward(x, training=training, rng=rng)
            else:
                x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def backward(self, dout, caches, param_grads=True):
        """Return ``(dx, grad)``: the gradient at the input and the flat parameter gradient ``self.grad``
        (left untouched when ``param_grads=False``, i.e. when this network is frozen)."""
        for layer, cache in zip(reversed(self.layers), reversed(caches)):
            dout, _ = layer.backward(dout, cache, param_grads)
        return dout, self.grad

    def summary(self):
        """A Keras-style table of layers and parameter counts."""
        rows = [f"{'layer':<28}{'params':>8}"]
        for layer in self.layers:
            rows.append(f"{layer!r:<28}{sum(int(np.prod(s)) for s in layer.shapes):>8}")
        rows.append(f"{'total':<28}{self.n_params:>8}")
        return "\n".join(rows)


class Stacked:
    r"""The GAN as Keras stacks it: :math:`D(G(z))` with the discriminator frozen.

    Backward flows through ``D`` to its input (:math:`\bar x = \bar g_D U`, computed, never stored in ``D.grad``) and on
    into ``G``: a generator step therefore cannot change ``D``'s parameters.
    """

    def __init__(self, G, D):
        self.G, self.D = G, D

    @property
    def n_params(self):
        return self.G.n_params + self.D.n_params

    @property
    def n_trainable(self):
        return self.G.n_params

    def forward(self, z, *, training=False, rng=None):
        x, g_caches = self.G.forward(z, training=training, rng=rng)
        logits, d_caches = self.D.forward(x, training=training, rng=rng)
        return logits, (x, g_caches, d_caches)

    def backward(self, dlogits, caches):
        _, g_caches, d_caches = caches
        dx, _ = self.D.backward(dlogits, d_caches, param_grads=False)
        return self.G.backward(dx, g_caches)
