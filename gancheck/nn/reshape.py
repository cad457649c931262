"""Shape-only layers: ``Reshape`` and ``Flatten`` (Keras' order: C order, channels last), views where the layout
allows, with nothing to learn and a backward pass that only restores the shape."""
import numpy as np

from .. import GancheckError
from .activations import Activation


class Reshape(Activation):
    """Each row of the batch reshaped to ``shape`` (Keras' ``Reshape(target_shape)``). ``in_shape`` (default: the
    flat rows of as many numbers) is the shape of the rows it reads, which a network needs only when this is its
    first layer (to allocate its input)."""

    reshapes = True  # no array of its own: the training buffers chain its view (see gancheck.nn.Buffers)

    def __init__(self, shape, in_shape=None):
        self.out_shape = tuple(int(v) for v in shape)
        self.in_shape = (int(np.prod(self.out_shape)),) if in_shape is None else tuple(int(v) for v in in_shape)
        if min(self.out_shape + self.in_shape, default=0) < 1 or np.prod(self.in_shape) != np.prod(self.out_shape):
            raise GancheckError(f"cannot reshape rows of shape {self.in_shape} to {self.out_shape}")

    def __repr__(self):
        return f"Reshape({self.out_shape})"

    def forward(self, x, out=None):
        return x.reshape(len(x), *self.out_shape), x.shape

    def backward(self, da, shape, param_grads=True, out=None, input_grad=True):
        return da.reshape(shape), ()


class Flatten(Reshape):
    """Each row of the batch as one vector (Keras' ``Flatten``): an image ``(H, W, C)`` becomes ``H·W·C`` numbers."""

    def __init__(self, in_shape):
        super().__init__((int(np.prod(in_shape)),), in_shape)

    def __repr__(self):
        return f"Flatten({self.in_shape})"
