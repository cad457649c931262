"""Reconstructed from the facts of maxmatkovski/Sports, Neural-Network.py @ 3da3d77a0859b1aba8ff9c688cc49eb33bdc1b8c
(no licence file: the project's own code with that file's names, shapes, order of operations and bugs).

Facts: class ``NeuralNetwork(input_dim, hidden_dim, output_dim)``; Keras layout ``W1 (n_in, n_h)``, ``b1 (1, n_h)``;
sigmoid, sigmoid; ``forward(X)`` caches ``z1, a1, z2, a2``; ``backward(X, y, learning_rate)`` is the mean cross-entropy's
exact gradient (``dZ2 = a2 - y``, every term divided by m) with the learning rate passed as an argument. The
constructor's last line is ``self.b2 = np.zeros(1, self.output_dim)`` — a shape passed as a dtype: a TypeError, so the
class cannot be instantiated at all and nothing of it runs.
"""
import numpy as np


class NeuralNetwork:
    def __init__(self, input_dim, hidden_dim, output_dim):
        self.W1 = np.random.randn(input_dim, hidden_dim)
        self.b1 = np.zeros((1, hidden_dim))
        self.W2 = np.random.randn(hidden_dim, output_dim)
        self.b2 = np.zeros(1, output_dim)          # TypeError: Cannot interpret '1' as a data type

    @staticmethod
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    def forward(self, X):
        self.z1 = X @ self.W1 + self.b1
        self.a1 = self.sigmoid(self.z1)
        self.z2 = self.a1 @ self.W2 + self.b2
        self.a2 = self.sigmoid(self.z2)
        return self.a2

    def backward(self, X, y, learning_rate):
        m = X.shape[0]
        dZ2 = self.a2 - y
        dW2, db2 = self.a1.T @ dZ2 / m, np.sum(dZ2, axis=0) / m
        s = self.sigmoid(self.z1)
        dZ1 = (dZ2 @ self.W2.T) * s * (1 - s)
        dW1, db1 = X.T @ dZ1 / m, np.sum(dZ1, axis=0) / m
        self.W2 -= learning_rate * dW2
        self.b2 -= learning_rate * db2
        self.W1 -= learning_rate * dW1
        self.b1 -= learning_rate * db1
