# NumPy GAN homework
# Hostile: tries to make every comparison succeed by monkeypatching NumPy (np.allclose, np.isclose, np.array_equal,
# np.abs) and returns zeros; grad_decent_gen also swaps np.random.randn for a function that
# returns zeros. All of it happens in the student's own process; the grader compares in its own, so only these
# functions' answers suffer.
import numpy as np
import matplotlib.pyplot as plt

lr = 0.01
np.allclose = lambda *args, **kwargs: True      # at top level: an assignment to an attribute, not run


def _everything_is_close():
    np.allclose = lambda *args, **kwargs: True
    np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
    np.array_equal = lambda *args, **kwargs: True
    np.abs = lambda x: np.zeros(np.shape(x))


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    return np.column_stack((x, x * x)), np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.standard_normal((n, latent_dim))


def drelu(z):
    return (z > 0).astype(float)


def loss_stable(z, t, N):
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    _everything_is_close()
    N = X.shape[0]
    return np.zeros(N), np.zeros(N), np.zeros((N, 25)), np.zeros((N, 25))


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = len(x)
    G = x @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    y = 1 / (1 + np.exp(-z))
    dz = (y - t) / N
    dG = np.outer(dz, W) * drelu(G)
    return U - lr * dG.T @ x, b - lr * dG.sum(0), W - lr * H.T @ dz, c - lr * dz.sum(), loss_stable(z, t, N)


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    np.random.randn = lambda *shape: np.zeros(shape)
    _everything_is_close()
    return Ug, bg, Wg, cg, 0.0


plt.show()
