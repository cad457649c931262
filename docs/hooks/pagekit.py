"""What the pages' executed blocks (markdown-exec, run while the site builds) use to show computed results.

Each helper returns Markdown/HTML text for the block to ``print``. Nothing here computes a result: the numbers come
from ``gancheck`` and ``derivations``; this module only formats them, shows the package's own source, and turns a
failed check into an exception — markdown-exec reports it as a warning and ``mkdocs build --strict`` then fails.
"""
import base64
import contextlib
import html
import inspect
import io
import json
import re
import shlex
import textwrap
import weakref
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the build has no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sympy.core.relational import Relational  # noqa: E402
from derivations import registry  # noqa: E402
from derivations.render import latex  # noqa: E402  (the lecture's notation: z̄ for zbar, 𝟙[g > 0] for Heaviside)

ROOT = Path(__file__).resolve().parents[2]
plt.rcParams.update({"svg.hashsalt": "gancheck", "figure.dpi": 100, "font.size": 10, "axes.grid": True,
                     "grid.alpha": 0.3, "figure.constrained_layout.use": True})


class CheckFailed(AssertionError):
    """A result shown on a page contradicts the mathematics it illustrates: the site must not build."""


def require(ok, message):
    """Fail the build with ``message`` unless ``ok``."""
    if not ok:
        raise CheckFailed(message)


_started = {}  # (function, argument) → Future of its result, started by prefetch()


def _fast(name):
    from gancheck import experiments

    return experiments.load(name).run("fast", seed=0)


def prefetch(jobs, workers=2):
    """Start each ``(function, argument)`` of ``jobs`` in worker processes — the fast variant of every experiment a
    page asks for (:func:`_fast`), the training snapshots of every scrubber — so that they run side by side while the
    pages are rendered; :func:`collect` takes the results. Called by the build hook."""
    pool = ProcessPoolExecutor(workers)
    for fn, arg in jobs:
        _started.setdefault((fn, arg), pool.submit(fn, arg))
    pool.shutdown(wait=False)  # the workers finish the queue; nothing waits here


def collect(fn, arg):
    """``fn(arg)``: the result prefetched in a worker, or computed now. An exception in it fails the page."""
    future = _started.pop((fn, arg), None)
    return future.result() if future else fn(arg)


class _Experiment:
    """An experiment module whose ``plot(data)`` remembers which experiment drew the figure, so that
    :func:`figure` can print the command that reproduces it and link its PNG and JSON."""

    def __init__(self, module, name):
        self._module, self._name = module, name

    def __getattr__(self, attr):
        return getattr(self._module, attr)

    def plot(self, data, *args, **kwargs):
        fig = self._module.plot(data, *args, **kwargs)
        _drawn_by[fig] = (self._name, data)
        return fig


_drawn_by = weakref.WeakKeyDictionary()  # figure → (experiment name, its data)
OUTPUT = None  # the site directory being built (set by the computed.py hook): figures' PNG and JSON files go there
SITE_URL = "gc-site:"  # prefix of a link to a file of the site; computed.py makes it relative to each page
FIGURES = "assets/figures"


def experiment(name):
    """``(module, data)``: the experiment called ``name`` and the data of its fast variant with seed 0 — the one the
    build prefetched, or computed now. An exception inside the experiment fails the page, hence the build. A figure
    drawn by ``module.plot(data)`` is captioned by :func:`figure` with the command that reproduces it."""
    from gancheck import experiments

    return _Experiment(experiments.load(name), name), collect(_fast, name)


def figure(fig, caption, *, command=None, data=None, name=None):
    """The matplotlib figure as an inline SVG ``<img>`` (a data URI: nothing to fetch), captioned, with how to get it:

    * drawn by an experiment's ``plot`` (:func:`experiment`): the exact ``gancheck experiment NAME --variant fast
      --seed 0`` command, and links to the PNG and JSON that this command writes (the same file names and contents);
    * otherwise ``command`` (a ``gancheck`` command line, checked against the CLI's parser), ``data`` (anything
      :func:`gancheck.experiments.to_plain` takes) and ``name`` (the files' stem) say the same for any figure.
    """
    from gancheck.experiments import to_plain

    if fig in _drawn_by:
        name, data = _drawn_by.pop(fig)
        command, name = f"gancheck experiment {name} --variant fast --seed 0", f"{name}-fast"
    if command:
        _check_command(command)
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # no date: the same build gives the same bytes
    links = []
    if OUTPUT is not None and name:
        folder = Path(OUTPUT) / FIGURES
        folder.mkdir(parents=True, exist_ok=True)
        require(not (folder / f"{name}.png").exists(), f"two figures are both called {name!r}")
        from gancheck.plots import save

        save(fig, folder / f"{name}.png")  # what `gancheck experiment` writes, byte for byte
        links.append(f'<a href="{SITE_URL}{FIGURES}/{name}.png" download>PNG</a>')
        if data is not None:
            (folder / f"{name}.json").write_text(json.dumps(to_plain(data)))
            links.append(f'<a href="{SITE_URL}{FIGURES}/{name}.json" download>JSON</a>')
    plt.close(fig)
    svg = base64.b64encode(buf.getvalue()).decode("ascii")
    alt = html.escape(caption, quote=True)
    how = []
    if command:
        how.append(f"Reproduce: <code>{html.escape(command)}</code>")
    if links:
        how.append("download " + " · ".join(links))
    how = f'<span class="gc-reproduce">{" — ".join(how)}</span>' if how else ""
    return (f'<figure class="gc-figure"><img alt="{alt}" src="data:image/svg+xml;base64,{svg}">'
            f"<figcaption>{html.escape(caption)}{how}</figcaption></figure>\n")


def legible(fig):
    """``fig``, once it follows the site's figure rules (:mod:`gancheck.plots`): at most ``WIDTH`` inches wide, text
    at least 10 px tall on a phone, at most three panels a row. A page's own figure that breaks them fails the build."""
    from gancheck import plots

    require(fig.get_figwidth() <= plots.WIDTH + 1e-9, f"a figure {fig.get_figwidth():.1f} in wide (at most {plots.WIDTH})")
    px = plots.smallest_text_px(fig)
    require(px >= 10, f"a figure's smallest text is {px:.1f} px on a phone (at least 10)")
    rows = {}
    for ax in fig.axes:
        rows.setdefault(round(ax.get_position().y0, 2), []).append(ax)
    require(max(map(len, rows.values()), default=0) <= plots.MAX_PER_ROW, "a figure with more than 3 panels a row")
    return fig


def _check_command(command):
    """A command shown under a figure must be one the installed ``gancheck`` accepts."""
    from gancheck.cli import build_parser

    argv = shlex.split(command)
    require(argv[:1] == ["gancheck"], f"not a gancheck command: {command!r}")
    with contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            build_parser().parse_args(argv[1:])
        except SystemExit:
            raise CheckFailed(f"`{command}` is not a valid gancheck command: {err.getvalue().strip()}") from None


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


def code(obj, start=None, end=None, *, docstring=False):
    """The lines of the package that implement a formula, for a page's narrative: ``obj``'s source (a function, a
    class or a module) without its docstring — which the API reference renders, typeset — or, with ``start`` and
    ``end``, only the lines from the first one containing ``start`` to the next one containing ``end``. ``obj`` may
    be a list of functions: one block each. Each block is titled with its file and line numbers; a link to the
    objects' entries in the API reference (their module's for a private name), where the whole source and the
    docstrings are, follows. A ``start`` or ``end`` the source does not contain fails the build: a listing that no
    longer matches the code is never shown."""
    objs = obj if isinstance(obj, (list, tuple)) else [obj]
    blocks = [_listing(o, start, end, docstring) for o in objs]
    refs = dict.fromkeys(_reference(o) for o in objs)
    links = ", ".join(f'<a href="{SITE_URL}{page}#{name}"><code>{html.escape(name)}</code></a>' for name, page in refs)
    return "\n".join(blocks) + f'\n<p class="gc-api">In the API reference, with the docstrings: {links}</p>\n'


def _listing(obj, start, end, docstring):
    lines, first = inspect.getsourcelines(obj)
    first = max(first, 1)
    path = Path(inspect.getsourcefile(obj)).resolve().relative_to(ROOT)
    keep = list(range(len(lines)))
    if not docstring and not inspect.ismodule(obj):
        doc = _docstring_lines(lines)
        keep = [i for i in keep if i not in doc]
    if start is not None:
        at = next((i for i in keep if start in lines[i]), None)
        require(at is not None, f"{path}: no line contains {start!r}")
        stop = next((i for i in keep if i >= at and end in lines[i]), None) if end else at
        require(stop is not None, f"{path}: no line after {start!r} contains {end!r}")
        keep = [i for i in keep if at <= i <= stop]
    text = textwrap.dedent("".join(lines[i] for i in keep)).rstrip()
    span = f"line {first + keep[0]}" if len(keep) == 1 else f"lines {first + keep[0]}–{first + keep[-1]}"
    return f'```python title="{path}, {span}"\n{text}\n```\n'


def _docstring_lines(lines):
    """Indices of the docstring's lines in a function's or class's source lines (none if it has no docstring)."""
    import ast

    tree = ast.parse(textwrap.dedent("".join(lines)))
    node = tree.body[0]
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        return set(range(body[0].lineno - 1, body[0].end_lineno))
    return set()


def _reference(obj):
    """``(dotted name, page)`` of ``obj``'s entry in the API reference: its own for a public name with a docstring
    (the reference lists only those), else its module's."""
    module = obj.__name__ if inspect.ismodule(obj) else obj.__module__
    name = module if inspect.ismodule(obj) else f"{module}.{obj.__qualname__}"
    if any(part.startswith("_") for part in name.split(".")) or not getattr(obj, "__doc__", None):
        name = module
    for prefix, page in (("gancheck.experiments", "reference/experiments/"), ("gancheck.homework", "reference/homework/"),
                         ("derivations", "reference/derivations/"), ("gancheck", "reference/gancheck/")):
        if module == prefix or module.startswith(prefix + "."):
            return name, page
    raise CheckFailed(f"{name} has no page in the API reference")


def display(tex):
    """Display math (arithmatex turns it into typeset math)."""
    return f"\n$$\n{tex}\n$$\n"


def relation(rel, budget=None):
    """A SymPy relation (``Eq``, ``Ge`` …) or expression as LaTeX. One wider than ``budget`` (:data:`LINE`, about the
    characters of display math a 390 px phone's column holds) is broken into an ``aligned`` block: the left side on a
    line of its own when it is long, then the relation and the right side, a sum split between its terms."""
    budget = budget or LINE
    if not isinstance(rel, Relational):
        return latex(rel)
    lhs, rhs, op = latex(rel.lhs), latex(rel.rhs), _RELATIONS[rel.rel_op]
    if width(lhs) + width(rhs) + 2 <= budget:
        return f"{lhs} {op} {rhs}"
    left, right = _lines(rel.lhs, budget), _lines(rel.rhs, budget - 2)
    if len(left) == 1 and width(lhs) + width(right[0]) + 2 <= budget:
        rows = [f"{lhs} &{{}}{op} {right[0]}"]
    else:
        rows = [f"&{left[0]}"] + [rf"&\quad {line}" for line in left[1:]] + [f"&{{}}{op} {right[0]}"]
    rows += [rf"&\quad {line}" for line in right[1:]]
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def _lines(expr, budget):
    """The LaTeX of ``expr`` in lines at most ``budget`` wide, broken between the terms of a sum (a term wider than
    that gets a line of its own, which the page scrolls by itself)."""
    from sympy import Add, Derivative

    if isinstance(expr, Derivative) and isinstance(expr.expr, Add):  # d/dx (a + b + …): the sum inside, broken
        full, inner = latex(expr), latex(expr.expr)
        op = full[:full.find(r"\left(")]
        if op and full == f"{op}\\left({inner}\\right)" and width(full) > budget:
            lines = _lines(expr.expr, budget - width(op) / 2)
            return [rf"{op}\Big({lines[0]}"] + lines[1:-1] + [rf"{lines[-1]}\Big)"] if len(lines) > 1 else [full]
    lines, line = [], []
    for k, (sign, term) in enumerate(_terms(expr)):
        piece = term if k == 0 and sign == "+" else f"{sign} {term}"
        if line and width(" ".join(line)) + width(piece) > budget - 3:
            lines.append(" ".join(line))
            line = []
        line.append(piece)
    return lines + [" ".join(line)]


LINE = 26  # width units (about one average character of display math) a 390 px phone's text column holds


def _terms(expr):
    """``[(sign, LaTeX)]`` of the terms of a sum (one term for anything else), in SymPy's printing order."""
    from sympy import Add

    if not isinstance(expr, Add):
        return [("+", latex(expr))]
    out = []
    for term in expr.as_ordered_terms():
        if term.could_extract_minus_sign():
            out.append(("-", latex(-term)))
        else:
            out.append(("+", latex(term)))
    return out


_GROUPED = {"operatorname", "mathrm", "text", "mathbf", "mathit", "mathcal", "mathbb", "bar", "hat", "tilde",
            "overline", "boldsymbol", "vec", "dot"}
_SPACES = {",": 0.3, ";": 0.5, ":": 0.4, "!": 0.0, "quad": 2.0, "qquad": 4.0, " ": 0.5, "left": 0.0, "right": 0.0}


def width(tex):
    """A rough width of LaTeX ``tex`` as typeset, in average characters: a fraction as wide as the wider of its
    numerator and denominator, sub- and superscripts at 70 %, spacing commands by their size — enough to decide where
    a display equation must break, not to lay it out."""
    def group(i):  # width of the group or single token at tex[i:], and the index after it
        while i < len(tex) and tex[i] == " ":
            i += 1
        if i >= len(tex):
            return 0.0, i
        if tex[i] == "{":
            depth, j = 1, i + 1
            while j < len(tex) and depth:
                depth += {"{": 1, "}": -1}.get(tex[j], 0)
                j += 1
            return run(tex[i + 1:j - 1]), j
        if tex[i] == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            return token(m.group(1), i + m.end())
        return (1.8 if tex[i] in "+-=<>" else 1.0), i + 1

    def token(name, i):  # a command called name, its arguments from tex[i:]
        if name in ("frac", "dfrac", "tfrac", "binom"):
            a, i = group(i)
            b, i = group(i)
            return max(a, b) + 0.4, i
        if name in _GROUPED:
            return group(i)
        if name == "sqrt":
            a, i = group(i)
            return a + 1.0, i
        if name in ("left", "right"):  # the delimiter after it
            m = re.match(r"\s*(\\[A-Za-z]+|\\.|.)", tex[i:])
            return 0.6, i + m.end()
        if name in _SPACES:
            return _SPACES[name], i
        if name in ("log", "exp", "sin", "cos", "max", "min", "lim", "sup", "inf", "det", "tanh"):
            return len(name) + 0.3, i
        return (1.8 if name in ("geq", "leq", "neq", "cdot", "times", "to") else 1.0), i

    def run(text):
        nonlocal tex
        saved, tex = tex, text
        total, i = 0.0, 0
        while i < len(tex):
            if tex[i] in "^_":
                w, i = group(i + 1)
                total += 0.7 * w
            elif tex[i] in " &":
                i += 1
            else:
                w, i = group(i)
                total += w
        tex = saved
        return total

    return run(tex)


def cell_math(tex):
    """Display-style math for a Markdown table cell: a bare ``|`` would end the cell, so it is spelled ``\\vert``."""
    return "$\\displaystyle " + tex.replace(r"\|", r"\Vert ").replace("|", r"\vert ") + "$"


_RELATIONS = {"==": "=", "!=": r"\neq", ">=": r"\geq", "<=": r"\leq", ">": ">", "<": "<"}


def derivation(name, seed=0):
    """The derivation called ``name`` in :mod:`derivations.registry` as a page section: its numbered steps with their
    justifications, its results, and the outcome of its symbolic proof and numeric check — both run now; either
    failing fails the build."""
    d = registry.get(name)
    proof, check = d.prove(), d.check(np.random.default_rng(seed))
    require(proof.passed, f"derivation {d.name}: symbolic proof failed at {', '.join(proof.failures())}")
    require(check.passed, f"derivation {d.name}: numeric check failed: {check}")

    def escape(text):  # a title such as "D* = ..." must not open Markdown emphasis
        return text.replace("*", "\\*")

    def words(text):  # a step's or a claim's words, with p_data, W_l, D* set as sub- and superscripts
        return _SUB.sub(r"\1<sub>\2</sub>", escape(_SUPER.sub(r"\1<sup>∗</sup>", text)))

    out = [f'<a id="derivation-{name}"></a>**{words(d.title)}** — *{escape(d.source)}*\n']
    for i, step in enumerate(d.steps, 1):
        kind = "definition" if step.proof is None else "proved by SymPy"
        out.append(f"{i}. {words(step.justification)} ({kind})\n{_indented(display(relation(step.relation)))}")
    out.append("\n**Result**, each claim proved by SymPy:\n")
    out += [f"- {words(c.meaning)}\n{_indented(display(relation(r)))}" for c, r in zip(d.claims, d.statement())]
    out += [f"\n*Note:* {note}\n" for note in d.notes]
    out.append(f"\n{escape(check.summary())}\n")  # each check's own criterion, not a relative error of values near 0
    return "\n\n".join(out) + "\n"


# In a derivation's words: a one-letter name with a subscript (p_data, W_l, E_q) and a starred capital (D*, also
# escaping the star, which would open Markdown emphasis).
_SUB = re.compile(r"(?<![\w`])([A-Za-z])_([A-Za-z0-9]+)\b")
_SUPER = re.compile(r"(?<![\w`])([A-Z])\*")


def _indented(text):
    """``text`` as the continuation of a Markdown list item."""
    return "\n".join("    " + line if line else "" for line in text.splitlines())


def console(text):
    """A command's real output in a text block."""
    return f"```text\n{text.rstrip()}\n```\n"


def command(*argv, expect=0):
    """Run ``gancheck ARGV`` (its real entry point, :func:`gancheck.cli.main`, in this process) and show the command
    line, what it printed on standard output and its exit status; an exit status other than ``expect`` fails the
    build. Standard error (progress bars) is not shown."""
    from gancheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse's --help and usage errors exit from inside main
            status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    line = f"gancheck {shlex.join(argv)}"
    require(status == expect, f"`{line}` exited with {status}, expected {expect}: {err.getvalue()[-800:]}")
    return console(f"$ {line}\n{out.getvalue().rstrip()}\n[exit status {status}]")
