"""What a student sees first: the list of quantities (``gancheck check-formula --list``) and a starter answer sheet
(``gancheck check-sheet --template``), both from the catalogue — never the reference formulas."""
import re

from . import lecture
from .catalogue import entries, entry, student_name
from .vocabulary import FUNCTIONS

_GROUPS = (("D", "Discriminator step: D's loss and gradients on a real or generated sample with target t"),
           ("G", "Generator step: G's loss and gradients through the frozen D (D's names as D.x, D.z_bar, …)"),
           (None, "Stand-alone"),
           ("lecture", "The lecture's other results, each proved by a derivation (gancheck derive NAME)"))
_SYNTAX = ("Formulas: SymPy/Python syntax, sigmoid(x)*(1 - x)/N, or LaTeX, \\frac{1}{N}\\sigma(x)(1 - x). An "
           "indicator is a comparison, (x > 1) or \\mathbb{1}[x > 1].")  # examples that answer nothing


_PLAIN = {r"\,": "", r"\|": "‖", r"\partial": "∂", r"\mu": "μ", r"\sigma": "σ", r"\theta": "θ", r"\log": "log",
          r"\max": "max", r"\mathcal{N}": "N"}


def symbol(latex):
    """The lecture's LaTeX symbol for a terminal: ``\\bar W_{kj}`` → ``W̄_kj``, ``\\mathrm{relu}'(g)`` → ``relu'(g)``,
    ``\\frac{a}{b}`` → ``a/b``."""
    for command, plain in _PLAIN.items():
        latex = latex.replace(command, plain)
    latex = re.sub(r"\\t?frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", latex)
    text = re.sub(r"\\bar\s*\{?(\w)\}?", "\\1\u0304", latex)
    text = re.sub(r"\\(?:mathrm|operatorname|text)\{([\w ]+)\}", r"\1", text)
    return text.replace("{", "").replace("}", "").replace("\\", "")


def _forward(net):
    from derivations.backprop import forward_symbols  # SymPy: only for --list, never for checking

    return ", ".join(forward_symbols(net))


def _net(e):
    net = e.name.split(".")[0]
    return "lecture" if e.claim is not None else net if net in ("D", "G") else None


def _uses(e):
    if e.claim is not None:
        return lecture.describe(e) or "a number"
    return ", ".join(student_name(e, entry(m)) for m in e.may_use) or "—"


def quantity_list():
    """Every quantity: name, lecture symbol, meaning, the earlier quantities an answer may use; the forward names and
    functions an answer may use."""
    lines = ["Quantities (gancheck check-formula QUANTITY \"EXPR\"; a sheet answers them by name):"]
    for net, title in _GROUPS:
        group = [e for e in entries().values() if _net(e) == net]
        lines += ["", f"{title}" + (f" — forward names: {_forward(net)}" if net in ("D", "G") else "")]
        for e in group:
            shown = symbol(e.latex)
            if e.claim is not None:  # long names and symbols: one line each
                lines += [f"  {e.name:<24} {shown}", f"  {'':<4}{e.meaning}", f"  {'':<4}names: {_uses(e)}"]
                continue
            pad = " " * max(1, 10 - len(shown.replace("\u0304", "")))  # a combining macron takes no column
            lines.append(f"  {e.name:<11} {shown}{pad}{e.meaning}")
            if e.may_use or e.claim is not None:
                lines.append(f"  {'':<11} {'':<10}{'names' if e.claim else 'may use'}: {_uses(e)}")
    lines += ["", f"Functions: {', '.join(FUNCTIONS)}, and the constants pi, E.", _SYNTAX]
    return "\n".join(lines)


def template():
    """A starter answer sheet (TOML): every quantity with an empty answer and a comment saying what it is."""
    lines = ["# Answer sheet: the backprop of the 1-D GAN. Check it with: gancheck check-sheet THIS_FILE.toml",
             "# " + _SYNTAX, "# An empty answer (\"\") is not answered. gancheck check-formula --list lists the names.",
             "", "[sheet]", 'student = ""', 'syntax = "auto"          # or "python", "latex"', "", "[answers]"]
    for e in entries().values():
        lines.append(f"# {symbol(e.latex)}: {e.meaning} ({'names' if e.claim else 'may use'}: {_uses(e)})")
        lines.append(f'{e.name} = ""')
    return "\n".join(lines)
