"""``gancheck train``: train the course's GAN on a target and write metrics, history, state and figures.

Exit status: 0 finished; 1 diverged (what it had done is written); 2 unusable input; 130 stopped by SIGINT (Ctrl-C),
143 by SIGTERM — in both cases at the next block of steps, with everything written and ``--resume DIR`` to continue.
"""
import math
import signal
import sys
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path

from .. import GancheckError
from . import args as types

SIGNALS = (signal.SIGINT, signal.SIGTERM)  # exit status 128 + the signal's number, as a shell reports it
OPTIONS = {"d_lr": "lr", "g_lr": "lr"}      # configuration field → its option, where the names differ


def _targets():
    from ..targets import TARGETS
    return TARGETS


def _presets():
    from ..train import PRESETS
    return PRESETS


def _losses():
    from ..train import LOSSES
    return LOSSES


def _steps_bound():
    """The most steps whose history fits in half the memory available now."""
    from ..history import COLUMNS

    per_step = 8 * len(COLUMNS)
    free = types.available_memory()
    return free // 2 // per_step, (f" (the history takes {per_step} bytes a step and may use half of the "
                                   f"{types.gib(free)} of memory available)")


def add_parser(sub):
    # Choices are named in the help and checked against the package's own tables only when given: listing them here
    # from those tables would import NumPy and SciPy for every gancheck command.
    p = sub.add_parser("train", help="train the NumPy GAN on a known target and measure it",
                       description="Train the course's 1-D GAN (Algorithm 1) and write metrics.json, history.csv, "
                                   "state.npz, curves.png and scatter.png into --out, as it goes. " + __doc__.split(
                                       "\n\n", 1)[1].replace("\n", " "))
    p.add_argument("--target", type=types.one_of(_targets, "target"),
                   help="x2 (default), sine, gaussian, mixture, ring, disjoint")
    p.add_argument("--preset", type=types.one_of(_presets, "preset"),
                   help="default (decayed learning rate, EMA generator) or tutorial (the Keras setup)")
    p.add_argument("--steps", type=types.integer(1, _steps_bound), help="training iterations (preset: 10000)")
    p.add_argument("--seed", type=types.seed, help=f"random seed, 0 to {types.SEED_MAX} (default: 0)")
    p.add_argument("--k", type=types.integer(1, 100), help="discriminator steps per generator step, 1 to 100")
    p.add_argument("--loss", type=types.one_of(_losses, "loss"), help="nonsaturating, minimax, lsgan or wgan")
    p.add_argument("--lr", type=types.real(0, low_open=True), help="learning rate of both networks (> 0)")
    p.add_argument("--instance-noise", type=types.real(0), help="std of the decaying noise on D's inputs (≥ 0)")
    p.add_argument("--label-noise", type=types.real(0, 0.5), help="amplitude of the label noise, 0 to 0.5 (e.g. 0.15)")
    p.add_argument("--checkpoint-every", type=types.integer(1), help="steps between evaluations (default: steps / 5)")
    p.add_argument("--out", type=types.output_dir, help="output directory, created if missing (default: gancheck-train)")
    p.add_argument("--resume", metavar="DIR", type=types.output_dir,
                   help="continue the stopped run in DIR (its configuration; options given must agree with it)")
    p.add_argument("--save-every", type=types.real(0), default=5.0, metavar="SECONDS",
                   help="write history and state at least this often while training (default: 5)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def _config(args, base=None):
    from ..train import PRESETS

    cfg = base or PRESETS[args.preset or "default"]
    changes = {"seed": args.seed if args.seed is not None else cfg.seed}
    for field in ("steps", "k", "loss", "instance_noise", "label_noise", "checkpoint_every"):
        if getattr(args, field) is not None:
            changes[field] = getattr(args, field)
    if args.lr is not None:
        changes["d_lr"] = changes["g_lr"] = args.lr
    if base is None and args.checkpoint_every is None:
        changes["checkpoint_every"] = max(1, changes.get("steps", cfg.steps) // 5)
    return replace(cfg, **changes)


def _check_memory(cfg, target):
    """Refuse up front a run whose history and evaluations would not fit in memory."""
    from ..history import COLUMNS

    evaluations = -(-cfg.steps // cfg.checkpoint_every)
    need = cfg.steps * 8 * len(COLUMNS) + evaluations * cfg.n_eval * target.dim * 8
    free = types.available_memory()
    if need > free // 2:
        raise GancheckError(f"{cfg.steps:,} steps with {evaluations:,} evaluations of {cfg.n_eval:,} points need "
                            f"{types.gib(need)}, more than half of the {types.gib(free)} available; evaluate less "
                            "often (--checkpoint-every) or train fewer --steps")


def _prepare(args):
    """``(run_dir, snapshot or None)``, every argument checked and the output directory created."""
    from .. import rundir, targets

    if args.resume:
        if args.out and Path(args.out).resolve() != Path(args.resume).resolve():
            raise GancheckError("--resume continues the run in its own directory; leave out --out")
        run_dir, snapshot = rundir.RunDir.resume(args.resume)
        saved, given = asdict(run_dir.config), asdict(_config(args, base=run_dir.config))
        differ = ["preset"] if args.preset else []
        differ += ["target"] if args.target not in (None, run_dir.target.name) else []
        differ += [OPTIONS.get(f, f) for f in saved if saved[f] != given[f]]
        if differ:
            raise GancheckError(f"--resume continues the saved configuration, which --{differ[0].replace('_', '-')} "
                                f"would change (see {args.resume}/metrics.json)")
        return run_dir, snapshot
    target = targets.get(args.target or "x2")
    config = _config(args)
    _check_memory(config, target)
    out = Path(args.out or "gancheck-train")
    note = rundir.unfinished(out)
    if note:
        raise GancheckError(f"{out} holds an unfinished run ({note.split(';')[0]}): continue it with --resume {out}, "
                            "or choose another --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GancheckError(f"cannot create output directory {str(out)!r}: {exc.strerror}") from None
    for name in ("state.npz", "history.csv"):  # a finished run's files, replaced by this one's
        (out / name).unlink(missing_ok=True)
    return rundir.RunDir(out, target, config), None


def run(args):
    started = time.perf_counter()
    from ..train import NonFiniteError, train

    run_dir, snapshot = _prepare(args)
    stop = threading.Event()

    def on_signal(signum, frame):
        if stop.is_set():  # a second Ctrl-C: stop at once
            raise KeyboardInterrupt
        run_dir.stopped_by = signal.Signals(signum)
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in SIGNALS}
    try:
        result = train(run_dir.target, run_dir.config, progress=not args.no_progress, resume=snapshot, stop=stop,
                       save=run_dir.save, save_every=args.save_every)
    except NonFiniteError:
        result = run_dir.result
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    from .. import plots

    out = run_dir.path
    written = plots.save_run(result, run_dir.target, out)
    run_dir.write_metrics(result, command_seconds=time.perf_counter() - started)
    if result.status == "finished":
        final = result.checkpoints[-1]["metrics"]
        print("  ".join(f"{k}={v:.4g}" if isinstance(v, float) and math.isfinite(v) else f"{k}={v}"
                        for k, v in final.items()))
    files = [name for name in ("metrics.json", "history.csv", "state.npz") if (out / name).exists()] + written
    print(f"wrote {', '.join(str(out / name) for name in files)}")
    if result.status == "finished":
        return 0
    print(f"gancheck: {run_dir.note(result)}", file=sys.stderr)
    return 1 if result.status == "diverged" else 128 + run_dir.stopped_by
