"""``check-formula`` and ``check-sheet`` with every byte of the student's text handled in kernel sandboxes.

Two children, both sandboxes of :mod:`gancheck.homework.isolation`:

* the **checker** runs the command itself — reads the sheet (shown to it read-only), parses every formula and its
  number literals, samples, prints SymPy objects, renders the report — with a wall-time budget (:data:`BUDGET`) and
  the same CPU limit;
* the **solver** (:mod:`.sandbox`, :mod:`.worker`) does the symbolic work the checker asks for, each request under
  its own time limit, restarted after a kill, exactly as the engine expects.

A sandbox cannot start another process, so the parent relays: each line the checker writes is either a request for
the solver — forwarded, its reply written back — or the command's outcome (exit status, stdout, stderr). The parent
parses only these JSON lines (bounded) and prints the outcome through :func:`~gancheck.homework.terminal.printable`.
"""
import json
import os
import select
import stat
import subprocess
import sys
import time
from pathlib import Path

from ... import GancheckError
from ..isolation import sandbox as isolation
from ..terminal import printable
from .sandbox import MAX_REPLY, SOURCE, STARTUP, shared

BUDGET = 90.0              # seconds for a whole command in the checker (a sheet of formulas, with its solver calls)
MAX_OUTPUT = 4 << 20       # characters of a command's output the parent prints
PACKAGES = ("sympy", "mpmath", "yaml", "numpy")
INPUT = f"{isolation.ROOT}/input"
_inside = False


class _Relay:
    """The checker's stand-in for the solver: each request goes to the parent as a line, the reply comes back."""

    def start(self):
        return self

    def ask(self, request):
        print(json.dumps({"ask": request}), flush=True, file=sys.__stdout__)
        reply = json.loads(sys.stdin.readline() or "null")
        return reply if isinstance(reply, dict) else {"error": "the relay closed"}


def inside():
    """Whether this process is the checker (then the command runs here, the solver through the relay)."""
    return _inside


def checker():
    """The checker's entry point: run the command of its first input line (the parsed CLI arguments, as a dict) and
    send its outcome."""
    import contextlib
    import io
    from argparse import Namespace

    from gancheck.cli import formulas
    from gancheck.homework.formulas import engine, sandbox  # noqa: F401 — imported before the budget starts

    global _inside
    _inside, sandbox._shared = True, _Relay()
    print(json.dumps({"ready": True}), flush=True, file=sys.__stdout__)
    command, out, err = json.loads(sys.stdin.readline()), io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            code = formulas.run(Namespace(**command))
        except GancheckError as exc:
            code = 2
            print(f"gancheck: error: {exc}", file=err)
        except Exception as exc:  # noqa: BLE001 — a failure of the checker on this text: one line, never a traceback
            code = 2
            print(f"gancheck: error: the formula checker failed on this input ({type(exc).__name__}: "
                  f"{' '.join(str(exc).split())[:200]})", file=err)
    print(json.dumps({"done": {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}}), flush=True,
          file=sys.__stdout__)


def _sheet_bind(command):
    """The sheet shown read-only to the checker, after checking that it is a regular file."""
    path = Path(command["sheet"])
    try:
        mode = path.resolve().stat().st_mode
    except OSError as exc:
        raise GancheckError(f"{printable(str(path))}: cannot read the sheet ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise GancheckError(f"{printable(str(path))}: the sheet is not a regular file")
    command["sheet"] = f"{INPUT}/sheet{path.suffix[:8]}"
    return {command["sheet"]: path.resolve()}


def run(args):
    """Run the ``check-formula``/``check-sheet`` command ``args`` in the checker; returns its exit status."""
    isolation.fallback()
    solver = shared().start()   # imports SymPy while the checker does the same
    command = {k: v for k, v in vars(args).items() if k != "run"}
    binds = {**isolation.package_binds(*PACKAGES),
             **{f"{isolation.ROOT}/src/{name}": SOURCE / name for name in ("gancheck", "derivations")}}
    shown = command.get("sheet")
    if shown is not None:
        binds.update(_sheet_bind(command))
    limits = isolation.Limits(memory_mb=1536, cpu_seconds=int(BUDGET + STARTUP))
    process = isolation.spawn("gancheck.homework.formulas.relay:checker", binds=binds, limits=limits,
                              path=[f"{isolation.ROOT}/src", f"{isolation.ROOT}/site"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    lines = _Lines(process.popen.stdout)
    try:
        if lines.next(time.monotonic() + STARTUP) != b'{"ready": true}':
            raise GancheckError("the formula checker did not start")
        process.popen.stdin.write((json.dumps(command) + "\n").encode())
        process.popen.stdin.flush()
        outcome = _relay(process, lines, solver, time.monotonic() + BUDGET)
    finally:
        process.close()
        for stream in (process.popen.stdin, process.popen.stdout):
            stream.close()
    for stream, text in ((sys.stdout, outcome["stdout"]), (sys.stderr, outcome["stderr"])):
        text = text[:MAX_OUTPUT] if shown is None else text[:MAX_OUTPUT].replace(command["sheet"], shown)
        stream.write(printable(text))
    return outcome["code"]


class _Lines:
    """The checker's output, a bounded line at a time, each before a deadline."""

    def __init__(self, stream):
        self.fd, self.pending = stream.fileno(), b""

    def next(self, deadline):
        while b"\n" not in self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise GancheckError(f"the formula checker did not finish within {BUDGET:g} s")
            chunk = os.read(self.fd, 1 << 16)
            if not chunk or len(self.pending) > MAX_OUTPUT + MAX_REPLY:
                raise GancheckError("the formula checker stopped without an answer (out of memory or CPU time?)")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line


def _relay(process, lines, solver, deadline):
    """Forward the checker's requests to the solver until its outcome arrives (or the deadline, or garbage)."""
    while True:
        message = _message(lines.next(deadline))
        if "done" in message:
            return message["done"]
        process.popen.stdin.write((json.dumps(solver.ask(message["ask"])) + "\n").encode())
        process.popen.stdin.flush()


def _message(line):
    """A line of the checker's, checked against the two shapes it may have."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        message = None
    if isinstance(message, dict) and isinstance(message.get("ask"), dict):
        return message
    done = message.get("done") if isinstance(message, dict) else None
    if (isinstance(done, dict) and type(done.get("code")) is int and done["code"] in (0, 1, 2)
            and isinstance(done.get("stdout"), str) and isinstance(done.get("stderr"), str)):
        return message
    raise GancheckError("the formula checker sent a reply the parent does not understand")
