r"""Which common mistake explains a wrong formula? Each hypothesis is a *mutant* of the reference :math:`R`, tested
against the student's :math:`S` at the decision's random points (agreement everywhere, :func:`.numeric.agree`), in
this order — the most specific explanation first:

* a lecture result's own common mistakes, and a number in nats for bits or rounded (:func:`.lecture.mistakes`);
* the generator's loss: the reference under the other loss (minimax :math:`\bar z_D = -y/N` vs non-saturating
  :math:`\bar z_D = (y-1)/N`; for the loss itself :math:`\frac1N\log(1-y_D)` vs :math:`-\frac1N\log y_D`);
* a close confusion (:mod:`.confusions`): one forward symbol where another belongs — the pre-activation :math:`g`
  for the activation :math:`h`, the logit :math:`z` for the probability :math:`y`, :math:`U` for :math:`W`, … —
  or a spurious factor inside an exponent (:math:`\log(1+e^{-2z})`);
* the ReLU mask: a factor :math:`\mathbb 1[g > 0]` of the reference's chain rule replaced by the student's own
  indicator (wrong variable, wrong threshold) or dropped;
* a factor: :math:`S = c\,F\,R` with :math:`F \in \{1, N, 1/N, σ'(z), 1/(1-y), g\}` and :math:`c` a small fraction —
  a flipped sign of :math:`(y - t)` (:math:`c = -1`), a spurious constant (:math:`c = 2`), a missing or extra
  :math:`1/N`, σ′ applied twice (:math:`(y - t)/N` already contains :math:`σ'(z) = y(1-y)`: the BCE and sigmoid
  derivatives cancel), σ used where σ′ belongs (:math:`\partial L/\partial y\cdot σ(z) = R/(1-y)`), relu used where
  relu′ belongs (:math:`\mathrm{relu}(g) = g\,\mathbb 1[g>0]`).
"""
import statistics
from fractions import Fraction

import sympy as sp

from . import confusions, lecture, numeric, references


class Case:
    """What a diagnosis looks at: the student's ``raw`` and the reference's ``expanded`` forms (forward symbols,
    before the element-wise definitions), the student's values at the decision's sample, the entry, loss, domain."""

    def __init__(self, decision, raw, entry, loss, domain):
        self.decision, self.raw, self.entry, self.loss, self.domain = decision, raw, entry, loss, domain
        self.expanded = references.reference(entry.name, loss).expanded
        self.sample = decision.sample
        self.values = numeric.evaluate(decision.student, self.sample)
        self.correct = numeric.evaluate(decision.reference, self.sample)

    def matches(self, mutant):
        """``mutant`` (before the definitions) agrees with the student's formula at every sampled point — and is a
        mistake there: a mutant equal to the reference on the sample explains nothing."""
        try:
            values = numeric.evaluate(mutant.xreplace(self.domain.definitions), self.sample)
        except ValueError:
            return False
        return numeric.all_agree(self.values, values) and not numeric.all_agree(self.correct, values)

    def label(self, expr):
        """``expr`` with the names the student writes (``D.g``, ``h``)."""
        return sp.sstr(expr.xreplace({s: sp.Symbol(self.domain.labels.get(s, s.name)) for s in expr.free_symbols}))


def diagnose(decision, raw, entry, loss, domain):
    """One-line explanations of the mistake(s) matching ``decision`` (a :class:`.decide.Decision` that found the
    formula not equivalent; ``raw``: the student's formula in forward symbols); empty when none matches."""
    case = Case(decision, raw, entry, loss, domain)
    return (lecture.mistakes(case) or _loss_swap(case) or confusions.swapped(case) or confusions.exponent(case)
            or _mask(case) or _factor(case))


def _loss_swap(case):
    if case.entry.net != "G":  # G's chain and G's own loss G.L
        return []
    other = next(x for x in references.LOSSES if x != case.loss)
    if not case.matches(references.reference(case.entry.name, other).expanded):
        return []
    what = "gradient" if case.entry.chain else "per-sample term"
    return [f"minimax vs non-saturating confusion: this is the {what} for the {other} generator loss, but the "
            f"assignment uses the {case.loss} one ({_LOSS_FORMS[case.loss]})"]


_LOSS_FORMS = {"nonsaturating": "L = −(1/N) Σ log D(G(x)), i.e. targets t = 1, so z̄_D = (y_D − 1)/N",
               "minimax": "L = (1/N) Σ log(1 − D(G(x))), so z̄_D = −y_D/N"}


def _mask(case):
    """Replace each ReLU derivative of the reference's chain rule (not the steps inside h = relu(g)) by each of the
    student's own indicators, then by 1 (mask dropped)."""
    masks = [h for h in case.expanded.atoms(sp.Heaviside) if h.args[0] in case.domain.kinds]
    for mask in masks:
        for wrong in case.raw.atoms(sp.Heaviside) - {mask}:
            if case.matches(case.expanded.xreplace({mask: wrong})):
                what = "threshold" if wrong.args[0].free_symbols == {mask.args[0]} else "variable"
                return [f"ReLU mask with the wrong {what}: {_show(wrong, case)} where {_show(mask, case)} belongs"]
    for mask in masks:
        if case.matches(case.expanded.xreplace({mask: sp.Integer(1)})):
            return [f"the ReLU derivative {_show(mask, case)} is missing"]
    return []


def _show(step, case):
    """``Heaviside(g - 1, 0)`` as the indicator ``1[g > 1]``."""
    arg, h0 = (step.args + (sp.S.Half,))[:2]
    constant, variable = arg.as_coeff_Add()
    relation = ">" if h0 == 0 else "≥" if h0 == 1 else "> (½ at equality)"
    if variable.could_extract_minus_sign():
        variable, constant, relation = -variable, -constant, relation.replace(">", "<").replace("≥", "≤")
    return f"1[{case.label(variable)} {relation} {sp.sstr(-constant)}]"


def _factor(case):
    d = references.forward("D")
    R, sample = case.decision.reference, case.sample
    r = numeric.evaluate(R, sample)
    y = numeric.evaluate(case.domain.definitions[d["y"]], sample) if R.has(d["z"]) else None
    n = sample.get(references.N)
    factors = [("", [1.0] * len(r))]
    if n is not None:
        factors += [("missing 1/N", n), ("extra 1/N (the batch factor counted twice)", [1 / v for v in n])]
    if y is not None:
        factors += [("σ′(z) = y(1 − y) applied twice: (y − t)/N already contains it, the BCE and sigmoid "
                     "derivatives cancel", [v * (1 - v) for v in y]),
                    ("σ(z) used where σ′(z) belongs (∂L/∂y·σ(z) instead of ∂L/∂y·σ′(z))", [1 / (1 - v) for v in y])]
    for k in (k for k, kind in case.domain.kinds.items() if kind == "relu_input" and k in sample):
        label = case.domain.labels[k]
        factors.append((f"relu({label}) used where its derivative relu′({label}) = 1[{label} > 0] belongs", sample[k]))
    for what, f in factors:
        base = [a * b for a, b in zip(f, r)]
        c = _constant(case.values, base)
        if c is None or (c == 1 and not what):
            continue
        found = [what] if what else []
        if c < 0:
            found.insert(0, "sign flipped: (t − y) where (y − t) belongs" if R.has(d["t"]) else "sign flipped")
        if abs(c) != 1:
            found.append(f"spurious constant factor {abs(c)}")
        return found
    return []


def _constant(s, base):
    """The simple fraction c with s = c·base at every point (None if there is none)."""
    ratios = [a / b for a, b in zip(s, base) if numeric.finite(a, b) and abs(b) > 1e-9]
    if not ratios:
        return None
    c = Fraction(statistics.median(ratios)).limit_denominator(12)
    if c == 0 or abs(c) > 100 or not numeric.all_agree(s, [float(c) * b for b in base]):
        return None
    return c
