r"""Which common mistake explains a wrong formula? Each hypothesis is a *mutant* of the reference :math:`R`, tested
against the student's :math:`S` at the decision's random points (agreement everywhere, :func:`.numeric.agree`):

* a factor: :math:`S = c\,F\,R` with :math:`F \in \{1, N, 1/N, σ'(z), 1/(1-y), g\}` and :math:`c` a small fraction —
  a flipped sign of :math:`(y - t)` (:math:`c = -1`), a spurious constant (:math:`c = 2`), a missing or extra
  :math:`1/N`, σ′ applied twice (:math:`(y - t)/N` already contains :math:`σ'(z) = y(1-y)`: the BCE and sigmoid
  derivatives cancel), σ used where σ′ belongs (:math:`\partial L/\partial y\cdot σ(z) = R/(1-y)`), relu used where
  relu′ belongs (:math:`\mathrm{relu}(g) = g\,\mathbb 1[g>0]`);
* the ReLU mask: :math:`\mathbb 1[g > 0]` replaced by the student's own indicator (wrong variable, wrong threshold)
  or dropped;
* the generator's loss: the reference under the other loss (minimax :math:`\bar z_D = -y/N` vs non-saturating
  :math:`\bar z_D = (y-1)/N`; for the loss itself :math:`\frac1N\log(1-y_D)` vs :math:`-\frac1N\log y_D`).
"""
from fractions import Fraction

import numpy as np
import sympy as sp

from . import catalogue, numeric


def diagnose(decision, entry, loss, domain):
    """One-line explanations of the mistake(s) matching ``decision`` (a :class:`.decide.Decision` that found the
    formula not equivalent); empty when no common mistake matches."""
    S, R, sample = decision.student, decision.reference, decision.sample
    s, r = numeric.evaluate(S, sample), numeric.evaluate(R, sample)
    return (_loss_swap(s, entry, loss, domain, sample) or _mask(S, R, s, domain, sample)
            or _factor(s, r, R, domain, sample))


def _matches(s, mutant_values):
    return bool(numeric.agree(s, mutant_values).all())


def _loss_swap(s, entry, loss, domain, sample):
    if entry.net != "G":  # G's chain and G's own loss G.L
        return []
    other = next(x for x in catalogue.LOSSES if x != loss)
    mutant = catalogue.reference(entry.name, other).expanded.xreplace(domain.definitions)
    if not _matches(s, numeric.evaluate(mutant, sample)):
        return []
    what = "gradient" if entry.chain else "per-sample term"
    return [f"minimax vs non-saturating confusion: this is the {what} for the {other} generator loss, but the "
            f"assignment uses the {loss} one ({_LOSS_FORMS[loss]})"]


_LOSS_FORMS = {"nonsaturating": "L = −(1/N) Σ log D(G(x)), i.e. targets t = 1, so z̄_D = (y_D − 1)/N",
               "minimax": "L = (1/N) Σ log(1 − D(G(x))), so z̄_D = −y_D/N"}


def _mask(S, R, s, domain, sample):
    """Replace each reference ReLU mask by each of the student's indicators, then by 1 (mask dropped)."""
    masks = [h for h in R.atoms(sp.Heaviside) if h.args[0] in domain.kinds]
    for mask in masks:
        for wrong in S.atoms(sp.Heaviside) - {mask}:
            if _matches(s, numeric.evaluate(R.xreplace({mask: wrong}), sample)):
                what = "threshold" if wrong.args[0].free_symbols == {mask.args[0]} else "variable"
                return [f"ReLU mask with the wrong {what}: {_show(wrong, domain)} where {_show(mask, domain)} belongs"]
    for mask in masks:
        if _matches(s, numeric.evaluate(R.xreplace({mask: sp.Integer(1)}), sample)):
            return [f"the ReLU derivative {_show(mask, domain)} is missing"]
    return []


def _show(step, domain):
    """``Heaviside(g - 1, 0)`` as the indicator ``1[g > 1]``."""
    arg, h0 = (step.args + (sp.S.Half,))[:2]
    arg = arg.xreplace({s: sp.Symbol(domain.labels.get(s, s.name)) for s in arg.free_symbols})
    constant, variable = arg.as_coeff_Add()
    relation = ">" if h0 == 0 else "≥" if h0 == 1 else "> (½ at equality)"
    if variable.could_extract_minus_sign():
        variable, constant, relation = -variable, -constant, relation.replace(">", "<").replace("≥", "≤")
    return f"1[{sp.sstr(variable)} {relation} {sp.sstr(-constant)}]"


def _factor(s, r, R, domain, sample):
    d = catalogue.forward("D")
    y = numeric.evaluate(domain.definitions[d["y"]], sample) if R.has(d["z"]) else None
    t = d["t"]
    n = sample.get(catalogue.N)
    factors = [("", np.ones_like(r))]
    if n is not None:
        factors += [("missing 1/N", n), ("extra 1/N (the batch factor counted twice)", 1 / n)]
    if y is not None:
        factors += [("σ′(z) = y(1 − y) applied twice: (y − t)/N already contains it, the BCE and sigmoid "
                     "derivatives cancel", y * (1 - y)),
                    ("σ(z) used where σ′(z) belongs (∂L/∂y·σ(z) instead of ∂L/∂y·σ′(z))", 1 / (1 - y))]
    for k in (k for k, kind in domain.kinds.items() if kind == "relu_input" and k in sample):
        label = domain.labels[k]
        factors.append((f"relu({label}) used where its derivative relu′({label}) = 1[{label} > 0] belongs", sample[k]))
    for what, f in factors:
        c = _constant(s, f * r)
        if c is None or (c == 1 and not what):
            continue
        found = [what] if what else []
        if c < 0:
            found.insert(0, "sign flipped: (t − y) where (y − t) belongs" if R.has(t) else "sign flipped")
        if abs(c) != 1:
            found.append(f"spurious constant factor {abs(c)}")
        return found
    return []


def _constant(s, base):
    """The simple fraction c with s = c·base at every point (None if there is none)."""
    usable = np.isfinite(base) & (np.abs(base) > 1e-9) & np.isfinite(s)
    if not usable.any():
        return None
    ratio = float(np.median(s[usable] / base[usable]))
    if not np.isfinite(ratio):
        return None
    c = Fraction(ratio).limit_denominator(12)
    if c == 0 or abs(c) > 100 or not _matches(s, float(c) * base):
        return None
    return c
