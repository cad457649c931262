"""Benchmark of the site's in-browser formula checker, in headless Chromium: seconds from page load to the first
verdict (Python, SymPy and the checker loading, then one check), later verdicts, and the stages of loading — beside
the peer, the command line (`gancheck check-formula`, a fresh process each time), measured in the same run.

Run: ``python benchmarks/bench_site.py [--site DIR] [--rounds N]`` (without ``--site`` it builds the site first).
Each round is a cold visit (a new browser context: empty cache) and then a warm one (same context: files and compiled
WebAssembly cached). Without :mod:`gancheck.homework.formulas.browser` in the build, the test fixture checker of
``tests/test_site_browser.py`` stands in (the table says which).
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from sitebuild import mkdocs_build  # noqa: E402
from test_site_browser import CHROMIUM, FIXTURE, FLAGS, PHONE, Server, answer, exercise_page  # noqa: E402


def visit(context, url, wrong, right, later):
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    loaded = time.perf_counter()
    form = page.locator('form.gc-answer[data-quantity="D.z_bar"]').first
    form.scroll_into_view_if_needed()
    answer(page, form, wrong)
    first = time.perf_counter() - loaded
    times = []
    for i in range(later):
        t = time.perf_counter()
        answer(page, form, right if i % 2 == 0 else wrong)
        times.append(time.perf_counter() - t)
    stages = page.evaluate("window.gancheckChecker && window.gancheckChecker.timings")
    page.close()
    return {"load": loaded - start, "first": first, "later": statistics.median(times), "stages": stages or {}}


def cli_seconds(expression):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gancheck", "check-formula", "D.z_bar", expression],
                   capture_output=True, check=False)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--later", type=int, default=5, help="checks after the first, per visit")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp()) / "site"
        proc = mkdocs_build(ROOT / "mkdocs.yml", site)
        if proc.returncode:
            sys.exit(proc.stderr[-2000:])
    manifest = json.loads((site / "assets/checker/manifest.json").read_text())
    checker, overlay = manifest["module"], None
    if checker is None:
        checker = "test fixture (tests/data/browser/fixture_checker.py)"
        manifest.update(module="tests.data.browser.fixture_checker", files=[FIXTURE])
        overlay = {"/assets/checker/manifest.json": json.dumps(manifest).encode(),
                   f"/assets/checker/src/{FIXTURE}": (ROOT / FIXTURE).read_bytes()}
    server = Server(site, overlay)
    url = server.url + exercise_page(site, "D.z_bar")
    runs = {"cold": [], "warm": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(args.rounds):
            context = browser.new_context(viewport=PHONE)
            for kind in ("cold", "warm"):
                runs[kind].append(visit(context, url, "(t - y)/N", "(y - t)/N", args.later))
            context.close()
        browser.close()
    server.close()
    cli = statistics.median(cli_seconds("(t - y)/N") for _ in range(args.rounds))

    def med(kind, key, stage=None):
        values = [r["stages"].get(stage, float("nan")) if stage else r[key] for r in runs[kind]]
        return statistics.median(values)

    print(f"checker: {checker}; Pyodide {manifest['pyodide']}; medians of {args.rounds} rounds\n")
    print("| visit | page load s | first verdict after load s | later verdicts s | interpreter up s | "
          "packages unpacked s | checker imported s | CLI check-formula s | first verdict / CLI |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in ("cold", "warm"):
        print(f"| {kind} | {med(kind, 'load'):.2f} | {med(kind, 'first'):.2f} | {med(kind, 'later'):.3f} | "
              f"{med(kind, None, 'interpreter'):.2f} | {med(kind, None, 'packages'):.2f} | "
              f"{med(kind, None, 'imported'):.2f} | {cli:.2f} | {med(kind, 'first') / cli:.1f}× |")
    print("\n(stages: seconds from the worker's start; goal: first verdict < 6 s after load, later ones < 1 s)")


if __name__ == "__main__":
    main()
