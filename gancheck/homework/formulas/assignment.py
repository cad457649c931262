"""The instructor's side of a formula sheet: which quantities are asked, their points, how follow-through is credited,
and the generator loss the answers must assume. A student's sheet holds answers only (:mod:`.sheet`).

Layout (TOML, passed as ``gancheck check-sheet SHEET --assignment FILE``)::

    [assignment]
    title = "Homework 2: backprop of the 1-D GAN"   # optional
    loss = "nonsaturating"          # or "minimax"
    follow_through = 0.5            # fraction of a step's points for a step right given one's own earlier mistake
    [points]                        # optional: the quantities asked and their points (dotted keys nest)
    D.z_bar = 2
    D.W_bar = 1

Without ``[points]`` (and without ``--assignment``: :data:`PRACTICE`) every quantity a sheet answers is worth one
point and nothing is missing — a student checking their own work.
"""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gancheck import GancheckError

from .catalogue import LOSSES, entry


@dataclass(frozen=True)
class Assignment:
    title: str | None = None
    loss: str = "nonsaturating"
    follow_through: float = 1.0
    points: dict = field(default_factory=dict)   # quantity → points; empty: every answer counts 1

    def points_of(self, name):
        """The points of ``name``: as listed, 0 for a quantity the assignment does not ask, 1 in practice."""
        return float(self.points.get(name, 0.0)) if self.points else 1.0

    def missing(self, answered):
        """The asked quantities not in ``answered``, in the assignment's order."""
        return [name for name in self.points if name not in answered]


PRACTICE = Assignment()


def load_assignment(path, build=None):
    """:class:`Assignment` from a TOML file — or what ``build(data, where)`` makes of its data (a proof's assignment
    is read the same way); anything malformed is a one-line :class:`GancheckError`."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GancheckError(f"{path}: cannot read the assignment: {' '.join(str(exc).split())}") from None
    return (build or assignment_from_data)(data, str(path))


def assignment_from_data(data, where=None):
    prefix = f"{where}: " if where else ""
    if not set(data) <= {"assignment", "points"}:
        raise GancheckError(f"{prefix}an assignment has the tables [assignment] and [points] only")
    meta = data.get("assignment", {})
    unknown = set(meta) - {"title", "loss", "follow_through"}
    if unknown:
        raise GancheckError(f"{prefix}[assignment] does not know {', '.join(sorted(unknown))}")
    loss = meta.get("loss", "nonsaturating")
    if loss not in LOSSES:
        raise GancheckError(f"{prefix}loss must be one of {', '.join(LOSSES)}, not {loss!r}")
    follow = meta.get("follow_through", 1.0)
    if isinstance(follow, bool) or not isinstance(follow, (int, float)) or not 0 <= follow <= 1:
        raise GancheckError(f"{prefix}follow_through must be a number in [0, 1]")
    points = _points(data.get("points", {}), prefix)
    title = meta.get("title")
    return Assignment(None if title is None else str(title), loss, float(follow), points)


def _points(tree, prefix, name=""):
    out = {}
    for key, value in tree.items():
        full = f"{name}.{key}" if name else key
        if isinstance(value, dict):
            out.update(_points(value, prefix, full))
            continue
        try:
            entry(full)
        except GancheckError as exc:  # an unknown quantity, with the names it probably means
            raise GancheckError(f"{prefix}[points]: {exc}") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1000:
            raise GancheckError(f"{prefix}points of {full} must be a number from 0 to 1000")
        out[full] = float(value)
    return out
