r"""A format-2 assignment graded behaviourally through an executor (:mod:`..calls`): ``{item: (passed, evidence)}``.

* ``<net>.step`` — :func:`..behaviour.grade_step` on the student's own loss: the declared form (BCE; a sum or a
  mean; real and fake halves added when ``batches = "separate"``) of what the student's own ``<net>.forward``
  returns, or of the declared architecture's forward if the assignment has none.
* ``<net>.forward`` — every output against the declared architecture run by gancheck's core (:mod:`..behaviour.network`).
* ``loss`` — value against the cross-entropy, and stability at :math:`|z| \ge 710`; ``sigmoid`` — stability;
  ``derivative`` — against finite differences of the declared activation.
"""
import numpy as np

from ..behaviour import check_derivative, check_loss, check_sigmoid, grade_step
from ..behaviour.inputs import safe_batch
from ..behaviour.network import forward as core_forward
from ..behaviour.stability import bce
from ..diagnose import explain


def _labels(loss, N, value=None):
    t = (np.arange(N) % 2).astype(float) if value is None else np.full(N, float(value))
    return {"vector": t, "column": t.reshape(N, 1), "row": t.reshape(1, N)}[loss.labels if loss else "vector"]


def _params(net, p):
    roles = {}
    for k, (W, b) in enumerate(p, 1):
        roles[f"{net}.W{k}"], roles[f"{net}.b{k}"] = W, (float(b) if np.shape(b) == () else b)
    return roles


def _half_loss(form, y, z, t, reduction):
    """Cross-entropy of probabilities ``y`` (or logits ``z``) against labels ``t``, summed or averaged."""
    t = np.asarray(t, dtype=float).reshape(-1)
    if z is not None:
        return bce(np.asarray(z, dtype=float).reshape(-1), t, reduction)
    y = np.asarray(y, dtype=float).reshape(-1)
    per = -(t * np.log(y) + (1 - t) * np.log1p(-y))
    return float(np.sum(per) if reduction == "sum" else np.mean(per))


class Grader:
    def __init__(self, spec, executor):
        self.spec, self.executor = spec, executor
        self.forwards = {f.role.split(".")[0]: f for f in spec.functions if f.role.endswith(".forward")}

    def output(self, net_name, roles, x):
        """``(y, z)`` of net ``net_name`` on ``x``: the student's own forward if declared, else the architecture's."""
        net = self.spec.nets[net_name]
        function = self.forwards.get(net_name)
        if function is None:
            p = [(roles[f"{net_name}.W{k}"], roles[f"{net_name}.b{k}"]) for k in range(1, net.depth + 1)]
            g, a = core_forward(net.layers, p, x, net.samples)[-1]
            return a, g
        run = self.executor.execute(function, dict(roles, **{f"{net_name}.x": x, "N": np.shape(x)[0]}))
        if not run.ok:
            raise RuntimeError(run.error)
        return run.values.get(f"{net_name}.y"), run.values.get(f"{net_name}.z")

    def grade(self, function):
        kind = function.role.rpartition(".")[2]
        return getattr(self, f"_{kind}")(function)

    def _step(self, function):
        net_name = function.role.split(".")[0]
        net, loss_spec = self.spec.nets[net_name], self.spec.losses.get(net_name)
        reduction = loss_spec.reduction if loss_spec else "mean"
        separate = loss_spec is not None and loss_spec.batches == "separate"
        thetas = [f"{net_name}.{p}{k}" for k in range(1, net.depth + 1) for p in "Wb"]
        data = {}

        def params(N, rng):
            p, x = safe_batch(net.layers, N, rng, samples=net.samples, logits=True)
            data.clear()
            if separate:
                _, x_fake = safe_batch(net.layers, N, rng, samples=net.samples, logits=True, params=p)
                data.update({f"{net_name}.x_real": x, f"{net_name}.x_fake": x_fake})
            else:
                data.update({f"{net_name}.x": x, f"{net_name}.t": _labels(loss_spec, N)})
            return {r: np.asarray(v, dtype=float) for r, v in _params(net_name, p).items()}

        def step(before, N, rng):
            inputs = dict(data, N=N, **{r: (float(v) if v.shape == () else v) for r, v in before.items()})
            run = self.executor.execute(function, inputs)
            if not run.ok:
                raise StepFailed(f"raises {run.error}")
            missing = [r for r in thetas if r not in run.values]
            if missing:
                raise StepFailed(f"the step gives back no {', '.join(missing)} (declare them in returns or attributes)")
            new = {r: np.asarray(run.values[r], dtype=float) for r in thetas}

            def loss(q):
                q = {r: (float(v) if v.shape == () else v) for r, v in q.items()}
                if separate:
                    return sum(_half_loss("bce", *self.output(net_name, q, data[f"{net_name}.x_{half}"]),
                                          _labels(loss_spec, N, label), reduction)
                               for half, label in (("real", 1), ("fake", 0)))
                y, z = self.output(net_name, q, data[f"{net_name}.x"])
                return _half_loss("bce", y, z, data[f"{net_name}.t"], reduction)
            return new, run.values.get(f"{net_name}.loss"), loss

        try:
            report = grade_step(step, params, self.spec.batches, function.alpha,
                                loss_spec.epsilon if loss_spec else 0.0, names=dict(function.attributes))
        except StepFailed as exc:
            return {item: (False, str(exc)) for item, _ in function.points}
        except RuntimeError as exc:
            return {item: (False, f"your forward pass raises {exc}") for item, _ in function.points}
        out = {}
        for item, _ in function.points:
            if item == "step":
                text = report.verdict.message + (f" (α {report.alpha_origin})" if report.verdict.passed else "")
                out[item] = (report.verdict.passed, "; ".join([text] + report.notes))
            else:
                out[item] = (report.loss_reason is None, report.loss_reason and f"the loss returned {report.loss_reason}"
                             or "returns the loss before the step")
        return out

    def _forward(self, function):
        net_name = function.role.split(".")[0]
        net = self.spec.nets[net_name]
        for N in self.spec.batches:
            p, x = safe_batch(net.layers, N, np.random.default_rng(N), samples=net.samples)
            roles = dict(_params(net_name, p), **{f"{net_name}.x": x, "N": N})
            run = self.executor.execute(function, roles)
            if not run.ok:
                return {"outputs": (False, f"N = {N}: raises {run.error}")}
            passes = core_forward(net.layers, p, x, net.samples)
            expected = {f"{net_name}.y": passes[-1][1], f"{net_name}.z": passes[-1][0]}
            for k, (g, a) in enumerate(passes, 1):
                expected.update({f"{net_name}.g{k}": g, f"{net_name}.a{k}": a})
            for role, value in run.values.items():
                if role in expected:
                    mine = np.asarray(value, dtype=float)
                    ref = expected[role].reshape(mine.shape) if mine.size == expected[role].size else expected[role]
                    reason = explain(mine, ref, N)
                    if reason:
                        return {"outputs": (False, f"N = {N}: {role} {reason}")}
        return {"outputs": (True, "every output matches the declared architecture")}

    def _loss(self, function):
        rng = np.random.default_rng(3)
        reduction = next(iter(self.spec.losses.values())).reduction if self.spec.losses else "mean"
        out = {}
        for item, _ in function.points:
            if item == "value":
                z, t = rng.uniform(-10, 10, 9), (np.arange(9) % 2).astype(float)
                run = self.executor.execute(function, {"D.z": z, "D.t": t, "N": 9})
                mine = float(np.asarray(run.values.get("D.loss", np.nan))) if run.ok else np.nan
                ref = bce(z, t, reduction)
                out[item] = (bool(abs(mine - ref) <= 1e-9 * abs(ref)),
                             f"returns {mine:.6g}, expected {ref:.6g}" if not abs(mine - ref) <= 1e-9 * abs(ref)
                             else "equals the cross-entropy on |z| ≤ 10")
            else:
                def loss(z, t):
                    run = self.executor.execute(function, {"D.z": z, "D.t": t, "N": z.size})
                    return run.values.get("D.loss", np.nan) if run.ok else np.nan
                reason = check_loss(loss, reduction=reduction)
                out[item] = (reason is None, reason or "finite and right for |z| up to 1000")
        return out

    def _sigmoid(self, function):
        def sigmoid(z):
            run = self.executor.execute(function, {"D.z": z})
            return run.values.get("D.y", np.full(z.shape, np.nan)) if run.ok else np.full(z.shape, np.nan)
        reason = check_sigmoid(sigmoid)
        return {"stable": (reason is None, reason or "finite and right for |z| up to 1000 (σ(±710) included)")}

    def _derivative(self, function):
        from ..behaviour.network import ACTIVATIONS

        activation = ACTIVATIONS[function.derivative_of]()
        (arg,), (ret,) = function.calls[0].args, function.calls[0].returns

        def df(g):
            run = self.executor.execute(function, {arg: g})
            return run.values.get(ret, np.full(g.shape, np.nan)) if run.ok else np.full(g.shape, np.nan)
        reason = check_derivative(lambda g: activation.forward(np.array(g))[0], df)
        return {"values": (reason is None, reason or f"the derivative of {function.derivative_of}, by finite differences")}


class StepFailed(Exception):
    """The step could not be observed (it raised, or gave back no parameters)."""
