r"""Checks of the two samplers: real points :math:`(x, f(x))`, :math:`x \sim \mathcal U(\text{low}, \text{high})` of a
:mod:`gancheck.targets` curve (the course's :math:`x^2` by default), and standard-normal latent points.

``samples`` is a Hypothesis property over n (shapes, values, labels); ``distribution`` is one Kolmogorov–Smirnov test
on a large draw at a fixed seed — deterministic, so a grade never depends on luck. Its threshold p ≥ 1e-6 rejects a
wrong distribution of this size (n = 2000: e.g. U(0, 1) for U(−0.5, 0.5), or uniform for normal) with p far below
1e-12, while a right one fails with probability 1e-6 over seeds, i.e. never in practice.
"""
import numpy as np
from hypothesis import strategies as st
from scipy import stats

from .... import GancheckError
from ....targets import get as get_target
from . import Check, PropertyFailed

LARGE_N = 2000
P_MIN = 1e-6


class _Sampler(Check):
    items = {"samples": "returns arrays of the right shape and values",
             "distribution": "draws from the right distribution (Kolmogorov–Smirnov, p ≥ 1e-6)"}

    def strategy(self, ctx, item):
        if item == "distribution":
            return None
        return st.integers(*ctx.assignment.batch).map(lambda n: self._example(ctx, n))

    def screen(self, ctx, item):
        if item == "distribution":
            return None
        lo, hi = ctx.assignment.batch
        return [self._example(ctx, n) for n in sorted({n for n in (lo, 2, 3, 5, 8, 17, hi) if lo <= n <= hi})]

    def _example(self, ctx, n):
        return {"N": n, "latent_dim": ctx.assignment.size("G.U", 1)}

    def verify(self, ctx, item, example):
        if item == "distribution":
            example = self._example(ctx, LARGE_N)
        out = ctx.results(ctx.call(example))
        samples = ctx.shaped(self.returns[0], out[self.returns[0]], example["N"])
        if not np.all(np.isfinite(samples)):
            raise PropertyFailed(f"{ctx.names[self.returns[0]]} contains NaN or inf")
        if item == "samples":
            self.verify_values(ctx, samples, out, example["N"])
            return
        values, reference, name = self.distribution(ctx, samples)
        p = stats.kstest(values, reference).pvalue
        if p < P_MIN:
            raise PropertyFailed(f"with n = {LARGE_N}, {name} is not distributed as expected: Kolmogorov–Smirnov "
                                 f"p = {p:.2g} (mean {np.mean(values):.3g}, std {np.std(values):.3g})")

    def passed(self, ctx, item):
        if item == "distribution":
            return f"Kolmogorov–Smirnov test at n = {LARGE_N}: p ≥ {P_MIN:g}"
        lo, hi = ctx.assignment.batch
        return f"right shapes and values for every n tried ({lo}…{hi})"


class RealSamplesCheck(_Sampler):
    params, returns, options = ("N",), ("D.x", "D.t"), ("target",)

    def validate(self, function, shapes):
        super().validate(function, shapes)
        if get_target(function.options.get("target", "x2")).curve is None:
            raise GancheckError(f"{function.name}: the target must be a curve (x, f(x)), e.g. x2 or sine")

    @staticmethod
    def _target(ctx):
        return get_target(ctx.function.options.get("target", "x2"))

    def verify_values(self, ctx, x, out, n):
        target, X, y = self._target(ctx), ctx.names["D.x"], ctx.names["D.t"]
        low, high = target.domain
        if not np.all((low <= x[:, 0]) & (x[:, 0] <= high)):
            raise PropertyFailed(f"{X}[:, 0] leaves [{low:g}, {high:g}]: min {x[:, 0].min():.4g}, "
                                 f"max {x[:, 0].max():.4g}")
        if not np.allclose(x[:, 1], target.curve(x[:, 0]), rtol=1e-12, atol=1e-15):
            raise PropertyFailed(f"{X}[:, 1] is not f({X}[:, 0]) for the target {target.description}")
        labels = out["D.t"]
        if labels.size != n or not np.all(labels == 1.0):
            raise PropertyFailed(f"the labels {y} should be {n} ones, got shape {labels.shape} with values "
                                 f"{np.unique(labels)[:4]}")

    def distribution(self, ctx, x):
        low, high = self._target(ctx).domain
        return x[:, 0], stats.uniform(low, high - low).cdf, f"{ctx.names['D.x']}[:, 0] (expected U({low:g}, {high:g}))"


class LatentPointsCheck(_Sampler):
    params, returns = ("latent_dim", "N"), ("G.x",)

    def verify_values(self, ctx, x, out, n):
        pass  # shape and finiteness are checked by the caller; the values are a matter of distribution

    def distribution(self, ctx, x):
        return x.reshape(-1), stats.norm.cdf, f"{ctx.names['G.x']} (expected N(0, 1))"
