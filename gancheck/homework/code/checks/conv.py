r"""Checks of a student's own 2-D convolution (the DCGAN seeds): ``conv2d_forward`` and ``conv2d_backward`` against
gancheck's layers (:func:`gancheck.nn.conv2d_forward`, :func:`gancheck.nn.conv2d_backward`), channels last as Keras.

Forward: :math:`y_{n,i,j,f} = b_f + \sum_{m,n',c} \tilde x_{n,\,si+m,\,sj+n',\,c} K_{m,n',c,f}` (a correlation; Keras'
``"same"`` puts the odd padding row at the bottom and right). Backward, given :math:`\bar y` (derived in
:mod:`derivations.conv`): :math:`\bar x` is the transposed convolution of :math:`\bar y` — :math:`s-1` zeros between its
pixels, the kernel flipped in both spatial axes — :math:`\bar K` correlates :math:`\tilde x` with :math:`\bar y` at
stride :math:`s`, :math:`\bar b` sums :math:`\bar y` over the batch and the pixels.

Inputs: a batch size, a stride and a padding from the function's ``strides`` and ``paddings`` (default ``[1, 2]`` and
``["valid", "same"]``) and seeded uniform arrays of the declared shapes of ``conv.x`` and ``conv.K``; ``ȳ`` has the
output's shape — fixed examples for the grader, Hypothesis draws for the student's own pytest suite. A failure is
named when it is a known mistake — the kernel flipped in the forward pass (a textbook convolution) or not flipped in
:math:`\bar x`, symmetric padding, the stride dropped (seen by re-running the failing input at stride 1) — else by
:func:`..diagnose.explain`.
"""
import numpy as np
from hypothesis import strategies as st

from .... import GancheckError
from ....nn import conv2d_backward, conv2d_forward
from ....nn.im2col import Window
from ..diagnose import explain
from ..strategies import batch_sizes, seeds
from . import Check, PropertyFailed

PADDINGS = ("valid", "same")
SIZED = ("conv.x", "conv.K")     # the roles whose shapes the assignment declares; the others follow from them


class _ConvCheck(Check):
    options = ("strides", "paddings")

    def validate(self, function, shapes):
        # roles, points and options as every check; only conv.x and conv.K need declared shapes
        super().validate(function, {**{role: () for role in self.params + self.returns}, **shapes})
        x, K = (shapes.get(role) for role in SIZED)
        if x is None or K is None or len(x) != 4 or x[0] != "N" or len(K) != 4 or "N" in K[1:] + x[1:]:
            raise GancheckError(f"{function.name}: needs shapes conv.x = [\"N\", H, W, C] and conv.K = [k_h, k_w, C, "
                                f"F], got {x} and {K}")
        if x[3] != K[2]:
            raise GancheckError(f"{function.name}: conv.x has {x[3]} channels, conv.K takes {K[2]}")
        strides, paddings = _geometry(function)
        if not strides or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in strides):
            raise GancheckError(f"{function.name}: strides must be a list of positive integers, got {strides}")
        if not paddings or not set(paddings) <= set(PADDINGS):
            raise GancheckError(f"{function.name}: paddings must be a list of {list(PADDINGS)}, got {paddings}")
        for stride in strides:
            for padding in paddings:
                Window.of(x[1:3], K[:2], stride, padding)   # a kernel larger than a 'valid' image: one clear line

    def strategy(self, ctx, item):
        strides, paddings = _geometry(ctx.function)
        lo, hi = ctx.assignment.batch
        return st.tuples(batch_sizes(lo, hi), st.sampled_from(strides), st.sampled_from(paddings), seeds()).map(
            lambda draw: self.example(ctx, *draw))

    def screen(self, ctx, item):
        """The fixed examples every item meets (the grader's; :meth:`strategy` draws the same kind for the student's
        own pytest suite): each batch size of [smallest, smallest + 1, largest] with every stride and padding, seeded,
        ``limits.examples`` of them at least once each, ordered by batch size so the first failure is the smallest."""
        if "conv screen" not in ctx.state:
            strides, paddings = _geometry(ctx.function)
            lo, hi = ctx.assignment.batch
            combos = [(N, s, p) for N in sorted({lo, min(lo + 1, hi), hi}) for s in strides for p in paddings]
            count = max(ctx.assignment.limits.examples, len(combos))
            order = sorted(range(count), key=lambda i: (combos[i % len(combos)][0], i))
            ctx.state["conv screen"] = [self.example(ctx, *combos[i % len(combos)], i) for i in order]
        return ctx.state["conv screen"]

    def example(self, ctx, N, stride, padding, seed):
        rng = np.random.default_rng(seed)
        x = rng.uniform(-1, 1, ctx.assignment.shape("conv.x", N))
        K = rng.uniform(-1, 1, ctx.assignment.shapes["conv.K"])
        out = Window.of(x.shape[1:3], K.shape[:2], stride, padding).out
        return {"conv.x": x, "conv.K": K, "conv.b": rng.uniform(-1, 1, K.shape[3]), "conv.stride": stride,
                "conv.padding": padding, "conv.dy": rng.uniform(-1, 1, (N,) + out + (K.shape[3],))}

    def _fail(self, ctx, example, reason):
        raise PropertyFailed(f"at stride {example['conv.stride']}, padding {example['conv.padding']!r}, {reason}")

    def _stride_dropped(self, ctx, example, roles):
        """Whether the same input at stride 1 gives the right values for ``roles``: the stride is what is wrong."""
        if example["conv.stride"] == 1:
            return False
        again = dict(example, **{"conv.stride": 1}, **self.example_at_stride_1(example))
        try:
            out = ctx.results(ctx.call(again))
        except PropertyFailed:   # it raises at stride 1 too: not the stride alone
            return False
        return all(explain(out[role], ref, 1) is None for role, ref in self.reference(again).items() if role in roles)

    def example_at_stride_1(self, example):
        K = example["conv.K"]
        out = Window.of(example["conv.x"].shape[1:3], K.shape[:2], 1, example["conv.padding"]).out
        dy = np.random.default_rng(0).uniform(-1, 1, (len(example["conv.x"]),) + out + (K.shape[3],))
        return {"conv.dy": dy}

    def passed(self, ctx, item):
        strides, paddings = _geometry(ctx.function)
        lo, hi = ctx.assignment.batch
        return (f"{self.items[item]} on every input tried (N = {lo}…{hi}, strides {strides}, paddings "
                f"{', '.join(paddings)})")


def _geometry(function):
    return list(function.options.get("strides", [1, 2])), list(function.options.get("paddings", list(PADDINGS)))


def _symmetric(x, K):
    """A student's ``"same"``: k//2 zeros on every side, then ``"valid"`` (Keras' where the total is even)."""
    p = K.shape[0] // 2, K.shape[1] // 2
    return np.pad(x, ((0, 0), (p[0], p[0]), (p[1], p[1]), (0, 0))), p


SYMMETRIC = "pads k//2 = {} zero(s) on every side: Keras' 'same' puts the odd one at the bottom and right"
SYMMETRIC_GRADIENT = "is the gradient of a forward pass that " + SYMMETRIC


class ConvForwardCheck(_ConvCheck):
    r"""``conv2d_forward(x, K, b, stride, padding) -> y``: Keras' ``Conv2D`` on a batch of images."""

    params = ("conv.x", "conv.K", "conv.b", "conv.stride", "conv.padding")
    returns = ("conv.y",)
    items = {"output": "y equals Keras' Conv2D (a correlation, channels last)"}

    def reference(self, example):
        return {"conv.y": conv2d_forward(*(example[role] for role in self.params))[0]}

    def example_at_stride_1(self, example):
        return {}

    def verify(self, ctx, item, example):
        mine = ctx.results(ctx.call(example))["conv.y"]
        x, K, b, stride, padding = (example[r] for r in self.params)
        ref = self.reference(example)["conv.y"]
        N = len(x)
        alternatives = [("is a textbook convolution: Keras' Conv2D does not flip the kernel",
                         conv2d_forward(x, K[::-1, ::-1], b, stride, padding)[0]),
                        ("has no bias", conv2d_forward(x, K, None, stride, padding)[0])]
        if padding == "same":
            alternatives.append((SYMMETRIC.format(K.shape[0] // 2),
                                 conv2d_forward(_symmetric(x, K)[0], K, b, stride, "valid")[0]))
        alternatives = [(d, a) for d, a in alternatives if a.shape == ref.shape]
        reason = explain(mine, ref, N, alternatives)
        if reason is None:
            return
        if mine.shape != ref.shape and stride > 1 and mine.shape == conv2d_forward(x, K, b, 1, padding)[0].shape:
            reason += f" — the shape of a stride-1 output: the stride {stride} is not applied"
        elif reason not in dict(alternatives) and self._stride_dropped(ctx, example, self.returns):
            reason += f" — right at stride 1: the stride enters the window positions s·i + m"
        self._fail(ctx, example, f"{ctx.names['conv.y']} {reason}")


class ConvBackwardCheck(_ConvCheck):
    r"""``conv2d_backward(dy, x, K, stride, padding) -> (dx, dK, db)``: the gradients of a loss with
    :math:`\partial L/\partial y = \bar y` with respect to the input, the kernel and the bias."""

    params = ("conv.dy", "conv.x", "conv.K", "conv.stride", "conv.padding")
    returns = ("conv.dx", "conv.dK", "conv.db")
    items = {"input": "dx is the transposed convolution of dy (zeros for the stride, the kernel flipped)",
             "kernel": "dK is the correlation of the padded input with dy at the stride",
             "bias": "db is dy summed over the batch and the pixels"}
    ROLE = {"input": "conv.dx", "kernel": "conv.dK", "bias": "conv.db"}

    def reference(self, example, K=None):
        x, K = example["conv.x"], example["conv.K"] if K is None else K
        dx, dK, db = conv2d_backward(example["conv.dy"], (x, K, np.zeros(K.shape[3]), example["conv.stride"],
                                                          example["conv.padding"]))
        return {"conv.dx": dx, "conv.dK": dK, "conv.db": db}

    def verify(self, ctx, item, example):
        role = self.ROLE[item]
        mine = ctx.results(ctx.call(example))[role]
        ref = self.reference(example)[role]
        alternatives = []
        if role == "conv.dx":
            unflipped = self.reference(example, K=example["conv.K"][::-1, ::-1])["conv.dx"]
            alternatives.append(("is the transposed convolution with the kernel not flipped: x̄ needs "
                                 "K[k−1−m, k−1−n], the flipped kernel", unflipped))
        if example["conv.padding"] == "same" and role != "conv.db":
            alternatives.append((SYMMETRIC_GRADIENT.format(example["conv.K"].shape[0] // 2),
                                 self._symmetric(example)[role]))
        alternatives = [(d, a) for d, a in alternatives if a.shape == ref.shape]
        reason = explain(mine, ref, len(example["conv.x"]), alternatives)
        if reason is None:
            return
        if reason not in dict(alternatives) and self._stride_dropped(ctx, example, (role,)):
            reason += (" — right at stride 1: look at where the stride enters the backward (x̄ spreads ȳ with s − 1 "
                       "zeros between its pixels; K̄ reads x̃ at s·i + m)")
        self._fail(ctx, example, f"{ctx.names[role]} {reason}")

    def _symmetric(self, example):
        """The gradients of the symmetric-padding forward pass (see :data:`SYMMETRIC`)."""
        x, K = example["conv.x"], example["conv.K"]
        padded, (p, q) = _symmetric(x, K)
        dx, dK, _ = conv2d_backward(example["conv.dy"], (padded, K, np.zeros(K.shape[3]), example["conv.stride"],
                                                         "valid"))
        return {"conv.dx": dx[:, p:p + x.shape[1], q:q + x.shape[2]], "conv.dK": dK}
