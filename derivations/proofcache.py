"""A disk cache of symbolic proofs, so ``gancheck verify`` re-runs only the numeric checks when nothing changed.

A proof is a deterministic function of the derivations' source code and SymPy's version, so its outcome is stored under
a key made of both (a SHA-256 of every ``derivations/*.py`` file, the SymPy version, the derivation's name). Any edit
to the package or a SymPy upgrade changes the key and the proofs run again. Only passing proofs of the reference
claims are stored (never a candidate's), and a cache that cannot be read or written is ignored: it only saves time.

Location: ``$GANCHECK_CACHE_DIR`` or ``~/.cache/gancheck``; ``gancheck verify --no-cache`` bypasses it.
"""
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import sympy as sp


@lru_cache(maxsize=None)
def source_digest():
    """SHA-256 over the derivations package's sources and the SymPy version."""
    h = hashlib.sha256(sp.__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def default_directory():
    return Path(os.environ.get("GANCHECK_CACHE_DIR") or Path.home() / ".cache" / "gancheck")


class ProofCache:
    """name → (steps, claims) of a passed proof, for the current :func:`source_digest`: one small JSON file per
    derivation, so that parallel ``verify`` workers never overwrite each other's entries."""

    def __init__(self, directory=None):
        self.path = Path(directory or default_directory()) / f"proofs-{source_digest()[:16]}"

    def _file(self, name):
        return self.path / f"{name}.json"

    def get(self, name):
        try:
            entry = json.loads(self._file(name).read_text())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("digest") != source_digest():
            return None
        return tuple(tuple(s) for s in entry["steps"]), dict(entry["claims"])

    def put(self, name, steps, claims):
        entry = {"digest": source_digest(), "steps": [list(s) for s in steps], "claims": dict(claims)}
        try:  # write-then-rename: a concurrent reader never sees a half-written file
            self.path.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path, suffix=".tmp")
            with os.fdopen(fd, "w") as f:
                json.dump(entry, f)
            os.replace(tmp, self._file(name))
        except OSError:
            pass  # the cache only saves time
