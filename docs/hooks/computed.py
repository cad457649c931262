"""MkDocs hook: what the pages' executed blocks need before the first page renders.

* ``docs/hooks`` goes on ``sys.path`` so that the blocks can ``import pagekit``.
* Every experiment a page asks for (``pagekit.experiment("name")``) and the training snapshots of every scrubber
  (``scrub.widget("name")``) start now in worker processes, so that they run side by side while the pages render
  (see :func:`pagekit.prefetch`).
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
    import scrub

    pagekit.OUTPUT = config["site_dir"]
    # In the order the pages need them (nav order, then order on the page): the pool works ahead of the renderer.
    docs = Path(config["docs_dir"])
    order = {name: i for i, name in enumerate(_nav_files(config["nav"] or []))}
    pages = sorted(docs.rglob("*.md"), key=lambda p: order.get(p.relative_to(docs).as_posix(), len(order)))
    pagekit.prefetch([(pagekit._fast, m.group(1)) if m.group(1) else (scrub.frames, m.group(2))
                      for page in pages for m in _JOB.finditer(page.read_text())])


def _nav_files(items):
    for item in items:
        for value in (item.values() if isinstance(item, dict) else [item]):
            yield from _nav_files(value) if isinstance(value, list) else [value]


def on_page_content(html, page, config, files):
    import pagekit

    root = get_relative_url(".", page.url)  # from the page to the site's root, e.g. "../"
    return html.replace(f'"{pagekit.SITE_URL}', f'"{root.rstrip("/")}/' if root != "." else '"')
