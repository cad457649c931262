"""Answer sheets: a student's TOML or YAML file of quantity → formula. Only answers — the points, the rules and the
generator loss are the assignment's (:mod:`.assignment`), not the student's to set.

Layout (TOML; YAML has the same structure)::

    [sheet]                        # optional
    student = "A. Student"
    syntax = "auto"                # "python", "latex", or "auto": LaTeX if the text has \\ or braces
    loss = "nonsaturating"         # optional: the generator loss the answers assume (must be the assignment's)
    [answers]                      # dotted keys nest in TOML/YAML: D.z_bar = "…" and [answers.D] z_bar = "…" agree
    D.z_bar = "(y - t)/N"
    D.W_bar = "z_bar*h"

An empty answer (``D.x_bar = ""``, as in the starter sheet of ``gancheck check-sheet --template``) is not answered.

A sheet is a student's file, so the parent only checks that it is a small regular UTF-8 file (:func:`read_text`);
TOML/YAML parsing happens in the limited child (:func:`sheet_from_text`, :mod:`.safeyaml` for YAML), which sends
back plain fields that the parent checks again (:func:`from_fields`) before using them.
"""
import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gancheck import GancheckError
from gancheck.homework.terminal import printable

from .catalogue import LOSSES

MAX_BYTES = 256 * 1024
MAX_ANSWERS, MAX_NAME, MAX_FORMULA = 500, 200, 20_000   # bounds on what a sheet's fields may hold
SYNTAXES = ("auto", "python", "latex")
FORMS = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}
_SHEET_KEYS = ("student", "syntax", "loss")


@dataclass(frozen=True)
class Sheet:
    answers: dict                      # quantity name → formula text, in the file's order (names unchecked)
    syntax: str = "auto"
    student: str | None = None
    loss: str | None = None            # the loss the student declares, if any
    path: str | None = None

    def fields(self):
        """JSON-able fields (what the child sends back)."""
        return {"answers": list(map(list, self.answers.items())), "syntax": self.syntax, "student": self.student,
                "loss": self.loss}


def read_text(path, forms=FORMS, what="sheet", limit=MAX_BYTES):
    """(text, form) of the sheet file at ``path``: a regular file (not a FIFO or device, which could block), at most
    ``limit`` bytes, UTF-8 (a byte-order mark is dropped); ``forms`` maps the suffixes allowed to their forms.
    ``what`` names the file in messages (a proof is read the same way). Raises :class:`GancheckError`."""
    path = Path(path)
    shown = printable(str(path))  # a file name is the student's text too
    form = forms.get(path.suffix.lower())
    if form is None:
        *first, last = forms
        kind = "an answer sheet" if what == "sheet" else f"a {what}"
        raise GancheckError(f"{shown}: {kind} must be {', '.join(first) + ' or ' if first else ''}{last}")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, then fails the check below
    except OSError as exc:
        raise GancheckError(f"{shown}: cannot open the {what}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise GancheckError(f"{shown}: not a regular file")
        if info.st_size > limit:
            raise GancheckError(f"{shown}: the {what} is too large ({info.st_size} bytes, at most {limit})")
        raw = f.read(limit + 1)
    if len(raw) > limit:
        raise GancheckError(f"{shown}: the {what} is too large (more than {limit} bytes)")
    try:
        return raw.decode("utf-8-sig"), form
    except UnicodeDecodeError as exc:
        raise GancheckError(f"{shown}: the {what} is not UTF-8 text (byte {exc.start})") from None


def sheet_from_text(text, form, path=None):
    """:class:`Sheet` from the text of a sheet file (``form``: "toml" or "yaml"). Runs in the limited child."""
    where = f"{path}: " if path else ""
    try:
        if form == "toml":
            data = tomllib.loads(text)
        else:
            try:
                from . import safeyaml  # PyYAML only where a YAML sheet is read
            except ImportError:  # a child whose view lacks PyYAML: say so, it is not the student's fault
                raise GancheckError(f"{where}cannot read YAML sheets here: PyYAML is not available to the checker "
                                    "(use a .toml sheet)") from None
            data = safeyaml.load(text)
    except GancheckError:
        raise
    except RecursionError:
        raise GancheckError(f"{where}cannot read the sheet: nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 — tomllib's and PyYAML's errors: the file is not a sheet
        raise GancheckError(f"{where}cannot read the sheet: {' '.join(str(exc).split())[:300]}") from None
    return sheet_from_data(data, path)


def sheet_from_data(data, path=None):
    """:class:`Sheet` from already-loaded data (a dict as in the module docstring)."""
    where = f"{path}: " if path else ""
    if not isinstance(data, dict):
        raise GancheckError(f"{where}a sheet has the tables [sheet] and [answers]")
    if "rules" in data or "points" in data:
        raise GancheckError(f"{where}a sheet cannot set points or rules: they come from the assignment "
                            "(gancheck check-sheet --assignment FILE)")
    if not set(data) <= {"sheet", "answers"}:
        raise GancheckError(f"{where}a sheet has the tables [sheet] and [answers] only")
    meta = data.get("sheet") or {}
    if not isinstance(meta, dict) or not set(meta) <= set(_SHEET_KEYS):
        raise GancheckError(f"{where}[sheet] may set {', '.join(_SHEET_KEYS)} only")
    answers = {name: text for name, text in _flatten(data.get("answers"), where).items() if text.strip()}
    if not answers:
        raise GancheckError(f"{where}the sheet has no answers yet (write at least one formula under [answers])")
    syntax, loss, student = meta.get("syntax", "auto"), meta.get("loss"), meta.get("student")
    if syntax not in SYNTAXES:
        raise GancheckError(f"{where}syntax must be one of {', '.join(SYNTAXES)}, not {str(syntax)[:40]!r}")
    if loss is not None and loss not in LOSSES:
        raise GancheckError(f"{where}loss must be one of {', '.join(LOSSES)}, not {str(loss)[:40]!r}")
    return Sheet(answers, syntax, None if student is None else str(student)[:MAX_NAME], loss, path)


def _flatten(tree, where):
    """``{"D": {"z_bar": "…"}}`` → ``{"D.z_bar": "…"}``, bounded in size."""
    out, stack = {}, [("", tree or {})]
    while stack:
        prefix, node = stack.pop(0)
        if len(out) + len(stack) > MAX_ANSWERS:
            raise GancheckError(f"{where}the sheet has too many answers (at most {MAX_ANSWERS})")
        if len(prefix) > MAX_NAME:
            raise GancheckError(f"{where}a quantity name is too long")
        if isinstance(node, dict):
            stack.extend((f"{prefix}.{k}" if prefix else str(k), v) for k, v in node.items())
        elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
            if len(str(node)) > MAX_FORMULA:
                raise GancheckError(f"{where}the answer to {prefix} is too long")
            if prefix in out:
                raise GancheckError(f"{where}{prefix} is answered twice")
            out[prefix] = str(node)
        else:
            raise GancheckError(f"{where}{prefix or 'the table'} must be a formula (text)")
    return out


def from_fields(fields, path=None):
    """The :class:`Sheet` in a child's reply, every field checked (the child is not trusted); :class:`ValueError`
    if it is out of shape."""
    if not isinstance(fields, dict) or set(fields) != {"answers", "syntax", "student", "loss"}:
        raise ValueError("bad sheet fields")
    answers = fields["answers"]
    if not (isinstance(answers, list) and 0 < len(answers) <= MAX_ANSWERS):
        raise ValueError("bad answers")
    for pair in answers:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
                and len(pair[0]) <= MAX_NAME and len(pair[1]) <= MAX_FORMULA):
            raise ValueError("bad answer")
    student = fields["student"]
    if fields["syntax"] not in SYNTAXES or fields["loss"] not in (None, *LOSSES) or not (
            student is None or (isinstance(student, str) and len(student) <= MAX_NAME)):
        raise ValueError("bad sheet metadata")
    return Sheet(dict(answers), fields["syntax"], student, fields["loss"], path)
