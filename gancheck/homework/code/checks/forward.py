r"""Check of a forward pass: every output (pre-activations, activations, logits, probabilities) against the core's,
and for the discriminator σ(z) where :math:`|z| \ge 710` (issue 13: ``np.exp(z)/(1 + np.exp(z))`` is nan there)."""
import numpy as np

from ..behaviour.stability import sigmoid_reason
from ..diagnose import explain
from ..reference import discriminator_forward, generator_forward
from ..strategies import sample_inputs
from . import Check, PropertyFailed

BIG = (800.0, -800.0)   # output biases that put every logit beyond ±710, where e^|z| overflows

FORWARD = {"D": discriminator_forward, "G": generator_forward}


class ForwardCheck(Check):
    r"""``forward_dis`` (:math:`g = xU^\top + b,\ h = \mathrm{relu}(g),\ z = hW^\top + c,\ y = σ(z)`) or ``forward_gen``
    (:math:`y = hW^\top + c`) on random layers and batches, with some pre-activations within 1e-9 of the kink."""

    def __init__(self, net):
        self.net = net
        self.params = tuple(f"{net}.{p}" for p in "xUbWc")
        self.returns = tuple(f"{net}.{r}" for r in ("yzhg" if net == "D" else "yhg"))
        self.items = {"outputs": "every output matches the reference"}
        if net == "D":
            self.items["stable"] = "σ(z) stays finite and right where |z| ≥ 710"

    def strategy(self, ctx, item):
        return None if item == "stable" else super().strategy(ctx, item)

    def _stable(self, ctx):
        """Fixed inputs whose logits lie beyond ±710 (the output bias c = ±800): y must be σ(z), finite."""
        for c in BIG:
            example = sample_inputs(ctx.assignment, ctx.function, 4, np.random.default_rng(71))
            example["D.c"] = np.full(np.shape(example["D.c"]), c) if np.ndim(example["D.c"]) else c
            y = ctx.shaped("D.y", ctx.results(ctx.call(example))["D.y"], 4)
            params = {role: np.asarray(example[role], dtype=float) for role in self.params}
            z = discriminator_forward(params, params["D.x"])["D.z"].reshape(-1)
            reason = sigmoid_reason(z, y.reshape(-1))
            if reason:
                raise PropertyFailed(f"{ctx.names['D.y']} = σ(z) is wrong: {reason}")

    def verify(self, ctx, item, example):
        if item == "stable":
            self._stable(ctx)
            return
        N = example[f"{self.net}.x"].shape[0]
        out = ctx.results(ctx.call(example))
        params = {role: np.asarray(example[role], dtype=float) for role in self.params}
        ref = {role: value.reshape(ctx.assignment.shape(role, N))
               for role, value in FORWARD[self.net](params, params[f"{self.net}.x"]).items()}
        wrong = []
        for role in self.returns:
            mine = ctx.shaped(role, out[role], N)
            others = [(f"equals the reference {ctx.names[r]}", v) for r, v in ref.items()
                      if r != role and v.shape == mine.shape]
            reason = explain(mine, ref[role], N, others)
            if reason:
                wrong.append(f"{ctx.names[role]} {reason}")
        if wrong:
            raise PropertyFailed("; ".join(wrong))

    def passed(self, ctx, item):
        if item == "stable":
            return f"{ctx.names['D.y']} = σ(z) finite and right at logits beyond ±710 (output bias c = ±800)"
        names = ", ".join(ctx.names[r] for r in self.returns)
        lo, hi = ctx.assignment.batch
        return f"{names} match the reference on every input tried (N = {lo}…{hi}, some units within 1e-9 of the kink)"
