"""Homework 2 (NumPy GAN). Mistake: sums where the mean belongs — no 1/N, neither in the loss nor in z_bar."""
import numpy as np
import matplotlib.pyplot as plt

lr = 0.001
latent_dim = 5


def generate_real_samples(n):
    x1 = np.random.rand(n) - 0.5
    return np.stack([x1, x1 * x1], axis=1), np.ones((n, 1))


def generate_latent_points(latent_dim, n):
    return np.random.randn(latent_dim * n).reshape(n, latent_dim)


def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


def relu(x):
    return x * (x > 0)


def drelu(x):
    return 1.0 * (x > 0)


def loss_stable(z, t, N):
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z))        # <- no / N


def forward_dis(X, U, b, W, c):
    G = X @ U.T + b
    H = relu(G)
    z = H @ W + c
    return sigmoid(z), z, H, G


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = relu(G)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, len(t))
    z_bar = y - t                                                                   # <- no / N
    g_bar = z_bar[:, None] * W[None, :] * drelu(G)
    return U - lr * g_bar.T @ x, b - lr * g_bar.sum(0), W - lr * H.T @ z_bar, c - lr * z_bar.sum(), l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    z_in = generate_latent_points(latent_dim, n)
    x, h, g = forward_gen(z_in, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, n)
    z_bar = y - t                                                                   # <- no / n
    x_bar = (z_bar[:, None] * W[None, :] * drelu(G)) @ U
    g_bar = (x_bar @ Wg) * drelu(g)
    return Ug - lr * g_bar.T @ z_in, bg - lr * g_bar.sum(0), Wg - lr * x_bar.T @ h, cg - lr * x_bar.sum(0), l


params_d = [np.random.randn(25, 2), np.zeros(25), np.random.randn(25) / 5, 0.0]
params_g = [np.random.randn(15, 5) / 2, np.zeros(15), np.random.randn(2, 15) / 4, np.zeros(2)]
for epoch in range(20000):
    xr, tr = generate_real_samples(64)
    xf = forward_gen(generate_latent_points(latent_dim, 64), *params_g)[0]
    *params_d, d_loss = grad_decent_dis(np.r_[xr, xf], np.r_[tr.ravel(), np.zeros(64)], *params_d)
    *params_g, g_loss = grad_decent_gen(np.ones(128), *params_d, *params_g, latent_dim, 128)
    if epoch % 1000 == 0:
        print(f"epoch {epoch}: d {d_loss:.3f} g {g_loss:.3f}")
plt.scatter(*forward_gen(generate_latent_points(latent_dim, 200), *params_g)[0].T)
plt.show()
