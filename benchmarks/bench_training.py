"""Benchmark of the NumPy GAN on the course's x² problem: speed against peers measured in the same run, quality over
seeds, and scaling. Run: ``python benchmarks/bench_training.py`` (``--quick`` for a short smoke run)."""
import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import lean_loop  # noqa: E402
import torch_loop  # noqa: E402

from gancheck import targets  # noqa: E402
from gancheck.train import PRESETS, train  # noqa: E402

X2 = targets.get("x2")


def per_iteration_us(fn, steps, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(steps)
        times.append((time.perf_counter() - start) / steps * 1e6)
    return statistics.median(times)


def interleaved(peers, steps, repeats):
    """Median µs per iteration of each peer (name → ``fn(steps)``); ``steps`` is a number or name → number. Rounds
    interleave the peers, so a slow spell of the machine costs each of them alike."""
    times = {name: [] for name in peers}
    for _ in range(repeats):
        for name, fn in peers.items():
            times[name].append(per_iteration_us(fn, steps[name] if isinstance(steps, dict) else steps, 1))
    return {name: statistics.median(t) for name, t in times.items()}


def package(steps, hidden=None, batch=64):
    from gancheck import models

    cfg = replace(PRESETS["default"], steps=steps, checkpoint_every=10**9, batch=batch, g_batch=2 * batch)
    G = D = None
    if hidden is not None:
        G, D = models.generator_1d(hidden=hidden[1]), models.discriminator_1d(hidden=hidden[0])
    # Evaluation at the last step is part of train(); it is excluded by giving it a tiny sample.
    return train(X2, replace(cfg, n_eval=10), G=G, D=D)


def table(title, header, rows):
    print(f"\n## {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


def speed(steps, repeats):
    peers = {"gancheck.train (layered, default preset)": lambda n: package(n),
             "lean hand-fused NumPy loop": lambda n: lean_loop.run(n)}
    try:
        import torch  # noqa: F401
        peers["PyTorch eager, CPU, 1 thread"] = lambda n: torch_loop.run(n, threads=1)
        peers["PyTorch eager, CPU, 2 threads"] = lambda n: torch_loop.run(n, threads=2)
        peers["PyTorch eager tuned (frozen D, fused Adam), 1 thread"] = lambda n: torch_loop.run(n, tuned=True)
    except ImportError:
        print("(PyTorch not installed: its row is left out)")
    us = interleaved(peers, {name: steps if "PyTorch" not in name else max(steps // 5, 200) for name in peers}, repeats)
    lean, ours = us["lean hand-fused NumPy loop"], us["gancheck.train (layered, default preset)"]
    rows = [(name, f"{v:.0f}", f"{v / lean:.2f}×", f"{v / ours:.2f}×") for name, v in us.items()]
    table(f"Speed: µs per training iteration (median of {repeats} interleaved rounds; D 64 real + 64 fake, G 128 latents, "
          "Adam)",
          ["implementation", "µs/iter", "vs lean", "vs gancheck"], rows)
    start = time.perf_counter()
    package(10_000)
    print(f"\n10,000 iterations of gancheck.train: {time.perf_counter() - start:.2f} s")


def quality(seeds, steps):
    rows = []
    for name in ("default", "tutorial"):
        errors, inside, secs = [], [], []
        for seed in range(seeds):
            r = train(X2, replace(PRESETS[name], steps=steps, checkpoint_every=steps, seed=seed, n_eval=10_000))
            m = r.checkpoints[-1]["metrics"]
            errors.append(m["curve_error"]), inside.append(m["in_domain"]), secs.append(r.seconds)
        errors, inside = np.array(errors), np.array(inside)
        good = errors < 0.02
        rows.append((name, f"{np.median(errors):.4f}", f"{good.sum()}/{seeds}",
                     f"{inside[good].min():.3f}" if good.any() else "–", f"{errors.max():.3f}",
                     " ".join(f"{e:.3f}" for e in errors), f"{np.median(secs):.2f}"))
    table(f"Quality after {steps:,} iterations over {seeds} seeds (curve error = mean |x₂ − x₁²| of 10,000 generated points)",
          ["preset", "median curve error", "seeds < 0.02", "min in-domain on those", "worst", "per seed", "s/run"], rows)


def scaling(steps, repeats):
    rows = []
    settings = [(f"batch {2 * B}", dict(batch=B), dict(B=B, M=2 * B)) for B in (64, 256, 1024, 4096)]
    settings += [(f"hidden {H}", dict(hidden=(H, max(15, H * 15 // 25))), dict(H_d=H, H_g=max(15, H * 15 // 25)))
                 for H in (25, 64, 128, 256)]
    for label, ours, lean in settings:
        us = interleaved({"ours": lambda n: package(n, **ours), "lean": lambda n: lean_loop.run(n, **lean)},
                         steps, repeats)
        rows.append((label, f"{us['ours']:.0f}", f"{us['lean']:.0f}", f"{us['ours'] / us['lean']:.2f}×"))
    table(f"Scaling: µs per iteration, median of {repeats} interleaved rounds (batch = D's real + fake rows, G gets as "
          "many; hidden = D's width, G's ×0.6)", ["setting", "gancheck", "lean loop", "ratio"], rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs: a smoke test, not a measurement")
    args = parser.parse_args(argv)
    speed(300 if args.quick else 3000, 3 if args.quick else 7)
    quality(2 if args.quick else 10, 500 if args.quick else 10_000)
    scaling(50 if args.quick else 500, 3 if args.quick else 5)


if __name__ == "__main__":
    main()
