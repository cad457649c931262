# The common part of the hostile submissions (tests/data/hostile/code.toml): two correct graded functions that call
# attack() first, and helpers that put whatever an attack finds into the report or try to write it somewhere.
import glob
import os
import sys

import numpy as np

CANARIES = "/tmp/gancheck-canary-*"
TARGETS = ("/tmp/**/victim*", "../**/victim*", "/sandbox/submission/*", CANARIES + "/*")


def _leak(*found):
    """An exception's message reaches the report's evidence: anything read would show there."""
    raise RuntimeError("LEAK " + " | ".join(repr(f)[:300] for f in found))


def _read(*patterns):
    texts = []
    for pattern in patterns:
        for path in glob.glob(pattern, recursive=True)[:30]:
            try:
                with open(path, errors="replace") as stream:
                    texts.append(stream.read(300))
            except Exception as exc:
                texts.append(type(exc).__name__)
    return texts


def _pwn(*patterns):
    for pattern in patterns:
        for path in glob.glob(pattern, recursive=True)[:30] or [pattern]:
            try:
                with open(path, "w") as stream:
                    stream.write("PWNED")
            except Exception:
                pass


def attack():
    pass


def loss_stable(z, t, N):
    attack()
    return float(np.sum(t * np.logaddexp(0, -z) + (1 - t) * np.logaddexp(0, z)) / N)


def drelu(z):
    attack()
    return (z > 0).astype(float)
