"""Checks of the two elementary functions: the numerically stable loss and the ReLU derivative."""
import numpy as np

from ..diagnose import close, explain, name_scaling
from ..reference import bce_loss, relu_derivative
from ..strategies import inputs, sample_inputs, screening
from . import Check, PropertyFailed, _screening

LOSS_ATOL = 1e-12   # absolute, on a loss of unit size: log(1 + e^{-z}) written without log1p errs by ≲ ε per term


class LossCheck(Check):
    r"""``loss_stable(z, t, N)`` against :math:`\frac1N\sum_n [t_n ζ(-z_n) + (1-t_n) ζ(z_n)]`
    (:func:`..reference.bce_loss`), with moderate logits (``value``) and with logits whose exponential overflows
    (``stable``)."""

    params, returns = ("D.z", "D.t", "N"), ("D.loss",)
    items = {"value": "equals (1/N)·Σ[t·log(1+e^(−z)) + (1−t)·log(1+e^z)]",
             "stable": "stays finite and right for |z| up to 1000"}

    def strategy(self, ctx, item):
        return inputs(ctx.assignment, ctx.function, extreme=item == "stable")

    def screen(self, ctx, item):
        return _screening(ctx, screening, item == "stable")

    def _pair(self, ctx, example):
        out = ctx.results(ctx.call(example))
        mine = ctx.shaped("D.loss", out["D.loss"], example["N"])
        return float(mine), bce_loss(example["D.z"], example["D.t"], example["N"])

    def verify(self, ctx, item, example):
        mine, ref = self._pair(ctx, example)
        if np.isfinite(mine) and abs(mine - ref) <= LOSS_ATOL + 1e-6 * abs(ref):
            return
        reason = explain(np.array(mine), np.array(ref), example["N"])
        if not np.isfinite(mine):
            reason += (" — e^(±z) overflows for |z| > 709.8: write log(1+e^z) as np.logaddexp(0, z)"
                       if item == "stable" else "")
        raise PropertyFailed(f"returns {mine:.6g}, expected {ref:.6g}: your loss {reason}")

    def probe(self, ctx, item, failure):
        """The ratio yours / reference at the failing N and at N = 3 and 8: a law in N names the mistake."""
        if item != "value" or failure.example is None:
            return None
        ratios = {}
        for N, example in [(failure.example["N"], failure.example)] + [
                (N, sample_inputs(ctx.assignment, ctx.function, N, np.random.default_rng(N))) for N in (3, 8)]:
            mine, ref = self._pair(ctx, example)
            ratios[N] = mine / ref if ref != 0 and np.isfinite(mine) else None
        law = name_scaling(ratios)
        shown = ", ".join(f"×{k:.4g} at N = {N}" for N, k in ratios.items() if k is not None)
        return f"your loss {law} (yours / reference: {shown})" if law else None

    def passed(self, ctx, item):
        lo, hi = ctx.assignment.batch
        return {"value": f"equals (1/N)·Σ[t·log(1+e^(−z)) + (1−t)·log(1+e^z)] on every input tried (N = {lo}…{hi}, "
                         f"|z| ≤ 10)",
                "stable": "finite and right for |z| ≤ 1000, with at least one |z| ≥ 710 (where e^|z| overflows) "
                          "per input"}[item]


class ReLUDerivativeCheck(Check):
    r"""``drelu(z)`` against :math:`\mathbb 1[z > 0]` (the core's ReLU backward); at :math:`z = 0` exactly, where the
    derivative does not exist, 0 and 1 are both accepted. Also: the argument must be left as it was."""

    params, returns = ("D.g",), ("mask",)
    items = {"values": "returns 1[g > 0] (0 or 1 at g = 0)", "unchanged": "leaves its argument unchanged"}

    def verify(self, ctx, item, example):
        g = example["D.g"]
        call = ctx.call(example)
        if item == "unchanged":
            if not call.ok:
                ctx.results(call)   # raises with the exception
            if not np.array_equal(call.after[0], g):
                i = np.flatnonzero(call.after[0] != g)[0]
                raise PropertyFailed(
                    f"overwrites its argument: after the call the caller's array holds {call.after[0].flat[i]:.6g} "
                    f"where it held {g.flat[i]:.6g} (the pre-activations G are lost) — return a new array, "
                    "e.g. (z > 0).astype(float)")
            return
        mask = ctx.results(call)["mask"]
        if mask.shape != g.shape:
            raise PropertyFailed(f"returns shape {mask.shape} for an argument of shape {g.shape}")
        ref = relu_derivative(g)
        ok = (mask == ref) | ((g == 0) & ((mask == 0) | (mask == 1)))
        if np.all(ok):
            if np.any(g == 0):
                ctx.state.setdefault("at zero", float(mask[g == 0][0]))
            return
        if close(mask, np.maximum(g, 0.0)):
            raise PropertyFailed("returns relu(g) itself, not its derivative 1[g > 0]")
        if close(mask, (g < 0).astype(float)):
            raise PropertyFailed("the mask is inverted: 1 where g < 0")
        i = np.flatnonzero(~ok)[0]
        raise PropertyFailed(f"at g = {g.flat[i]:.6g} returns {mask.flat[i]:.6g}, expected {ref.flat[i]:.0f}")

    def passed(self, ctx, item):
        if item == "unchanged":
            return "leaves its argument unchanged"
        convention = {0.0: "; at g = 0 you return 0 (relu'(0) = 0, like the reference)",
                      1.0: "; at g = 0 you return 1 (the convention relu'(0) = 1: accepted)"}
        return ("1[g > 0] on every array tried, with exact zeros and values within 1e-6 of the kink"
                + convention.get(ctx.state.get("at zero"), ""))
