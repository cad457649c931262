"""Helpers of the format-2 loader: every error is one line that starts with the path of the offending field."""
from .model import AssignmentError


def fail(path, message):
    raise AssignmentError(f"{path}: {message}")


def keys(table, allowed, path):
    if not isinstance(table, dict):
        fail(path, f"must be a table, got {type(table).__name__}")
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        fail(path, f"unknown key(s) {unknown}; known: {sorted(allowed)}")
