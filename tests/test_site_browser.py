"""The built site in a real browser (Debian's Chromium driven by Playwright), served from localhost with every other
host unreachable: each page opens without a console error, loads nothing from elsewhere, shows every figure, and does
not scroll sideways on a 390 px phone; an answer box gives ✗ with a counterexample for a wrong formula and ✓ for a
right one, running Python in the browser.

The answer-box test runs twice: with a test fixture standing in for gancheck's browser checker
(``tests/data/browser/fixture_checker.py``, served by this test in place of the site's checker manifest — the site
itself never ships it), so that the plumbing is tested end to end; and with the real
:mod:`gancheck.homework.formulas.browser`, which every build must ship.

Timings of the checker (load to first verdict, later verdicts) are measured by ``benchmarks/bench_site.py``, not here.
"""
import functools
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Flags under which Chromium runs headless here; without the background-networking ones it keeps trying to reach
# Google's hosts. --host-resolver-rules makes every host but localhost unresolvable: a page that needs the network
# fails visibly instead of quietly using it.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
PHONE = {"width": 390, "height": 844}
FIXTURE = "tests/data/browser/fixture_checker.py"
CHECK_TIMEOUT_MS = 120_000  # loading Python on a loaded 2-core CI machine; the benchmark measures the real times

pytestmark = pytest.mark.xdist_group("site")  # with the other tests of the built site: one worker builds it once


class _Handler(SimpleHTTPRequestHandler):
    overlay = {}  # URL path → bytes served instead of the site's file

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = self.overlay.get(self.path.split("?")[0])
        if body is None:
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(self.path))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server:
    """The site over HTTP on 127.0.0.1 (a worker script and WebAssembly need http://, not file://)."""

    def __init__(self, site, overlay=None):
        handler = type("Handler", (_Handler,), {"overlay": overlay or {}})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is not at {CHROMIUM}: `apt-get install -y chromium` (.ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(built_site):
    s = Server(built_site)
    yield s
    s.close()


class Watched:
    """A page whose console errors, uncaught exceptions, failed requests and requests to other hosts are recorded."""

    def __init__(self, context, base):
        context.set_default_timeout(90_000)  # a long page typesets slowly on a loaded 2-core machine
        self.page, self.base, self.errors, self.foreign = context.new_page(), base, [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("requestfailed", self._failed)
        context.on("request", self._request)  # the context also sees requests of the page's workers

    def _failed(self, request):
        # ERR_ABORTED is the browser cancelling a request because the test moved on (the checker's worker was still
        # loading when the next page opened): not a missing or broken resource, which fails with its own error
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed: {request.url} {request.failure}")

    def _request(self, request):
        if not re.match(r"(data|blob):", request.url) and not request.url.startswith(self.base):
            self.foreign.append(request.url)

    def open(self, path):
        self.page.goto(self.base + path, wait_until="load")
        # MathJax typesets after load: measure widths on the typeset page
        self.page.wait_for_function("!window.MathJax || (MathJax.startup && MathJax.startup.promise)")
        self.page.evaluate("window.MathJax ? MathJax.startup.promise : null")
        return self.page


def site_pages(site):
    """Every page of the built site, as URL paths, and the 404 page."""
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return [p.removesuffix("index.html") for p in paths if not p.startswith("assets/")] + ["404.html"]


def test_every_page_in_a_phone_browser(built_site, browser, server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    watched = Watched(context, server.url)
    problems = []
    for path in site_pages(built_site):
        before = len(watched.errors)
        page = watched.open(path)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide = page.evaluate("""() => {  // the outermost elements that stick out, to say what to fix
                const out = e => e.getBoundingClientRect().right > window.innerWidth + 1;
                return [...document.querySelectorAll('body *')].filter(e => out(e) && !out(e.parentElement))
                    .slice(0, 3).map(e => `${e.tagName}.${e.getAttribute('class')}: ${e.textContent.slice(0, 60)}`);
            }""")
            problems.append(f"{path}: scrolls sideways at 390 px ({widths[0]} px wide): {wide}")
        broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0))"
                               ".map(i => i.alt || i.src.slice(0, 80))")
        if broken:
            problems.append(f"{path}: figures not loaded: {broken}")
        problems += [f"{path}: {e}" for e in watched.errors[before:]]
    context.close()
    assert watched.foreign == [], f"requests to other hosts: {watched.foreign[:10]}"
    assert problems == []


def test_pages_are_checked_at_all(built_site):
    """The list above is the real site: the narrative pages, the API reference and the 404 page."""
    pages = site_pages(built_site)
    assert {"", "training/", "failure-modes/", "404.html"} <= set(pages) and len(pages) >= 12


def exercise_page(site, quantity):
    for path in site_pages(site)[:-1]:
        if f'data-quantity="{quantity}"' in (site / path / "index.html").read_text():
            return path
    pytest.fail(f"no page has an exercise on {quantity}")


def answer(page, form, expression):
    form.locator("input").fill(expression)
    form.locator("button").click()
    page.wait_for_function("f => f.classList.contains('gc-answer--busy') === false && "
                           "!f.querySelector('.gc-verdict').hidden", arg=form.element_handle(),
                           timeout=CHECK_TIMEOUT_MS)
    verdict = form.locator(".gc-verdict")
    return verdict.get_attribute("class"), verdict.inner_text()


def check_exercise(site, browser, overlay, wrong, right):
    server = Server(site, overlay)
    try:
        context = browser.new_context(viewport=PHONE)
        watched = Watched(context, server.url)
        page = watched.open(exercise_page(site, "D.z_bar"))
        form = page.locator('form.gc-answer[data-quantity="D.z_bar"]').first
        form.scroll_into_view_if_needed()
        cls, text = answer(page, form, wrong)
        assert "gc-verdict--not-equivalent" in cls and "✗" in text, text
        assert re.search(r"counterexample: at .*yours .*correct", text), text
        cls, text = answer(page, form, right)
        assert "gc-verdict--equivalent" in cls and "✓" in text, text
        assert "counterexample" not in text
        assert watched.errors == [] and watched.foreign == []
        context.close()
    finally:
        server.close()


def test_answer_box_with_the_test_fixture_checker(built_site, browser):
    manifest = json.loads((built_site / "assets/checker/manifest.json").read_text())
    manifest.update(module="tests.data.browser.fixture_checker", files=[FIXTURE])
    overlay = {"/assets/checker/manifest.json": json.dumps(manifest).encode(),
               f"/assets/checker/src/{FIXTURE}": (ROOT / FIXTURE).read_bytes()}
    check_exercise(built_site, browser, overlay, "(t - y)/N", "(y - t)/N")


def test_answer_box_with_the_real_checker(built_site, browser):
    manifest = json.loads((built_site / "assets/checker/manifest.json").read_text())
    # The site ships gancheck's own checker: a build without it is a broken site, not a reason to skip
    assert manifest["module"] == "gancheck.homework.formulas.browser", manifest["module"]
    check_exercise(built_site, browser, None, "(t - y)/N", "(y - t)/N")


def test_the_fixture_is_not_shipped(built_site):
    assert not list(built_site.rglob("fixture_checker.py"))
    assert "fixture" not in (built_site / "assets/checker/manifest.json").read_text()


def test_search_finds_the_other_spelling_in_plain_text(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    watched = Watched(context, server.url)
    page = watched.open("?q=reparameterization")  # Material opens its search with the query of ?q=
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    results = page.locator(".md-search-result__item")
    links = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
    assert any("/vae/" in href for href in links), links
    text = page.inner_text(".md-search-result")
    assert "\\(" not in text and "\\frac" not in text and "reparameterisation" in text
    assert watched.errors == []
    context.close()


def test_dark_scheme_keeps_math_and_figures_readable(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme="dark")
    watched = Watched(context, server.url)
    page = watched.open("training/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    luminance = page.evaluate("""s => { const [r, g, b] = getComputedStyle(document.querySelector(s)).color
        .match(/\\d+/g).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }""", "mjx-container")
    assert luminance > 0.6  # MathJax's SVG draws in currentColor: light ink on the dark page
    backgrounds = page.evaluate("[...document.querySelectorAll('.gc-figure img, .gc-scrub canvas')]"
                                ".map(e => getComputedStyle(e).backgroundColor)")
    assert backgrounds and set(backgrounds) == {"rgb(255, 255, 255)"}  # matplotlib's dark ink on a light card
    assert watched.errors == []
    context.close()


@pytest.mark.parametrize("path, first, last", [("training/", 1, 10_000), ("failure-modes/", 1, 3_000)])
def test_the_training_scrubber_moves_through_its_snapshots(browser, server, path, first, last):
    context = browser.new_context(viewport=PHONE)
    watched = Watched(context, server.url)
    page = watched.open(path)
    figure = page.locator("figure.gc-scrub").first
    figure.scroll_into_view_if_needed()
    page.wait_for_selector("figure.gc-scrub--ready")
    label = figure.locator("output")
    assert label.inner_text() == f"step {last:,} of {last:,}"
    before = figure.locator("canvas").first.evaluate("c => c.toDataURL()")
    figure.locator("input[type=range]").fill("0")
    assert label.inner_text() == f"step {first:,} of {last:,}"
    painted = figure.locator("canvas").evaluate_all("""cs => cs.map(c => { const d = c.getContext('2d')
        .getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) n += d[i] > 0;
        return n / (c.width * c.height); })""")
    assert painted[0] > 0.5 and painted[1] > 0.02, painted  # D(x) fills its plot; the loss curves and axes drawn
    assert figure.locator("canvas").first.evaluate("c => c.toDataURL()") != before  # the points moved
    assert watched.errors == []
    context.close()
