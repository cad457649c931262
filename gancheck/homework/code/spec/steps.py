r"""The ``step`` and ``loss`` items of a format-2 ``D.step`` or ``G.step``: :math:`θ' = θ - α\nabla l` of the student's
own loss, checked by finite differences (:func:`..behaviour.grade_step`).

* **Discriminator.** Parameters scaled by fan-in and a batch (or real and fake batches) drawn so that no unit is at a
  kink and no output saturates (:mod:`..behaviour.inputs`); labels in the declared layout.
* **Generator.** The discriminator's parameters are passed in and frozen; the step draws its own latent batch
  (``np.random.*``, ``default_rng``, or the generator passed in as ``rng``), which is read back from the draws the
  sandbox recorded (:mod:`..behaviour.latent`) — or the latent batch is passed in (``G.x``). The student's loss is
  :math:`\frac1N\sum -\log D(G(z))` (non-saturating) or :math:`\frac1N\sum \log(1 - D(G(z)))` (minimax), through their
  own forward passes of both nets where declared.
"""
import numpy as np

from ..behaviour import grade_step
from ..behaviour import mistakes
from ..behaviour.grading import Unsafe
from ..behaviour.inputs import KINK_MARGIN, NoSafeInput, safe, safe_batch
from ..behaviour.latent import candidates, drawn
from ..behaviour.network import draw_params
from ..behaviour.stability import bce
from .grade import ForwardFailed, labels, layer_params, roles_of


class StepFailed(Exception):
    """The step could not be observed (it raised, or gave back no parameters)."""


def _half(y, z, t, reduction):
    """Cross-entropy of probabilities ``y`` (or logits ``z``) against labels ``t``, summed or averaged."""
    t = np.asarray(t, dtype=float).reshape(-1)
    if z is not None:
        return bce(np.asarray(z, dtype=float).reshape(-1), t, reduction)
    y = np.asarray(y, dtype=float).reshape(-1)
    per = -(t * np.log(y) + (1 - t) * np.log1p(-y))
    return float(np.sum(per) if reduction == "sum" else np.mean(per))


def _latent(spec, N, rng):
    loss = spec.losses.get("G")
    d = spec.nets["G"].layers[0].n_in
    if loss is not None and loss.latent == "uniform":
        return rng.uniform(loss.low, loss.high, (N, d))
    return rng.normal(size=(N, d))


def _layout(net, x_rows):
    return x_rows.T.copy() if net.samples == "columns" else x_rows


class _Observation:
    """What one step needs: the frozen roles, the data passed in, and the data the student's loss is taken on."""

    def __init__(self, grader, function):
        self.grader, self.function, self.spec = grader, function, grader.spec
        self.net_name = function.net
        self.net = self.spec.nets[self.net_name]
        self.loss_spec = self.spec.losses.get(self.net_name)
        self.reduction = self.loss_spec.reduction if self.loss_spec else "mean"
        self.thetas = [f"{self.net_name}.{p}{k}" for k in range(1, self.net.depth + 1) for p in "Wb"]
        self.frozen, self.inputs, self.data = {}, {}, {}

    def params(self, N, rng):
        if self.net_name == "G":
            return self._generator_params(N, rng)
        separate = self.loss_spec is not None and self.loss_spec.batches == "separate"
        p, x = safe_batch(self.net.layers, N, rng, samples=self.net.samples, logits=True)
        if separate:
            _, x_fake = safe_batch(self.net.layers, N, rng, samples=self.net.samples, logits=True, params=p)
            self.data = {"x_real": x, "x_fake": x_fake}
        else:
            self.data = {"x": x, "t": labels(self.loss_spec, N)}
        self.inputs = dict({f"{self.net_name}.{k}": v for k, v in self.data.items()}, N=N)
        return roles_of(self.net_name, p)

    def _generator_params(self, N, rng):
        D, G = self.spec.nets["D"], self.net
        for _ in range(200):
            pd, pg = draw_params(D.layers, rng), draw_params(G.layers, rng)
            probe = _latent(self.spec, N, rng)
            x = _layout(G, probe)
            fake = _layout(D, self._rows(G, self._core_out(G, pg, x)))
            if safe(G.layers, pg, x, G.samples) and safe(D.layers, pd, fake, D.samples, logits=True):
                break
        else:
            raise NoSafeInput(f"no parameters keep D(G(z)) off its kinks and out of saturation at N = {N}")
        self.frozen = roles_of("D", pd)
        self.inputs = {"N": N, "latent_dim": G.layers[0].n_in, "rng": int(rng.integers(2**31)),
                       "G.t": labels(self.loss_spec, N, 1.0), "G.x": _layout(G, _latent(self.spec, N, rng))}
        return roles_of("G", pg)

    @staticmethod
    def _core_out(net, params, x):
        from ..behaviour.network import forward

        return forward(net.layers, params, x, net.samples)[-1][1]

    @staticmethod
    def _rows(net, x):
        return np.asarray(x, dtype=float).T if net.samples == "columns" else np.asarray(x, dtype=float)

    def recover(self, run, before, new):
        """The latent batch of a generator step (in G's layout): the one passed in, else the draw with which the step
        is nearest the reference model's gradient step (where that model applies), or whose loss the step returned,
        or the first (a draw of N × latent_dim numbers read in order)."""
        N, d = self.inputs["N"], self.inputs["latent_dim"]
        passed = any("G.x" in (c.args + tuple(v for _, v in c.kwargs)) for c in self.function.calls)
        if passed:
            latent = self.inputs["G.x"]
        else:
            found = [_layout(self.net, c) for c in candidates(run.draws, N, d)]
            if not found:
                raise StepFailed(f"drew no batch of N × latent_dim = {N * d} numbers (drew {drawn(run.draws)}): the "
                                 "step cannot be checked on its own batch — draw it with the declared generator "
                                 f"({self.loss_spec.rng if self.loss_spec else 'np.random'})")
            latent, returned = found[0], run.values.get("G.loss")
            if len(found) > 1 and mistakes.applies(self.spec, "G"):
                latent = min(found, key=lambda c: mistakes.misfit(self.spec, "G", dict(self.frozen, **before), before,
                                                                  new, {"latent": c}))
            elif len(found) > 1 and returned is not None:
                losses = [self.losses([before], candidate)[0] for candidate in found]
                latent = found[int(np.argmin([abs(float(np.reshape(returned, -1)[0]) - v) for v in losses]))]
        self.data = {"latent": latent}
        pg = layer_params("G", self.net, before)
        D = self.spec.nets["D"]
        fake = _layout(D, self._rows(self.net, self._core_out(self.net, pg, latent)))
        if not (safe(self.net.layers, pg, latent, self.net.samples) and
                safe(D.layers, layer_params("D", D, self.frozen), fake, D.samples, logits=True)):
            raise Unsafe
        return latent

    def losses(self, qs, latent=None):
        """The student's own loss at each parameter dict of ``qs`` on this observation's data."""
        grader, red = self.grader, self.reduction
        if self.net_name == "G":
            latent = self.data["latent"] if latent is None else latent
            fakes = [y for y, _ in grader.outputs("G", qs, [latent] * len(qs))]
            D = self.spec.nets["D"]
            fakes = [_layout(D, self._rows(self.net, np.asarray(f, dtype=float))) for f in fakes]
            out = grader.outputs("D", [self.frozen] * len(qs), fakes)
            minimax = self.loss_spec is not None and self.loss_spec.form == "minimax"
            N = len(self._rows(self.net, latent))
            return [-_half(y, z, np.zeros(N), red) if minimax else _half(y, z, np.ones(N), red) for y, z in out]
        if "x_real" in self.data:
            real = grader.outputs(self.net_name, qs, [self.data["x_real"]] * len(qs))
            fake = grader.outputs(self.net_name, qs, [self.data["x_fake"]] * len(qs))
            N = self.inputs["N"]
            return [_half(*r, np.ones(N), red) + _half(*f, np.zeros(N), red) for r, f in zip(real, fake)]
        out = grader.outputs(self.net_name, qs, [self.data["x"]] * len(qs))
        return [_half(y, z, self.data["t"], red) for y, z in out]

    def step(self, before, N, rng):
        inputs = dict(self.inputs, **self.frozen, **{r: (float(v) if v.shape == () else v) for r, v in before.items()})
        run = self.grader.executor.execute(self.function, inputs)
        if not run.ok:
            raise StepFailed(f"raises {run.error}")
        missing = [r for r in self.thetas if r not in run.values]
        if missing:
            raise StepFailed(f"the step gives back no {', '.join(missing)} (declare them in returns or attributes)")
        new = {r: np.asarray(run.values[r], dtype=float) for r in self.thetas}
        if self.net_name == "G":
            self.recover(run, before, new)
        return new, run.values.get(f"{self.net_name}.loss"), self.losses


def grade(grader, function):
    """``{item: (passed, evidence)}`` for a ``D.step`` or ``G.step`` function."""
    obs = _Observation(grader, function)
    epsilon = obs.loss_spec.epsilon if obs.loss_spec else 0.0
    try:
        report = grade_step(obs.step, obs.params, grader.spec.batches, function.alpha, epsilon,
                            names=dict(function.attributes))
    except (StepFailed, NoSafeInput) as exc:
        return {item: (False, str(exc)) for item in function.points}
    except Unsafe:
        return {item: (False, "every latent batch it drew put a unit within "
                              f"{KINK_MARGIN:g} of its kink: no finite-difference verdict") for item in function.points}
    except ForwardFailed as exc:
        return {item: (False, f"your forward pass raises {exc}") for item in function.points}
    verdict, out = report.verdict, {}
    text = verdict.message + (f" (α {report.alpha_origin})" if verdict.passed else "")
    if not verdict.passed and not verdict.inconclusive and report.observed is not None:
        before, after, N, own = report.observed
        named = mistakes.diagnose(grader.spec, obs.net_name, dict(obs.frozen, **before), before, after, obs.data, own)
        text = f"N = {N}: {named}" if named else text
    for item in function.points:
        if item == "step":
            out[item] = (verdict.passed, "; ".join([text] + report.notes))
        else:
            out[item] = (report.loss_reason is None,
                         f"the loss returned {report.loss_reason}" if report.loss_reason
                         else "returns the loss before the step")
    return out
