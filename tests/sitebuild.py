"""Building the documentation site for the tests: once per test run, shared by every test that reads the built site
(``tests/test_docs.py``, ``tests/test_site_browser.py``) and by both pytest-xdist workers — the first to ask builds it
under a file lock, the other waits and reuses it."""
import fcntl
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_SECONDS = 120  # the budget for building the site in CI on 2 cores


def mkdocs_build(config, site_dir):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=2 * BUILD_SECONDS)


def shared_site(base):
    """The site built from ``mkdocs.yml`` into ``base/site`` (``base``: a directory every worker of this run sees),
    built by whoever comes first. A failed build is remembered too: every test that needs the site reports the same
    error at once instead of building again."""
    site, done, failed = base / "site", base / "site.built", base / "site.failed"
    with open(base / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists() and not failed.exists():
            try:
                proc = mkdocs_build(ROOT / "mkdocs.yml", site)
                error = None if proc.returncode == 0 else f"mkdocs build --strict failed:\n{proc.stderr[-4000:]}"
            except subprocess.TimeoutExpired:
                error = f"mkdocs build --strict took more than {2 * BUILD_SECONDS} s"
            (failed if error else done).write_text(error or "built")
    if failed.exists():
        raise AssertionError(failed.read_text())
    return site
