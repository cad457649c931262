# conv2d for the DCGAN homework -- forward + backward with loops
import numpy as np


def get_pads(size, k, s, padding):
    if padding == "same":
        out = (size + s - 1) // s
        total = max((out - 1) * s + k - size, 0)
        return out, total // 2, total - total // 2
    return (size - k) // s + 1, 0, 0


def conv2d_forward(x, K, b, stride, padding):
    N, H, W, C = x.shape
    k1, k2, _, F = K.shape
    Ho, t, bo = get_pads(H, k1, stride, padding)
    Wo, l, r = get_pads(W, k2, stride, padding)
    xp = np.pad(x, ((0, 0), (t, bo), (l, r), (0, 0)))
    out = np.zeros((N, Ho, Wo, F))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                for f in range(F):
                    out[n, i, j, f] = np.sum(xp[n, i * stride:i * stride + k1, j * stride:j * stride + k2, :]
                                             * K[:, :, :, f]) + b[f]
    return out


def conv2d_backward(dy, x, K, stride, padding):
    N, H, W, C = x.shape
    k1, k2, _, F = K.shape
    Ho, t, bo = get_pads(H, k1, stride, padding)
    Wo, l, r = get_pads(W, k2, stride, padding)
    xp = np.pad(x, ((0, 0), (t, bo), (l, r), (0, 0)))
    dxp = np.zeros(xp.shape)
    dK = np.zeros(K.shape)
    db = np.zeros(F)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                for f in range(F):
                    g = dy[n, i, j, f]
                    dxp[n, i:i + k1, j:j + k2, :] += g * K[:, :, :, f]
                    dK[:, :, :, f] += g * xp[n, i:i + k1, j:j + k2, :]
                    db[f] += g
    return dxp[:, t:t + H, l:l + W, :], dK, db
