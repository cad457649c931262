# Homework: 1-D GAN from scratch
# Mistake: the backward multiplies by relu(G) (the activation) where the ReLU's derivative belongs.
import numpy as np
import matplotlib.pyplot as plt

step_size = 0.01
latent_dim = 5


def generate_real_samples(n):
    x = np.random.random(n) - 0.5
    return np.c_[x, x ** 2], np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.standard_normal((n, latent_dim))


def relu(a):
    return np.maximum(a, 0)


def drelu(a):
    return (a > 0).astype(np.float64)


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def loss_stable(z, t, N):
    return np.sum(np.logaddexp(0, z) - t * z) / N


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
    N = x.shape[0]
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, N)
    z_bar = (y - t) / N
    h_bar = np.outer(z_bar, W)
    g_bar = h_bar * relu(G)                    # <- should be drelu(G)
    U_new = U - step_size * (g_bar.T @ x)
    b_new = b - step_size * g_bar.sum(axis=0)
    W_new = W - step_size * (H.T @ z_bar)
    c_new = c - step_size * z_bar.sum()
    return U_new, b_new, W_new, c_new, l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    lat = generate_latent_points(latent_dim, n)
    x, Hg, Gg = forward_gen(lat, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, n)
    z_bar = (y - t) / n
    x_bar = (np.outer(z_bar, W) * relu(G)) @ U          # <- and here
    gg_bar = (x_bar @ Wg) * relu(Gg)                    # <- and here
    return (Ug - step_size * gg_bar.T @ lat, bg - step_size * gg_bar.sum(axis=0),
            Wg - step_size * x_bar.T @ Hg, cg - step_size * x_bar.sum(axis=0), l)


U, b, W, c = np.random.randn(25, 2), np.zeros(25), 0.1 * np.random.randn(25), 0.0
Ug, bg, Wg, cg = 0.3 * np.random.randn(15, 5), np.zeros(15), 0.3 * np.random.randn(2, 15), np.zeros(2)
for epoch in range(15000):
    xr, tr = generate_real_samples(50)
    xf = forward_gen(generate_latent_points(latent_dim, 50), Ug, bg, Wg, cg)[0]
    U, b, W, c, _ = grad_decent_dis(np.r_[xr, xf], np.r_[tr, np.zeros(50)], U, b, W, c)
    Ug, bg, Wg, cg, _ = grad_decent_gen(np.ones(100), U, b, W, c, Ug, bg, Wg, cg, latent_dim, 100)
plt.scatter(xf[:, 0], xf[:, 1])
plt.show()
