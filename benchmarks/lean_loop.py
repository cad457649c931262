"""A lean, hand-fused NumPy loop of the x² GAN iteration: the speed peer of ``gancheck.train`` in the benchmark.

Same iteration as ``gancheck.train.train`` with the ``default`` preset: D sees 64 real + 64 fake rows (one combined step),
G 128 uniform latent points through the frozen D, Adam (Keras' form, β1 = 0.5, D's rate twice G's) on both, the EMA of
G's parameters, the same history (losses, mean D outputs, accuracies). Everything a fused loop can do to be fast is
done: biases folded into the weight matrices (inputs carry a column of ones), parameters in one flat vector per network
so Adam is ten ufunc calls, every array preallocated, column-major and written with ``out=`` (``np.dot`` where the
layout allows), random numbers drawn in blocks, the history scored once per block of steps. It exists only to be timed against the layered package.
"""
import numpy as np
from scipy.special import expit


def adam_state(n):
    return {"m": np.zeros(n), "v": np.zeros(n), "tmp": np.zeros(n), "t": 0}


def adam(theta, grad, s, lr, b1=0.5, b2=0.999, eps=1e-7):
    # moments kept without their (1 − β) factors (as gancheck.optim.Adam): m ← β1 m + g, v ← β2 v + g²
    s["t"] += 1
    m, v, tmp = s["m"], s["v"], s["tmp"]
    m *= b1; m += grad
    v *= b2; np.multiply(grad, grad, out=tmp); v += tmp
    root = (1 - b2) ** 0.5
    np.sqrt(v, out=tmp); tmp += eps / root; np.divide(m, tmp, out=tmp)
    tmp *= lr * (1 - b2 ** s["t"]) ** 0.5 / (1 - b1 ** s["t"]) * (1 - b1) / root; theta -= tmp


def ones_f(*shape):
    return np.ones(shape, order="F")


def latent_block(rng, block, n, L):
    """Uniform latents for ``block`` steps, each step's ``(n, L + 1)`` slice column-major with a column of ones."""
    aug = np.ones((block, L + 1, n))
    aug[:, :L] = rng.uniform(-1, 1, (block, n, L)).transpose(0, 2, 1)
    return aug.transpose(0, 2, 1)


def run(steps, seed=0, B=64, M=128, L=5, H_d=25, H_g=15, lr_d=2e-3, lr_g=1e-3, ema=0.999, block=100):
    rng = np.random.default_rng(seed)
    # D: [x, 1] @ Ud (3×H), [h, 1] @ Wd (H+1×1); G: [z, 1] @ Ug (L+1×Hg), [h, 1] @ Wg (Hg+1×2).
    td, gd = np.zeros(3 * H_d + H_d + 1), np.zeros(3 * H_d + H_d + 1)
    tg, gg = np.zeros((L + 1) * H_g + (H_g + 1) * 2), np.zeros((L + 1) * H_g + (H_g + 1) * 2)
    Ud, Wd = td[: 3 * H_d].reshape(3, H_d), td[3 * H_d:].reshape(H_d + 1, 1)
    dUd, dWd = gd[: 3 * H_d].reshape(3, H_d), gd[3 * H_d:].reshape(H_d + 1, 1)
    Ug, Wg = tg[: (L + 1) * H_g].reshape(L + 1, H_g), tg[(L + 1) * H_g:].reshape(H_g + 1, 2)
    dUg, dWg = gg[: (L + 1) * H_g].reshape(L + 1, H_g), gg[(L + 1) * H_g:].reshape(H_g + 1, 2)
    Ud[:2] = rng.uniform(-np.sqrt(3), np.sqrt(3), (2, H_d))
    Wd[:H_d] = rng.uniform(-1, 1, (H_d, 1)) * np.sqrt(6 / (H_d + 1))
    Ug[:L] = rng.uniform(-1, 1, (L, H_g)) * np.sqrt(6 / L)
    Wg[:H_g] = rng.uniform(-1, 1, (H_g, 2)) * np.sqrt(6 / (H_g + 2))
    sd, sg = adam_state(td.size), adam_state(tg.size)
    avg, avg_tmp = tg.copy(), np.empty_like(tg)
    N = 2 * B
    xa, ha, hfa = ones_f(N, 3), ones_f(N, H_d + 1), ones_f(B, H_g + 1)
    hga, ya, hda = ones_f(M, H_g + 1), ones_f(M, 3), ones_f(M, H_d + 1)
    hD, hF, hG, hD2 = ha[:, :H_d], hfa[:, :H_g], hga[:, :H_g], hda[:, :H_d]
    zeros = {n: np.zeros(n, order="F") for n in ((N, H_d), (B, H_g), (M, H_g), (M, H_d))}
    z, z2 = np.empty((N, 1)), np.empty((M, 1))
    hbar, hbar2, hbarG, ybar = ones_f(N, H_d), ones_f(M, H_d), ones_f(M, H_g), ones_f(M, 2)
    t = np.concatenate([np.ones((B, 1)), np.zeros((B, 1))])
    zs, z2s = np.empty((block, N)), np.empty((block, M))
    hist = np.empty((steps, 6))
    for step in range(steps):
        i = step % block
        if i == 0:
            xr = rng.uniform(-0.5, 0.5, (block, B))
            zf, zg = latent_block(rng, block, B, L), latent_block(rng, block, M, L)
        # --- D step on [real; G(z)]
        xa[:B, 0] = xr[i]; np.square(xr[i], out=xa[:B, 1])
        np.dot(Ug.T, zf[i].T, out=hF.T); np.maximum(hF, zeros[B, H_g], out=hF)
        np.matmul(hfa, Wg, out=xa[B:, :2])
        np.dot(Ud.T, xa.T, out=hD.T); np.maximum(hD, zeros[N, H_d], out=hD)
        np.dot(ha, Wd, out=z)
        zs[i] = z[:, 0]
        expit(z, out=z); z -= t; z /= N
        np.dot(ha.T, z, out=dWd)
        np.dot(Wd[:H_d], z.T, out=hbar.T); hbar *= hD > 0
        np.dot(xa.T, hbar, out=dUd)
        adam(td, gd, sd, lr_d)
        # --- G step through the frozen D
        np.dot(Ug.T, zg[i].T, out=hG.T); np.maximum(hG, zeros[M, H_g], out=hG)
        np.dot(Wg.T, hga.T, out=ya[:, :2].T)
        np.dot(Ud.T, ya.T, out=hD2.T); np.maximum(hD2, zeros[M, H_d], out=hD2)
        np.dot(hda, Wd, out=z2)
        z2s[i] = z2[:, 0]
        expit(z2, out=z2); z2 -= 1; z2 /= M
        np.dot(Wd[:H_d], z2.T, out=hbar2.T); hbar2 *= hD2 > 0
        np.dot(Ud[:2], hbar2.T, out=ybar.T)
        np.dot(hga.T, ybar, out=dWg)
        np.dot(Wg[:H_g], ybar.T, out=hbarG.T); hbarG *= hG > 0
        np.dot(zg[i].T, hbarG, out=dUg)
        adam(tg, gg, sg, lr_g)
        np.subtract(tg, avg, out=avg_tmp); avg_tmp *= 1 - ema; avg += avg_tmp
        if i == block - 1 or step == steps - 1:  # the block's history: losses, mean D(x), accuracies
            n, rows = i + 1, slice(step - i, step + 1)
            zr, zfk, zgn = zs[:n, :B], zs[:n, B:], z2s[:n]
            hist[rows, 0] = (np.logaddexp(0, -zr).sum(1) + np.logaddexp(0, zfk).sum(1)) / N
            hist[rows, 1] = np.logaddexp(0, -zgn).mean(1)
            hist[rows, 2], hist[rows, 3] = expit(zr).mean(1), expit(zfk).mean(1)
            hist[rows, 4], hist[rows, 5] = (zr > 0).mean(1), (zfk < 0).mean(1)
    return hist
