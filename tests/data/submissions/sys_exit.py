# NumPy GAN homework
# Hostile: loss_stable calls sys.exit() when the batch has a single sample, and drelu calls exit() outright.
# The grader reports each SystemExit as that function's failure (shrunk to N = 1) and goes on.
import sys
import numpy as np
import matplotlib.pyplot as plt

lr = 0.01


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    return np.column_stack((x, x * x)), np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def drelu(z):
    exit("drelu is not needed, use the mask inline")


def loss_stable(z, t, N):
    if len(z) < 2:
        sys.exit("batch too small")
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    return 1 / (1 + np.exp(-z)), z, H, G


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = len(x)
    y, z, H, G = forward_dis(x, U, b, W, c)
    dz = (y - t) / N
    dG = np.outer(dz, W) * (G > 0)
    l = np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N
    return U - lr * dG.T @ x, b - lr * dG.sum(0), W - lr * H.T @ dz, c - lr * dz.sum(), l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    dz = (y - t) / n
    dX = (np.outer(dz, W) * (G > 0)) @ U
    dGg = (dX @ Wg) * (Gg > 0)
    l = np.sum(np.logaddexp(0, -z)) / n
    return Ug - lr * dGg.T @ Z, bg - lr * dGg.sum(0), Wg - lr * dX.T @ Hg, cg - lr * dX.sum(0), l


sys.exit(0)   # "stop here so Colab does not train again"
plt.show()
