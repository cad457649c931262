"""Reconstructed from the facts of AbhishekBaj-Drexel/GAN_Numpy, GAN.py and Discriminator.py @
1ebb4e01a92d998d6849a2bbfe7f9667ccc2ca8c (no licence file: the project's own code with those files' names, shapes,
order of operations and bugs). The original ``GAN.__init__`` loads MNIST through a ``DataLoader`` and fixes 784→512→256→1;
here the sizes are keywords (the one deviation) so that the step can be checked at a small size.

Facts: ``Discriminator.d`` a dict ``Whl1 (n1, n0), bhl1 (n1, 1), Whl2, bhl2, Wout (1, n2), bout (1, 1)`` — samples as
columns; leaky ReLU (slope 0.2), leaky ReLU, sigmoid; ``GAN.train_discriminator_over_batch(batch, labels,
freeze_weights=False)`` with mean cross-entropy (ε = 1e-25), lr = 1e-4, and three bugs: the output gradient is
``a(1-a)·(a-t)/N`` — σ' applied a second time after ``(a - t)`` already is ∂l/∂z; the leaky-ReLU derivative is taken
from the sign of the *incoming gradient* (``np.where(d_grad['a_hl2'] > 0, 1, 0.2)``) instead of the pre-activation;
and every gradient is clipped to [−1, 1] before the step.
"""
import numpy as np


class Discriminator:
    def __init__(self, sizes):
        n0, n1, n2 = sizes
        self.d = {"Whl1": np.random.randn(n1, n0) * 0.01, "bhl1": np.zeros((n1, 1)),
                  "Whl2": np.random.randn(n2, n1) * 0.01, "bhl2": np.zeros((n2, 1)),
                  "Wout": np.random.randn(1, n2) * 0.01, "bout": np.zeros((1, 1))}

    @staticmethod
    def leaky_relu(x):
        return np.where(x > 0, x, 0.2 * x)

    def get_output(self, batch):
        act = {"input": batch}
        act["z_hl1"] = self.d["Whl1"] @ batch + self.d["bhl1"]
        act["a_hl1"] = self.leaky_relu(act["z_hl1"])
        act["z_hl2"] = self.d["Whl2"] @ act["a_hl1"] + self.d["bhl2"]
        act["a_hl2"] = self.leaky_relu(act["z_hl2"])
        act["z_out"] = self.d["Wout"] @ act["a_hl2"] + self.d["bout"]
        act["a_out"] = 1 / (1 + np.exp(-act["z_out"]))
        return act

    @staticmethod
    def clip_gradients(grads, clip_value=1.0):
        for key in grads:
            np.clip(grads[key], -clip_value, clip_value, out=grads[key])
        return grads


class GAN:
    def __init__(self, sizes=(784, 512, 256), lr=1e-4):
        self.lr, self.small_value = lr, 1e-25
        self.discriminator = Discriminator(sizes)

    def train_discriminator_over_batch(self, batch, labels, freeze_weights=True):
        D = self.discriminator
        out = D.get_output(batch)
        a = out["a_out"]
        error = np.average(-labels * np.log(a + self.small_value) - (1 - labels) * np.log(1 - a + self.small_value))
        g = {"a_out": (a - labels) / labels.shape[1]}
        g["z_out"] = a * (1 - a) * g["a_out"]
        g["W_out"], g["b_out"] = g["z_out"] @ out["a_hl2"].T, np.sum(g["z_out"], axis=1, keepdims=True)
        g["a_hl2"] = D.d["Wout"].T @ g["z_out"]
        g["z_hl2"] = g["a_hl2"] * np.where(g["a_hl2"] > 0, 1, 0.2)
        g["W_hl2"], g["b_hl2"] = g["z_hl2"] @ out["a_hl1"].T, np.sum(g["z_hl2"], axis=1, keepdims=True)
        g["a_hl1"] = D.d["Whl2"].T @ g["z_hl2"]
        g["z_hl1"] = g["a_hl1"] * np.where(g["a_hl1"] > 0, 1, 0.2)
        g["W_hl1"], g["b_hl1"] = g["z_hl1"] @ out["input"].T, np.sum(g["z_hl1"], axis=1, keepdims=True)
        if not freeze_weights:
            g = D.clip_gradients(g)
            for w, key in (("Whl1", "W_hl1"), ("bhl1", "b_hl1"), ("Whl2", "W_hl2"), ("bhl2", "b_hl2"),
                           ("Wout", "W_out"), ("bout", "b_out")):
                D.d[w] = D.d[w] - self.lr * g[key]
        return out, g, error
