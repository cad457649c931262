r"""Check of a gradient-descent step, :math:`θ \leftarrow θ - α\,\nabla_θ l`, for the discriminator or the generator.

The learning rate α, fixed inside the student's function, is first recovered (:mod:`.alpha`). Then, on Hypothesis
inputs, every parameter must move by :math:`-α\nabla_p` — the reference gradient of the core's backward, with either
ReLU convention at the kink. A failure names the gradient that is wrong and how (sign, 1/N, transpose),
tries whole-step mistake models (the mask of the ReLU, the saturating generator loss) with their own α, and probes
N = 3 and 8 to see how the error scales with N.

The generator step draws its own latent batch. The sandbox records NumPy's global random draws during the call; the
batch is the recorded draw of n × latent_dim numbers (read as (n, latent_dim), or transposed, or concatenated from
several draws) with which the step is closest to a gradient step.
"""
from dataclasses import dataclass

import numpy as np

from ..diagnose import close, explain, fit_factor, name_scaling
from ..reference import ReLUGradientOneAtZero, discriminator_step, generator_step, mistake_models
from ..behaviour.latent import candidates, drawn
from ..strategies import sample_inputs
from . import Check, PropertyFailed
from .alpha import consensus_alpha, fit_alpha, tolerance
from .values import LOSS_ATOL

@dataclass
class Observation:
    N: int
    loss: float
    new: dict        # role → the student's updated parameter
    deltas: dict     # role → new − old
    latent: object   # the recovered latent batch (generator) or None


class StepCheck(Check):
    def __init__(self, net):
        self.net = net
        self.thetas = tuple(f"{net}.{p}" for p in "UbWc")
        self.params = (("D.x", "D.t") + self.thetas if net == "D" else
                       ("G.t", "D.U", "D.b", "D.W", "D.c") + self.thetas + ("latent_dim", "N"))
        self.returns = self.thetas + (f"{net}.loss",)
        self.items = {"loss": "returns the loss before the step", "step": "moves every parameter to θ − α∇θ"}

    def _reference(self, example, latent, **model):
        params = {r: np.asarray(v, dtype=float) for r, v in example.items() if r[:2] in ("D.", "G.")}
        if self.net == "D":
            return discriminator_step(params, params["D.x"], params["D.t"], **model)
        return generator_step(params, latent, params["G.t"], **model)

    def _observe(self, ctx, example):
        call = ctx.call(example)
        out = ctx.results(call)
        N = example["N"] if self.net == "G" else example["D.x"].shape[0]
        new = {r: ctx.shaped(r, out[r], N) for r in self.thetas}
        deltas = {r: new[r] - np.asarray(example[r], dtype=float) for r in self.thetas}
        loss = float(ctx.shaped(f"{self.net}.loss", out[f"{self.net}.loss"], N))
        latent = self._latent(call, example, deltas, loss) if self.net == "G" else None
        return Observation(N, loss, new, deltas, latent)

    def _latent(self, call, example, deltas, loss):
        """The batch the call drew: among the candidates whose loss is the l returned (all, if none is), the one with
        which the step is most nearly a gradient step."""
        N, d = example["N"], example["latent_dim"]
        found = candidates(call.draws, N, d)
        if not found:
            raise PropertyFailed(
                f"drew no batch of n × latent_dim = {N * d} numbers from NumPy's global random functions (drew "
                f"{drawn(call.draws)}), so the step cannot be checked on its own batch — draw it with np.random.randn")

        def misfit(latent):
            reference_loss, grads = self._reference(example, latent)
            alpha, _ = fit_alpha(deltas, grads, example, self.thetas)
            wrong_loss = abs(loss - reference_loss) > LOSS_ATOL + 1e-6 * abs(reference_loss)
            return wrong_loss, sum(float(np.sum((deltas[r] + (alpha or 0.0) * grads[r]) ** 2)) for r in self.thetas)

        return min(found, key=misfit)

    def prepare(self, ctx):
        """Recover α at a fixed N = 1 input (at N = 4 if the function fails at N = 1)."""
        if "alpha" in ctx.state:
            return
        ctx.state.update(alpha=None, alpha_N=None)
        for N in (1, 4):
            example = sample_inputs(ctx.assignment, ctx.function, N, np.random.default_rng(100 + N))
            try:
                obs = self._observe(ctx, example)
            except PropertyFailed:
                continue
            alpha = consensus_alpha(obs.deltas, self._reference(example, obs.latent)[1], self.thetas)
            if alpha is not None:
                ctx.state.update(alpha=alpha, alpha_N=N)
                return

    def verify(self, ctx, item, example):
        obs = self._observe(ctx, example)
        loss, grads = self._reference(example, obs.latent)
        if item == "loss":
            self._verify_loss(ctx, example, obs, loss)
            return
        alpha = abs(ctx.state["alpha"]) if ctx.state["alpha"] is not None else None
        if alpha is not None:
            atol = tolerance(grads, alpha, example, self.thetas)
            for reference in self._accepted(example, obs.latent, grads):
                if all(close(obs.deltas[r], -alpha * reference[r], rtol=0.0, atol=atol) for r in self.thetas):
                    return
        raise PropertyFailed(self._diagnose(ctx, example, obs, grads, alpha))

    def _accepted(self, example, latent, grads):
        """The gradients a right step may follow: relu'(0) = 0 (the reference) or, computed only if needed, 1."""
        yield grads
        yield self._reference(example, latent, relu=ReLUGradientOneAtZero)[1]

    def _verify_loss(self, ctx, example, obs, loss):
        if abs(obs.loss - loss) <= LOSS_ATOL + 1e-6 * abs(loss):
            return
        after = dict(example, **obs.new)
        alternatives = [("is the loss after the step", self._reference(after, obs.latent)[0])]
        if self.net == "G":
            alternatives.append(("is the saturating loss (1/N)·Σ log(1 − D(G(z)))",
                                 self._reference(example, obs.latent, loss="minimax")[0]))
        reason = explain(np.array(obs.loss), np.array(loss), obs.N, [(d, np.array(v)) for d, v in alternatives])
        raise PropertyFailed(f"l = {obs.loss:.6g}, expected the loss before the step, {loss:.6g}: your l {reason}")

    def _diagnose(self, ctx, example, obs, grads, alpha):
        """Which gradients are wrong and how; a whole-step mistake model (with its own α) if one fits."""
        for description, model in mistake_models(self.net).items():
            fitted, fits = fit_alpha(obs.deltas, self._reference(example, obs.latent, **model)[1], example,
                                     self.thetas)
            if fits and fitted and fitted > 0:
                return f"your step is gradient descent with {description} (α = {fitted:.4g})"
        origin = self._alpha_origin(ctx)
        if alpha is None:
            alpha, _ = fit_alpha(obs.deltas, grads, example, self.thetas)
        if alpha is None or not np.isfinite(alpha) or alpha == 0:
            alpha, origin = 1.0, " assumed: it could not be recovered (no parameter moved along its gradient)"
        atol = tolerance(grads, alpha, example, self.thetas) / alpha
        wrong = {}
        for r in self.thetas:
            mine = -obs.deltas[r] / alpha
            if not close(mine, grads[r], rtol=0.0, atol=atol):
                wrong[r] = explain(mine, grads[r], obs.N) or "differs from the reference"
        phrases = set(wrong.values())
        if len(wrong) == len(self.thetas) and len(phrases) == 1:
            text = f"every gradient {phrases.pop()} — the error is upstream of all of them, in z̄ = ∂l/∂z"
        else:
            text = "; ".join(f"∂l/∂{ctx.names[r]} {reason}" for r, reason in wrong.items())
            right = [ctx.names[r] for r in self.thetas if r not in wrong]
            if right:
                text += f" (∂l/∂{', ∂l/∂'.join(right)} right)"
        return text + f" [α = {abs(alpha):.4g}{origin}]"

    @staticmethod
    def _alpha_origin(ctx):
        return f", recovered at N = {ctx.state['alpha_N']}" if ctx.state["alpha"] is not None else ", fitted here"

    def probe(self, ctx, item, failure):
        """Each gradient's factor yours / reference at the failing N and at N = 3 and 8, if it follows a law in N."""
        if item != "step" or failure.example is None or ctx.state["alpha"] is None:
            return None
        alpha, factors = abs(ctx.state["alpha"]), {r: {} for r in self.thetas}
        examples = [failure.example] + [sample_inputs(ctx.assignment, ctx.function, N, np.random.default_rng(N))
                                        for N in (3, 8)]
        for example in examples:
            obs = self._observe(ctx, example)
            grads = self._reference(example, obs.latent)[1]
            for r in self.thetas:
                factors[r][obs.N] = fit_factor(-obs.deltas[r] / alpha, grads[r])[0]
        laws = {r: name_scaling(f) for r, f in factors.items()}
        scaling = {r: law for r, law in laws.items() if law and ("1/N" in law or "instead of N" in law)}
        if not scaling:
            return None
        shown = "N = " + ", ".join(str(N) for N in factors[self.thetas[0]])
        if len(scaling) == len(self.thetas) and len(set(scaling.values())) == 1:
            return f"at {shown}: every gradient {scaling[self.thetas[0]]}"
        return f"at {shown}: " + "; ".join(f"∂l/∂{ctx.names[r]} {law}" for r, law in scaling.items())

    def passed(self, ctx, item):
        lo, hi = ctx.assignment.batch
        tried = f"on every input tried (N = {lo}…{hi}" + (", some units within 1e-9 of the kink)" if self.net == "D"
                                                         else ", on the latent batch each call drew)")
        if item == "loss":
            return f"l is the loss before the step {tried}"
        return (f"every parameter moves to θ − α∇θ with α = {ctx.state['alpha']:.4g} (recovered from the parameter "
                f"change at N = {ctx.state['alpha_N']}) {tried}")
