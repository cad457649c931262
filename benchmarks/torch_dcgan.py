"""The DCGAN iteration of ``gancheck experiment dcgan`` in PyTorch eager mode on the CPU: the framework peer of
``bench_dcgan.py``.

The same networks layer for layer (Keras' ``"same"`` padding of a stride-2 3×3 convolution adds the odd row and column
at the bottom and right, which ``ZeroPad2d`` spells out; PyTorch's images are channels-first, its native layout), the
same Adam (lr 2e-4, β = (0.5, 0.999), ε = 1e-7), D stepped on 64 real and 64 generated images, G on 128 latents
through D frozen with ``requires_grad_(False)`` (D's parameter gradients are not computed, as in gancheck).
"""
import numpy as np


def networks(dtype, latent_dim=20, filters=32, side=8, d_filters=(64, 128)):
    import torch
    from torch import nn

    def same_stride2(c_in, c_out):  # k = 3, s = 2: Keras pads (0, 1) on an even side
        return [nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(c_in, c_out, 3, 2)]

    D = nn.Sequential(nn.Unflatten(1, (1, side, side)), *same_stride2(1, d_filters[0]), nn.LeakyReLU(0.2),
                      nn.Dropout(0.4), *same_stride2(*d_filters), nn.LeakyReLU(0.2), nn.Dropout(0.4), nn.Flatten(),
                      nn.Linear(d_filters[1] * (side // 4) ** 2, 1))
    half = side // 2
    G = nn.Sequential(nn.Linear(latent_dim, filters * half * half), nn.LeakyReLU(0.2),
                      nn.Unflatten(1, (filters, half, half)),
                      nn.ConvTranspose2d(filters, filters, 4, 2, 1),  # k = 4, s = 2, "same": pads (1, 1)
                      nn.LeakyReLU(0.2), nn.Conv2d(filters, 1, 3, 1, 1), nn.Tanh(), nn.Flatten())
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    return G.to(tdtype), D.to(tdtype)


def run(steps, dtype=np.float64, seed=0, B=64, M=128, threads=1, latent_dim=20, side=8, **sizes):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    G, D = networks(dtype, latent_dim=latent_dim, side=side, **sizes)
    tdtype = next(G.parameters()).dtype
    adam = dict(lr=2e-4, betas=(0.5, 0.999), eps=1e-7)
    opt_d, opt_g = torch.optim.Adam(D.parameters(), **adam), torch.optim.Adam(G.parameters(), **adam)
    bce = nn.BCEWithLogitsLoss()
    t = torch.cat([torch.ones(B, 1), torch.zeros(B, 1)]).to(tdtype)
    ones = torch.ones(M, 1, dtype=tdtype)
    real = torch.from_numpy(np.random.default_rng(seed).uniform(-1, 1, (256, side * side))).to(tdtype)
    hist = np.empty((steps, 2))
    for step in range(steps):
        batch = real[torch.randint(len(real), (B,))]
        with torch.no_grad():
            fake = G(torch.randn(B, latent_dim, dtype=tdtype))
        opt_d.zero_grad()
        d_loss = bce(D(torch.cat([batch, fake])), t)
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        D.requires_grad_(False)
        g_loss = bce(D(G(torch.randn(M, latent_dim, dtype=tdtype))), ones)
        g_loss.backward()
        D.requires_grad_(True)
        opt_g.step()
        hist[step] = d_loss.item(), g_loss.item()
    return hist


def conv_layer(dtype, x_shape, c_out, kernel, stride, pad, threads=1):
    """``(forward, backward)`` closures of one ``torch.nn.functional.conv2d`` with gradients for input and weight:
    ``x_shape`` channels-first, ``pad`` = (left, right, top, bottom) zeros added first."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    x = torch.randn(x_shape, dtype=tdtype, requires_grad=True)
    w = torch.randn((c_out, x_shape[1], kernel, kernel), dtype=tdtype, requires_grad=True)
    b = torch.zeros(c_out, dtype=tdtype, requires_grad=True)

    def forward():
        with torch.no_grad():
            return F.conv2d(F.pad(x, pad), w, b, stride=stride)

    def backward():
        y = F.conv2d(F.pad(x, pad), w, b, stride=stride)
        y.backward(torch.ones_like(y))

    return forward, backward
