r"""MkDocs hook: the search index in plain words.

* Math in the index (the ``\( … \)`` and ``\[ … \]`` that MathJax typesets on the page) becomes readable text —
  ``D^* = p_data/(p_data + p_G)``, ``∂L/∂z`` — through pylatexenc's LaTeX-to-Unicode converter, taught to keep a
  fraction's numerator and denominator in parentheses where they need them (``\frac{a}{a + b}`` is ``a/(a + b)``,
  never ``a/a + b``).
* British and American spellings find each other: a section that writes "reparameterisation" is also indexed under
  "reparameterization" (and the other way round), in a hidden span that the result snippet does not show.

Material's search plugin writes ``search/search_index.json`` after the build; this hook rewrites it after that.
"""
import html
import json
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import MacroSpec

_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_ATOM = re.compile(r"[\w.∂′*^]+|\(.*\)")  # needs no parentheses around it in a/b


def _fraction(node, l2tobj):
    num, den = (l2tobj.nodelist_to_text([arg]).strip() if arg is not None else "" for arg in node.nodeargd.argnlist)
    wrap = (lambda s: s if _ATOM.fullmatch(s) else f"({s})")
    return f"{wrap(num)}/{wrap(den)}"


def _converter():
    db = get_default_latex_context_db()
    db.add_context_category("gancheck", prepend=True, macros=[
        *(MacroTextSpec(f, simplify_repl=_fraction) for f in ("frac", "tfrac", "dfrac")),
        *(MacroTextSpec(f, simplify_repl=f + " ") for f in ("log", "exp", "sin", "cos", "tanh")),  # "log 2", not "log2"
        MacroTextSpec("mathbb", simplify_repl="%s"),  # 𝔼 is a letter search cannot type: E
        MacroTextSpec("left", simplify_repl=""), MacroTextSpec("right", simplify_repl=""),
        MacroTextSpec("|", simplify_repl="‖"),  # KL(P ‖ Q)
    ])
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=True)


_TO_TEXT = _converter()
_PARSING = latexwalker.get_default_latex_context_db()
_PARSING.add_context_category("gancheck", prepend=True,
                              macros=[MacroSpec("tfrac", "{{"), MacroSpec("dfrac", "{{")])  # \tfrac12 has 2 args


def math_to_text(tex):
    """One formula's LaTeX as plain Unicode text, whitespace collapsed."""
    nodes = latexwalker.LatexWalker(tex, latex_context=_PARSING, tolerant_parsing=True).get_latex_nodes()[0]
    return re.sub(r"\s+", " ", _TO_TEXT.nodelist_to_text(nodes)).strip()


def plain(text):
    """An index entry's text (HTML-escaped, as the search plugin writes it) with its math as plain text."""
    return _MATH.sub(lambda m: html.escape(math_to_text(html.unescape(m.group(1) or m.group(2))), quote=False), text)


# Spelling pairs by rule, British → American; a word is indexed under the other spelling too.
_SPELLINGS = [(re.compile(r"\b(\w+)is(ation|ations|e|es|ed|ing|er|ers)\b", re.I), r"\1iz\2"),
              (re.compile(r"\b(\w+)iz(ation|ations|e|es|ed|ing|er|ers)\b", re.I), r"\1is\2"),
              (re.compile(r"\b(\w*)(?:yse|yze)(s|d)?\b", re.I), None),
              (re.compile(r"\b(behavi|col|fav|neighb|arm)our(s|ed|ing)?\b", re.I), r"\1or\2"),
              (re.compile(r"\b(behavi|col|fav|neighb|arm)or(s|ed|ing)?\b", re.I), r"\1our\2"),
              (re.compile(r"\b(model|label|travel|cancel)l(ing|ed)\b", re.I), r"\1\2"),
              (re.compile(r"\b(model|label|travel|cancel)(ing|ed)\b", re.I), r"\1l\2"),
              (re.compile(r"\b(cent|met|fib)re(s)?\b", re.I), r"\1er\2"),
              (re.compile(r"\b(cent|met|fib)er(s)?\b", re.I), r"\1re\2")]
# Words the -ise/-ize rule would turn into words that are no spelling of them (size → sise, precise → precize).
_NOT_VARIANTS = {"size", "sizes", "sized", "precise", "concise", "wise", "otherwise", "likewise", "rise", "noise",
                 "noises", "raise", "raised", "praise", "surprise", "exercise", "exercises", "advise", "revise",
                 "revised", "supervise", "promise", "premise", "compromise", "expertise", "paradise", "franchise",
                 "merchandise", "disguise", "arise", "arises", "comprise", "comprises", "devise", "enterprise",
                 "televise", "chastise", "despise", "improvise", "incise", "circumcise", "seize", "prize", "prizes",
                 "baptize", "citizen", "citizens", "mizer", "wizard"}


def variants(text):
    """The other spellings of the words in ``text`` that differ between British and American English."""
    out = set()
    for word in set(re.findall(r"[A-Za-z]+", text)):
        if word.lower() in _NOT_VARIANTS or word.lower().endswith("wise"):  # pointwise, otherwise
            continue
        for pattern, repl in _SPELLINGS:
            if pattern.fullmatch(word):
                if repl is None:  # analyse ↔ analyze
                    out.add(re.sub(r"y[sz]e", lambda m: "yze" if m.group(0) == "yse" else "yse", word))
                else:
                    out.add(pattern.sub(repl, word))
    return sorted(v for v in out if v.lower() not in {w.lower() for w in re.findall(r"[A-Za-z]+", text)})


@event_priority(-100)  # after the search plugin has written the index
def on_post_build(config):
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text())
    for doc in index["docs"]:
        doc["title"], doc["text"] = plain(doc["title"]), plain(doc["text"])
        other = variants(html.unescape(re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"])))
        if other:
            doc["text"] += f'<span class="gc-spelling" hidden> {" ".join(other)}</span>'
    path.write_text(json.dumps(index, separators=(",", ":")))
