r"""A format-2 assignment graded behaviourally through an executor (:mod:`..calls`): ``{item: (passed, evidence)}``.

The items, by role (:mod:`.steps` and :mod:`.values` check them):

* ``<net>.step`` — ``step``: the parameter change is :math:`-α\nabla l` of the student's *own* loss — the declared
  form (BCE, a sum or a mean, real and fake halves added when ``batches = "separate"``; for the generator the
  non-saturating or the minimax loss through the frozen discriminator, on the latent batch the step drew) of what the
  student's own ``<net>.forward`` returns, or the declared architecture's forward where there is none — by finite
  differences; a failure is named by the course's mistake models where the reference model applies
  (:mod:`..behaviour.mistakes`). ``loss``: the loss returned is the loss before the step.
* ``<net>.forward`` — ``outputs``: every output against the declared architecture run by gancheck's core;
  ``stable``: σ(z) finite and right where :math:`|z| \ge 710`.
* ``loss`` — ``value`` against the cross-entropy at every batch size, ``stable`` at :math:`|z| \ge 710`;
  ``sigmoid`` — ``stable``; ``derivative`` — ``values`` against finite differences of the declared activation,
  ``unchanged``: its argument left as it was.
"""
import numpy as np

from ..behaviour.network import forward as core_forward


def labels(loss, N, value=None):
    """Labels in the loss's declared layout: half 0 and half 1, or all ``value``."""
    t = (np.arange(N) % 2).astype(float) if value is None else np.full(N, float(value))
    return {"vector": t, "column": t.reshape(N, 1), "row": t.reshape(1, N)}[loss.labels if loss else "vector"]


def roles_of(net_name, params):
    """``{D.W1: …, D.b1: …}`` of a list of ``(W, b)`` per layer (a scalar bias as a Python float)."""
    roles = {}
    for k, (W, b) in enumerate(params, 1):
        roles[f"{net_name}.W{k}"], roles[f"{net_name}.b{k}"] = W, (float(b) if np.shape(b) == () else b)
    return roles


def layer_params(net_name, net, roles):
    return [(roles[f"{net_name}.W{k}"], roles[f"{net_name}.b{k}"]) for k in range(1, net.depth + 1)]


class ForwardFailed(Exception):
    """The student's own forward pass, needed for their loss, raised."""


class Grader:
    """Grades the functions of ``spec`` through ``executor``; ``defined`` (if given) are the names the submission
    defines — a declared forward pass that is missing is replaced by the declared architecture's, with a note."""

    def __init__(self, spec, executor, defined=None):
        self.spec, self.executor, self._notes = spec, executor, []
        self.forwards = {}
        for f in spec.functions:
            if f.role.endswith(".forward"):
                if defined is None or f.module or (f.cls or f.calls[0].target) in defined:
                    self.forwards[f.net] = f
                else:
                    self._notes.append(f"{f.name} is not defined: the steps use the declared architecture's forward "
                                       f"pass of {f.net} instead")

    def note(self, text):
        if text not in self._notes:
            self._notes.append(text)

    def take_notes(self):
        notes, self._notes = self._notes, []
        return notes

    def outputs(self, net_name, roles, xs):
        """``[(y, z)]`` of net ``net_name`` with the parameters ``roles[i]`` on the batch ``xs[i]``: the student's own
        forward pass if the assignment declares one (all in one request), else the declared architecture's."""
        net, function = self.spec.nets[net_name], self.forwards.get(net_name)
        if function is None:
            out = []
            for r, x in zip(roles, xs):
                g, a = core_forward(net.layers, layer_params(net_name, net, r), x, net.samples)[-1]
                out.append((a, g))
            return out
        inputs = [dict(r, **{f"{net_name}.x": x, "N": int(np.shape(x)[1 if net.samples == "columns" else 0])})
                  for r, x in zip(roles, xs)]
        read = tuple(r for r in (f"{net_name}.y", f"{net_name}.z") if any(r in c.returns for c in function.calls))
        runs = self.executor.execute_many(function, inputs, read)
        for run in runs:
            if not run.ok:
                raise ForwardFailed(run.error)
        return [(run.values.get(f"{net_name}.y"), run.values.get(f"{net_name}.z")) for run in runs]

    def grade(self, function):
        from . import steps, values

        kind = function.role.rpartition(".")[2]
        if kind == "step":
            return steps.grade(self, function)
        return getattr(values, kind)(self, function)
