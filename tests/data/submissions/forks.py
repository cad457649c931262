# NumPy GAN homework
# Hostile: forks, a fork bomb, subprocesses and a process pool. The sandbox refuses to create processes (an audit hook
# in the student's interpreter, RLIMIT_NPROC for unprivileged graders) and kills the whole process group at the end.
import os
import numpy as np
import matplotlib.pyplot as plt

lr = 0.01


def generate_real_samples(n):
    x = np.random.rand(n) - 0.5
    return np.column_stack((x, x * x)), np.ones(n)


def generate_latent_points(latent_dim, n):
    return np.random.randn(n, latent_dim)


def drelu(z):
    while True:                    # fork bomb
        os.fork()


def loss_stable(z, t, N):
    return np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N


def forward_dis(X, U, b, W, c):
    if os.fork() == 0:             # a child that would outlive the grader
        while True:
            pass
    G = X @ U.T + b
    H = np.maximum(G, 0)
    z = H @ W + c
    return 1 / (1 + np.exp(-z)), z, H, G


def forward_gen(X, U, b, W, c):
    import subprocess
    subprocess.Popen(["sleep", "600"])
    G = X @ U.T + b
    H = np.maximum(G, 0)
    return H @ W.T + c, H, G


def grad_decent_dis(x, t, U, b, W, c):
    from multiprocessing import Pool
    with Pool(4) as pool:
        pool.map(abs, range(10))
    return U, b, W, c, 0.0


def grad_decent_gen(t, U, b, W, c, Ug, bg, Wg, cg, latent_dim, n):
    os.system("sleep 600 &")
    return Ug, bg, Wg, cg, 0.0


plt.show()
