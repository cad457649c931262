"""The corpus's independent check: a few lines of plain NumPy, sharing nothing with gancheck — a forward pass written
out for each entry, its loss, and central differences (h = 1e-6, float64) compared with the change a step makes."""
import numpy as np

H = 1e-6


def central(f, arrays):
    """∂f/∂a for every array of the list ``arrays`` (perturbed in place and restored)."""
    grads = []
    for a in arrays:
        g = np.zeros_like(a, dtype=float)
        for i in np.ndindex(a.shape):
            saved = a[i]
            a[i] = saved + H
            up = f()
            a[i] = saved - H
            down = f()
            a[i] = saved
            g[i] = (up - down) / (2 * H)
        grads.append(g)
    return grads


def agrees(before, after, grads, lr, rtol=1e-4):
    """Whether ``after = before - lr * grads`` for every array, to ``rtol`` of the largest step."""
    scale = max(np.max(np.abs(lr * g)) for g in grads)
    return all(np.allclose(a, b - lr * g, rtol=0, atol=rtol * scale) for b, a, g in zip(before, after, grads))


def sig(z):
    return 1 / (1 + np.exp(-z))


def bce(y, t):
    return -(t * np.log(y) + (1 - t) * np.log(1 - y))
