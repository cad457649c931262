# GAN homework part 2 — NumPy implementation
# Mistake: the discriminator's z_bar is (t - y)/N, so its whole step climbs the loss.
import numpy as np
from matplotlib import pyplot

LEARNING_RATE = 0.05
LATENT = 5


def generate_real_samples(n):
    x = np.random.uniform(-0.5, 0.5, size=n)
    points = np.column_stack([x, x ** 2])
    return points, np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def drelu(z):
    return np.where(z > 0, 1.0, 0.0)


def loss_stable(z, t, N):
    per_sample = t * np.logaddexp(0.0, -z) + (1.0 - t) * np.logaddexp(0.0, z)
    return per_sample.sum() / N


def forward_dis(X, U, b, W, c):
    G = np.dot(X, U.T) + b
    H = np.maximum(G, 0.0)
    z = np.dot(H, W) + c
    return sigmoid(z), z, H, G


def forward_gen(X, U, b, W, c):
    G = np.dot(X, U.T) + b
    H = np.maximum(G, 0.0)
    return np.dot(H, W.T) + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = len(x)
    y, z, H, G = forward_dis(x, U, b, W, c)
    l = loss_stable(z, t, N)
    dz = (t - y) / N                       # <- sign flipped
    dW = np.dot(H.T, dz)
    dc = dz.sum()
    dG = np.outer(dz, W) * drelu(G)
    dU = np.dot(dG.T, x)
    db = dG.sum(axis=0)
    return U - LEARNING_RATE * dU, b - LEARNING_RATE * db, W - LEARNING_RATE * dW, c - LEARNING_RATE * dc, l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    Z = generate_latent_points(latent_dim, n)
    X, Hg, Gg = forward_gen(Z, Ug, bg, Wg, cg)
    y, z, H, G = forward_dis(X, U, b, W, c)
    l = loss_stable(z, t, n)
    dz = (y - t) / n
    dX = np.dot(np.outer(dz, W) * drelu(G), U)
    dWg = np.dot(dX.T, Hg)
    dcg = dX.sum(axis=0)
    dGg = np.dot(dX, Wg) * drelu(Gg)
    dUg = np.dot(dGg.T, Z)
    dbg = dGg.sum(axis=0)
    return (Ug - LEARNING_RATE * dUg, bg - LEARNING_RATE * dbg, Wg - LEARNING_RATE * dWg,
            cg - LEARNING_RATE * dcg, l)


rng = np.random.default_rng(1)
U, b, W, c = rng.normal(size=(25, 2)), np.zeros(25), rng.normal(size=25) * 0.2, 0.0
Ug, bg, Wg, cg = rng.normal(size=(15, LATENT)) * 0.5, np.zeros(15), rng.normal(size=(2, 15)) * 0.3, np.zeros(2)
history = []
for step in range(10000):
    real, ones = generate_real_samples(64)
    fake = forward_gen(generate_latent_points(LATENT, 64), Ug, bg, Wg, cg)[0]
    U, b, W, c, ld = grad_decent_dis(np.vstack([real, fake]), np.r_[ones, np.zeros(64)], U, b, W, c)
    Ug, bg, Wg, cg, lg = grad_decent_gen(np.ones(128), U, b, W, c, Ug, bg, Wg, cg, LATENT, 128)
    history.append((ld, lg))
pyplot.plot(history)
pyplot.show()
