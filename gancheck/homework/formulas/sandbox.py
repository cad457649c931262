"""The parent side of the sandbox: a warm child process (:mod:`.worker`) that does the symbolic work.

Why a process: SymPy's ``simplify`` on an adversarial formula can run for minutes or eat all memory, and a thread
cannot be stopped (``signal.alarm`` only works in the main thread). The child is a kernel sandbox of
:mod:`gancheck.homework.isolation` — namespaces, the seccomp filter, an address-space and a CPU limit set before SymPy
is imported; it sees only the Python installation, SymPy, mpmath and gancheck's own source — and the parent keeps a
wall-time limit per request: past it the sandbox is killed and the answer is ``{"error": "timeout"}``, which the
verdict reports as "undecided". The next request starts a fresh child. Only JSON crosses the boundary — nothing the
child produces is unpickled or evaluated.

The child is started early (:meth:`Sandbox.start`) so importing SymPy overlaps the parent's own parsing, and stays
warm across requests: a whole answer sheet costs one start-up.
"""
import atexit
import json
import os
import select
import subprocess
import threading
import time
from pathlib import Path

from ..isolation import sandbox as isolation

TIMEOUT = 3.0              # seconds of wall time per request; ordinary answers need < 0.2 s
MEMORY = 1536 * 2**20      # bytes of address space for the child (SymPy itself maps ~200 MB)
STARTUP = 60.0             # seconds allowed for the child to import SymPy on a loaded machine
MAX_REPLY = 2**20          # bytes: a longer reply is a broken child
CPU_BACKSTOP = 600         # seconds of CPU in the child's whole life: kills a runaway child even if its parent is gone
SOURCE = Path(__file__).resolve().parents[3]   # the directory holding the gancheck and derivations packages


class Sandbox:
    """A restartable worker process; :meth:`ask` sends one request and returns the reply dict, or
    ``{"error": ...}`` on timeout, crash or a malformed reply."""

    def __init__(self, timeout=TIMEOUT, memory=MEMORY):
        self.timeout, self.memory = timeout, memory
        self._proc, self._buffer, self._ready = None, b"", False
        self._lock = threading.Lock()
        self.restarts = 0  # how many children were killed or lost (tests and benchmarks read it)

    @property
    def pid(self):
        return self._proc.pid if self._proc else None

    def start(self):
        """Spawn the child now if none is running (returns at once; the child imports SymPy meanwhile)."""
        if self._proc is None or self._proc.poll() is not None:
            binds = {**isolation.package_binds("sympy", "mpmath", "yaml"),
                     **{f"{isolation.ROOT}/src/{name}": SOURCE / name for name in ("gancheck", "derivations")}}
            limits = isolation.Limits(memory_mb=self.memory >> 20, cpu_seconds=CPU_BACKSTOP)
            self._proc = isolation.spawn(
                "gancheck.homework.formulas.worker:main", binds=binds, limits=limits,
                path=[f"{isolation.ROOT}/src", f"{isolation.ROOT}/site"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE)
            self._buffer, self._ready = b"", False
        return self

    def ask(self, request):
        with self._lock:
            self.start()
            if not self._ready:
                hello = self._read_line(STARTUP)
                if not (isinstance(hello, dict) and hello.get("ready")):
                    return self._fail("the sandbox did not start")
                self._ready = True
            try:
                self._proc.popen.stdin.write((json.dumps(request) + "\n").encode())
                self._proc.popen.stdin.flush()
            except (BrokenPipeError, OSError):
                return self._fail("the sandbox stopped")
            reply = self._read_line(self.timeout)
            if reply is None:
                return self._fail("timeout")
            return reply if isinstance(reply, dict) else self._fail("malformed reply")

    def _read_line(self, seconds):
        """One JSON value from the child within ``seconds``; None on timeout, EOF or garbage."""
        deadline = time.monotonic() + seconds
        fd = self._proc.popen.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or len(self._buffer) > MAX_REPLY:
                return None
            if not select.select([fd], [], [], remaining)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            return None

    def _fail(self, reason):
        self.close()
        self.restarts += 1
        return {"error": reason}

    def close(self):
        """Kill the child (if any); the next request starts a new one."""
        if self._proc is not None:
            self._proc.close()
            for stream in (self._proc.popen.stdin, self._proc.popen.stdout):
                stream.close()
            self._proc = None


_shared = None


def shared():
    """The process-wide sandbox (started on first use, killed at exit)."""
    global _shared
    if _shared is None:
        _shared = Sandbox()
        atexit.register(_shared.close)
    return _shared
