import numpy as np

# "same" padding: pad k//2 on each side so the output is ceil(n/s)


def conv2d_forward(x, K, b, stride, padding):
    kh, kw = K.shape[0], K.shape[1]
    if padding == "same":
        x = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    N, H, W, C = x.shape
    Ho, Wo = (H - kh) // stride + 1, (W - kw) // stride + 1
    cols = np.zeros((N, Ho, Wo, kh, kw, C))
    for i in range(Ho):
        for j in range(Wo):
            cols[:, i, j] = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
    return cols.reshape(N * Ho * Wo, -1).dot(K.reshape(-1, K.shape[3])).reshape(N, Ho, Wo, -1) + b


def conv2d_backward(dy, x, K, stride, padding):
    kh, kw = K.shape[0], K.shape[1]
    p = (kh // 2, kw // 2) if padding == "same" else (0, 0)
    xp = np.pad(x, ((0, 0), (p[0], p[0]), (p[1], p[1]), (0, 0)))
    N, Ho, Wo, F = dy.shape
    dxp = np.zeros(xp.shape)
    dK = np.zeros(K.shape)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            dK += np.einsum("nabc,nf->abcf", patch, dy[:, i, j])
            dxp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :] += np.einsum("abcf,nf->nabc", K, dy[:, i, j])
    dx = dxp[:, p[0]:p[0] + x.shape[1], p[1]:p[1] + x.shape[2], :]
    return dx, dK, dy.sum(axis=(0, 1, 2))
