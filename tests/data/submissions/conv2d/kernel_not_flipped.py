# HW3 conv layer. Backward: dx is a "full" convolution of the upsampled dy with the kernel (lecture: transposed conv).
import numpy as np


def same_padding(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def pad_input(x, K, stride, padding):
    if padding == "valid":
        return x, (0, 0), (0, 0)
    ph, pw = same_padding(x.shape[1], K.shape[0], stride), same_padding(x.shape[2], K.shape[1], stride)
    return np.pad(x, ((0, 0), ph, pw, (0, 0))), ph, pw


def correlate(xp, K, stride):
    """valid cross-correlation of padded images with K (kh, kw, C, F)"""
    kh, kw = K.shape[:2]
    Ho = (xp.shape[1] - kh) // stride + 1
    Wo = (xp.shape[2] - kw) // stride + 1
    y = np.zeros((xp.shape[0], Ho, Wo, K.shape[3]))
    for m in range(kh):
        for n in range(kw):
            window = xp[:, m:m + stride * (Ho - 1) + 1:stride, n:n + stride * (Wo - 1) + 1:stride, :]
            y += window @ K[m, n]
    return y


def conv2d_forward(x, K, b, stride, padding):
    xp, _, _ = pad_input(x, K, stride, padding)
    return correlate(xp, K, stride) + b


def conv2d_backward(dy, x, K, stride, padding):
    N, H, W, C = x.shape
    kh, kw = K.shape[:2]
    xp, (top, _), (left, _) = pad_input(x, K, stride, padding)
    Ho, Wo = dy.shape[1:3]
    # dK[m, n] = sum over i, j of xp[s*i + m, s*j + n] * dy[i, j]
    dK = np.zeros_like(K)
    for m in range(kh):
        for n in range(kw):
            window = xp[:, m:m + stride * (Ho - 1) + 1:stride, n:n + stride * (Wo - 1) + 1:stride, :]
            dK[m, n] = np.einsum("nijc,nijf->cf", window, dy)
    db = dy.sum(axis=(0, 1, 2))
    # dx: insert stride-1 zeros between the pixels of dy, pad by k-1, correlate with the kernel (channels swapped)
    up = np.zeros((N, (Ho - 1) * stride + 1, (Wo - 1) * stride + 1, dy.shape[3]))
    up[:, ::stride, ::stride, :] = dy
    up = np.pad(up, ((0, 0), (kh - 1, xp.shape[1] - up.shape[1]), (kw - 1, xp.shape[2] - up.shape[2]), (0, 0)))
    dxp = correlate(up, K.transpose(0, 1, 3, 2), 1)
    dx = dxp[:, top:top + H, left:left + W, :]
    return dx, dK, db
