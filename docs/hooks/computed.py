"""MkDocs hook: what the pages' executed blocks need before the first page renders.

* ``docs/hooks`` goes on ``sys.path`` so that the blocks can ``import pagekit``.
* Every experiment a page asks for (``pagekit.experiment("name")``) starts now in worker processes, so the
  experiments run side by side while the pages render (see :func:`pagekit.prefetch`).
"""
import re
import sys
from pathlib import Path

HOOKS_DIR = str(Path(__file__).parent)
_EXPERIMENT = re.compile(r'pagekit\.experiment\("([\w-]+)"\)')


def on_config(config):
    if HOOKS_DIR not in sys.path:
        sys.path.insert(0, HOOKS_DIR)
    return config


def on_pre_build(config):
    import pagekit

    names = {m for page in Path(config["docs_dir"]).rglob("*.md") for m in _EXPERIMENT.findall(page.read_text())}
    pagekit.prefetch(sorted(names))
