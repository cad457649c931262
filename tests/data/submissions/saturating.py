"""GAN in NumPy. Mistake: the generator minimises the minimax game's log(1 - D(G(z))) — the saturating loss —
instead of the non-saturating -log D(G(z)) (targets t = 1)."""
import numpy as np
import matplotlib.pyplot as plt

ALPHA = 0.01


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    return np.vstack((x, x * x)).T, np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def sigmoid(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def drelu(z):
    return np.heaviside(z, 0.0)


def loss_stable(z, t, N):
    return np.mean(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) * len(z) / N


def forward_dis(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    return sigmoid(z), z, H, G


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = len(t)
    y, z, H, G = forward_dis(x, U, b, W, c)
    dz = (y - t) / N
    dG = dz[:, None] * W * drelu(G)
    return U - ALPHA * dG.T @ x, b - ALPHA * dG.sum(0), W - ALPHA * H.T @ dz, c - ALPHA * dz.sum(), loss_stable(z, t, N)


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    l = -np.sum(np.logaddexp(0, z)) / n          # <- (1/n) sum log(1 - D(G(z))): the saturating loss
    dz = -y / n                                  # <- its gradient; t is not used
    dX = (dz[:, None] * W * drelu(G)) @ U
    dGg = (dX @ Wg) * drelu(Gg)
    return Ug - ALPHA * dGg.T @ Z, bg - ALPHA * dGg.sum(0), Wg - ALPHA * dX.T @ Hg, cg - ALPHA * dX.sum(0), l


U, b, W, c = np.random.randn(25, 2), np.zeros(25), np.random.randn(25) * 0.1, 0.0
Ug, bg, Wg, cg = np.random.randn(15, 5) * 0.3, np.zeros(15), np.random.randn(2, 15) * 0.3, np.zeros(2)
for epoch in range(20000):
    real, t_real = generate_real_samples(64)
    fake = forward_gen(generate_latent_points(5, 64), Ug, bg, Wg, cg)[0]
    U, b, W, c, _ = grad_decent_dis(np.r_[real, fake], np.r_[t_real, np.zeros(64)], U, b, W, c)
    Ug, bg, Wg, cg, _ = grad_decent_gen(np.ones(128), U, b, W, c, Ug, bg, Wg, cg, 5, 128)
plt.scatter(fake[:, 0], fake[:, 1])
plt.show()
