"""The one list of derivations, by name: the CLI (``gancheck derive`` / ``gancheck verify``), the tests, the docs and
the homework checker read it. Modules load on first use, so asking for one derivation does not build the others.
"""
import importlib
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from gancheck import GancheckError

# name → (module, factory, arguments); in the lecture's order (seed 001), one entry per result it states
_ENTRIES = {
    "vae": ("vae", "derive", ()),
    "reparameterisation": ("reparameterisation", "derive", ()),
    "elbo": ("elbo", "derive", ()),
    "entropy": ("information", "derive", ("entropy",)),
    "cross-entropy": ("information", "derive", ("cross-entropy",)),
    "kl": ("information", "derive", ("kl",)),
    "jsd-definition": ("jsd_definition", "derive", ()),
    "optimal-d": ("optimal_d", "derive", ()),
    "jsd": ("jsd", "derive", ()),
    "optimal-g": ("optimal_g", "derive", ()),
    "bce": ("bce", "derive", ()),
    "disc-backprop": ("disc_backprop", "derive", ()),
    "gen-backprop": ("gen_backprop", "derive", ("nonsaturating",)),
    "gen-backprop-minimax": ("gen_backprop", "derive", ("minimax",)),
    "saturation": ("saturation", "derive", ()),
    "strong-discriminator": ("disjoint", "derive", ()),
    "fdivergences": ("fdivergences", "derive", ()),
    "fgan-conjugates": ("conjugates", "derive", ()),
    "wasserstein": ("wasserstein", "derive", ()),
    "parallel-lines": ("parallel_lines", "derive", ()),
    "kantorovich-rubinstein": ("duality", "derive", ()),
    "weight-clipping": ("clipping", "derive", ()),
    "wgan-algorithm": ("wgan_algorithm", "derive", ()),
    "keras-parameters": ("keras", "derive", ()),
}


def names():
    return list(_ENTRIES)


@lru_cache(maxsize=None)
def get(name):
    """The :class:`derivations.core.Derivation` called ``name`` (built once per process)."""
    if name not in _ENTRIES:
        raise GancheckError(f"unknown derivation {name!r}; choose from {', '.join(_ENTRIES)}")
    module, factory, args = _ENTRIES[name]
    return getattr(importlib.import_module(f".{module}", __package__), factory)(*args)


@dataclass(frozen=True)
class Verdict:
    """One row of ``gancheck verify``: the symbolic proof, the numeric check, and the time both took (building the
    derivation included)."""

    name: str
    proof: object  # ProofResult, or None if the derivation raised
    check: object  # CheckResult, or None
    seconds: float
    error: str = ""

    @property
    def passed(self):
        return not self.error and self.proof.passed and self.check.passed


def verify(name, seed=0, cache=None):
    """Prove (through ``cache`` if given, see :mod:`derivations.proofcache`) and check ``name``; an exception inside
    the derivation becomes a failed verdict, never a lost table."""
    if name not in _ENTRIES:
        get(name)  # raises the one-line error
    t0 = time.perf_counter()
    try:
        derivation = get(name)
        proof = derivation.prove(cache=cache)
        check = derivation.check(np.random.default_rng(seed))
        return Verdict(name, proof, check, time.perf_counter() - t0)
    except Exception as exc:  # a bug in one derivation must not hide the others' results
        return Verdict(name, None, None, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}")
