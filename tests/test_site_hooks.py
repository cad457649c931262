"""The site's build hooks, each on its own (no site build): citations and the glossary, the search index's plain text
and spellings, exercise blocks, the pinned downloads of Pyodide and the wheels, and the commands under figures."""
import json
import sys
import types
from pathlib import Path

import markdown
import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

import browser_python  # noqa: E402
import citations  # noqa: E402
import exercises  # noqa: E402
import pagekit  # noqa: E402
import search_text  # noqa: E402


# --- citations and glossary ------------------------------------------------------------------------------------------

def test_a_citation_links_to_its_entry_from_any_depth():
    assert citations.cite("as in [@goodfellow2014].", "game.md") == \
        "as in [Goodfellow et al. 2014](references.md#goodfellow2014){.gc-cite}."
    assert citations.cite("[@goodfellow2014, §3; @arjovsky2017]", "reference/gancheck.md") == (
        "[Goodfellow et al. 2014, §3](../references.md#goodfellow2014){.gc-cite}; "
        "[Arjovsky et al. 2017](../references.md#arjovsky2017){.gc-cite}")


def test_citations_in_code_are_left_alone():
    text = "`[@goodfellow2014]`\n\n```python\nx = d[@goodfellow2014]\n```\n\n    ```\n    [@nowozin2016]\n    ```\n"
    assert citations.cite(text, "a.md") == text
    assert citations.citations(text) == []


@pytest.mark.parametrize("text, message", [("[@goodfelow2014]", "unknown reference [@goodfelow2014]"),
                                           ("[@goodfellow2014; nowozin]", "malformed citation")])
def test_a_bad_citation_fails_the_build(text, message):
    with pytest.raises(PluginError, match=message.replace("[", r"\[")):
        citations.cite(text, "a.md")


def test_every_reference_is_complete_and_every_glossary_citation_known():
    for key, r in citations.REFERENCES.items():
        assert set(r) >= {"label", "authors", "year", "title", "venue", "url", "id"}, key
        assert r["url"].startswith("https://") and str(r["year"]) in r["label"]
    html = markdown.markdown(citations.bibliography({"goodfellow2014": [("Training", "training.md")]}),
                             extensions=["md_in_html"])
    assert all(f'id="{key}"' in html for key in citations.REFERENCES)
    assert '<a href="training.md">Training</a>' in html
    citations.cite(citations.glossary(), "glossary.md")  # raises on an unknown key
    assert len({g["term"] for g in citations.GLOSSARY.values()}) == len(citations.GLOSSARY)


def test_glossary_abbreviations_are_plain_one_liners():
    lines = citations.abbreviations().splitlines()
    assert "*[EMA]: exponential moving average: a ← βa + (1 − β)θ after every step" in lines
    assert all("\\" not in line and "\n" not in line for line in lines)


# --- search index -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tex, text", [
    (r"D_{0} = \frac{a}{a + b}", "D_0 = a/(a + b)"),  # never a/a + b
    (r"\frac{\partial L}{\partial z}", "∂L/∂z"),
    (r"m = \tfrac12(p_\text{data} + p_G)", "m = 1/2(p_data + p_G)"),
    (r"\max_D V = -2\log 2 + 2\,\mathrm{JSD}", "max_D V = -2log 2 + 2 JSD"),
    (r"\mathrm{KL}(P \,\|\, Q)", "KL(P ‖ Q)"),
    (r"\mathbb{E}_{z}\big[\log D(G(z))\big]", "E_z[log D(G(z))]"),
])
def test_math_becomes_plain_text(tex, text):
    assert search_text.math_to_text(tex) == text


def test_index_text_keeps_its_html_escaping():
    assert search_text.plain(r"if \(a &lt; b\) then <code>\(x\)</code>") == "if a &lt; b then <code>x</code>"


def test_spellings_find_each_other():
    assert search_text.variants("the reparameterisation trick") == ["reparameterization"]
    assert search_text.variants("reparameterization") == ["reparameterisation"]
    assert search_text.variants("behaviour, modelling, centre, analysed") == \
        ["analyzed", "behavior", "center", "modeling"]
    assert search_text.variants("size, noise, pointwise, otherwise, exercise") == []
    assert search_text.variants("normalise and normalize") == []  # both spellings already there


# --- exercises ------------------------------------------------------------------------------------------------------

def render(text):
    return markdown.markdown(text, extensions=[exercises.ExerciseExtension(), "pymdownx.details"])


def test_an_exercise_block_has_its_answer_form_before_the_solution():
    html = render('/// exercise | A title\n    quantity: D.z_bar\n\nDerive it.\n\n??? success "Solution"\n'
                  '    (y - t)/N\n///\n\n/// exercise\n    quantity: D.W_bar\n\nAgain.\n///\n')
    assert html.count('class="gc-exercise"') == 2 and 'id="exercise-2"' in html
    first = html.split('id="exercise-2"')[0]
    assert first.index("Derive it.") < first.index('class="gc-answer" data-quantity="D.z_bar"') \
        < first.index("<details")
    assert 'data-quantity="D.W_bar"' in html and "gancheck check-formula D.W_bar" in html  # the no-script line


def test_an_exercise_on_an_unknown_quantity_fails_the_build():
    with pytest.raises(PluginError, match="unknown quantity 'D.nope'"):
        render("/// exercise\n    quantity: D.nope\n\nx\n///\n")
    with pytest.raises(PluginError, match="needs `quantity"):
        render("/// exercise\n\nx\n///\n")


def test_a_block_pymdownx_could_not_parse_fails_the_build():
    html = render("/// exercise\n    quantity: D.z_bar\n    colour: red\n\nx\n///\n")  # unknown option: left as text
    page = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="a.md"))
    with pytest.raises(PluginError, match="malformed exercise block"):
        exercises.on_page_content(html, page, None, None)


# --- pinned downloads ------------------------------------------------------------------------------------------------

def test_the_pins_are_complete():
    assert browser_python.PINS["pyodide"]["integrity"].startswith("sha512-")
    assert {"pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip"} <= set(browser_python.PINS["pyodide"]["files"])
    assert {w["name"] for w in browser_python.PINS["wheel"]} == {"sympy", "mpmath"}
    assert all(len(w["sha256"]) == 64 for w in browser_python.PINS["wheel"])


def test_a_cached_file_with_the_wrong_digest_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("GANCHECK_CACHE", str(tmp_path))
    pin = browser_python.PINS["wheel"][0]
    fake = browser_python.cache_dir() / "wheels" / pin["file"]
    fake.parent.mkdir(parents=True)
    fake.write_bytes(b"not the wheel")
    with pytest.raises(PluginError, match="sha256 is .* expected " + pin["sha256"]):
        browser_python.wheels()
    tarball = browser_python.cache_dir() / f"pyodide-{browser_python.PINS['pyodide']['version']}.tgz"
    tarball.write_bytes(b"not pyodide")
    with pytest.raises(PluginError, match="integrity is sha512-"):
        browser_python.pyodide_files()


def test_the_checker_manifest(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_python, "CHECKER", "gancheck.homework.formulas.no_such_module")
    assert browser_python.checker_manifest() == {"module": None, "files": []}
    module = types.ModuleType("fake_checker")
    monkeypatch.setitem(sys.modules, "fake_checker", module)
    monkeypatch.setattr(browser_python, "CHECKER", "fake_checker")
    module.files = lambda: ["gancheck/__init__.py", "tests/data/browser/fixture_checker.py"]
    assert browser_python.checker_manifest()["files"] == module.files()
    for bad in ("../etc/passwd", "/etc/passwd", "README.md", "gancheck/missing.py"):
        module.files = lambda bad=bad: [bad]
        with pytest.raises(PluginError, match="not a Python source or data file of the repository"):
            browser_python.checker_manifest()


def test_a_checker_that_fails_to_import_fails_the_build(monkeypatch):
    monkeypatch.setattr(browser_python, "CHECKER", "json.tool_that_imports_nothing")  # the package exists
    monkeypatch.setattr(browser_python.importlib, "import_module",
                        lambda name: (_ for _ in ()).throw(ModuleNotFoundError("No module named 'numpy'",
                                                                               name="numpy")))
    with pytest.raises(ModuleNotFoundError, match="numpy"):
        browser_python.checker_manifest()


def test_npm_integrity_is_npm_s_format(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    assert browser_python.npm_integrity(tmp_path / "f") == (
        "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==")


# --- figures ---------------------------------------------------------------------------------------------------------

def test_a_command_under_a_figure_must_be_a_real_one():
    pagekit._check_command("gancheck experiment mode-collapse --variant fast --seed 0")
    for bad in ("gancheck experiment mode-collapse --sed 0", "gancheck trian", "python -m x"):
        with pytest.raises(pagekit.CheckFailed):
            pagekit._check_command(bad)


def test_an_experiment_figure_gets_its_command_and_files(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    monkeypatch.setattr(pagekit, "OUTPUT", str(tmp_path))
    module = types.SimpleNamespace(plot=lambda data: plt.subplots()[0])
    html = pagekit.figure(pagekit._Experiment(module, "noise").plot({"x": [1, 2]}), "A caption.")
    assert "Reproduce: <code>gancheck experiment noise --variant fast --seed 0</code>" in html
    assert f'href="{pagekit.SITE_URL}assets/figures/noise-fast.png" download' in html
    assert json.loads((tmp_path / "assets/figures/noise-fast.json").read_text()) == {"x": [1, 2]}
    assert (tmp_path / "assets/figures/noise-fast.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(pagekit.CheckFailed, match="two figures"):
        pagekit.figure(pagekit._Experiment(module, "noise").plot({}), "Again.")


# --- listings and equations of the narrative pages ---------------------------------------------------------------------

def test_a_listing_is_the_code_without_its_docstring_and_links_to_the_reference():
    from gancheck import divergences, losses

    text = pagekit.code(losses.generator_minimax)
    assert "return minimax_value(z_fake), minimax_grad(z_fake)" in text and "saturating generator loss" not in text
    assert 'title="gancheck/losses.py, lines ' in text
    assert 'href="gc-site:reference/gancheck/#gancheck.losses.generator_minimax"' in text
    part = pagekit.code(divergences, "def _jsd_terms", "}")
    assert part.count("\n") < 25 and '"kl": rel_entr,' in part and "def entropy" not in part
    assert 'href="gc-site:reference/gancheck/#gancheck.divergences"' in part  # a private name: its module's entry
    with pytest.raises(pagekit.CheckFailed, match="no line contains"):
        pagekit.code(divergences, "def no_such_function", "}")


def test_width_of_typeset_math():
    assert pagekit.width(r"\frac{a}{a + b}") == pytest.approx(pagekit.width("a + b") + 0.4)
    assert pagekit.width("x^{2}") < pagekit.width("x2")
    assert pagekit.width(r"\left(x\right)") < pagekit.width("(x)") + 1.5


def _rows(tex):
    return [r for r in tex.split("\\begin{aligned}\n")[1].split("\n\\end{aligned}")[0].split(" \\\\\n")]


def test_a_long_equation_is_broken_between_terms_and_keeps_every_term():
    import sympy as sp

    p, q = sp.symbols("p1:7"), sp.symbols("q1:7")
    rhs = sum(pi * sp.log(pi / qi) for pi, qi in zip(p, q))
    tex = pagekit.relation(sp.Eq(sp.Symbol("K"), rhs, evaluate=False))
    rows = _rows(tex)
    assert len(rows) >= 3 and rows[0].startswith("K &{}= ")
    assert all(pagekit.width(r) <= pagekit.LINE + 4 for r in rows)
    joined = " ".join(r.replace("&{}=", "").replace(r"&\quad", "").lstrip("K ") for r in rows)
    assert joined.split() == pagekit.latex(rhs).split()  # nothing lost, nothing reordered
    short = sp.Eq(sp.Symbol("D"), p[0] / (p[0] + q[0]))
    assert "aligned" not in pagekit.relation(short)


def test_a_derivative_of_a_long_sum_is_broken_inside_its_brackets():
    import sympy as sp

    q = sp.symbols("q1:5")
    expr = sp.Derivative(sum(-sp.Symbol(f"p{i}") * sp.log(qi) for i, qi in enumerate(q, 1)), q[0])
    rows = _rows(pagekit.relation(sp.Eq(expr, -sp.Symbol("p1") / q[0], evaluate=False)))
    assert rows[0].startswith(r"&\frac{\partial}{\partial q_{1}} \Big(") and rows[-2].endswith(r"\Big)")
    assert rows[-1].startswith("&{}= ")
