r"""Griffe extension for the API reference: the package's docstrings write math the reStructuredText way
(``.. math::`` blocks and ``:math:`…``` roles, as numpy-ml does); the site's Markdown needs ``$$ … $$`` and ``$ … $``
for pymdownx.arithmatex. Cross-reference roles (``:func:`x```, ``:mod:`x``` …) become code spans.

The docstrings themselves are left as they are in the source; only the copy griffe hands to mkdocstrings changes.
"""
import re

import griffe

_ROLE_MATH = re.compile(r":math:`([^`]+)`")
_ROLE_REF = re.compile(r":(?:func|class|mod|meth|data|attr|obj|exc):`~?([^`]+)`")
_DIRECTIVE = re.compile(r"^(\s*)\.\. math::\s*(.*)$")


def _indent(line):
    return len(line) - len(line.lstrip())


def rst_math_to_markdown(text):
    """``text`` with every ``.. math::`` block turned into ``$$`` display math and every role rewritten."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        pad, body = m.group(1), [m.group(2)] if m.group(2).strip() else []
        i += 1
        # The block goes on while lines are indented deeper than the directive (blank lines inside are kept).
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > len(pad)):
            body.append(lines[i].strip())
            i += 1
        while body and not body[-1]:
            body.pop()
        out += ["", f"{pad}$$", *(f"{pad}{b}" for b in body if b), f"{pad}$$", ""]
    text = "\n".join(out)
    return _ROLE_REF.sub(r"`\1`", _ROLE_MATH.sub(r"$\1$", text))


class RstMath(griffe.Extension):
    def on_object(self, *, obj, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = rst_math_to_markdown(obj.docstring.value)
