"""The one list of derivations, by name: the CLI (``gancheck derive`` / ``gancheck verify``), the tests, the docs and
the homework checker read it. Modules load on first use, so asking for one derivation does not build the others.

The entries follow the lecture (seed 001): one per result it states, 24 in all (more may follow the DCGAN seeds).
:data:`ANSWERS` names the closed forms a student can be asked for; :func:`answer` returns the derivation and its Claim.
"""
import importlib
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
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
    "conv": ("conv", "derive", ()),
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


def idle_cores():
    """Cores not busy (CPU count minus the 1-minute load average), at least 1."""
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return max(1, int((os.cpu_count() or 1) - busy + 0.5))


def verify_all(names, seed=0, cache=None, workers=None):
    """The verdicts of ``names``, in order, as an iterator. Derivations run side by side in ``workers`` forked
    processes — by default as many as there are idle cores, at most 2: each proof and check is single-threaded, but
    two workers warm SymPy's caches twice (~40 % more CPU), which only pays when the cores are free; on a busy machine
    one process is faster. One name, or one worker, runs here."""
    workers = min(len(names), workers or min(2, idle_cores()))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (verify(name, seed, cache) for name in names)
        return
    for name in names:  # import once here: the forked workers share the modules (SymPy, SciPy) instead of re-importing
        if _ENTRIES.get(name):
            importlib.import_module(f".{_ENTRIES[name][0]}", __package__)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(verify, name, seed, cache) for name in names]
        for name, future in zip(names, futures):
            try:
                yield future.result()
            except Exception as exc:  # a worker that died (killed, out of memory) fails its row, not the table
                yield Verdict(name, None, None, 0.0, f"{type(exc).__name__}: {exc}")


# The closed forms a student can be asked for, by name → (derivation, claim label). Each is a SymPy Claim whose symbols
# carry their assumptions (Claim.symbols) and whose domain lists the constraints they cannot (Claim.domain).
ANSWERS = {
    "D*(x)": ("optimal-d", "D*"),
    "V(G, D*)": ("jsd", "V(G,D*)"),
    "min_G C(G)": ("optimal-g", "min C(G)"),
    "JSD lower bound": ("jsd-definition", "JSD min"),
    "JSD upper bound": ("jsd-definition", "JSD max"),
    "KL(N(mu, sigma^2) || N(0, 1))": ("vae", "KL 1-D"),
    "ELBO": ("elbo", "ELBO"),
    "ELBO gap": ("elbo", "ELBO gap"),
    "log p(x)": ("elbo", "log p(x)"),
    "d/dz log(1 - D(G(z)))": ("saturation", "d/dz log(1-σ)"),
    "d/dz -log D(G(z))": ("saturation", "d/dz -log σ"),
    "minimax / non-saturating gradient ratio": ("saturation", "ratio"),
    "W1 of the parallel lines": ("parallel-lines", "W parallel lines"),
    "weather H(P) bits": ("entropy", "H(P) bits"),
    "weather H(P, Q) bits": ("cross-entropy", "H(P,Q) bits"),
    "weather KL(P || Q) bits": ("kl", "KL(P||Q) bits"),
    **{f"f-GAN conjugate {name}": ("fgan-conjugates", f"f* {name}")
       for name in ("KL", "reverse KL", "JS", "Jeffrey", "Pearson")},
    **{f"f-GAN output activation {name}": ("fgan-conjugates", f"g_f {name}")
       for name in ("KL", "reverse KL", "JS", "Jeffrey", "Pearson")},
}


def claim(name, label):
    """The :class:`derivations.core.Claim` ``label`` of the derivation ``name``."""
    for c in get(name).claims:
        if c.label == label:
            return c
    raise GancheckError(f"{name} has no claim {label!r}; it has {', '.join(c.label for c in get(name).claims)}")


def answer(quantity):
    """``(derivation name, Claim)`` of an answer quantity in :data:`ANSWERS`."""
    if quantity not in ANSWERS:
        raise GancheckError(f"unknown answer quantity {quantity!r}; choose from {', '.join(ANSWERS)}")
    name, label = ANSWERS[quantity]
    return name, claim(name, label)
