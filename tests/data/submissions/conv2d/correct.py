# Homework 3, part 1: a convolution layer in NumPy (channels last, like Keras).
import numpy as np


def output_size(n, k, s, padding):
    """Output length and the zeros before/after, as Keras computes them."""
    if padding == "valid":
        return (n - k) // s + 1, 0, 0
    out = int(np.ceil(n / s))
    total = max((out - 1) * s + k - n, 0)
    return out, total // 2, total - total // 2   # TensorFlow puts the odd zero at the end


def conv2d_forward(x, K, b, stride, padding):
    N, H, W, C = x.shape
    kh, kw, _, F = K.shape
    Ho, top, bottom = output_size(H, kh, stride, padding)
    Wo, left, right = output_size(W, kw, stride, padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    y = np.zeros((N, Ho, Wo, F))
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            y[:, i, j, :] = np.tensordot(patch, K, axes=([1, 2, 3], [0, 1, 2])) + b
    return y


def conv2d_backward(dy, x, K, stride, padding):
    N, H, W, C = x.shape
    kh, kw, _, F = K.shape
    Ho, top, bottom = output_size(H, kh, stride, padding)
    Wo, left, right = output_size(W, kw, stride, padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    dxp = np.zeros_like(xp)
    dK = np.zeros_like(K)
    for i in range(Ho):
        for j in range(Wo):
            rows = slice(i * stride, i * stride + kh)
            cols = slice(j * stride, j * stride + kw)
            # y[:, i, j, f] = sum(xp[:, rows, cols, :] * K[..., f]) + b[f]
            dxp[:, rows, cols, :] += np.tensordot(dy[:, i, j, :], K, axes=([1], [3]))
            dK += np.tensordot(xp[:, rows, cols, :], dy[:, i, j, :], axes=([0], [0]))
    db = dy.sum(axis=(0, 1, 2))
    dx = dxp[:, top:top + H, left:left + W, :]
    return dx, dK, db


if __name__ == "__main__":
    x = np.random.randn(2, 8, 8, 2)
    K = np.random.randn(3, 3, 2, 4)
    print(conv2d_forward(x, K, np.zeros(4), 2, "same").shape)
