"""Benchmark of the NumPy DCGAN (``gancheck experiment dcgan``): a training iteration and one convolution layer against
PyTorch eager on the CPU in the same run, and the image metrics of the full variant over seeds.

Run: ``python benchmarks/bench_dcgan.py`` (``--quick`` for a smoke run, ``--quality`` for the metrics over seeds, which
trains the full variant: tens of minutes). PyTorch is optional (``pip install 'gancheck[bench]'``): without it only
gancheck's rows are printed. Both sides use one thread (one BLAS thread for NumPy, ``torch.set_num_threads(1)``);
rounds interleave the peers so that a slow spell of a shared machine costs each alike, and the load average is printed.
"""
import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
import torch_dcgan  # noqa: E402
from bench_training import interleaved, table  # noqa: E402

from gancheck import losses  # noqa: E402
from gancheck.experiments import dcgan, digits  # noqa: E402
from gancheck.nn import Conv2D, MLP, Stacked  # noqa: E402
from gancheck.optim import Adam  # noqa: E402
from gancheck.train import train  # noqa: E402

B, M, LATENT = 64, 128, 20  # D sees 64 real + 64 generated digits, G 128 latents: train()'s default batches


def layers_loop(steps, dtype, seed=0):
    """One iteration as :func:`gancheck.train.train` runs it — D's step on 64 real and 64 generated rows, G's step on
    128 latents through the frozen D, Adam for both — on the package's layers and buffers, in ``dtype`` (``train``
    itself is float64 only)."""
    G, D = dcgan.networks(LATENT, dtype=dtype)
    rng = np.random.default_rng(seed)
    G.initialise(rng), D.initialise(rng)
    gan = Stacked(G, D)
    opt_d, opt_g = (Adam(net.n_params, 2e-4, 0.5, eps=1e-7, dtype=dtype) for net in (D, G))
    d_buf = D.buffers(2 * B)
    g_buf, gan_buf = G.buffers(B, out=d_buf.x[B:]), gan.buffers(M)
    t = np.r_[np.ones(B), np.zeros(B)].astype(dtype)[:, None]
    dz_d, dz_g = np.empty((2 * B, 1), dtype), np.empty((M, 1), dtype)
    real = rng.uniform(-1, 1, (256, 64)).astype(dtype)
    z_d, z_g = np.ones((B, LATENT + 1), dtype), np.ones((M, LATENT + 1), dtype)  # augmented: bias in the product
    for _ in range(steps):
        d_buf.x[:B] = real[rng.integers(len(real), size=B)]
        z_d[:, :LATENT], z_g[:, :LATENT] = rng.standard_normal((B, LATENT)), rng.standard_normal((M, LATENT))
        G.forward(z_d, training=True, rng=rng, buffers=g_buf)
        logits, caches = D.forward(d_buf.input, training=True, rng=rng, buffers=d_buf)
        D.backward(losses.bce_grad(logits, t, dz_d), caches, buffers=d_buf, input_grad=False)
        opt_d.step(D.theta, D.grad)
        logits, caches = gan.forward(z_g, training=True, rng=rng, buffers=gan_buf)
        gan.backward(losses.nonsaturating_grad(logits, dz_g), caches, buffers=gan_buf, input_grad=False)
        opt_g.step(G.theta, G.grad)


def package_train(steps):
    """:func:`gancheck.train.train` itself (float64), evaluation excluded by a tiny final sample."""
    cfg = dcgan.config({**dcgan.VARIANTS["full"], "steps": steps}, 0)  # the full variant's batches, as compared here
    G, D = dcgan.networks(LATENT)
    train(digits.target(digits.load(0)[0][300:]), replace(cfg, checkpoint_every=10**9, n_eval=10), G=G, D=D)


def load():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def speed(steps, repeats, have_torch):
    peers = {"gancheck.train (float64)": package_train}
    for dtype in (np.float64, np.float32):
        name = dtype.__name__
        peers[f"gancheck layers, {name}"] = lambda n, d=dtype: layers_loop(n, d)
        if have_torch:
            peers[f"PyTorch eager, {name}"] = lambda n, d=dtype: torch_dcgan.run(n, d)
    print(f"\n{load()} (before)")
    us = interleaved(peers, steps, repeats)
    rows = []
    for name, v in us.items():
        dtype = "float32" if "float32" in name else "float64"
        peer = us.get(f"PyTorch eager, {dtype}")
        rows.append((name, f"{v:,.0f}", f"{v / peer:.2f}×" if peer else "–"))
    table(f"DCGAN training iteration: µs, median of {repeats} interleaved rounds of {steps} iterations (8×8 digits; "
          f"D 64 real + 64 generated, G 128 latents; Adam; one thread)", ["implementation", "µs/iter", "vs PyTorch"],
          rows)
    print(f"\n{load()} (after)")


def conv_peers(dtype, batch, in_shape, filters, have_torch):
    """Forward and forward+backward of one 3×3, stride-2, "same" Conv2D: gancheck's and ``F.conv2d``."""
    layer = MLP([Conv2D(in_shape, filters, 3, strides=2, padding="same")], dtype=dtype).initialise(
        np.random.default_rng(0)).layers[0]
    x = np.random.default_rng(1).standard_normal((batch,) + in_shape).astype(dtype)
    dy = np.ones((batch,) + layer.out_shape, dtype)

    def ours_forward(n):
        for _ in range(n):
            layer.forward(x)

    def ours_both(n):
        for _ in range(n):
            layer.backward(dy, layer.forward(x)[1])

    peers = {"gancheck forward": ours_forward, "gancheck forward + backward": ours_both}
    if have_torch:
        (top, bottom), (left, right) = layer.window.pads
        forward, both = torch_dcgan.conv_layer(dtype, (batch, in_shape[2]) + in_shape[:2], filters, 3, 2,
                                               (left, right, top, bottom))
        peers["F.conv2d forward"] = lambda n: [forward() for _ in range(n)]
        peers["F.conv2d forward + backward"] = lambda n: [both() for _ in range(n)]
    return peers


def conv_layer(steps, repeats, have_torch):
    rows = []
    for label, batch, in_shape, filters, calls in (
            ("8×8 D, layer 2: 4×4×64 → 2×2×128", 128, (4, 4, 64), 128, steps),
            ("28×28 D (seed 002), layer 2: 14×14×64 → 7×7×128", 64, (14, 14, 64), 128, max(steps // 10, 3))):
        for dtype in (np.float64, np.float32):
            us = interleaved(conv_peers(dtype, batch, in_shape, filters, have_torch), calls, repeats)
            for what in ("forward", "forward + backward"):
                ours, theirs = us[f"gancheck {what}"], us.get(f"F.conv2d {what}")
                rows.append((label, batch, dtype.__name__, what, f"{ours:,.0f}",
                             f"{theirs:,.0f}" if theirs else "–", f"{ours / theirs:.2f}×" if theirs else "–"))
    table(f"One Conv2D (3×3, stride 2, 'same'): µs per call, median of {repeats} interleaved rounds",
          ["layer", "batch", "dtype", "pass", "gancheck", "torch F.conv2d", "ratio"], rows)


def quality(seeds, variant):
    rows, goal = [], []
    for seed in range(seeds):
        data = dcgan.run(variant, seed)
        for name, row in data["table"].items():
            rows.append((seed, dcgan.MODELS[name], row["classes"], f"{row['score']:.2f}", f"{row['fid']:.3f}",
                         f"{row['mmd']:.3f}", f"{row['confident']:.2f}"))
        t = data["table"]
        goal.append(t["dcgan"]["classes"] >= 9 and t["dcgan"]["fid"] < t["mlp"]["fid"])
        print(f"seed {seed}: {data['seconds']['dcgan']:.0f} s DCGAN, {data['seconds']['mlp']:.0f} s MLP GAN", flush=True)
    p = dcgan.VARIANTS[variant]
    table(f"Image metrics, {variant} variant ({p['steps']} DCGAN steps, {p['mlp_steps']} MLP GAN steps), "
          f"1,000 images each against 300 held-out digits", ["seed", "model", "classes covered", "classifier score",
                                                              "Fréchet distance", "MMD", "confident"], rows)
    print(f"\nDCGAN ≥ 9 classes and Fréchet distance below the MLP GAN's: {sum(goal)}/{seeds} seeds")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs: a smoke test, not a measurement")
    parser.add_argument("--quality", action="store_true", help="also the full variant's image metrics over 3 seeds")
    args = parser.parse_args(argv)
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
        print("(PyTorch not installed: pip install 'gancheck[bench]'; its rows are left out)")
    with threadpool_limits(limits=1, user_api="blas"):
        speed(5 if args.quick else 30, 3 if args.quick else 7, have_torch)
        conv_layer(20 if args.quick else 200, 3 if args.quick else 7, have_torch)
        if args.quality:
            quality(3, "full")


if __name__ == "__main__":
    main()
