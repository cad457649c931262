"""Neural-network primitives (dense, activations, dropout) and their composition (MLP, stacked GAN)."""
from .activations import ACTIVATIONS, LeakyReLU, Linear, ReLU, Sigmoid, Tanh
from .dense import Dense
from .dropout import Dropout
from .init import glorot_uniform, he_uniform
from .mlp import MLP, Stacked

__all__ = ["ACTIVATIONS", "Dense", "Dropout", "LeakyReLU", "Linear", "MLP", "ReLU", "Sigmoid", "Stacked", "Tanh",
           "glorot_uniform", "he_uniform"]
