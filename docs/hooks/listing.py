"""What a page shows of the package's code: the lines of its functions that carry the mathematics.

The narrative typesets a function's formula itself, so a listing leaves the docstring out (its raw reST math would
only repeat it, untypeset) and links the API reference, where the docstring is rendered in full.
"""
import ast
import inspect
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _body(obj):
    """``(lines, first line number)`` of ``obj``'s source without its docstring."""
    lines, start = inspect.getsourcelines(obj)
    node = ast.parse(textwrap.dedent("".join(lines))).body[0]
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines = lines[:first.lineno - 1] + lines[first.end_lineno:]
    return "".join(lines).rstrip(), start


def code(*objs):
    """The functions ``objs`` (all from one file) without their docstrings, as one fenced block titled with the file,
    followed by links to the entries of those with a docstring in the API reference (resolved by mkdocs-autorefs: an
    unknown name fails the strict build)."""
    paths = {Path(inspect.getsourcefile(obj)).resolve().relative_to(ROOT) for obj in objs}
    if len(paths) != 1:
        raise ValueError(f"one listing shows one file, not {sorted(map(str, paths))}")
    parts = [_body(obj) for obj in objs]
    where = ", ".join(str(start) for _, start in parts)
    links = ", ".join(f"[`{obj.__qualname__}`][{obj.__module__}.{obj.__qualname__}]" for obj in objs
                      if inspect.getdoc(obj))  # the reference renders only what has a docstring
    return (f'```python title="{paths.pop()}, from line{"s" if len(objs) > 1 else ""} {where}"\n'
            + "\n\n\n".join(body for body, _ in parts) + "\n```\n\n"
            f"<small>Formulas, sources and parameters in the API reference: {links}.</small>\n")
