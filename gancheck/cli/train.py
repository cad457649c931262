"""``gancheck train``: train the course's GAN on a target and write metrics, curves and scatter plots."""
import json
import math
import os
from pathlib import Path

from .. import GancheckError


def add_parser(sub):
    p = sub.add_parser("train", help="train the NumPy GAN on a known target and measure it",
                       description="Train the course's 1-D GAN (Algorithm 1) and write metrics.json, curves.png and "
                                   "scatter.png into --out.")
    p.add_argument("--target", default="x2", help="x2 (default), sine, gaussian, mixture, ring, disjoint")
    p.add_argument("--preset", default="default", help="default (decayed lr + EMA generator) or tutorial (Keras setup)")
    p.add_argument("--steps", type=int, help="training iterations (preset: 10000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--k", type=int, help="discriminator steps per generator step")
    p.add_argument("--loss", help="nonsaturating, minimax, lsgan or wgan")
    p.add_argument("--lr", type=float, help="learning rate of both networks")
    p.add_argument("--instance-noise", type=float, help="std of the decaying noise on D's inputs")
    p.add_argument("--label-noise", type=float, help="amplitude of the label noise (e.g. 0.15)")
    p.add_argument("--checkpoint-every", type=int, help="steps between evaluations (default: steps / 5)")
    p.add_argument("--out", default="gancheck-train", help="output directory (created)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def _config(args):
    from dataclasses import replace

    from ..train import PRESETS

    if args.preset not in PRESETS:
        raise GancheckError(f"unknown preset {args.preset!r}; choose from {', '.join(PRESETS)}")
    changes = {"seed": args.seed}
    for field, value in (("steps", args.steps), ("k", args.k), ("loss", args.loss), ("instance_noise", args.instance_noise),
                         ("label_noise", args.label_noise), ("checkpoint_every", args.checkpoint_every)):
        if value is not None:
            changes[field] = value
    if args.lr is not None:
        changes["d_lr"] = changes["g_lr"] = args.lr
    steps = changes.get("steps", PRESETS[args.preset].steps)
    if "checkpoint_every" not in changes and isinstance(steps, int) and steps >= 5:
        changes["checkpoint_every"] = max(1, steps // 5)
    return replace(PRESETS[args.preset], **changes)


def _output_dir(path):
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GancheckError(f"cannot create output directory {path!r}: {exc.strerror}") from None
    if not os.access(out, os.W_OK):
        raise GancheckError(f"output directory {path!r} is not writable")
    return out


def run(args):
    import numpy as np

    from .. import plots, targets
    from ..train import train

    target = targets.get(args.target)
    config = _config(args)  # validates every number before any work is done
    out = _output_dir(args.out)
    result = train(target, config, progress=not args.no_progress)
    summary = result.summary()
    with open(out / "metrics.json", "w") as fh:
        json.dump({"target": target.name, **summary,
                   "checkpoints": [{"step": cp["step"], **cp["metrics"]} for cp in result.checkpoints]}, fh, indent=2)
    plots.save(plots.training_curves(result.history), out / "curves.png")
    plots.save(plots.checkpoints_grid(result, target, np.random.default_rng(config.seed)), out / "scatter.png")
    shown = {k: v for k, v in summary.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    print("  ".join(f"{k}={v:.4g}" if isinstance(v, float) and math.isfinite(v) else f"{k}={v}" for k, v in shown.items()))
    print(f"wrote {out / 'metrics.json'}, {out / 'curves.png'}, {out / 'scatter.png'}")
    return 0
