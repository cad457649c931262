"""Reconstructed from the facts of christinakouridi/scratchML, NN/model.py @ b553920df38eab986d9558ef4a6423b0e8f98818
(no licence file: the project's own code with that file's names, shapes, order of operations and bugs).

Facts: class ``NeuralNetwork(layer_sizes, epochs, alpha, lmbda)``; a dict ``parameters`` with ``W<l> (n_l, n_{l-1})``
(the lecture's layout) and column biases ``b<l> (n_l, 1)``; one sample at a time as a column (n, 1); sigmoid in every
layer; ``_forward_propagate(x)``, ``_calculate_gradients(y)``, ``_update_parameters()`` called in that order by
``train``. The gradient is that of the summed cross-entropy plus ``lmbda·W`` — an L2 term the per-example cost
``J = -(1/m) Σ …`` does not contain (it adds ``lmbda/(2m)·ΣW²`` once per epoch instead).
"""
import numpy as np


class NeuralNetwork:
    def __init__(self, layer_sizes, epochs, alpha, lmbda):
        self.n, self.L, self.alpha, self.lmbda = layer_sizes, len(layer_sizes) - 1, alpha, lmbda
        self.parameters, self.derivatives = {}, {}
        for i in range(1, self.L + 1):
            self.parameters[f"W{i}"] = np.random.randn(self.n[i], self.n[i - 1]) * 0.01
            self.parameters[f"b{i}"] = np.ones((self.n[i], 1))

    @staticmethod
    def _sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def _forward_propagate(self, x):
        self.parameters["a0"] = x
        for l in range(1, self.L + 1):
            self.parameters[f"z{l}"] = self.parameters[f"W{l}"] @ self.parameters[f"a{l - 1}"] + self.parameters[f"b{l}"]
            self.parameters[f"a{l}"] = self._sigmoid(self.parameters[f"z{l}"])

    def _calculate_gradients(self, y):
        p, d, L = self.parameters, self.derivatives, self.L
        d[f"dz{L}"] = p[f"a{L}"] - y
        for l in range(L, 0, -1):
            if l < L:
                a = self._sigmoid(p[f"z{l}"])
                d[f"dz{l}"] = (p[f"W{l + 1}"].T @ d[f"dz{l + 1}"]) * a * (1 - a)
            d[f"dW{l}"] = d[f"dz{l}"] @ p[f"a{l - 1}"].T + self.lmbda * p[f"W{l}"]
            d[f"db{l}"] = d[f"dz{l}"]

    def _update_parameters(self):
        for l in range(1, self.L + 1):
            self.parameters[f"W{l}"] -= self.alpha * self.derivatives[f"dW{l}"]
            self.parameters[f"b{l}"] -= self.alpha * self.derivatives[f"db{l}"]
