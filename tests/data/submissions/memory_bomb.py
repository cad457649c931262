# NumPy GAN homework
# Hostile: a "constant" of 10^10 list cells at top level, forward_dis allocating 80 GB, grad_decent_dis "caching" arrays
# until memory runs out. The process's address space is limited: each gets a MemoryError, reported, nothing else hurt.
import numpy as np
import matplotlib.pyplot as plt

lr = 0.01
LOOKUP = [0.0] * 10**10


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    return np.column_stack((x, x * x)), np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def drelu(z):
    return (z > 0).astype(float)


def loss_stable(z, t, N):
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    workspace = np.ones((100_000, 100_000))        # 80 GB
    G = X @ U.T + b + workspace[0, 0] - 1
    H = np.maximum(G, 0)
    z = H @ W + c
    return 1 / (1 + np.exp(-z)), z, H, G


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    cache = []
    while True:                                    # grows until the memory limit stops it
        cache.append(np.ones(1_000_000))


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    G = X @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    y = 1 / (1 + np.exp(-z))
    dz = (y - t) / n
    dX = (np.outer(dz, W) * drelu(G)) @ U
    dGg = (dX @ Wg) * drelu(Gg)
    return Ug - lr * dGg.T @ Z, bg - lr * dGg.sum(0), Wg - lr * dX.T @ Hg, cg - lr * dX.sum(0), loss_stable(z, t, n)


plt.show()
