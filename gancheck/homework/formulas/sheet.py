"""Answer sheets: a student's TOML or YAML file of quantity → formula, plus the assignment's rules.

Layout (TOML; YAML has the same structure)::

    [sheet]                        # optional
    student = "A. Student"
    loss = "nonsaturating"         # the generator loss the answers assume ("minimax" is the variant)
    syntax = "auto"                # "python", "latex", or "auto": LaTeX if the text has \\ or braces
    [rules]                        # optional: how the assignment credits
    follow_through = 1.0           # fraction of a step's points for a step right given one's own earlier mistake
    points = { "D.z_bar" = 2 }     # points per quantity (default 1)
    [answers]                      # dotted keys nest in TOML/YAML: D.z_bar = "…" and [answers.D] z_bar = "…" agree
    D.z_bar = "(y - t)/N"
    D.W_bar = "z_bar*h"

YAML is read with ``yaml.safe_load`` (no object tags) and every file's structure is walked under a node budget, so
neither a large file nor a tree of aliases can make loading expensive.
"""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gancheck import GancheckError

from . import catalogue

MAX_BYTES = 256 * 1024
MAX_NODES = 2000
SYNTAXES = ("auto", "python", "latex")


@dataclass(frozen=True)
class Sheet:
    answers: dict                      # quantity name → formula text, in the file's order
    loss: str = "nonsaturating"
    syntax: str = "auto"
    student: str | None = None
    follow_through: float = 1.0
    points: dict = field(default_factory=dict)
    path: str | None = None

    def points_of(self, name):
        return float(self.points.get(name, 1.0))


def load_sheet(path):
    """:class:`Sheet` from a ``.toml``, ``.yaml`` or ``.yml`` file; bad files raise :class:`GancheckError`."""
    path = Path(path)
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise GancheckError(f"{path}: the sheet is too large ({len(raw)} bytes, at most {MAX_BYTES})")
    try:
        text = raw.decode("utf-8")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            raise GancheckError(f"{path}: an answer sheet must be .toml, .yaml or .yml")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise GancheckError(f"{path}: cannot read the sheet: {' '.join(str(exc).split())}") from None
    return sheet_from_data(data, str(path))


def sheet_from_data(data, path=None):
    """:class:`Sheet` from already-loaded data (a dict as in the module docstring)."""
    where = f"{path}: " if path else ""
    if not isinstance(data, dict) or not set(data) <= {"sheet", "rules", "answers"}:
        raise GancheckError(f"{where}a sheet has the tables [sheet], [rules] and [answers] only")
    meta, rules = data.get("sheet") or {}, data.get("rules") or {}
    answers = _flatten(data.get("answers"), where)
    if not answers:
        raise GancheckError(f"{where}the sheet has no [answers]")
    for name in answers:
        catalogue.entry(name)  # unknown quantity → GancheckError naming the known ones
    loss, syntax = meta.get("loss", "nonsaturating"), meta.get("syntax", "auto")
    if loss not in catalogue.LOSSES:
        raise GancheckError(f"{where}loss must be one of {', '.join(catalogue.LOSSES)}, not {loss!r}")
    if syntax not in SYNTAXES:
        raise GancheckError(f"{where}syntax must be one of {', '.join(SYNTAXES)}, not {syntax!r}")
    follow = rules.get("follow_through", 1.0)
    if isinstance(follow, bool) or not isinstance(follow, (int, float)) or not 0 <= follow <= 1:
        raise GancheckError(f"{where}rules.follow_through must be a number in [0, 1]")
    points = _flatten(rules.get("points"), where, numbers=True)
    for name in points:
        catalogue.entry(name)
    student = meta.get("student")
    return Sheet(answers, loss, syntax, None if student is None else str(student), float(follow), points, path)


def _flatten(tree, where, numbers=False):
    """``{"D": {"z_bar": "…"}}`` → ``{"D.z_bar": "…"}``, walking at most :data:`MAX_NODES` nodes."""
    out, budget, stack = {}, MAX_NODES, [("", tree or {})]
    while stack:
        prefix, node = stack.pop(0)
        budget -= 1
        if budget < 0:
            raise GancheckError(f"{where}the sheet is too large or too deeply nested")
        if isinstance(node, dict):
            stack.extend((f"{prefix}.{k}" if prefix else str(k), v) for k, v in node.items())
        elif numbers and isinstance(node, (int, float)) and not isinstance(node, bool):
            out[prefix] = node
        elif not numbers and isinstance(node, (str, int, float)) and not isinstance(node, bool):
            out[prefix] = str(node)
        else:
            kind = "a number" if numbers else "a formula (text)"
            raise GancheckError(f"{where}{prefix or 'the table'} must be {kind}")
    return out
