"""One student's sandboxed process, from the grader's side: start it, send a request, wait for the reply, kill it.

The process is a kernel sandbox of :mod:`gancheck.homework.isolation` (bubblewrap namespaces, a seccomp filter,
rlimits — the design and its threat model are in :mod:`gancheck.homework.isolation.sandbox`). Its view holds

* ``/sandbox/lib`` — the worker (:mod:`.worker`, :mod:`.wire`, :mod:`.plan`, :mod:`.audit`, :mod:`.imports`,
  :mod:`.proctor`): the only gancheck code it can import;
* ``/sandbox/site`` — the packages a submission may import (the assignment's ``imports``; NumPy and SciPy by
  default), nothing else of the environment;
* ``/sandbox/submission`` — the submission's own files, read-only: the one file of a single-file submission, or the
  student's whole directory (also on ``sys.path``, though their modules are served by :mod:`.imports`);
* ``/tmp`` — a small scratch ``tmpfs``, its working directory.

Every request has a wall-time limit, enforced here: past it the whole sandbox (its PID namespace) is killed. Replies
come back on a pipe of their own and are decoded by :mod:`.wire` (plain data, bounded, no pickle). The protocol
(:mod:`.worker` documents each request and its reply) carries nothing the student could use: it is never sent an
expected value, and every comparison happens in the grader's process.
"""
import os
import select
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ..isolation import sandbox as isolation
from . import wire

HERE = Path(__file__).parent
PACKAGES = ("numpy", "scipy")   # the default; numpy is always there (the worker needs it)
LIB = ("worker.py", "wire.py", "plan.py", "audit.py", "imports.py", "proctor.py")
STARTUP = 60.0    # seconds for the interpreter and NumPy to start, on a machine as loaded as CI's can be
FRIENDLY = True   # the audit hook's friendly messages (the hostile-corpus tests turn it off: the kernel must suffice)
SIGNALS = {signal.SIGXCPU: "it used up its CPU time", signal.SIGKILL: "it was killed (out of memory?)",
           signal.SIGSEGV: "it crashed (segmentation fault)", signal.SIGXFSZ: "it wrote too large a file",
           signal.SIGSYS: "it made a system call of a foreign architecture"}


class SandboxDied(Exception):
    """The process is gone: it timed out, crashed, exited or broke the protocol. ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _binds(files, root, packages):
    binds = {f"{isolation.ROOT}/lib/{module}": HERE / module for module in LIB}
    binds.update(isolation.package_binds(*dict.fromkeys(("numpy", *packages))))
    if root is not None:
        binds[f"{isolation.ROOT}/submission"] = root
    binds.update({f"{isolation.ROOT}/submission/{name}": path for name, path in (files or {}).items()})
    return binds


class Sandbox:
    """A student's process: ``files`` (name → path) are shown at ``/sandbox/submission/NAME``, or the directory
    ``root`` is shown there whole; ``packages`` may be imported; ``setup`` goes into the worker's ``init`` request
    (entry, stubs, the student's modules). ``friendly=False`` leaves out the audit hook (the tests' proof that the
    kernel alone holds)."""

    def __init__(self, limits, files=None, friendly=None, root=None, packages=PACKAGES, setup=None):
        friendly = FRIENDLY if friendly is None else friendly
        self.limits = limits
        self._scratch = tempfile.TemporaryDirectory(prefix="gancheck-grade-")
        self._out = [open(Path(self._scratch.name) / name, "w+b") for name in ("stdout", "stderr")]
        request_read, self._requests = os.pipe()
        self._replies, reply_write = os.pipe()
        kernel = isolation.Limits(memory_mb=limits.memory_mb, cpu_seconds=limits.cpu_seconds)
        try:
            self.process = isolation.spawn(
                "worker:main", args=[request_read, reply_write], binds=_binds(files, root, packages), limits=kernel,
                path=[f"{isolation.ROOT}/{d}" for d in ("lib", "site", "submission")],
                pass_fds=(request_read, reply_write), stdout=self._out[0], stderr=self._out[1])
        except BaseException:
            for fd in (self._requests, self._replies):
                os.close(fd)
            self._close_files()
            raise
        finally:
            os.close(request_read)
            os.close(reply_write)
        try:
            self.send({"op": "init", "output_kb": limits.output_kb, "friendly": friendly, **(setup or {})})
            self.receive(STARTUP, "start")   # the worker is ready: start-up is not charged to the first statement
        except SandboxDied as died:   # say what bubblewrap or the interpreter said, if anything
            said = self.direct_output()[1][0].strip().splitlines()[-1:]
            self.close()
            raise SandboxDied(died.reason + "".join(f" — it said: {line[:200]}" for line in said)) from None

    def send(self, message):
        try:
            wire.send(self._requests, message)
        except OSError:  # the process is already gone
            raise SandboxDied(self._death()) from None

    def request(self, message, seconds):
        """Send ``message`` and return the (first) reply, or kill the process and raise :class:`SandboxDied`."""
        self.send(message)
        return self.receive(seconds)

    def receive(self, seconds, what="finish"):
        """The next reply (a request for several items has one per item), within ``seconds``."""
        deadline = time.monotonic() + seconds

        def wait():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._replies], [], [], remaining)[0]:
                raise TimeoutError

        try:
            return wire.receive(self._replies, wait)
        except TimeoutError:
            self.kill()
            raise SandboxDied(f"it did not {what} within {seconds:.3g} s") from None
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
        if code < 0 or 128 < code < 128 + 65:   # bubblewrap reports its child's death by signal N as 128 + N
            number = -code if code < 0 else code - 128
            return SIGNALS.get(number, f"it was killed by signal {_signal_name(number)}")
        return f"the process exited (status {code}: os._exit, or an exit the grader could not catch)"

    def kill(self):
        self.process.kill()

    def direct_output(self):
        """What the process wrote to its real stdout/stderr (bypassing ``sys.stdout``), first bytes only."""
        keep = self.limits.output_kb * 1024
        texts = []
        for stream in self._out:
            size = stream.seek(0, os.SEEK_END)
            stream.seek(0)
            texts.append((stream.read(keep).decode("utf-8", "replace"), size))
        return texts

    def _close_files(self):
        for stream in self._out:
            stream.close()
        self._scratch.cleanup()

    def close(self):
        self.process.close()
        for fd in (self._requests, self._replies):
            os.close(fd)
        self._close_files()


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
