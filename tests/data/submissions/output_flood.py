# NumPy GAN homework
# Hostile (by accident): debugging prints everywhere — every call prints thousands of lines, and some writes go
# straight to the process's stdout and stderr. Output is truncated and never costs points: this one gets full marks.
import os
import sys
import numpy as np
import matplotlib.pyplot as plt

lr = 0.01


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    print("real samples", x)
    return np.column_stack((x, x * x)), np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def drelu(z):
    for row in z:
        print("row", row)
    return (z > 0).astype(float)


def loss_stable(z, t, N):
    print("z =", z, "t =", t, file=sys.stderr)
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    for i in range(500):
        print("debug", i, z[:3])
    return 1 / (1 + np.exp(-z)), z, H, G


def forward_gen(X, U, b, W, c):
    G = X @ U.T + b
    H = np.maximum(G, 0)
    sys.__stdout__.write("gen " * 10_000 + "\n")
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = len(x)
    y, z, H, G = forward_dis(x, U, b, W, c)
    dz = (y - t) / N
    dG = np.outer(dz, W) * drelu(G)
    os.write(2, b"grad_decent_dis: step done\n" * 1000)
    return U - lr * dG.T @ x, b - lr * dG.sum(0), W - lr * H.T @ dz, c - lr * dz.sum(), loss_stable(z, t, N)


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    dz = (y - t) / n
    dX = (np.outer(dz, W) * drelu(G)) @ U
    dGg = (dX @ Wg) * drelu(Gg)
    return Ug - lr * dGg.T @ Z, bg - lr * dGg.sum(0), Wg - lr * dX.T @ Hg, cg - lr * dX.sum(0), loss_stable(z, t, n)


for epoch in range(20000):
    print(epoch)
plt.show()
