# 1-D GAN with NumPy (homework 2)
# Mistake: drelu overwrites its argument in place (the caller's G becomes the 0/1 mask).
import numpy as np
import matplotlib.pyplot as plt

eta = 0.01


def generate_real_samples(n):
    x = np.random.uniform(-0.5, 0.5, n)
    return np.array([x, x ** 2]).T, np.ones((n, 1))


def generate_latent_points(latent_dim, n):
    return np.random.normal(0.0, 1.0, size=(n, latent_dim))


def drelu(z):
    z[z > 0] = 1                 # <- writes into the caller's array
    z[z <= 0] = 0
    return z


def loss_stable(z, t, N):
    total = 0.0
    for zi, ti in zip(z, t):
        total += ti * np.logaddexp(0, -zi) + (1 - ti) * np.logaddexp(0, zi)
    return total / N


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
    N = x.shape[0]
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, N)
    dz = (y - t) / N
    dG = np.outer(dz, W) * drelu(G)
    return U - eta * dG.T @ x, b - eta * dG.sum(axis=0), W - eta * H.T @ dz, c - eta * np.sum(dz), l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    l = loss_stable(z, t, n)
    dz = (y - t) / n
    dX = (np.outer(dz, W) * drelu(G)) @ U
    dGg = dX @ Wg * drelu(Gg)
    return Ug - eta * dGg.T @ Z, bg - eta * dGg.sum(axis=0), Wg - eta * dX.T @ Hg, cg - eta * dX.sum(axis=0), l


U = np.random.randn(25, 2); b = np.zeros(25); W = np.random.randn(25) * 0.1; c = 0.0
Ug = np.random.randn(15, 5) * 0.3; bg = np.zeros(15); Wg = np.random.randn(2, 15) * 0.3; cg = np.zeros(2)
for epoch in range(20000):
    xr, tr = generate_real_samples(64)
    xf, _, _ = forward_gen(generate_latent_points(5, 64), Ug, bg, Wg, cg)
    U, b, W, c, ld = grad_decent_dis(np.vstack((xr, xf)), np.concatenate((tr.ravel(), np.zeros(64))), U, b, W, c)
    Ug, bg, Wg, cg, lg = grad_decent_gen(np.ones(128), U, b, W, c, Ug, bg, Wg, cg, 5, 128)
plt.scatter(xf[:, 0], xf[:, 1]); plt.show()
