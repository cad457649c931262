"""A lean, hand-fused NumPy loop of the x² GAN iteration: the speed peer of ``gancheck.train`` in the benchmark.

Same iteration as ``gancheck.train.train`` with the ``default`` preset: D sees 64 real + 64 fake rows (one combined step),
G 128 uniform latent points through the frozen D, Adam (Keras' form, β1 = 0.5, D's rate twice G's) on both, the EMA of
G's parameters, the same history statistics. Everything a fused loop
can do to be fast is done: biases folded into the weight matrices (inputs carry a column of ones), parameters in one flat
vector per network so Adam is a dozen ufunc calls, every array preallocated and written with ``out=``, random numbers
drawn in blocks. It exists only to be timed against the layered package.
"""
import numpy as np
from scipy.special import expit


def adam_state(n):
    return {"m": np.zeros(n), "v": np.zeros(n), "tmp": np.zeros(n), "tmp2": np.zeros(n), "t": 0}


def adam(theta, grad, s, lr, b1=0.5, b2=0.999, eps=1e-7):
    s["t"] += 1
    m, v, tmp, tmp2 = s["m"], s["v"], s["tmp"], s["tmp2"]
    np.subtract(grad, m, out=tmp); tmp *= 1 - b1; m += tmp
    np.multiply(grad, grad, out=tmp2); tmp2 -= v; tmp2 *= 1 - b2; v += tmp2
    np.sqrt(v, out=tmp); tmp += eps; np.divide(m, tmp, out=tmp)
    tmp *= lr * np.sqrt(1 - b2 ** s["t"]) / (1 - b1 ** s["t"]); theta -= tmp


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
    xa, ha = np.ones((N, 3)), np.ones((N, H_d + 1))
    zfa, hfa = np.ones((B, L + 1)), np.ones((B, H_g + 1))
    zga, hga, ya, hda = np.ones((M, L + 1)), np.ones((M, H_g + 1)), np.ones((M, 3)), np.ones((M, H_d + 1))
    gD, gF, gG, gD2 = np.empty((N, H_d)), np.empty((B, H_g)), np.empty((M, H_g)), np.empty((M, H_d))
    z, z2, p, p2 = np.empty((N, 1)), np.empty((M, 1)), np.empty((N, 1)), np.empty((M, 1))
    hbar, hbar2, hbarG, ybar = np.empty((N, H_d)), np.empty((M, H_d)), np.empty((M, H_g)), np.empty((M, 2))
    t = np.concatenate([np.ones((B, 1)), np.zeros((B, 1))])
    hist = np.empty((steps, 6))
    for step in range(steps):
        i = step % block
        if i == 0:
            xr = rng.uniform(-0.5, 0.5, (block, B))
            zf = rng.uniform(-1, 1, (block, B, L))
            zg = rng.uniform(-1, 1, (block, M, L))
        # --- D step on [real; G(z)]
        xa[:B, 0] = xr[i]; np.square(xr[i], out=xa[:B, 1])
        zfa[:, :L] = zf[i]
        np.matmul(zfa, Ug, out=gF); np.maximum(gF, 0, out=hfa[:, :H_g])
        np.matmul(hfa, Wg, out=xa[B:, :2])
        np.matmul(xa, Ud, out=gD); np.maximum(gD, 0, out=ha[:, :H_d])
        np.matmul(ha, Wd, out=z)
        expit(z, out=p)
        d_loss = (np.add.reduce(np.logaddexp(0, z), axis=None) - np.add.reduce(z[:B], axis=None)) / N
        hist[step, 2] = np.add.reduce(p[:B], axis=None) / B; hist[step, 3] = np.add.reduce(p[B:], axis=None) / B
        hist[step, 4] = np.count_nonzero(z[:B] > 0) / B; hist[step, 5] = np.count_nonzero(z[B:] < 0) / B
        p -= t; p /= N
        np.matmul(ha.T, p, out=dWd)
        np.multiply(p, Wd[:H_d].T, out=hbar); hbar *= gD > 0
        np.matmul(xa.T, hbar, out=dUd)
        adam(td, gd, sd, lr_d)
        # --- G step through the frozen D
        zga[:, :L] = zg[i]
        np.matmul(zga, Ug, out=gG); np.maximum(gG, 0, out=hga[:, :H_g])
        np.matmul(hga, Wg, out=ya[:, :2])
        np.matmul(ya, Ud, out=gD2); np.maximum(gD2, 0, out=hda[:, :H_d])
        np.matmul(hda, Wd, out=z2)
        g_loss = np.add.reduce(np.logaddexp(0, -z2), axis=None) / M
        expit(z2, out=p2); p2 -= 1; p2 /= M
        np.multiply(p2, Wd[:H_d].T, out=hbar2); hbar2 *= gD2 > 0
        np.matmul(hbar2, Ud[:2].T, out=ybar)
        np.matmul(hga.T, ybar, out=dWg)
        np.matmul(ybar, Wg[:H_g].T, out=hbarG); hbarG *= gG > 0
        np.matmul(zga.T, hbarG, out=dUg)
        adam(tg, gg, sg, lr_g)
        np.subtract(tg, avg, out=avg_tmp); avg_tmp *= 1 - ema; avg += avg_tmp
        hist[step, 0], hist[step, 1] = d_loss, g_loss
    return hist
