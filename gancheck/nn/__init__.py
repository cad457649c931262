"""Neural-network primitives (dense, convolutions, activations, dropout, reshapes) and their composition (MLP,
stacked GAN)."""
from .activations import ACTIVATIONS, LeakyReLU, Linear, ReLU, Sigmoid, Tanh
from .conv import Conv2D, Conv2DTranspose, conv2d_backward, conv2d_forward
from .dense import Dense
from .dropout import Dropout
from .init import glorot_uniform, he_uniform
from .mlp import MLP, Stacked
from .reshape import Flatten, Reshape

__all__ = ["ACTIVATIONS", "Conv2D", "Conv2DTranspose", "Dense", "Dropout", "Flatten", "LeakyReLU", "Linear", "MLP",
           "ReLU", "Reshape", "Sigmoid", "Stacked", "Tanh", "conv2d_backward", "conv2d_forward", "glorot_uniform", "he_uniform"]
