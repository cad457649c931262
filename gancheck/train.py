r"""Goodfellow et al. (2014), Algorithm 1: minibatch training of a GAN, *k* discriminator steps per generator step.

.. math:: \text{D ascends } \frac1m\sum_i\big[\log D(x_i) + \log(1-D(G(z_i)))\big], \qquad
          \text{G descends its loss (non-saturating } -\log D(G(z))\text{ by default)}

Implementation notes that matter for correctness and speed:

* D's step sees one combined batch (``batch`` real rows, then ``batch`` fake rows) with labels 1 and 0 and minimises
  their mean cross-entropy — Keras' ``train_on_batch`` on the concatenation. The tutorial's two separate steps (real,
  then fake) are the ``separate_real_fake`` option of the ``tutorial`` preset.
* G's gradient flows through the frozen D (:class:`gancheck.nn.Stacked`): ``D.grad`` and ``D.theta`` are not touched.
* One ``numpy.random.Generator`` drives everything (initialisation, data, latents, noise, dropout masks — layers run
  in training mode during the steps), drawn in blocks: the same seed gives a bit-identical history. Evaluation draws
  from a second stream spawned from the same seed, so evaluating never changes what is trained.
* At a block boundary the whole state is a :class:`gancheck.snapshot.Snapshot`: ``save`` receives one every
  ``save_every`` seconds, when ``stop`` is set (training then ends there) and at the end; ``resume`` continues from one
  exactly as if training had never stopped.
"""
import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np

from . import GancheckError, losses, metrics, models, optim, progress as progress_bars
from .history import BLOCK, COLUMNS, History, NonFiniteError
from .nn import Stacked
from .snapshot import capture, restore_run

LOSSES = ("nonsaturating", "minimax", "lsgan", "wgan")
LATENTS = {"normal": lambda rng, shape: rng.standard_normal(shape),
           "uniform": lambda rng, shape: rng.uniform(-1.0, 1.0, shape)}


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 10_000
    batch: int = 64                 # real rows per D step (and as many fake rows)
    g_batch: int = 128              # latent points per G step
    k: int = 1                      # D steps per G step
    latent_dim: int = 5
    latent: str = "normal"          # "normal" N(0, I) | "uniform" U(-1, 1)^d, as the lecture's mode_z
    loss: str = "nonsaturating"     # "nonsaturating" | "minimax" | "lsgan" | "wgan"
    optimizer: str = "adam"         # "adam" | "rmsprop" | "sgd"
    d_lr: float = 1e-3
    g_lr: float = 1e-3
    beta1: float = 0.9
    lr_final: float = 1.0           # learning rates decay linearly to this fraction of their start
    ema: float = 0.0                # decay of G's parameter average (0: evaluate the raw G)
    clip: float = 0.0               # WGAN weight clipping c (0: none)
    instance_noise: float = 0.0     # std of Gaussian noise on D's inputs at step 0, decaying linearly to 0 ...
    noise_steps: int = 0            # ... over this many steps (0: over the whole run)
    label_noise: float = 0.0        # labels real 1 − a·U, fake a·U, U ~ U(0, 1) (FashionGAN notebook: a = 0.15)
    separate_real_fake: bool = False
    seed: int = 0
    checkpoint_every: int = 2000
    n_eval: int = 2000              # generated points per checkpoint evaluation

    def __post_init__(self):
        positive = {"steps": self.steps, "batch": self.batch, "g_batch": self.g_batch, "k": self.k,
                    "latent_dim": self.latent_dim, "checkpoint_every": self.checkpoint_every, "n_eval": self.n_eval}
        for name, value in positive.items():
            if not (isinstance(value, (int, np.integer)) and value >= 1):
                raise GancheckError(f"{name} must be a positive integer, got {value!r}")
        for name in ("d_lr", "g_lr", "lr_final", "beta1", "ema", "clip", "instance_noise", "label_noise"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise GancheckError(f"{name} must be a finite number ≥ 0, got {value!r}")
        if self.latent not in LATENTS:
            raise GancheckError(f"unknown latent {self.latent!r}; choose from {', '.join(LATENTS)}")
        if self.loss not in LOSSES:
            raise GancheckError(f"unknown loss {self.loss!r}; choose from {', '.join(LOSSES)}")
        if self.optimizer not in optim.OPTIMISERS:
            raise GancheckError(f"unknown optimizer {self.optimizer!r}; choose from {', '.join(optim.OPTIMISERS)}")
        if self.ema >= 1 or self.beta1 >= 1 or self.label_noise > 0.5:
            raise GancheckError("ema and beta1 must be < 1, label_noise ≤ 0.5")


PRESETS = {
    # The tutorial exactly: Adam with Keras defaults, D trained on 64 real then 64 fake (two steps), G on 128 latents.
    "tutorial": TrainConfig(separate_real_fake=True),
    # gancheck's default for the x² problem: the same networks, batches and one combined D step per iteration, with
    #  * Adam's β1 = 0.5 (Radford et al. 2016): less momentum, less oscillation in the two-player game;
    #  * D's learning rate twice G's (two time-scale update rule, Heusel et al. 2017): D stays near its optimum;
    #  * a uniform latent U(-1, 1)^5 (the lecture's mode_z = 'uniform'): a bounded latent space maps to a bounded
    #    output, so G need not fold Gaussian tails back into the domain [-0.5, 0.5];
    #  * the generator evaluated through an exponential moving average of its parameters (decay 0.999).
    # Measured over seeds in benchmarks/bench_training.py against the tutorial preset in the same run.
    "default": TrainConfig(beta1=0.5, d_lr=2e-3, latent="uniform", ema=0.999),
}


@dataclass
class TrainResult:
    config: TrainConfig
    G: object
    D: object
    history: dict                        # per step, the columns of gancheck.history.COLUMNS
    checkpoints: list = field(default_factory=list)  # dicts: step, metrics, samples
    G_eval_theta: np.ndarray = None      # the parameters the evaluations used (EMA when enabled)
    seconds: float = 0.0                 # in the training steps, evaluations excluded
    eval_seconds: float = 0.0            # in the evaluations at checkpoints
    steps_done: int = 0                  # rows of the history that hold a step (fewer than steps if stopped)
    status: str = "running"              # "finished", "stopped" (``stop`` was set) or "diverged"
    message: str = ""                    # why it diverged

    def generate(self, n, rng):
        """``n`` points from the evaluated generator (the EMA one when enabled)."""
        return sample_generator(self.G, self.G_eval_theta, n, self.config.latent_dim, rng, self.config.latent)

    def summary(self):
        """The last checkpoint's metrics, the times and the configuration as one flat, JSON-ready dict."""
        last = self.checkpoints[-1]["metrics"] if self.checkpoints else {}
        return {**last, "train_seconds": self.seconds, "eval_seconds": self.eval_seconds,
                "config": asdict(self.config)}


def sample_generator(G, theta, n, latent_dim, rng, latent="normal"):
    saved = G.theta.copy()
    G.theta[:] = theta
    try:
        return G.forward(LATENTS[latent](rng, (n, latent_dim)))[0]
    finally:
        G.theta[:] = saved


def _augmented(z):
    """Latent rows ``(..., n, L)`` as arrays ``(..., n, L + 1)`` with a last column of ones, column-major in their last
    two axes: each step's slice is laid out as :class:`gancheck.nn.Buffers` lays out inputs, without a copy per step."""
    aug = np.ones(z.shape[:-2] + (z.shape[-1] + 1, z.shape[-2]))
    aug[..., :-1, :] = np.swapaxes(z, -1, -2)
    return np.swapaxes(aug, -1, -2)


def _make_optimiser(cfg, n, lr):
    if cfg.optimizer == "adam":
        return optim.Adam(n, lr=lr, beta1=cfg.beta1)
    return optim.OPTIMISERS[cfg.optimizer](n, lr=lr)


def train(target, config=PRESETS["default"], *, G=None, D=None, progress=False, resume=None, stop=None, save=None,
          save_every=5.0):
    """Train ``G`` against ``D`` on ``target`` (a :class:`gancheck.targets.Target`) and return a :class:`TrainResult`.

    ``G, D`` default to the course's 1-D networks sized to the target. Raises :class:`NonFiniteError` naming the step
    and the quantity if a loss or a parameter stops being finite.

    Keeping the work: ``save(result, snapshot)`` is called at the first block boundary after every ``save_every``
    seconds, at the end (``snapshot.step == config.steps``) and, with ``snapshot=None`` and ``result.status ==
    "diverged"``, before :class:`NonFiniteError` propagates. ``stop`` (anything with ``is_set()``, e.g. a
    ``threading.Event`` set by a signal handler) is looked at once per block: when set, training saves and returns
    with ``status == "stopped"``. ``resume``, a snapshot of a run with the same ``config``, ``target``, ``G`` and
    ``D``, continues it, bit for bit; with the history and evaluations the snapshot carries (what
    :meth:`gancheck.rundir.RunDir.resume` reads back from a run's files) the result is an uninterrupted run's."""
    # Divergence is detected and named by NonFiniteError; NumPy's own overflow warnings would only bury that line.
    with np.errstate(over="ignore", invalid="ignore"):
        return _train(target, config, G, D, progress, resume, stop, save, save_every)


def _train(target, cfg, G, D, progress, resume, stop, save, save_every):
    if cfg.separate_real_fake and cfg.loss not in ("nonsaturating", "minimax"):
        raise GancheckError("separate_real_fake applies to the cross-entropy losses only")
    train_rng, eval_rng = np.random.default_rng(cfg.seed).spawn(2)  # evaluating never perturbs training's stream
    G = G or models.generator_1d(cfg.latent_dim, n_out=target.dim)
    D = D or models.discriminator_1d(n_in=target.dim)
    G.initialise(train_rng)
    D.initialise(train_rng)
    gan = Stacked(G, D)
    opt_d, opt_g = _make_optimiser(cfg, D.n_params, cfg.d_lr), _make_optimiser(cfg, G.n_params, cfg.g_lr)
    ema = optim.EMA(G.theta, cfg.ema) if cfg.ema else None
    B, M, L, k, dim = cfg.batch, cfg.g_batch, cfg.latent_dim, cfg.k, target.dim
    # Buffers allocated once: D's input rows (real, then fake) with G writing its fake rows straight into them.
    d_buf = D.buffers(2 * B)
    x = d_buf.x
    g_fake_buf, gan_buf = G.buffers(B, out=x[B:]), gan.buffers(M)
    t = np.concatenate([np.ones((B, 1)), np.zeros((B, 1))])
    history = {name: np.empty(cfg.steps) for name in COLUMNS}
    noise_steps = cfg.noise_steps or cfg.steps
    draw_latent = LATENTS[cfg.latent]
    result = TrainResult(cfg, G, D, history)
    first = 0
    if resume is not None:
        first = restore_run(resume, cfg, G, D, opt_d, opt_g, ema, train_rng, eval_rng, result)
    bar = progress_bars.Progress(cfg.steps, f"train {target.name}", initial=first) if progress else None
    dz_d, dz_g = np.empty((2 * B, 1)), np.empty((M, 1))
    d_grad, g_grad = losses.DISCRIMINATOR_HALVES[cfg.loss][1], losses.GENERATOR_HALVES[cfg.loss][1]
    recorder = History(cfg, history, B, M, t, start=first)

    def snapshot(step):
        return capture(step, G, D, opt_d, opt_g, ema, train_rng, eval_rng, result)

    watch = stop is not None or save is not None
    start = last_save = time.perf_counter()
    step = first
    try:
        for step in range(first, cfg.steps):
            i = step % BLOCK
            if i == 0:
                if watch and step > first:  # a block boundary: the state here continues bit for bit
                    if stop is not None and stop.is_set():
                        result.status = "stopped"
                        break
                    if save is not None and time.perf_counter() - last_save >= save_every:
                        now = time.perf_counter()
                        result.seconds += now - start
                        result.steps_done = step
                        save(result, snapshot(step))
                        start = last_save = time.perf_counter()
                # random numbers for the next BLOCK iterations, in a fixed order
                real = target.sample(BLOCK * k * B, train_rng).reshape(BLOCK, k, B, dim)
                z_fake = _augmented(draw_latent(train_rng, (BLOCK, k, B, L)))
                z_gen = _augmented(draw_latent(train_rng, (BLOCK, M, L)))
                if cfg.instance_noise:
                    noise = train_rng.standard_normal((BLOCK, k, 2 * B, dim))
                if cfg.label_noise:
                    label_u = train_rng.random((BLOCK, k, 2 * B, 1))
            if cfg.lr_final != 1.0:
                decay = 1.0 - (1.0 - cfg.lr_final) * step / cfg.steps
                opt_d.lr, opt_g.lr = cfg.d_lr * decay, cfg.g_lr * decay
            for j in range(k):
                x[:B] = real[i, j]
                G.forward(z_fake[i, j], training=True, rng=train_rng, buffers=g_fake_buf)
                if cfg.instance_noise and step < noise_steps:
                    x += (cfg.instance_noise * (1.0 - step / noise_steps)) * noise[i, j]
                if cfg.label_noise:
                    np.multiply(cfg.label_noise, label_u[i, j], out=t)
                    t[:B] = 1.0 - t[:B]
                if cfg.separate_real_fake:
                    z_d = _separate_d_steps(D, opt_d, x, t, B, train_rng)
                else:
                    z_d, caches = D.forward(d_buf.input, training=True, rng=train_rng, buffers=d_buf)
                    D.backward(d_grad(z_d, t, B, dz_d), caches, buffers=d_buf, input_grad=False)
                    opt_d.step(D.theta, D.grad)
                if cfg.clip:
                    losses.clip_weights(D.theta, cfg.clip)
            logits, caches = gan.forward(z_gen[i], training=True, rng=train_rng, buffers=gan_buf)
            gan.backward(g_grad(logits, dz_g), caches, buffers=gan_buf, input_grad=False)
            opt_g.step(G.theta, G.grad)
            if ema is not None:
                ema.update(G.theta)
            recorder.record(z_d, t, logits)
            checkpoint = (step + 1) % cfg.checkpoint_every == 0 or step + 1 == cfg.steps
            if i == BLOCK - 1 or checkpoint:  # the history is complete at every block boundary
                n = recorder.flush()
                if bar:
                    bar.update(step + 1, f"d_loss={history['d_loss'][step]:.3f} g_loss={history['g_loss'][step]:.3f}")
                else:
                    progress_bars.advance(n)
            if checkpoint:
                now = time.perf_counter()
                result.seconds += now - start
                result.checkpoints.append(_checkpoint(step + 1, target, G, D, ema, cfg, eval_rng))
                start = time.perf_counter()
                result.eval_seconds += start - now
        else:
            step, result.status = cfg.steps, "finished"
        result.seconds += time.perf_counter() - start
    except NonFiniteError as exc:
        result.status, result.message, result.steps_done = "diverged", str(exc), exc.step + 1
        if save is not None:
            save(result, None)
        raise
    finally:
        if bar:
            bar.close()
    result.steps_done = step
    result.G_eval_theta = (ema.avg if ema else G.theta).copy()
    if save is not None:
        save(result, snapshot(step))
    return result


def _separate_d_steps(D, opt_d, x, t, B, rng):
    """The tutorial's two ``train_on_batch`` calls: a step on the real half, then a step on the fake half. Returns the
    logits each half was scored with."""
    z = []
    for rows in (slice(0, B), slice(B, 2 * B)):
        z_half, caches = D.forward(x[rows], training=True, rng=rng)
        D.backward(losses.bce_grad(z_half, t[rows]), caches, input_grad=False)
        opt_d.step(D.theta, D.grad)
        z.append(z_half)
    return np.concatenate(z)


def _checkpoint(step, target, G, D, ema, cfg, rng):
    if not (np.all(np.isfinite(G.theta)) and np.all(np.isfinite(D.theta))):
        raise NonFiniteError(f"training diverged by step {step}: a parameter is not finite", step - 1)
    samples = sample_generator(G, ema.avg if ema else G.theta, cfg.n_eval, cfg.latent_dim, rng, cfg.latent)
    real = target.sample(cfg.n_eval, rng)
    values = metrics.evaluate(target, samples, rng, reference=real)
    values["acc_real"], values["acc_fake"] = metrics.d_accuracy(D, real, samples)
    return {"step": step, "metrics": values, "samples": samples}
