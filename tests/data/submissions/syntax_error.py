# NumPy GAN homework
# Hostile (by accident): forward_gen is missing a colon, so its block does not parse. The grader reports it,
# skips that block, and grades the rest; grad_decent_gen, which calls forward_gen, fails with a NameError.
import numpy as np
import matplotlib.pyplot as plt

lr = 0.01


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    return np.column_stack((x, x * x)), np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def drelu(z):
    return (z > 0) * 1.0


def loss_stable(z, t, N):
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    return 1 / (1 + np.exp(-z)), z, H, G


def forward_gen(X, U, b, W, c)
    G = X @ U.T + b
    H = np.maximum(G, 0)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = len(x)
    y, z, H, G = forward_dis(x, U, b, W, c)
    dz = (y - t) / N
    dG = np.outer(dz, W) * drelu(G)
    return U - lr * dG.T @ x, b - lr * dG.sum(0), W - lr * H.T @ dz, c - lr * dz.sum(), loss_stable(z, t, N)


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    dz = (y - t) / n
    dX = (np.outer(dz, W) * drelu(G)) @ U
    dGg = (dX @ Wg) * drelu(Gg)
    return Ug - lr * dGg.T @ Z, bg - lr * dGg.sum(0), Wg - lr * dX.T @ Hg, cg - lr * dX.sum(0), loss_stable(z, t, n)


params = [np.random.randn(25, 2), np.zeros(25), np.random.randn(25) * 0.1, 0.0]
for epoch in range(5000):
    x, t = generate_real_samples(64)
    *params, loss = grad_decent_dis(x, t, *params)
plt.show()
