"""The same x² GAN iteration (default preset) in PyTorch eager mode on the CPU: the framework peer in the benchmark.

``tuned=False`` is the loop as tutorials write it: ``torch.optim.Adam`` with its defaults, and D's parameter gradients
computed during the G step but never applied. ``tuned=True`` is the fastest eager setting found here: D frozen during
the G step with ``requires_grad_(False)`` (its parameter gradients are not computed, as in gancheck), the fused Adam
and the EMA in one ``_foreach_lerp_`` call.
"""
import numpy as np


def run(steps, seed=0, B=64, M=128, L=5, H_d=25, H_g=15, threads=1, tuned=False):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    D = nn.Sequential(nn.Linear(2, H_d), nn.ReLU(), nn.Linear(H_d, 1)).double()
    G = nn.Sequential(nn.Linear(L, H_g), nn.ReLU(), nn.Linear(H_g, 2)).double()
    adam = dict(betas=(0.5, 0.999), eps=1e-7, **({"fused": True} if tuned else {}))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, **adam)
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, **adam)
    avg = [p.detach().clone() for p in G.parameters()]
    bce = nn.BCEWithLogitsLoss()
    t = torch.cat([torch.ones(B, 1), torch.zeros(B, 1)]).double()
    ones = torch.ones(M, 1, dtype=torch.float64)
    rng = np.random.default_rng(seed)
    hist = np.empty((steps, 2))
    for step in range(steps):
        xr = torch.from_numpy(rng.uniform(-0.5, 0.5, B))
        real = torch.stack([xr, xr * xr], dim=1)
        with torch.no_grad():
            fake = G(torch.rand(B, L, dtype=torch.float64) * 2 - 1)
        opt_d.zero_grad()
        d_loss = bce(D(torch.cat([real, fake])), t)
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        D.requires_grad_(not tuned)
        g_loss = bce(D(G(torch.rand(M, L, dtype=torch.float64) * 2 - 1)), ones)
        g_loss.backward()  # D is not stepped: its gradients (computed unless tuned) are never applied
        D.requires_grad_(True)
        opt_g.step()
        with torch.no_grad():
            if tuned:  # one call for all of G's tensors
                torch._foreach_lerp_(avg, list(G.parameters()), 1 - 0.999)
            else:
                for a, p in zip(avg, G.parameters()):
                    a.lerp_(p, 1 - 0.999)
        hist[step] = d_loss.item(), g_loss.item()
    return hist
