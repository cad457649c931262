"""One sandboxed student process, from the grader's side: start it, send a request, wait for the reply, kill it.

The process is a fresh interpreter (``python -I -S -B``: no site-packages, no user site, no environment variables of
Python's) in a new session, started in an empty temporary directory with a scrubbed environment. Its import path is a
private directory holding the worker (:mod:`.worker`, :mod:`.wire`) and a link to NumPy — so neither gancheck nor the
reference nor any result file is importable or named anywhere it can see. Limits are enforced twice: by the worker's
rlimits and audit hook (see :mod:`.worker`), and here, by a wall-time limit on every request after which the whole
process group is killed. Replies come back on a pipe of their own and are decoded by :mod:`.wire` (plain data only).

What it is not: a filesystem or kernel jail. The audit hook confines what *Python* code can open, start or load
(ctypes is refused); a submission that wrote a compiled extension into its directory and loaded it would leave the
interpreter's reach, and then only the rlimits and the process-group kill hold — and ``RLIMIT_NPROC`` binds only an
unprivileged user. To grade a class you do not trust at all, run the grader as an unprivileged user or in a
container. Nothing the student's process could read is an answer, though: it is never sent an expected value, and
every comparison happens here.
"""
import os
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import numpy as np

from . import wire

HERE = Path(__file__).parent
ENVIRONMENT = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1"}
SIGNALS = {signal.SIGXCPU: "it used up its CPU time", signal.SIGKILL: "it was killed (out of memory?)",
           signal.SIGSEGV: "it crashed (segmentation fault)", signal.SIGXFSZ: "it wrote too large a file"}


class SandboxDied(Exception):
    """The process is gone: it timed out, crashed, exited or broke the protocol. ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _numpy_dirs():
    package = Path(np.__file__).resolve().parent
    return [package] + [p for p in [package.parent / "numpy.libs"] if p.exists()]


class Sandbox:
    def __init__(self, limits):
        self.limits = limits
        self.root = Path(tempfile.mkdtemp(prefix="gancheck-grade-"))
        lib, work = self.root / "lib", self.root / "work"
        lib.mkdir()
        work.mkdir()
        for module in ("worker.py", "wire.py"):
            shutil.copy(HERE / module, lib / module)
        for directory in _numpy_dirs():
            (lib / directory.name).symlink_to(directory)
        self._out = [open(self.root / name, "w+b") for name in ("stdout", "stderr")]
        request_read, self._requests = os.pipe()
        self._replies, reply_write = os.pipe()
        bootstrap = (f"import sys; sys.path[:0] = [{str(lib)!r}]; import worker; "
                     f"worker.main({request_read}, {reply_write})")
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", "-c", bootstrap], cwd=work, env=dict(ENVIRONMENT, HOME=str(work)),
            stdin=subprocess.DEVNULL, stdout=self._out[0], stderr=self._out[1], pass_fds=(request_read, reply_write),
            start_new_session=True)
        os.close(request_read)
        os.close(reply_write)
        paths = sysconfig.get_paths()
        readable = {str(lib), paths["stdlib"], paths["platstdlib"], *map(str, _numpy_dirs())}
        limits = {k: getattr(limits, k) for k in ("memory_mb", "cpu_seconds", "output_kb")}
        self._send({"op": "init", "limits": limits, "readable": sorted(readable)})

    def _send(self, message):
        try:
            wire.send(self._requests, message)
        except OSError:  # the process is already gone
            raise SandboxDied(self._death()) from None

    def request(self, message, seconds):
        """Send ``message`` and return the reply, or kill the process and raise :class:`SandboxDied`."""
        self._send(message)
        deadline = time.monotonic() + seconds

        def wait():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._replies], [], [], remaining)[0]:
                raise TimeoutError

        try:
            return wire.receive(self._replies, wait)
        except TimeoutError:
            self.kill()
            raise SandboxDied(f"it did not finish within {seconds:.3g} s") from None
        except wire.ProtocolError as exc:
            reason = self._death() if str(exc) == "channel closed" else f"it broke the reply protocol ({exc})"
            self.kill()
            raise SandboxDied(reason) from None

    def _death(self):
        """Why the process ended (it closed its end of the pipe: it is exiting or has exited)."""
        try:
            code = self.process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            return "it closed the reply channel"
        if code < 0:
            return SIGNALS.get(-code, f"it was killed by signal {signal.Signals(-code).name}")
        return f"the process exited (status {code}: os._exit, or an exit the grader could not catch)"

    def kill(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group: anything it managed to start dies too
            except ProcessLookupError:
                pass
        self.process.wait()

    def direct_output(self):
        """What the process wrote to its real stdout/stderr (bypassing ``sys.stdout``), first bytes only."""
        keep = self.limits.output_kb * 1024
        texts = []
        for stream in self._out:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(0)
            texts.append((stream.read(keep).decode("utf-8", "replace"), size))
        return texts

    def close(self):
        self.kill()
        for fd in (self._requests, self._replies):
            os.close(fd)
        for stream in self._out:
            stream.close()
        shutil.rmtree(self.root, ignore_errors=True)
