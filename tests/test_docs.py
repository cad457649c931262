"""The documentation site: `mkdocs build --strict` succeeds, ships its own MathJax, loads nothing from the network,
shows every page's math and computed results, and fails when a check on a page fails."""
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

import offline  # noqa: E402
from rst_math import rst_math_to_markdown  # noqa: E402
from sitebuild import mkdocs_build  # noqa: E402


pytestmark = pytest.mark.xdist_group("site")  # with the other tests of the built site: one worker builds it once


@pytest.fixture
def site(built_site):
    return built_site


def pages(site):
    return sorted(p for p in site.rglob("index.html"))


def visible_text(html):
    """The page's HTML without code listings and without the math that MathJax will typeset."""
    html = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", html, flags=re.S)
    return re.sub(r'<(span|div) class="arithmatex">.*?</\1>', "", html, flags=re.S)


def nav_pages():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())

    def walk(items):
        for item in items:
            for value in item.values():
                yield from walk(value) if isinstance(value, list) else [value]
    return list(walk(config["nav"]))


def built(site, md):
    stem = md.removesuffix(".md")
    return site / ("index.html" if stem == "index" else f"{stem}/index.html")


def test_every_nav_page_is_built(site):
    for md in nav_pages():
        assert built(site, md).is_file(), md


def test_mathjax_is_served_by_the_site_itself(site):
    shipped = site / offline.SITE_PATH
    assert shipped.stat().st_size > 1_000_000  # the real MathJax build, not a placeholder
    assert shipped.read_bytes() == offline.mathjax_source().read_bytes()
    for page in pages(site):
        scripts = re.findall(r'<script src="([^"]+)"', page.read_text())
        assert any(s.endswith(offline.SITE_PATH) and "//" not in s for s in scripts), page


def test_no_page_loads_anything_from_the_network(site):
    for page in pages(site):
        assert offline.external_resources(page.read_text()) == [], page


def test_external_resource_detector():
    assert offline.external_resources('<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js">')
    assert offline.external_resources("<link rel='stylesheet' href='//fonts.googleapis.com/css?family=Roboto'>")
    assert offline.external_resources("<style>@import 'https://x.org/a.css';</style>")
    assert offline.external_resources('<div style="background: url(http://x.org/a.png)">')
    assert offline.external_resources('<a href="https://arxiv.org/abs/1406.2661">paper</a>') == []
    assert offline.external_resources('<script src="../assets/mathjax/tex-svg-full.js">') == []


def test_no_raw_math_outside_math_and_code(site):
    for page in pages(site):
        text = visible_text(page.read_text())
        for raw in ("$$", r"\frac", r"\sum", ":math:", ".. math::"):
            assert raw not in text, f"{page}: raw {raw!r}"


@pytest.mark.parametrize("md, figures, tables, derivations", [
    ("information.md", 1, 2, 4),
    ("game.md", 2, 3, 5),
    ("training.md", 4, 5, 6),
    ("failure-modes.md", 3, 3, 1),
    ("wgan.md", 1, 2, 5),
    ("vae.md", 1, 1, 3),
    ("homework.md", 0, 2, 0),
    ("dcgan.md", 1, 3, 1),
])
def test_pages_show_computed_results(site, md, figures, tables, derivations):
    html = built(site, md).read_text()
    assert html.count('class="gc-figure"') == figures
    assert html.count("<table>") >= tables
    assert html.count("Numeric check of the results:") == derivations  # each derivation proved and checked
    assert 'class="arithmatex"' in html
    assert "Traceback" not in html


def test_every_registered_derivation_is_on_the_site(site):
    from derivations import registry

    html = "".join(page.read_text() for page in pages(site))
    missing = [name for name in registry.names() if f'id="derivation-{name}"' not in html]
    assert missing == []


def test_commands_shown_are_real_runs(site):
    """The home and homework pages show the CLI's own output, each with the exit status the build required."""
    home, homework = built(site, "index.md").read_text(), built(site, "homework.md").read_text()
    assert "$ gancheck --help" in home and "check-formula" in home
    for shown in ("$ gancheck check-formula D.z_bar", "$ gancheck check-sheet", "$ gancheck grade", "diagnosis:",
                  "counterexample:", "[exit status 1]"):
        assert shown in homework, shown


def test_figures_are_inline_svg(site):
    html = built(site, "training.md").read_text()
    for src in re.findall(r'<figure class="gc-figure"><img alt="[^"]*" src="([^"]+)"', html):
        assert src.startswith("data:image/svg+xml;base64,") and len(src) > 2000


@pytest.mark.parametrize("block, message", [
    ('pagekit.require(1 + 1 == 3, "arithmetic is broken")', "arithmetic is broken"),
    ('pagekit.experiment("no-such-experiment")', "unknown experiment 'no-such-experiment'"),  # fails in a worker
])
def test_a_failing_check_or_experiment_fails_the_build(tmp_path, block, message):
    """A page whose executed block fails a check, or whose experiment raises, must stop `mkdocs build --strict`."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(f'# broken\n\n```python exec="on"\nimport pagekit\n{block}\n```\n')
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config.update(docs_dir=str(docs), nav=["index.md"], hooks=[str(ROOT / h) for h in config["hooks"]])
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config.pop("exclude_docs")
    config["extra_css"] = config["extra_javascript"] = []
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    proc = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert proc.returncode != 0
    assert message in proc.stderr


def test_rst_math_becomes_arithmatex_markdown():
    doc = ("Loss :math:`L = \\frac1N` see :func:`gancheck.losses.bce_logits`.\n\n"
           ".. math:: a = b,\n          c = d\n\nAfter.")
    assert rst_math_to_markdown(doc) == ("Loss $L = \\frac1N$ see `gancheck.losses.bce_logits`.\n\n"
                                         "\n$$\na = b,\nc = d\n$$\n\nAfter.")
    indented = "Text:\n\n    .. math::\n\n        x^2\n\n    more"
    assert rst_math_to_markdown(indented) == "Text:\n\n\n    $$\n    x^2\n    $$\n\n    more"
