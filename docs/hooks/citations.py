"""MkDocs hook: the site's two shared lists, a bibliography and a glossary, each with stable anchors.

* ``references.toml`` → the References page (``<!-- gancheck:references -->`` in ``docs/references.md``): one entry
  per key at ``references/#KEY``, with the pages that cite it. A page cites with ``[@key]``, ``[@key, §3]`` or
  ``[@a; @b]``, which becomes a link reading the entry's label; an unknown key fails the build.
* ``glossary.toml`` → the Glossary page (``<!-- gancheck:glossary -->`` in ``docs/glossary.md``): one entry per term
  at ``glossary/#ID``. Pages link to it with plain Markdown links (``[EMA](glossary.md#ema)``), which MkDocs checks
  (``validation.anchors`` in ``mkdocs.yml``); every page also gets ``abbr`` definitions, so each use of a term's
  abbreviation carries its one-line meaning as a tooltip.

Code (fenced blocks and inline code) is left alone: ``[@x]`` inside a listing stays as written.
"""
import posixpath
import re
import tomllib
from pathlib import Path

from mkdocs.exceptions import PluginError

HERE = Path(__file__).parent
REFERENCES = tomllib.loads((HERE / "references.toml").read_text())
GLOSSARY = tomllib.loads((HERE / "glossary.toml").read_text())
REFERENCES_PAGE, GLOSSARY_PAGE = "references.md", "glossary.md"

_CODE = re.compile(r"^[ \t]*(```+|~~~+).*?^[ \t]*\1[ \t]*$|`[^`\n]+`", re.S | re.M)
_CITE = re.compile(r"\[(@[\w-]+[^\]\n]*)\]")
_ONE = re.compile(r"\s*@([\w-]+)\s*(?:,\s*(.+?))?\s*$")
_cited = {}  # key → [(page title, src_uri)], filled in on_nav, before any page renders


def _outside_code(markdown, fn):
    """``markdown`` with ``fn`` applied to every stretch that is not code."""
    out, last = [], 0
    for m in _CODE.finditer(markdown):
        out += [fn(markdown[last:m.start()]), m.group(0)]
        last = m.end()
    return "".join(out + [fn(markdown[last:])])


def citations(text):
    """``[(key, locator or None)]`` of every citation in ``text`` (outside code), in order."""
    found = []
    _outside_code(text, lambda part: found.extend(
        (_parse(c) for m in _CITE.finditer(part) for c in m.group(1).split(";"))) or part)
    return found


def _parse(one):
    m = _ONE.match(one)
    if not m:
        raise PluginError(f"malformed citation {one!r}: write [@key], [@key, §3] or [@a; @b]")
    return m.group(1), m.group(2)


def _link(key, locator, src_uri):
    if key not in REFERENCES:
        raise PluginError(f"{src_uri}: unknown reference [@{key}]; known: {', '.join(REFERENCES)}")
    target = posixpath.relpath(REFERENCES_PAGE, posixpath.dirname(src_uri) or ".")
    label = REFERENCES[key]["label"] + (f", {locator}" if locator else "")
    return f"[{label}]({target}#{key}){{.gc-cite}}"


def cite(markdown, src_uri):
    """``markdown`` with each ``[@key …]`` outside code replaced by links to the References page."""
    def replace(part):
        return _CITE.sub(lambda m: "; ".join(_link(*_parse(c), src_uri) for c in m.group(1).split(";")), part)
    return _outside_code(markdown, replace)


def bibliography(cited):
    """The References page's list, in Markdown (``md_in_html``): authors, year, title, venue, link, cited on."""
    out = []
    for key, r in sorted(REFERENCES.items(), key=lambda kv: (kv[1]["authors"], kv[1]["year"])):
        pages = sorted(set(cited.get(key, ())))
        where = (" Cited on " + ", ".join(f"[{title}]({uri})" for title, uri in pages) + ".") if pages else ""
        out.append(f'<p class="gc-ref" id="{key}" markdown>**{r["label"]}.** {r["authors"]} ({r["year"]}). '
                   f'*{r["title"]}.* {r["venue"]}. [{r["id"]}]({r["url"]}).{where}</p>\n')
    return "\n".join(out)


def glossary():
    """The Glossary page's entries, in Markdown (``md_in_html``), in alphabetical order of the terms."""
    out = ['<dl class="gc-glossary" markdown="1">']
    for key, g in sorted(GLOSSARY.items(), key=lambda kv: kv[1]["term"].lower()):
        out.append(f'<dt id="{key}">{g["term"]}</dt>\n<dd markdown="block">\n\n{g["text"]}\n\n</dd>')
    return "\n".join(out + ["</dl>\n"])


def abbreviations():
    """``abbr`` definitions for every term that has an abbreviation (and for the plain one-word terms)."""
    lines = []
    for g in GLOSSARY.values():
        abbr = g.get("abbr") or (g["term"] if " " not in g["term"] and "(" not in g["term"] else None)
        if abbr:
            lines.append(f"*[{abbr}]: {g['short']}")
    return "\n".join(lines)


def on_nav(nav, config, files):
    _cited.clear()
    for page in nav.pages:
        text = page.file.content_string + (glossary() if page.file.src_uri == GLOSSARY_PAGE else "")
        for key, _ in citations(text):
            _cited.setdefault(key, []).append((page.title or page.file.src_uri, page.file.src_uri))
    return nav


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    markdown = cite(markdown, src)
    if src == REFERENCES_PAGE:
        markdown = _fill(markdown, "references", bibliography(_cited), src)
    if src == GLOSSARY_PAGE:
        return _fill(markdown, "glossary", cite(glossary(), src), src)
    return markdown + "\n\n" + abbreviations() + "\n"


def _fill(markdown, what, content, src):
    marker = f"<!-- gancheck:{what} -->"
    if marker not in markdown:
        raise PluginError(f"{src} must contain {marker}")
    return markdown.replace(marker, content)
