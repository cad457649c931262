r"""MkDocs hook: exercises whose answer box runs gancheck's formula checker in the reader's browser.

A page writes (pymdownx.blocks syntax; the title is optional, the quantity is a name of the homework catalogue)::

    /// exercise | The gradient on D's logit
        quantity: D.z_bar

    With \(L = \frac1N \sum_n \ell_n\), derive \(\bar z_n = \partial L / \partial z_n\).

    ??? success "Solution"
        \(\bar z_n = (y_n - t_n)/N\): ...
    ///

and gets a numbered box: the prompt, a text box with a Check button, the verdict (✓/✗, counterexample, diagnosis,
as ``gancheck check-formula`` prints them) and the solution, collapsed. ``docs/javascripts/exercises.js`` runs the
check in a worker (``checker-worker.js``) on the Python the site ships (``browser_python.py``). An unknown quantity or
a malformed block fails the build.
"""
import re
import xml.etree.ElementTree as etree

from markdown.util import AtomicString
from mkdocs.exceptions import PluginError
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block, type_string


def known_quantity(name):
    """``name`` if the homework catalogue has it; anything else fails the build with the catalogue's own message."""
    from gancheck import GancheckError
    from gancheck.homework.formulas import catalogue

    try:
        catalogue.entry(name)
    except GancheckError as exc:
        raise PluginError(f"exercise: {exc}") from None
    return name


def _element(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        el.text = AtomicString(text)  # the form's own words are not Markdown
    return el


class Exercise(Block):
    NAME = "exercise"
    ARGUMENT = None  # an optional title
    OPTIONS = {"quantity": ("", type_string)}

    def on_validate(self, parent):
        if not self.options["quantity"]:
            raise PluginError("exercise: a block needs `quantity: NAME` (a name of the homework catalogue)")
        known_quantity(self.options["quantity"])
        return True

    def on_create(self, parent):
        number = self.tracker["count"] = self.tracker.get("count", 0) + 1
        box = etree.SubElement(parent, "div", {"class": "gc-exercise", "id": f"exercise-{number}"})
        title = _element(box, "p", None, class_="gc-exercise__title")
        _element(title, "span", f"Exercise {number}", class_="gc-exercise__number")
        if self.argument:
            head = etree.SubElement(title, "span")
            head.text = self.argument  # may hold inline math and Markdown
        return box

    def on_end(self, block):
        """The answer form goes after the prompt and before the first collapsed block (the solution)."""
        quantity = self.options["quantity"]
        number = self.tracker["count"]
        form = etree.Element("form", {"class": "gc-answer", "data-quantity": quantity, "autocomplete": "off"})
        field = f"exercise-{number}-answer"
        label = _element(form, "label", "Your answer for ", for_=field)
        _element(label, "code", quantity).tail = AtomicString(" (SymPy/Python syntax or LaTeX)")
        row = _element(form, "div", None, class_="gc-answer__row")
        _element(row, "input", None, id=field, name="expression", type="text", spellcheck="false",
                 autocapitalize="off", autocorrect="off", placeholder="your formula")
        _element(row, "button", "Check", type="submit", class_="md-button md-button--primary")
        _element(form, "p", "", class_="gc-answer__status", role="status", aria_live="polite")
        _element(form, "div", "", class_="gc-verdict", hidden="hidden")
        noscript = _element(form, "noscript", f"Checking needs JavaScript; the command line does the same: "
                                              f"gancheck check-formula {quantity} 'your formula'")
        noscript.set("class", "gc-answer__noscript")
        children = list(block)
        where = next((i for i, c in enumerate(children) if c.tag == "details"), len(children))
        block.insert(where, form)


class ExerciseExtension(BlocksExtension):
    def extendMarkdownBlocks(self, md, block_mgr):
        block_mgr.register(Exercise, self.getConfigs())


_UNPARSED = re.compile(r"^/{3,}\s*exercise\b.*$", re.MULTILINE)


def on_config(config):
    config.markdown_extensions.append(ExerciseExtension())
    return config


def on_page_content(html, page, config, files):
    """pymdownx.blocks leaves a block it cannot parse (an unknown option, say) as plain text: fail the build instead."""
    stray = _UNPARSED.search(re.sub(r"<pre\b.*?</pre>", "", html, flags=re.S).replace("<p>", "\n"))
    if stray:
        raise PluginError(f"{page.file.src_uri}: malformed exercise block: {stray.group(0)[:120]!r}")
    return html
