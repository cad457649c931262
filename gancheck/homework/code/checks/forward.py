"""Check of a forward pass: every output (pre-activations, activations, logits, probabilities) against the core's."""
import numpy as np

from ..diagnose import explain
from ..reference import discriminator_forward, generator_forward
from . import Check, PropertyFailed

FORWARD = {"D": discriminator_forward, "G": generator_forward}


class ForwardCheck(Check):
    r"""``forward_dis`` (:math:`g = xU^\top + b,\ h = \mathrm{relu}(g),\ z = hW^\top + c,\ y = σ(z)`) or ``forward_gen``
    (:math:`y = hW^\top + c`) on random layers and batches, with some pre-activations within 1e-9 of the kink."""

    def __init__(self, net):
        self.net = net
        self.params = tuple(f"{net}.{p}" for p in "xUbWc")
        self.returns = tuple(f"{net}.{r}" for r in ("yzhg" if net == "D" else "yhg"))
        self.items = {"outputs": "every output matches the reference"}

    def verify(self, ctx, item, example):
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
        names = ", ".join(ctx.names[r] for r in self.returns)
        lo, hi = ctx.assignment.batch
        return f"{names} match the reference on every input tried (N = {lo}…{hi}, some units within 1e-9 of the kink)"
