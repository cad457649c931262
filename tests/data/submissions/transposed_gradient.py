# NumPy GAN — homework 2
# Mistake: dU computed as X^T dG (shape (2, 25)) and then *reshaped* to U's shape instead of transposed
# (and the same for the generator's Ug).
import numpy as np
import matplotlib.pyplot as plt
from numpy.random import rand, randn

alpha = 0.02


def generate_real_samples(n):
    X1 = rand(n) - 0.5
    return np.hstack((X1.reshape(n, 1), (X1 * X1).reshape(n, 1))), np.ones((n, 1))


def generate_latent_points(latent_dim, n):
    return randn(latent_dim * n).reshape(n, latent_dim)


def drelu(z):
    d = np.zeros_like(z)
    d[z > 0] = 1.0
    return d


def loss_stable(z, t, N):
    return (t @ np.logaddexp(0, -z) + (1 - t) @ np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(0, G)
    z = H @ W + c
    y = 1 / (1 + np.exp(-z))
    return y, z, H, G


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(0, G)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = x.shape[0]
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, N)
    dz = (y - t) / N
    dG = np.outer(dz, W) * drelu(G)
    dU = (x.T @ dG).reshape(U.shape)            # <- (2, 25) reshaped, not transposed
    return U - alpha * dU, b - alpha * dG.sum(axis=0), W - alpha * (H.T @ dz), c - alpha * dz.sum(), l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    l = loss_stable(z, t, n)
    dz = (y - t) / n
    dX = (np.outer(dz, W) * drelu(G)) @ U
    dGg = (dX @ Wg) * drelu(Gg)
    dUg = (Z.T @ dGg).reshape(Ug.shape)         # <- same mistake
    return Ug - alpha * dUg, bg - alpha * dGg.sum(axis=0), Wg - alpha * (dX.T @ Hg), cg - alpha * dX.sum(axis=0), l


U = randn(25, 2); b = np.zeros(25); W = randn(25) * 0.1; c = 0.0
Ug = randn(15, 5) * 0.4; bg = np.zeros(15); Wg = randn(2, 15) * 0.2; cg = np.zeros(2)
for i in range(20000):
    Xr, _ = generate_real_samples(32)
    Xf, _, _ = forward_gen(generate_latent_points(5, 32), Ug, bg, Wg, cg)
    U, b, W, c, ld = grad_decent_dis(np.vstack((Xr, Xf)), np.hstack((np.ones(32), np.zeros(32))), U, b, W, c)
    Ug, bg, Wg, cg, lg = grad_decent_gen(np.ones(64), U, b, W, c, Ug, bg, Wg, cg, 5, 64)
plt.plot(Xf[:, 0], Xf[:, 1], "o")
plt.show()
