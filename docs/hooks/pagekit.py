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
import shlex
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

    out = [f'<a id="derivation-{name}"></a>**{escape(d.title)}** — *{escape(d.source)}*\n']
    for i, step in enumerate(d.steps, 1):
        kind = "definition" if step.proof is None else "proved by SymPy"
        out.append(f"{i}. {step.justification} ({kind})\n{_indented(display(relation(step.relation)))}")
    out.append("\n**Result**, each claim proved by SymPy:\n")
    out += [f"- {c.meaning}\n{_indented(display(relation(r)))}" for c, r in zip(d.claims, d.statement())]
    out += [f"\n*Note:* {note}\n" for note in d.notes]
    out.append(f"\n{escape(check.summary())}\n")  # each check's own criterion, not a relative error of values near 0
    return "\n\n".join(out) + "\n"


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
