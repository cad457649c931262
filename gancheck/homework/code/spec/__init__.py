"""The generalised assignment, format 2: any architecture, layout, loss and calling convention, declared as data.

:func:`load_spec` reads one; :func:`load_any` reads either format (the course's built-in format keeps loading with
:func:`..assignment.load_assignment`); :func:`template` is the text ``--assignment-template`` prints.
"""
import tomllib
from pathlib import Path

from .load import load_spec, parse
from .model import AssignmentError, Spec
from .template import template

__all__ = ["AssignmentError", "Spec", "load_any", "load_spec", "parse", "template"]


def load_any(path):
    """A :class:`Spec` for a format-2 file, else the course-format :class:`..assignment.Assignment`."""
    from ..assignment import load_assignment

    path = Path(path)
    try:
        head = tomllib.loads(path.read_text(encoding="utf-8")).get("assignment", {})
    except tomllib.TOMLDecodeError:
        head = {}
    return load_spec(path) if isinstance(head, dict) and head.get("format") == 2 else load_assignment(path)
