"""What the pages' executed blocks (markdown-exec, run while the site builds) use to show computed results.

Each helper returns Markdown/HTML text for the block to ``print``. Nothing here computes a result: the numbers come
from ``gancheck`` and ``derivations``; this module only formats them, shows the package's own source, and turns a
failed check into an exception — markdown-exec reports it as a warning and ``mkdocs build --strict`` then fails.
"""
import base64
import html
import inspect
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the build has no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sympy.core.relational import Relational  # noqa: E402
from derivations.core import latex  # noqa: E402,F401  (the lecture's notation: z̄ for zbar, 𝟙[g > 0] for Heaviside)

ROOT = Path(__file__).resolve().parents[2]
plt.rcParams.update({"svg.hashsalt": "gancheck", "figure.dpi": 100, "font.size": 10, "axes.grid": True,
                     "grid.alpha": 0.3, "figure.constrained_layout.use": True})


class CheckFailed(AssertionError):
    """A result shown on a page contradicts the mathematics it illustrates: the site must not build."""


def require(ok, message):
    """Fail the build with ``message`` unless ``ok``."""
    if not ok:
        raise CheckFailed(message)


def figure(fig, caption):
    """The matplotlib figure as an inline SVG ``<img>`` (a data URI: no file to manage, nothing fetched), captioned."""
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # no date: the same build gives the same bytes
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = html.escape(caption, quote=True)
    return (f'<figure class="gc-figure"><img alt="{alt}" src="data:image/svg+xml;base64,{data}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>\n")


def table(headers, rows, fmt="{:.6g}"):
    """A Markdown table; floats go through ``fmt``, everything else through ``str``."""
    def cell(v):
        return fmt.format(v) if isinstance(v, float) else str(v)
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def source(obj, title=None):
    """The package's own source of a function, class or module, as a fenced block titled with its file and lines."""
    lines, start = inspect.getsourcelines(obj)
    path = Path(inspect.getsourcefile(obj)).resolve().relative_to(ROOT)
    first = max(start, 1)
    where = f"{path}" if inspect.ismodule(obj) else f"{path}, lines {first}–{first + len(lines) - 1}"
    return f'```python title="{title or where}"\n{"".join(lines).rstrip()}\n```\n'


def display(tex):
    """Display math (arithmatex turns it into typeset math)."""
    return f"\n$$\n{tex}\n$$\n"


def relation(rel):
    """A SymPy relation (``Eq``, ``Ge`` …) or expression as LaTeX."""
    if isinstance(rel, Relational):
        return f"{latex(rel.lhs)} {_RELATIONS[rel.rel_op]} {latex(rel.rhs)}"
    return latex(rel)


def cell_math(tex):
    """Display-style math for a Markdown table cell: a bare ``|`` would end the cell, so it is spelled ``\\vert``."""
    return "$\\displaystyle " + tex.replace(r"\|", r"\Vert ").replace("|", r"\vert ") + "$"


_RELATIONS = {"==": "=", "!=": r"\neq", ">=": r"\geq", "<=": r"\leq", ">": ">", "<": "<"}


def aligned(relations):
    """Relations stacked in an ``aligned`` block, lined up on their relation signs."""
    rows = []
    for r in relations:
        tex = relation(r)
        op = f" {_RELATIONS[r.rel_op]} " if isinstance(r, Relational) else None
        rows.append(tex.replace(op, f" &{op.strip()} ", 1) if op else "&" + tex)
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def derivation(d, seed=0):
    """A :class:`derivations.core.Derivation` as a page section: its steps with their justifications, its result, and
    the outcome of its symbolic proof and numeric check — both run now; either failing fails the build."""
    proof, check = d.prove(), d.check(np.random.default_rng(seed))
    require(proof.passed, f"derivation {d.name}: symbolic proof failed at {', '.join(proof.failures())}")
    require(check.passed, f"derivation {d.name}: numeric check failed: {check}")
    rows = [(i + 1, cell_math(relation(s.relation)), s.justification.replace("|", "\\|"),
             "definition" if s.proof is None else "proved") for i, s in enumerate(d.steps)]
    out = [f"**{d.title}** — {d.source}\n", table(["step", "relation", "why", "SymPy"], rows)]
    out += ["Result:", display(aligned(d.statement()))]
    out += [f"- {note}" for note in d.notes]
    out += [f"\nProved by SymPy: {len(proof.steps)} step(s) and {len(proof.claims)} result(s). "
            f"Numeric check: {check.n_cases} random cases, largest absolute error {check.max_abs_error:.2g}, "
            f"largest relative error {check.max_rel_error:.2g}.\n"]
    return "\n".join(out) + "\n"


def console(text):
    """A command's real output in a text block."""
    return f"```text\n{text.rstrip()}\n```\n"
