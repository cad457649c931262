r"""Composition: a multilayer perceptron over one flat parameter buffer, and the stacked GAN.

The network owns two flat float64 vectors, ``theta`` (parameters) and ``grad`` (their gradients); every layer's
``W, b, dW, db`` are views into them. Composites only compose: the forward pass chains the layers' ``forward``, the
backward pass chains their ``backward`` in reverse (the chain rule), nothing is hand-fused.

Called plainly, ``forward`` and ``backward`` allocate their results. A training loop passes :class:`Buffers` instead:
the same passes then write into arrays allocated once per batch size, laid out so that each costs as little as it can.
"""
import numpy as np

from .dense import Dense

IN_PLACE = "in place"  # an element-wise layer's gradient overwrites the one it was given (a buffer we own)


def _writes(layer):
    """Whether ``layer`` writes an array of its own (dense, convolution), as opposed to working in place (element-wise
    layers) or returning a view (reshapes)."""
    return isinstance(layer, Dense) or hasattr(layer, "window")


def _next_writer(layers, i):
    return next((layer for layer in layers[i + 1:] if _writes(layer)), None)


def _previous_shaper(layers, i):
    """The last layer before ``i`` that is not element-wise (None if there is none)."""
    return next((layer for layer in reversed(layers[:i]) if _writes(layer) or getattr(layer, "reshapes", False)), None)


class Buffers:
    """Every array of one forward and one backward pass of ``net`` on batches of ``n`` rows, allocated once.

    The layout is what makes the passes cheap:

    * a dense layer's output is written into the first columns of an array whose last column is ones when the next
      dense layer has a bias, so that layer's bias rides in its matrix product (see :class:`Dense`);
    * element-wise layers run in place, on the output of the layer before them;
    * arrays are column-major (feature-major, the lecture's one column per sample): the slice without the ones column
      stays contiguous, and element-wise passes over it run at full speed;
    * ``out`` (optional) is where the last dense layer (or convolution) writes: for the generator, the
      discriminator's input;
    * convolutions write row-major images ``(n, H, W, C)`` that reshapes view without a copy; the dense layers next to
      them use row-major arrays too.

    Fill ``x`` (the input's data columns) and call ``net.forward(buffers.input, buffers=buffers)``. The arrays are
    overwritten by the next pass with the same buffers; the buffers hold the layers ``net`` had when they were made,
    and the caches of a buffered pass are for a buffered backward pass only.
    """

    def __init__(self, net, n, out=None):
        layers, first, dtype = net.layers, net.layers[0], net.theta.dtype
        aug = isinstance(first, Dense) and first.bias
        if isinstance(first, Dense):
            self.input = np.ones((n, first.n_in + aug), dtype, order="F")
            self.x = self.input[:, : first.n_in]
        else:  # a convolution or a reshape reads rows of its in_shape; element-wise layers have none
            self.input = self.x = np.empty((n, *first.in_shape), dtype) if hasattr(first, "in_shape") else None
        ins, outs, dxs = [], [], []
        view = parent = None
        for i, layer in enumerate(layers):
            nxt = _next_writer(layers, i)
            if getattr(layer, "reshapes", False):  # a view of what it reads, which the layers after it read
                ins.append(None)
                outs.append(None)
                dxs.append(None)
                view = parent = None
            elif not _writes(layer):
                ins.append(view)
                outs.append(view)
                dxs.append(IN_PLACE if i < len(layers) - 1 else None)
            elif not isinstance(layer, Dense):  # a convolution reads the array chained to it
                ins.append(None)
                view = out if nxt is None and out is not None else np.empty((n, *layer.out_shape), dtype)
                parent = None
                outs.append(view)
                dxs.append(None)
            else:
                ins.append(parent if layer.bias and parent is not None else view)
                order = "F" if nxt is None or isinstance(nxt, Dense) else "C"
                if nxt is None:
                    view = out if out is not None else np.empty((n, layer.n_out), dtype, order="F")
                    parent = None
                elif isinstance(nxt, Dense) and nxt.bias:
                    parent = np.ones((n, layer.n_out + 1), dtype, order="F")
                    view = parent[:, : layer.n_out]
                else:
                    view, parent = np.empty((n, layer.n_out), dtype, order=order), None
                outs.append(view)
                before = _previous_shaper(layers, i)
                dxs.append(np.empty((n, layer.n_in), dtype, order="F" if before is None or isinstance(before, Dense)
                                    else "C"))
        # The first layer reads the caller's input: its ``ins`` entry is None, as no array was made before it. An
        # identity layer in place does nothing at all, so the passes leave it out (and keep no cache for it).
        kept = [i for i, layer in enumerate(layers) if not getattr(layer, "identity", False)]
        self.forward_steps = [net.forward_steps[i][:2] + (ins[i], outs[i]) for i in kept]
        self.backward_steps = [(layers[i], dxs[i]) for i in reversed(kept)]


class MLP:
    """A stack of layers over one flat parameter vector of ``dtype`` (float64 unless asked otherwise)."""

    def __init__(self, layers, name="mlp", dtype=np.float64):
        self.layers, self.name = list(layers), name
        sizes = [sum(int(np.prod(s)) for s in layer.shapes) for layer in self.layers]
        self.theta = np.zeros(sum(sizes), dtype)
        self.grad = np.zeros(sum(sizes), dtype)
        offsets = np.cumsum([0] + sizes)
        for layer, a, b in zip(self.layers, offsets, offsets[1:]):
            layer.bind(self.theta[a:b], self.grad[a:b])

    def __repr__(self):
        return f"MLP({self.layers}, name={self.name!r})"

    @property
    def n_params(self):
        return self.theta.size

    @property
    def forward_steps(self):
        """``(layer, stochastic, input, output)`` for a pass that allocates: inputs chain, outputs are fresh."""
        return [(layer, getattr(layer, "stochastic", False), None, None) for layer in self.layers]

    @property
    def backward_steps(self):
        return [(layer, None) for layer in reversed(self.layers)]

    def initialise(self, rng):
        """Draw every layer's initial parameters from ``rng`` (a ``numpy.random.Generator``); returns ``self``."""
        for layer in self.layers:
            layer.initialise(rng)
        return self

    def buffers(self, n, out=None):
        """:class:`Buffers` for batches of ``n`` rows (the last dense layer writing into ``out`` if given)."""
        return Buffers(self, n, out)

    def forward(self, x, *, training=False, rng=None, buffers=None):
        """Return ``(out, caches)``; ``training``/``rng`` reach only stochastic layers (dropout)."""
        caches = []
        for layer, stochastic, inp, out in (self if buffers is None else buffers).forward_steps:
            if inp is not None:  # the augmented array whose first columns the previous layer wrote
                x = inp
            x, cache = layer.forward(x, training=training, rng=rng, out=out) if stochastic else layer.forward(x, out)
            caches.append(cache)
        return x, caches

    def backward(self, dout, caches, param_grads=True, *, buffers=None, input_grad=True):
        """Return ``(dx, grad)``: the gradient at the input and the flat parameter gradient ``self.grad``
        (left untouched when ``param_grads=False``, i.e. when this network is frozen). ``input_grad=False`` skips
        the gradient at the input (``dx`` is then ``None``): a first layer fed with data needs none."""
        i = len(caches)
        for layer, out in (self if buffers is None else buffers).backward_steps:
            i -= 1
            dout, _ = layer.backward(dout, caches[i], param_grads, dout if out is IN_PLACE else out, input_grad or i)
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

    def buffers(self, n):
        """``(G's, D's)`` :class:`Buffers` for ``n`` latent rows, G writing straight into D's input."""
        d = self.D.buffers(n)
        return self.G.buffers(n, out=d.x), d

    def forward(self, z, *, training=False, rng=None, buffers=None):
        g_buf, d_buf = buffers or (None, None)
        x, g_caches = self.G.forward(z, training=training, rng=rng, buffers=g_buf)
        logits, d_caches = self.D.forward(x if d_buf is None else d_buf.input, training=training, rng=rng,
                                          buffers=d_buf)
        return logits, (x, g_caches, d_caches)

    def backward(self, dlogits, caches, *, buffers=None, input_grad=True):
        g_buf, d_buf = buffers or (None, None)
        _, g_caches, d_caches = caches
        dx, _ = self.D.backward(dlogits, d_caches, param_grads=False, buffers=d_buf)
        return self.G.backward(dx, g_caches, buffers=g_buf, input_grad=input_grad)
