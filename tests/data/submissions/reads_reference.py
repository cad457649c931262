# NumPy GAN homework
# Hostile: looks for the grader's reference and results — imports gancheck, opens its source, lists directories,
# reads the environment — and tries to plant a results file inside and outside its working directory. Every attempt
# fails or stays in the sandbox's own temporary directory; the functions that depend on them lose their points.
import glob
import json
import os
import numpy as np
import matplotlib.pyplot as plt

lr = 0.01
FAKE_RESULTS = {"score": 100, "tests": []}


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    return np.column_stack((x, x * x)), np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def drelu(z):
    for path in ("results.json", "../results.json", "/tmp/gancheck-planted-results.json"):
        try:
            with open(path, "w") as f:
                json.dump(FAKE_RESULTS, f)
        except OSError:
            pass
    return (z > 0).astype(float)


def loss_stable(z, t, N):
    import gancheck.homework.code.reference as reference      # the grader's answers, if importable
    return reference.bce_loss(z, t, N)


def forward_dis(X, U, b, W, c):
    here = os.path.dirname(os.path.abspath("."))
    found = glob.glob("/**/homework/code/reference.py", recursive=True) + os.listdir(here)
    with open(found[0]) as f:
        source = f.read()
    raise RuntimeError(source[:100])


def forward_gen(X, U, b, W, c):
    home = os.environ.get("HOME", "")
    secrets = [k for k in os.environ if "GANCHECK" in k or "GRADE" in k]
    G = X @ U.T + b
    H = np.maximum(G, 0)
    return H @ W.T + c + len(secrets), H, G


def grad_decent_dis(x, t, U, b, W, c):
    N = len(x)
    G = x @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    y = 1 / (1 + np.exp(-z))
    dz = (y - t) / N
    dG = np.outer(dz, W) * drelu(G)
    l = np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N
    return U - lr * dG.T @ x, b - lr * dG.sum(0), W - lr * H.T @ dz, c - lr * dz.sum(), l


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    with open("../../results.json", "w") as f:
        json.dump(FAKE_RESULTS, f)
    return Ug, bg, Wg, cg, 0.0


plt.show()
