"""MkDocs hook: what the pages' executed blocks need before the first page renders.

* ``docs/hooks`` goes on ``sys.path`` so that the blocks can ``import pagekit``.
* Every experiment a page asks for (``pagekit.experiment("name")``) and the training snapshots of every scrubber
  (``scrub.widget("name")``) start as soon as the pages are known, in worker processes, so that they run side by side
  while the pages render (see :func:`pagekit.prefetch`).
* Figures' PNG and JSON files are written into the site being built (``pagekit.OUTPUT``); the links to them are
  made relative to each page here.
"""
import re
import sys
from pathlib import Path

from mkdocs.utils import get_relative_url

HOOKS_DIR = str(Path(__file__).parent)
_JOB = re.compile(r'pagekit\.experiment\("([\w-]+)"\)|scrub\.widget\("([\w-]+)"')


def on_config(config):
    if HOOKS_DIR not in sys.path:
        sys.path.insert(0, HOOKS_DIR)
    return config


def on_pre_build(config):
    import pagekit

    pagekit.OUTPUT = config["site_dir"]


def on_files(files, config):
    """The jobs start in the order MkDocs reads the pages (``files.documentation_pages()``: the index, then
    alphabetical), then order on the page: the pool works on what the renderer needs next, never on a later page's
    experiment while the renderer waits for an earlier one."""
    import pagekit
    import scrub

    pagekit.prefetch([(pagekit._fast, m.group(1)) if m.group(1) else (scrub.frames, m.group(2))
                      for f in files.documentation_pages() if f.abs_src_path
                      for m in _JOB.finditer(Path(f.abs_src_path).read_text())])
    return files


def on_page_content(html, page, config, files):
    import pagekit

    root = get_relative_url(".", page.url)  # from the page to the site's root, e.g. "../"
    return html.replace(f'"{pagekit.SITE_URL}', f'"{root.rstrip("/")}/' if root != "." else '"')
