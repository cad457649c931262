"""The project's library of submissions, materialised from data: ``tests/data/submissions/library.toml``.

Each entry describes how one submission differs from the base, ``correct.py``: its learning rate, extra imports and
top-level definitions, lines prepended to a function's body or the whole body replaced, and text substitutions that
must match exactly as often as stated — so a base that drifts fails loudly instead of quietly grading another
program. The edits are applied in that order, the substitutions last (one of them may leave a block that does not
parse, which the grader must report).
"""
import ast
import functools
import textwrap
import tomllib
from pathlib import Path

from ... import GancheckError

LIBRARY = Path(__file__).resolve().parents[3] / "tests" / "data" / "submissions"
DATA = LIBRARY / "library.toml"


@functools.cache
def _data():
    try:
        return tomllib.loads(DATA.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GancheckError(f"{DATA}: the submissions library is unreadable ({exc})") from None


def names():
    """The library's entries, sorted (the base itself is not one of them)."""
    return sorted(k for k, v in _data().items() if isinstance(v, dict))


def _top_level(text, kind, name=None):
    """The first top-level node of ``kind`` (defining ``name``, if given: a function, or an assigned variable) in the
    source ``text``."""
    for node in ast.parse(text).body:
        targets = getattr(node, "targets", ())
        defines = [node.name] if hasattr(node, "name") else [getattr(t, "id", None) for t in targets]
        if isinstance(node, kind) and (name is None or name in defines):
            return node
    raise GancheckError(f"the base has no top-level {name or 'import'}")


def _splice(text, first, last, new, indent=""):
    """Lines ``first..last`` (1-based, inclusive; ``last = first - 1`` inserts) replaced by ``new``, indented."""
    lines = text.splitlines(keepends=True)
    block = textwrap.indent(new, indent)
    lines[first - 1:last] = [block if block.endswith("\n") else block + "\n"]
    return "".join(lines)


def _substitute(text, old, new, count=1):
    found = text.count(old)
    if found != count:
        raise GancheckError(f"{old!r} should occur {count} time(s) in the base, found {found}")
    return text.replace(old, new)


def text(name, alpha=None):
    """The source of submission ``name`` (``"correct"`` is the base as it is); ``alpha`` overrides its learning rate."""
    data = _data()
    base = (LIBRARY / data["base"]).read_text()
    if name != Path(data["base"]).stem and name not in names():
        raise GancheckError(f"no submission {name!r} in {DATA} (known: {', '.join(names())})")
    entry = data.get(name, {})
    try:
        alpha = entry.get("alpha") if alpha is None else alpha
        if alpha is not None:
            line = _top_level(base, ast.Assign, "alpha").lineno
            base = _splice(base, line, line, f"alpha = {alpha}")
        if entry.get("imports"):
            line = _top_level(base, (ast.Import, ast.ImportFrom)).lineno
            base = _splice(base, line, line - 1, "\n".join(f"import {m}" for m in entry["imports"]))
        if "definitions" in entry:
            line = _top_level(base, ast.FunctionDef).lineno
            base = _splice(base, line, line - 1, entry["definitions"].strip("\n") + "\n\n\n")
        for function, lines in entry.get("prepend", {}).items():
            first = _top_level(base, ast.FunctionDef, function).body[0]
            base = _splice(base, first.lineno, first.lineno - 1, lines, " " * first.col_offset)
        for function, body in entry.get("bodies", {}).items():
            node = _top_level(base, ast.FunctionDef, function)
            base = _splice(base, node.body[0].lineno, node.end_lineno, body, " " * node.body[0].col_offset)
        for old, new, *count in entry.get("replace", []):
            base = _substitute(base, old, new, *count)
        if "what" in entry:
            base = _substitute(base, data["claim"], entry["what"])
    except GancheckError as exc:
        raise GancheckError(f"{DATA}, [{name}]: {exc}") from None
    return base


def materialise(name, directory):
    """Write submission ``name`` as ``directory/<name>.py`` and return its path."""
    path = Path(directory) / f"{name}.py"
    path.write_text(text(name))
    return path
