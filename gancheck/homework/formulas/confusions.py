r"""Close confusions, as mutants of the reference for :mod:`.diagnose`: one symbol of the forward pass written where
another belongs, and a spurious factor inside an exponent.

Symbol confusions (each also within the discriminator's part of the generator's step, ``D.g`` for ``D.h``):

* :math:`g` for :math:`h` — the pre-activation where the activation :math:`h = \mathrm{relu}(g)` belongs
  (:math:`\bar W = \bar z\,g`), and the reverse;
* :math:`z` for :math:`y` — the logit where the probability :math:`y = σ(z)` belongs (:math:`\bar z = (z - t)/N`),
  and the reverse (a loss written on :math:`y`: :math:`\log(1 + e^{-y})`);
* :math:`σ(y)` for :math:`y` — the sigmoid applied again to its own output;
* :math:`U` for :math:`W` (the hidden layer's weight where the output layer's belongs), and the reverse;
* :math:`h` for :math:`x` — the layer's activation where its input belongs (:math:`\bar U = \bar g\,h`), and the
  reverse;
* in the generator's step, G's output :math:`y` where D's output :math:`y_D = σ(z_D)` belongs, and the reverse.

The mutant replaces the symbol everywhere in the reference's expanded form (forward symbols, before the element-wise
definitions are substituted), so it stands for the student's *whole* formula written with the wrong symbol.
"""
import sympy as sp

from derivations.backprop import sigmoid

# (written, where it belongs, what the student did): names as an answer writes them, {a}/{b} filled in.
_SWAPS = (
    ("g", "h", "the pre-activation {a} where the activation {b} = relu({a}) belongs"),
    ("h", "g", "the activation {a} = relu({b}) where the pre-activation {b} belongs"),
    ("z", "y", "the logit {a} where the probability {b} = σ({a}) belongs"),
    ("y", "z", "the probability {a} = σ({b}) where the logit {b} belongs"),
    ("σ(y)", "y", "{a} where {b} belongs: {b} = σ({p}z) is already the sigmoid's output, σ is applied twice"),
    ("U", "W", "the hidden layer's weight {a} where the output layer's weight {b} belongs"),
    ("W", "U", "the output layer's weight {a} where the hidden layer's weight {b} belongs"),
    ("h", "x", "the activation {a} where the layer's input {b} belongs"),
    ("x", "h", "the layer's input {a} where the activation {b} belongs"),
)
_ACROSS = (  # the generator's step only: G's output and D's output
    ("y", "D.y", "G's output {a} where D's output {b} = σ(D.z) belongs"),
    ("D.y", "y", "D's output {a} = σ(D.z) where G's output {b} belongs"),
)


def swapped(case):
    """The confusion that turns the reference into the student's formula, as a one-line diagnosis (or [])."""
    symbols = {label: s for s, label in case.domain.labels.items()}
    prefixes = ("", "D.") if case.entry.net == "G" else ("",)
    rules = [(p + a if a != "σ(y)" else f"σ({p}y)", p + b, what.replace("{p}", p)) for p in prefixes
             for a, b, what in _SWAPS]
    rules += list(_ACROSS) if case.entry.net == "G" else []
    for wrote, belongs, what in rules:
        target = symbols.get(belongs)
        if target is None or target not in case.expanded.free_symbols:
            continue
        written = sigmoid(target) if wrote == f"σ({belongs})" else symbols.get(wrote)
        if written is not None and case.matches(case.expanded.xreplace({target: written})):
            return [what.format(a=wrote, b=belongs)]
    return []


_EXPONENT_FACTORS = (2, 3, sp.Rational(1, 2), -1, -2)


def exponent(case):
    """A spurious factor c inside the exponent of a loss's :math:`e^{u}` (all of them at once, or one), c = −1 being
    a flipped sign there."""
    nodes = sorted(case.expanded.atoms(sp.exp), key=sp.default_sort_key)
    groups = [nodes] + ([[n] for n in nodes] if len(nodes) > 1 else [])
    for c in _EXPONENT_FACTORS:
        for group in groups:
            if not group or not case.matches(case.expanded.xreplace({n: sp.exp(c * n.args[0]) for n in group})):
                continue
            old = group[0]
            new = f"exp({case.label(c * old.args[0])}) where exp({case.label(old.args[0])}) belongs"
            if c == -1:
                return [f"the sign inside the exponent flipped: {new}"]
            return [f"a spurious factor {c} inside the exponent: {new}"]
    return []
