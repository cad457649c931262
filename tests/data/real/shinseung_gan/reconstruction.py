"""Reconstructed from the facts of shinseung428/gan_numpy, gan.py @ 01f9a14df34b71e4e4ac1a432838ace9af057e9c (no
licence file: the project's own code with that file's names, shapes, order of operations and bugs). As found the file
is Python 2 (``print x`` statements: a SyntaxError under Python 3) and ``backprop_gen`` stops at a leftover
``input("k")``; only the discriminator's step is kept, sizes as keywords (the original fixes 784→300→150→1).

Facts: class ``GAN``; Keras layout ``d_W0 (n_in, n1)``, biases ``(n,)``; ReLU, ReLU, sigmoid; one image at a time
(``np.reshape(img, (1, -1))``); ``discriminator(img)`` caches ``d_h0, d_h1`` (post-ReLU) on the instance;
``backprop_dis(real_logit, real_output, real_input, fake_logit, fake_output, fake_input)`` uses ``-1/(y + ε)`` and
``1/(1 - y + ε)`` with ε = 10e-4 = 1e-3, the cached ``d_h0, d_h1`` for both halves (stale for the real one, the fake
forward ran last) and an **Adam** update, not gradient descent: its first step is
:math:`Δθ = -\\text{lr}\\,g/(|g| + ε)`, nearly :math:`-\\text{lr}\\,\\operatorname{sign} g`.
"""
import numpy as np

epsilon, beta1, beta2 = 10e-4, 0.9, 0.999


def relu(x, derivative=False):
    return (x > 0).astype(float) if derivative else np.maximum(x, 0)


def sigmoid(x, derivative=False):
    y = 1.0 / (1.0 + np.exp(-x))
    return y * (1 - y) if derivative else y


class GAN:
    def __init__(self, sizes=(784, 300, 150), learning_rate=1e-5):
        n0, n1, n2 = sizes
        self.learning_rate = learning_rate
        self.d_W0, self.d_b0 = np.random.randn(n0, n1) * np.sqrt(2.0 / n0), np.zeros(n1)
        self.d_W1, self.d_b1 = np.random.randn(n1, n2) * np.sqrt(2.0 / n1), np.zeros(n2)
        self.d_W2, self.d_b2 = np.random.randn(n2, 1) * np.sqrt(2.0 / n2), np.zeros(1)
        self.m = {k: 0.0 for k in ("W0", "b0", "W1", "b1", "W2", "b2")}
        self.v = dict(self.m)

    def discriminator(self, img):
        self.d_input = np.reshape(img, (1, -1))
        self.d_h0 = relu(self.d_input @ self.d_W0 + self.d_b0)
        self.d_h1 = relu(self.d_h0 @ self.d_W1 + self.d_b1)
        self.d_out = self.d_h1 @ self.d_W2 + self.d_b2
        return self.d_out, sigmoid(self.d_out)

    def _half(self, logit, d_loss, x):
        g2 = d_loss * sigmoid(logit, derivative=True)
        gW2, gb2 = self.d_h1.T @ g2, g2
        g1 = (g2 @ self.d_W2.T) * relu(self.d_h1, derivative=True)
        gW1, gb1 = self.d_h0.T @ g1, g1
        g0 = (g1 @ self.d_W1.T) * relu(self.d_h0, derivative=True)
        return {"W0": x.T @ g0, "b0": g0, "W1": gW1, "b1": gb1, "W2": gW2, "b2": gb2}

    def backprop_dis(self, real_logit, real_output, real_input, fake_logit, fake_output, fake_input):
        real = self._half(real_logit, -1.0 / (real_output + epsilon), np.reshape(real_input, (1, -1)))
        fake = self._half(fake_logit, 1.0 / (1.0 - fake_output + epsilon), np.reshape(fake_input, (1, -1)))
        for k in real:
            g = real[k] + fake[k]
            self.m[k] = beta1 * self.m[k] + (1 - beta1) * g
            self.v[k] = beta2 * self.v[k] + (1 - beta2) * g ** 2
            name = f"d_{k}"
            update = (self.learning_rate / (np.sqrt(self.v[k] / (1 - beta2)) + epsilon)) * (self.m[k] / (1 - beta1))
            setattr(self, name, getattr(self, name) - np.reshape(update, np.shape(getattr(self, name))))
