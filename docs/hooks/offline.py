"""MkDocs hook: the site works with no network.

* MathJax 3 is shipped from the ``django-static-mathjax`` wheel (a pure-data package: MathJax's own ``es5`` build, no
  Django needed), a dependency of the ``docs`` extra — so ``pip install .[docs]`` on a clean machine brings it. We ship
  ``tex-svg-full.js``: every TeX extension built in (nothing is lazy-loaded later) and SVG output (no font files).
* After the build every HTML page is scanned: a script, stylesheet, image or frame loaded from another host (a CDN)
  fails the build. Plain ``<a href>`` links to papers are fine: they load nothing.
"""
import re
from importlib.util import find_spec
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

MATHJAX_BUILD = "tex-svg-full.js"
SITE_PATH = f"assets/mathjax/{MATHJAX_BUILD}"

# A resource fetched by the browser when the page loads, from an absolute or protocol-relative URL.
_EXTERNAL = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed|track)\b[^>]*?\bsrc\s*=\s*[\"']?(?:https?:)?//"
    r"|<link\b[^>]*?\bhref\s*=\s*[\"']?(?:https?:)?//"
    r"|url\(\s*[\"']?(?:https?:)?//"
    r"|@import\s+[\"'](?:https?:)?//",
    re.IGNORECASE,
)


def mathjax_source():
    """Path of the MathJax build inside the installed ``django-static-mathjax`` package (its module is ``mathjax``)."""
    spec = find_spec("mathjax")
    if spec is None or spec.origin is None:
        raise PluginError("MathJax is missing: install the docs extra (pip install -e '.[docs]')")
    path = Path(spec.origin).parent / "static" / "mathjax" / "es5" / MATHJAX_BUILD
    if not path.is_file():
        raise PluginError(f"MathJax build not found at {path}: reinstall django-static-mathjax")
    return path


def external_resources(html):
    """The offending fragments of ``html`` that would make a browser fetch something from another host."""
    return [m.group(0) for m in _EXTERNAL.finditer(html)]


def on_files(files, config):
    files.append(File.generated(config, SITE_PATH, abs_src_path=str(mathjax_source())))
    return files


def on_post_build(config):
    offenders = []
    for page in sorted(Path(config["site_dir"]).rglob("*.html")):
        offenders += [f"{page.relative_to(config['site_dir'])}: {frag}" for frag in external_resources(page.read_text())]
    if offenders:
        raise PluginError("the site loads resources from the network:\n  " + "\n  ".join(offenders[:20]))
