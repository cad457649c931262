"""The symbolic side of a verdict: is :math:`S - R` identically 0 on the domain? And the time budget it runs under.

Decided case by case — each ReLU input positive or negative (the kink is checked numerically, :mod:`.decide`), each
label 0 or 1 — by ``cancel``, then ``cancel`` after splitting logarithms, then ``simplify`` (whose first call costs a
second: it imports ``sympy.physics.units``). SymPy's simplification of a hostile formula can run for minutes,
so it runs under a :func:`deadline` (in the limited child: ``SIGALRM`` interrupts it between two Python bytecodes; the
parent's wall-time kill stays the backstop for anything a signal cannot interrupt). Where no timer exists — in a
browser's Pyodide — the deadline is the caller's: the page runs the checker in a Web Worker it can terminate.
"""
import contextlib
import itertools
import signal
import threading

import sympy as sp

ZERO, NONZERO, UNKNOWN, TIMEOUT = "zero", "nonzero", "unknown", "timeout"


class Timeout(BaseException):
    """The :func:`deadline` passed. A ``BaseException``, as ``KeyboardInterrupt``: SymPy code that catches
    ``Exception`` to try another method must not swallow it."""


def difference(expr, kinds):
    """(outcome, constant, case): :data:`ZERO` if ``expr`` is 0 at every point of the domain (``kinds``: Symbol →
    kind); :data:`NONZERO` with the number ``expr`` simplifies to in the ``case`` (a substitution of
    :func:`_cases`) where it is not 0 — SymPy's number, which may still be a zero it could not simplify —, else
    :data:`UNKNOWN`. A :class:`Timeout` propagates."""
    for case in _cases(kinds):
        e = expr.xreplace(case)
        if quick_zero(e):
            continue
        rest = sp.simplify(e)
        if rest == 0:
            continue
        return (NONZERO, rest, case) if rest.is_number else (UNKNOWN, None, case)
    return ZERO, None, {}


def quick_zero(e):
    """``e`` is 0 by the cheap reductions alone — over a common denominator, then with its logarithms split — which
    settle most identities in milliseconds (``simplify`` is left for the rest)."""
    return e == 0 or sp.cancel(sp.together(e)) == 0 or sp.cancel(sp.together(_split_logs(e))) == 0


def _split_logs(e):
    """Every logarithm of a product split where SymPy knows the factors are positive — the losses' logs of
    ``1 + exp(-z)``, ``σ(z)``, ``1 − σ(z)``: ``log((1 + e^z)·e^{-z}) = log(1 + e^z) − z``. Identities only (no
    ``force``), and cheap: ``simplify`` is left for what this does not settle."""
    return e.replace(lambda n: isinstance(n, sp.log),
                     lambda n: sp.expand_log(sp.log(sp.factor_terms(sp.together(n.args[0])))))


def is_zero(expr, kinds):
    """The outcome of :func:`difference` alone."""
    return difference(expr, kinds)[0]


def _cases(kinds):
    """Substitutions covering the domain: a ReLU input is ±p with p > 0, a label is 0 or 1."""
    options = []
    for s, kind in kinds.items():
        if kind == "relu_input":
            p = sp.Symbol(f"{s.name}_pos", positive=True)
            options.append([(s, p), (s, -p)])
        elif kind == "label":
            options.append([(s, sp.Integer(0)), (s, sp.Integer(1))])
    return [dict(choice) for choice in itertools.product(*options)]


def _timer_available():
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def deadline(seconds):
    """Raise :class:`Timeout` inside the block once ``seconds`` of wall time have passed (``None``: no limit, as
    where no interval timer exists). One deadline at a time: the checker sets one per verdict."""
    if seconds is None or not _timer_available():
        yield
        return

    def expire(signum, frame):
        raise Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
        armed = True
    except OSError:  # a sandbox that refuses timers: the parent's wall-time kill still bounds the work
        armed = False
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
