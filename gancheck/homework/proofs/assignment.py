"""The instructor's side of a proof: its points, and how a step that is right only given an earlier wrong step of
its chain is credited. A student's proof file holds the proof only (:mod:`.fileformat`).

Layout (TOML, passed as ``gancheck check-proof PROOF --assignment FILE``)::

    [assignment]
    title = "Homework 3: the optimal discriminator"   # optional
    points = 10                # the proof's points, shared equally by its steps (default: 1 point a step)
    follow_through = 0.5       # fraction of a step's points when it is right given an earlier wrong step

Without ``--assignment`` (:data:`PRACTICE`) every step is worth one point and follow-through earns full credit — a
student checking their own work.
"""
from dataclasses import dataclass

from gancheck import GancheckError
from gancheck.homework.formulas import assignment as formulas_assignment

MAX_POINTS = 1000


@dataclass(frozen=True)
class Assignment:
    title: str | None = None
    points: float | None = None      # the whole proof's; None: one point a step
    follow_through: float = 1.0

    def per_step(self, steps):
        return 1.0 if self.points is None else self.points / steps


PRACTICE = Assignment()


def load_assignment(path):
    """:class:`Assignment` from a TOML file; anything malformed is a one-line :class:`GancheckError`."""
    return formulas_assignment.load_assignment(path, assignment_from_data)


def assignment_from_data(data, where=None):
    prefix = f"{where}: " if where else ""
    if set(data) != {"assignment"} or not isinstance(data["assignment"], dict):
        raise GancheckError(f"{prefix}a proof's assignment has the table [assignment] only")
    meta = data["assignment"]
    unknown = set(meta) - {"title", "points", "follow_through"}
    if unknown:
        raise GancheckError(f"{prefix}[assignment] does not know {', '.join(sorted(unknown))}")
    points, follow = meta.get("points"), meta.get("follow_through", 1.0)
    if points is not None and not _number(points, 0, MAX_POINTS):
        raise GancheckError(f"{prefix}points must be a number from 0 to {MAX_POINTS}")
    if not _number(follow, 0, 1):
        raise GancheckError(f"{prefix}follow_through must be a number in [0, 1]")
    title = meta.get("title")
    return Assignment(None if title is None else str(title), None if points is None else float(points), float(follow))


def _number(x, low, high):
    return not isinstance(x, bool) and isinstance(x, (int, float)) and low <= x <= high
