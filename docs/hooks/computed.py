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
_EXPERIMENT = re.compile(r'pagekit\.experiment\("([\w-]+)"\)')
_SCRUBBER = re.compile(r'scrub\.widget\("([\w-]+)"')


def on_config(config):
    if HOOKS_DIR not in sys.path:
        sys.path.insert(0, HOOKS_DIR)
    return config


def on_pre_build(config):
    import pagekit

    pagekit.OUTPUT = config["site_dir"]
    import scrub

    pages = [page.read_text() for page in Path(config["docs_dir"]).rglob("*.md")]
    jobs = {(scrub.frames, m) for text in pages for m in _SCRUBBER.findall(text)}  # the longest first
    jobs |= {(pagekit._fast, m) for text in pages for m in _EXPERIMENT.findall(text)}
    pagekit.prefetch(sorted(jobs, key=lambda job: (job[0] is not scrub.frames, job[1])))


def on_page_content(html, page, config, files):
    import pagekit

    root = get_relative_url(".", page.url)  # from the page to the site's root, e.g. "../"
    return html.replace(f'"{pagekit.SITE_URL}', f'"{root.rstrip("/")}/' if root != "." else '"')
