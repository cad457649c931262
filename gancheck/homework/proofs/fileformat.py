"""The proof file: TOML (``gancheck check-proof --template`` prints a starter)::

    [proof]
    title = "D* maximises a log D + b log(1 - D)"    # optional
    student = "A. Student"                          # optional
    syntax = "auto"                                 # "python", "latex", or "auto": LaTeX if a line has \\ or braces
    assume = ["a, b > 0", "0 < D < 1"]              # the declarations (gancheck.homework.proofs.assumptions)

    [define]                                        # optional: names for expressions, each may use the ones above
    f = "a*log(D) + b*log(1 - D)"

    [[step]]                                        # one table per line of the proof
    line = "diff(f, D) = a/D - b/(1 - D)"
    because = "(log D)' = 1/D"                      # optional justification, shown (a named rule: .reasons)

A proof holds only the student's reasoning: points and rules are the instructor's (:mod:`.assignment`), and a file
that tries to set them is refused. TOML has no aliases or tags, and :mod:`tomllib` builds plain data; the bounds below
keep a file small before any line is read. The parent only checks that the file is a small regular UTF-8 file
(:func:`read_text`); the TOML is parsed in the limited child (:func:`proof_from_text`).
"""
import tomllib
from dataclasses import dataclass
from importlib import resources

from gancheck import GancheckError
from gancheck.homework.formulas import sheet

MAX_BYTES = 64 * 1024
MAX_LINES, MAX_LINE, MAX_BECAUSE, MAX_ASSUME, MAX_DEFINE, MAX_NAME = 100, 2000, 300, 20, 20, 200
SYNTAXES = ("auto", "python", "latex")
TEMPLATE = "template.toml"
_KEYS = {"proof": ("title", "student", "syntax", "assume"), "step": ("line", "because")}


@dataclass(frozen=True)
class ProofFile:
    lines: tuple                 # the proof's lines (text), in order
    because: tuple               # each line's justification, or None
    assume: tuple = ()
    define: tuple = ()           # (name, formula) in order
    syntax: str = "auto"
    title: str | None = None
    student: str | None = None


def read_text(path):
    """The text of the proof file at ``path`` (a ``.toml`` file: small, regular, UTF-8); :class:`GancheckError`."""
    return sheet.read_text(path, {".toml": "toml"}, "proof", MAX_BYTES)[0]


def template():
    """A starter proof file: the format, explained in comments, around a short proof."""
    return resources.files(__package__).joinpath(TEMPLATE).read_text(encoding="utf-8")


def proof_from_text(text):
    """The :class:`ProofFile` in ``text``; anything out of shape is a one-line :class:`GancheckError`. Runs in the
    limited child."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise GancheckError("cannot read the proof: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise GancheckError(f"cannot read the proof: {' '.join(str(exc).split())[:300]}") from None
    if {"points", "rules", "assignment", "follow_through"} & set(data):
        raise GancheckError("a proof cannot set points or rules: they come from the assignment "
                            "(gancheck check-proof --assignment FILE)")
    if not set(data) <= {"proof", "define", "step"}:
        raise GancheckError("a proof has the tables [proof], [define] and [[step]] only, not "
                            f"{', '.join(sorted(map(str, set(data) - {'proof', 'define', 'step'})))[:80]}")
    meta = _table(data.get("proof", {}), "proof")
    steps = data.get("step")
    if not isinstance(steps, list) or not steps:
        raise GancheckError("the proof has no [[step]] (one table per line: line = \"e₁ = e₂\")")
    if len(steps) > MAX_LINES:
        raise GancheckError(f"the proof has too many lines ({len(steps)}, at most {MAX_LINES})")
    lines, because = zip(*(_step(s, k) for k, s in enumerate(steps, 1)))
    syntax = meta.get("syntax", "auto")
    if syntax not in SYNTAXES:
        raise GancheckError(f"syntax must be one of {', '.join(SYNTAXES)}, not {str(syntax)[:40]!r}")
    return ProofFile(lines, because, _assume(meta.get("assume", [])), _define(data.get("define", {})), syntax,
                     _text(meta.get("title"), "title"), _text(meta.get("student"), "student"))


def _table(value, name):
    if not isinstance(value, dict):
        raise GancheckError(f"[{name}] must be a table")
    unknown = set(value) - set(_KEYS[name])
    if unknown:
        raise GancheckError(f"[{name}] may set {', '.join(_KEYS[name])} only, not {sorted(unknown)[0][:40]!r}")
    return value


def _step(step, k):
    if not isinstance(step, dict):
        raise GancheckError(f"step {k} must be a table with line = \"…\"")
    _table(step, "step")
    line, because = step.get("line"), step.get("because")
    if not isinstance(line, str) or not line.strip():
        raise GancheckError(f"line {k} is missing (line = \"e₁ = e₂\")")
    if len(line) > MAX_LINE:
        raise GancheckError(f"line {k} is too long ({len(line)} characters, at most {MAX_LINE})")
    if "\n" in line or "\r" in line:
        raise GancheckError(f"line {k} holds a line break: one [[step]] per line")
    return line, _text(because, f"the justification of line {k}", MAX_BECAUSE)


def _text(value, what, most=MAX_NAME):
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > most:
        raise GancheckError(f"{what} must be text of at most {most} characters")
    return value


def _assume(value):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or len(value) > MAX_ASSUME or not all(isinstance(v, str) for v in value):
        raise GancheckError(f"assume must be a list of at most {MAX_ASSUME} declarations such as \"a, b > 0\"")
    if any(len(v) > MAX_NAME for v in value):
        raise GancheckError(f"an assumption is longer than {MAX_NAME} characters")
    return tuple(value)


def _define(value):
    if not isinstance(value, dict) or len(value) > MAX_DEFINE:
        raise GancheckError(f"[define] must be a table of at most {MAX_DEFINE} names = \"formula\"")
    for name, formula in value.items():
        if not isinstance(formula, str) or len(formula) > MAX_LINE:
            raise GancheckError(f"the definition of {str(name)[:40]} must be a formula (text)")
    return tuple(value.items())
