"""What a page shows of the package's code: the lines of a function that carry its mathematics.

The narrative typesets a function's formula itself, so the listing leaves the docstring out (its raw reST math would
only repeat it, untypeset) and links the API reference, where the docstring is rendered in full.
"""
import ast
import inspect
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def code(obj):
    """``obj``'s source without its docstring, as a fenced block titled with its file and first line, followed by a
    link to its entry in the API reference (resolved by mkdocs-autorefs; an unknown name fails the strict build)."""
    lines, start = inspect.getsourcelines(obj)
    node = ast.parse(textwrap.dedent("".join(lines))).body[0]
    first = node.body[0] if node.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines = lines[:first.lineno - 1] + lines[first.end_lineno:]
    path = Path(inspect.getsourcefile(obj)).resolve().relative_to(ROOT)
    name = f"{obj.__module__}.{obj.__qualname__}"
    return (f'```python title="{path}, from line {start}"\n{"".join(lines).rstrip()}\n```\n\n'
            f"<small>Formula, source and parameters: [`{obj.__qualname__}`][{name}] in the API reference.</small>\n")
