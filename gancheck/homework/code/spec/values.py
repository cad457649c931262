r"""The items of a format-2 forward pass, loss, sigmoid and activation derivative: values against gancheck's core or
SciPy, stability at :math:`|z| \ge 710`, finite differences of the declared activation.

Every function is called on all its inputs in one request (:meth:`..calls.InSandbox.execute_many`).
"""
import numpy as np

from ..behaviour import check_derivative, check_loss, check_sigmoid
from ..behaviour.inputs import safe_batch
from ..behaviour.network import ACTIVATIONS, forward as core_forward
from ..behaviour.stability import bce, sigmoid_reason
from ..diagnose import explain, name_factor, name_scaling
from .grade import labels, roles_of

BIG = (800.0, -800.0)   # a last-layer bias that puts every logit beyond ±710, where e^|z| overflows
LOSS_RTOL = 1e-9


def _nan(shape):
    return np.full(shape, np.nan)


def _forward_inputs(grader, function, N, rng, shift=0.0):
    net = grader.spec.nets[function.net]
    p, x = safe_batch(net.layers, N, rng, samples=net.samples)
    W, b = p[-1]
    p[-1] = (W, np.asarray(b, dtype=float) + shift)
    return p, dict(roles_of(function.net, p), **{f"{function.net}.x": x, "N": N})


def forward(grader, function):
    """``outputs``: y, z and every g_k, a_k returned against the declared architecture; ``stable``: σ at ±800."""
    net_name, net, out = function.net, grader.spec.nets[function.net], {}
    if "outputs" in function.points:
        drawn = [_forward_inputs(grader, function, N, np.random.default_rng(N)) for N in grader.spec.batches]
        runs = grader.executor.execute_many(function, [inputs for _, inputs in drawn])
        out["outputs"] = (True, "every output matches the declared architecture")
        for N, (p, inputs), run in zip(grader.spec.batches, drawn, runs):
            reason = _outputs(net_name, net, p, inputs, run, N)
            if reason:
                out["outputs"] = (False, f"N = {N}: {reason}")
                break
    if "stable" in function.points:
        drawn = [_forward_inputs(grader, function, 4, np.random.default_rng(71), shift) for shift in BIG]
        runs = grader.executor.execute_many(function, [inputs for _, inputs in drawn])
        out["stable"] = (True, "σ(z) finite and right for logits beyond ±710, where e^|z| overflows")
        for (p, inputs), run in zip(drawn, runs):
            z = core_forward(net.layers, p, inputs[f"{net_name}.x"], net.samples)[-1][0].reshape(-1)
            if not run.ok:
                out["stable"] = (False, f"at logits near {z[0]:.4g}: raises {run.error}")
                break
            y = np.asarray(run.values.get(f"{net_name}.y", _nan(z.shape)), dtype=float)
            reason = sigmoid_reason(z, y.reshape(-1) if y.size == z.size else _nan(z.shape))
            if reason:
                out["stable"] = (False, reason)
                break
    return out


def _outputs(net_name, net, p, inputs, run, N):
    if not run.ok:
        return f"raises {run.error}"
    passes = core_forward(net.layers, p, inputs[f"{net_name}.x"], net.samples)
    expected = {f"{net_name}.y": passes[-1][1], f"{net_name}.z": passes[-1][0]}
    for k, (g, a) in enumerate(passes, 1):
        expected.update({f"{net_name}.g{k}": g, f"{net_name}.a{k}": a})
    for role, value in run.values.items():
        if role in expected:
            mine = np.asarray(value, dtype=float)
            ref = expected[role].reshape(mine.shape) if mine.size == expected[role].size else expected[role]
            reason = explain(mine, ref, N)
            if reason:
                return f"{role} {reason}"
    return None


def _loss_spec(spec):
    return spec.losses.get("D") or next(iter(spec.losses.values()), None)


def loss(grader, function):
    """``value``: the cross-entropy at every batch size (a factor named, and how it scales with N); ``stable``."""
    spec, out = grader.spec, {}
    loss_spec = _loss_spec(spec)
    reduction = loss_spec.reduction if loss_spec else "mean"
    shape = {"vector": lambda N: (N,), "column": lambda N: (N, 1), "row": lambda N: (1, N)}[
        loss_spec.labels if loss_spec else "vector"]
    if "value" in function.points:
        rng, cases = np.random.default_rng(3), []
        for N in spec.batches:
            cases.append((N, rng.uniform(-10, 10, shape(N)), labels(loss_spec, N)))
        runs = grader.executor.execute_many(function, [{"D.z": z, "D.t": t, "N": N} for N, z, t in cases])
        ratios, first = {}, None
        for (N, z, t), run in zip(cases, runs):
            ref = bce(z.reshape(-1), t.reshape(-1), reduction)
            mine = float(np.asarray(run.values.get("D.loss", np.nan)).reshape(-1)[0]) if run.ok else np.nan
            ratios[N] = mine / ref if np.isfinite(mine) and ref else None
            if first is None and not (abs(mine - ref) <= LOSS_RTOL * abs(ref) + 1e-12):
                first = (f"N = {N}: raises {run.error}" if not run.ok else
                         f"N = {N}: returns {mine:.6g}, expected {ref:.6g}: your loss "
                         f"{name_factor(ratios[N], N) if ratios[N] else 'is not finite'}")
        law = name_scaling(ratios) if first else None
        out["value"] = (first is None, first + (f" — it {law}" if law else "") if first else
                        f"equals the cross-entropy ({reduction} over the batch) at N = "
                        f"{', '.join(map(str, spec.batches))}")
    if "stable" in function.points:
        def value(z, t):
            run = grader.executor.execute(function, {"D.z": z, "D.t": t, "N": z.size})
            return run.values.get("D.loss", np.nan) if run.ok else np.nan
        reason = check_loss(value, reduction=reduction)
        out["stable"] = (reason is None, reason or "finite and right for |z| up to 1000")
    return out


def sigmoid(grader, function):
    def apply(z):
        run = grader.executor.execute(function, {"D.z": z})
        return run.values.get("D.y", _nan(z.shape)) if run.ok else _nan(z.shape)
    reason = check_sigmoid(apply)
    return {"stable": (reason is None, reason or "finite and right for |z| up to 1000 (σ(±710) included)")}


def derivative(grader, function):
    activation = ACTIVATIONS[function.derivative_of]()
    (arg,), (ret,) = function.calls[0].args, function.calls[0].returns
    out = {}

    def df(g):
        run = grader.executor.execute(function, {arg: g})
        return run.values.get(ret, _nan(g.shape)) if run.ok else _nan(g.shape)
    if "values" in function.points:
        reason = check_derivative(lambda g: activation.forward(np.array(g))[0], df)
        out["values"] = (reason is None, reason or f"the derivative of {function.derivative_of}, by finite "
                                                   "differences")
    if "unchanged" in function.points:
        g = np.random.default_rng(9).uniform(-3, 3, (5, 4))
        run = grader.executor.execute(function, {arg: g})
        after = run.after[0] if run.ok and run.after else None
        same = after is None or np.array_equal(after, g)
        out["unchanged"] = (run.ok and same, "leaves its argument unchanged" if run.ok and same else
                            f"raises {run.error}" if not run.ok else
                            "overwrites its argument: the caller's array changes — return a new array")
    return out
