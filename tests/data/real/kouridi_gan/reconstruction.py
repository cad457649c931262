"""Reconstructed from the facts of christinakouridi/scratchML, GAN/model.py @ 1e42a0aaf4212b38427d1eaf307354f3a602cae1
(no licence file: not redistributable, so this is the project's own code doing what that file does, line for line in
effect — names, shapes, the order of operations and its bugs — not its text). Only the discriminator's part is kept.

Facts: class ``GAN``; Keras layout ``W0_d (n_in, n_h)``, ``b0_d (1, n_h)``, ``W1_d (n_h, 1)``, ``b1_d (1, 1)``; leaky ReLU
slope 0.01 then sigmoid; ``forward_discriminator`` reshapes its input to ``(batch_size, -1)`` and *caches* ``z0_d,
a0_d`` on the instance; ``backward_discriminator(x_real, z1_real, a1_real, x_fake, z1_fake, a1_fake)`` sums over the
batch (no 1/N), uses ``-1/(a + 1e-8)`` and ``1/(1 - a + 1e-8)``, and reads the cached ``a0_d, z0_d`` for *both*
halves — after ``train`` ran the fake forward last, so the real half uses the fake batch's hidden layer (stale cache).
Plain SGD ``θ -= lr·dθ``, lr = 1e-3.
"""
import numpy as np


class GAN:
    def __init__(self, numbers, batch_size=64, input_layer_size_g=100, hidden_layer_size_g=128,
                 hidden_layer_size_d=128, learning_rate=1e-3, image_size=28):
        self.batch_size, self.lr, self.image_size = batch_size, learning_rate, image_size
        n_in, n_h = image_size ** 2, hidden_layer_size_d
        self.W0_d = np.random.randn(n_in, n_h) * np.sqrt(2.0 / n_in)
        self.b0_d = np.zeros((1, n_h))
        self.W1_d = np.random.randn(n_h, 1) * np.sqrt(2.0 / n_h)
        self.b1_d = np.zeros((1, 1))

    @staticmethod
    def sigmoid(x, derivative=False):
        y = 1.0 / (1.0 + np.exp(-x))
        return y * (1.0 - y) if derivative else y

    @staticmethod
    def lrelu(x, alpha=1e-2, derivative=False):
        if derivative:
            dx = np.ones_like(x)
            dx[x < 0] = alpha
            return dx
        return np.maximum(x, x * alpha)

    def forward_discriminator(self, img):
        x = np.reshape(img, (self.batch_size, -1))
        self.z0_d = x @ self.W0_d + self.b0_d
        self.a0_d = self.lrelu(self.z0_d)
        self.z1_d = self.a0_d @ self.W1_d + self.b1_d
        self.a1_d = self.sigmoid(self.z1_d)
        return self.z1_d, self.a1_d

    def backward_discriminator(self, x_real, z1_real, a1_real, x_fake, z1_fake, a1_fake):
        x_real = np.reshape(x_real, (self.batch_size, -1))
        x_fake = np.reshape(x_fake, (self.batch_size, -1))
        grads = []
        for x, z1, d_a1 in ((x_real, z1_real, -1.0 / (a1_real + 1e-8)), (x_fake, z1_fake, 1.0 / (1.0 - a1_fake + 1e-8))):
            dz1 = d_a1 * self.sigmoid(z1, derivative=True)
            dW1, db1 = self.a0_d.T @ dz1, np.sum(dz1, axis=0, keepdims=True)      # the cached a0_d: stale for real
            dz0 = (dz1 @ self.W1_d.T) * self.lrelu(self.z0_d, derivative=True)     # the cached z0_d likewise
            grads.append((x.T @ dz0, np.sum(dz0, axis=0, keepdims=True), dW1, db1))
        dW0, db0, dW1, db1 = (a + b for a, b in zip(*grads))
        self.W0_d -= self.lr * dW0
        self.b0_d -= self.lr * db0
        self.W1_d -= self.lr * dW1
        self.b1_d -= self.lr * db1
