"""What the site build ships for students, read from the built files: Pyodide and the byte-compiled wheels exactly as
pinned, figure captions whose commands and downloads are real, the scrubbers' snapshots, a useful 404 page, the
References and Glossary anchors, and a search index in plain text."""
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

import browser_python  # noqa: E402
import citations  # noqa: E402
import scrub  # noqa: E402

pytestmark = pytest.mark.xdist_group("site")  # with the other tests of the built site: one worker builds it once


def html_pages(site):
    return sorted(site.rglob("*.html"))


def test_pyodide_and_the_wheels_are_the_pinned_ones(built_site):
    shipped = built_site / browser_python.PYODIDE_DIR
    for name, cached in browser_python.pyodide_files().items():
        assert (shipped / name).read_bytes() == cached.read_bytes(), name
    assert (shipped / "pyodide.asm.wasm").read_bytes()[:4] == b"\0asm"
    manifest = json.loads((built_site / browser_python.CHECKER_DIR / "manifest.json").read_text())
    assert manifest["pyodide"] == browser_python.PINS["pyodide"]["version"]
    for name in manifest["packages"]:  # byte-compiled: .pyc files, no sources, no test suites
        import zipfile

        with zipfile.ZipFile(shipped / name) as archive:
            names = archive.namelist()
        assert any(n.endswith(".pyc") for n in names) and not any(n.endswith(".py") for n in names)
        assert not any("/tests/" in n for n in names)
    for rel in manifest["files"]:
        assert (built_site / browser_python.CHECKER_DIR / "src" / rel).read_bytes() == (ROOT / rel).read_bytes()


def test_every_experiment_figure_says_how_to_reproduce_it(built_site):
    from gancheck.experiments import EXPERIMENTS

    seen = set()
    for page in html_pages(built_site):
        html = page.read_text()
        for name in re.findall(r"Reproduce: <code>gancheck experiment ([\w-]+) --variant fast --seed 0</code>", html):
            assert name in EXPERIMENTS
            seen.add(name)
        for href in re.findall(r'<a href="([^"]+)" download>', html):
            assert (page.parent / href).resolve().is_file(), f"{page}: {href}"
    used = {m for page in (ROOT / "docs").glob("*.md")
            for m in re.findall(r'pagekit\.experiment\("([\w-]+)"\)', page.read_text())}
    assert seen <= used and len(seen) >= 5  # the experiments' figures on the pages, each with its command


def test_the_scrubbers_snapshots(built_site):
    for name, run in scrub.RUNS.items():
        data = json.loads((built_site / "assets/figures" / f"scrub-{name}.json").read_text())
        assert [f["step"] for f in data["frames"]] == list(run["steps"])
        assert all(len(f["fake"]) == scrub.POINTS for f in data["frames"])
        assert len(data["losses"]["d_loss"]) == len(data["loss_step"]) <= scrub.LOSS_POINTS
        assert data["loss_step"][-1] <= run["steps"][-1]
    assert 'class="gc-scrub"' in (built_site / "training/index.html").read_text()
    assert 'class="gc-scrub"' in (built_site / "failure-modes/index.html").read_text()


def test_the_404_page_lists_every_page(built_site):
    html = (built_site / "404.html").read_text()
    for page in ("/training/", "/failure-modes/", "/glossary/", "/references/", "/reference/gancheck/"):
        assert f'href="{page}"' in html, page
    assert 'id="gc-search"' in html


def test_references_and_glossary_have_their_anchors(built_site):
    refs = (built_site / "references/index.html").read_text()
    assert all(f'id="{key}"' in refs for key in citations.REFERENCES)
    glossary = (built_site / "glossary/index.html").read_text()
    assert all(f'id="{key}"' in glossary for key in citations.GLOSSARY)
    assert "[@" not in "".join(visible for page in html_pages(built_site)
                               for visible in [re.sub(r"<(pre|code)\b.*?</\1>", "", page.read_text(), flags=re.S)])


def test_search_index_is_plain_text_and_knows_both_spellings(built_site):
    index = json.loads((built_site / "search/search_index.json").read_text())
    for doc in index["docs"]:
        outside_code = re.sub(r"<code>.*?</code>", "", doc["title"] + doc["text"], flags=re.S)
        assert not re.search(r"\\\(|\\\[|\\frac|\\mathrm|\\log", outside_code), doc["location"]
    vae = [d for d in index["docs"] if d["location"].startswith("vae/")]
    assert any("reparameterisation" in d["text"] and "reparameterization" in d["text"] for d in vae)


NARRATIVE = ("", "information/", "game/", "training/")  # the pages whose links to the API reference are checked


def test_links_from_the_pages_to_anchors_resolve(built_site):
    """Every link from a narrative page to an anchor of another page of the site (the API reference's entries,
    the glossary's terms, the references) lands on an element with that id."""
    checked = 0
    for page in NARRATIVE:
        html = (built_site / page / "index.html").read_text()
        for href in re.findall(r'href="([^"#:]*/)#([^"]+)"', html):
            target = (built_site / page / href[0]).resolve() / "index.html"
            assert target.is_file(), (page, href)
            assert f'id="{href[1]}"' in target.read_text(), (page, href)
            checked += 1
    assert checked >= 20  # the pages do link to the glossary and to the API reference
