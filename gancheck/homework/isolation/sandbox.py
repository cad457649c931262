"""Kernel sandboxes for untrusted code and text: bubblewrap namespaces, a seccomp filter, rlimits, a parent's clock.

Everything a student hands in that must be *run* (their NumPy code) or *parsed and simplified* (their formulas) is
handled in a child process started by :func:`spawn`. The design, and why:

* **bubblewrap** (``bwrap``, Debian's ``bubblewrap``, the sandbox of Flatpak) builds the sandbox from the kernel's
  own namespaces; it is small, audited, unprivileged (user namespaces) and in every distribution. nsjail would do as
  well but is not packaged in Debian 12; a hand-written ``unshare``/``clone`` wrapper would be code of ours on the
  boundary. Each sandbox gets its own user (uid 65534 inside, no capabilities, no further user namespaces), PID,
  network (loopback only, down), IPC, UTS and cgroup namespaces, a new session (no terminal to type into), and dies
  with its parent.
* **A mount view of nothing but what it needs**, read-only: ``/usr``, the Python installation, the few packages the
  child imports (bound one by one under ``/sandbox/site``), our own boot and worker modules, and the submission's
  files at ``/sandbox/submission``; a small ``tmpfs`` for scratch (the working directory) and a fresh ``/proc`` that
  shows only the sandbox's own processes. No ``/etc``, no home, no other student, no reference, no results.
* **A seccomp filter** (:mod:`.seccomp`), installed by :mod:`.confine` inside the sandbox before the first byte of
  student input is looked at: no ``execve``, no new processes (threads only), no sockets, no ``ptrace``, no
  ``mknod``, no xattrs, no keyrings, no ``prlimit`` on another process, no mounts or namespaces, no BPF, io_uring,
  userfaultfd or perf.
* **rlimits** (:class:`Limits`): address space, CPU time, open files, file size, threads, no core dumps; a size-capped
  ``tmpfs``. As no second process can exist, the address-space limit bounds the sandbox's memory.
* **The parent's clock**: the caller enforces wall time and :meth:`Process.kill` ends the sandbox's PID namespace —
  its init is killed through a pidfd, so every process in it dies with it, however it was started.

The Python audit hook of the code worker (:mod:`..code.worker`) stays as a first layer that turns the common
attempts into friendly messages; nothing depends on it, and the tests run the hostile corpus with it removed.

Threat model. *Contained*: arbitrary Python and native code (``ctypes``, a compiled ``.so``) in the student's process
— it cannot read or write outside its view, start programs, fork, reach the network, signal or trace the grader or
another student, outlive its sandbox, or use more than its limits; what it sends back is parsed by the parent as
untrusted data (bounded, schema-checked, no pickle). *Not contained*: kernel bugs (the sandbox is only as strong as
the namespaces and seccomp of the running kernel — keep it patched); side channels (CPU timing, cache); denial of
service within the limits (a sandbox may burn its CPU and memory budget, and ``--jobs`` of them run at once); the
read-only view itself (``/usr``, the Python installation and the listed packages are readable — no secrets should
live there). Outside the user namespace the sandbox runs as the grader's own uid (unprivileged bubblewrap maps
nothing else), so run the grader as an unprivileged user, never as root in production.

Production. Grade in a throw-away container with no credentials mounted, as an unprivileged user, e.g. ``docker run
--rm --network none --user 1000:1000 --security-opt seccomp=unconfined`` (or a custom profile allowing ``unshare``,
``clone`` with namespace flags, ``mount`` and ``pivot_root``, which bubblewrap needs to build the sandbox; Docker's
default profile refuses them), ``--memory`` and ``--pids-limit`` for the whole run, and the class directory mounted
read-only with an output directory the only writable mount. Inside, ``apt-get install bubblewrap``. Where user
namespaces are unavailable, :func:`probe` says why and ``gancheck grade`` refuses to run students' code unless the
instructor passes ``--unsafe-no-isolation`` (then only the rlimits, the seccomp filter and the audit hook remain).
A student checking their *own* work — ``check-formula``, ``check-sheet``, the pytest suite, perhaps on a laptop
without bubblewrap — gets that mode with a one-line warning instead (:func:`fallback`).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ... import GancheckError
from . import seccomp
from .process import Process
from .view import ENVIRONMENT, ROOT, bwrap_argv, linked_view, package_binds

BOOT = Path(__file__).with_name("confine.py")
BOOTSTRAP = "import sys; sys.path[:0] = [sys.argv[1]]; del sys.argv[1]; import confine; confine.main()"
MODES = ("kernel", "none")
TAG = "GANCHECK_SANDBOX_TAG"   # a label in the sandbox's command line, for :func:`running` (tests find their own)
_mode = "kernel"
__all__ = ["ROOT", "IsolationUnavailable", "Limits", "Process", "package_binds", "probe", "require", "running",
           "set_mode", "spawn"]


class IsolationUnavailable(GancheckError):
    """The kernel sandbox cannot be built on this machine (the message says why and what to do)."""


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 512
    cpu_seconds: int = 60
    open_files: int = 64
    file_mb: int = 16        # largest file it may write (its stdout and stderr are files too)
    threads: int = 16        # processes and threads of its user; fork is refused anyway
    scratch_mb: int = 16     # the tmpfs of its working directory

    def rlimits(self):
        mib = 1 << 20
        return {"AS": self.memory_mb * mib, "CPU": self.cpu_seconds, "NOFILE": self.open_files,
                "FSIZE": self.file_mb * mib, "NPROC": self.threads, "CORE": 0}


def set_mode(mode):
    """``"kernel"`` (the default: bubblewrap or nothing) or ``"none"`` (the instructor's explicit
    ``--unsafe-no-isolation``: no namespaces, only limits, the filter and the audit hook)."""
    global _mode
    if mode not in MODES:
        raise ValueError(f"isolation mode must be one of {MODES}, got {mode!r}")
    _mode = mode


def require():
    """Raise :class:`IsolationUnavailable` unless kernel sandboxes work here or isolation is explicitly off."""
    reason = probe() if _mode == "kernel" else None
    if reason is not None:
        raise IsolationUnavailable(reason)


def spawn(entry, *, args=(), binds=None, path=(), limits=Limits(), pass_fds=(), stdin=subprocess.DEVNULL,
          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, isolate=None):
    """Start ``entry`` (``"module:function"``, called with ``args``) in a new sandbox; returns a :class:`Process`.

    ``binds`` maps paths below ``/sandbox`` to the host files or directories shown there, read-only; ``path`` lists
    the sandbox directories put first on ``sys.path``. Without kernel isolation (:func:`set_mode` ``"none"``) the
    same view is made of symbolic links in a temporary directory; ``isolate`` overrides the mode."""
    isolate = _mode == "kernel" if isolate is None else isolate
    if isolate:
        require()
    return _launch(entry, args, binds, path, limits, pass_fds, (stdin, stdout, stderr), isolate)


def _launch(entry, args, binds, path, limits, pass_fds, streams, isolate):
    stdin, stdout, stderr = streams
    binds = {f"{ROOT}/boot/confine.py": BOOT, **(binds or {})}
    spec = {"limits": limits.rlimits(), "seccomp": _filter(isolate), "entry": entry, "args": list(args),
            "tag": os.environ.get(TAG, ""), "strict": isolate}
    if not isolate:   # the instructor's --unsafe-no-isolation: the same view, made of links, and no namespaces
        scratch = Path(tempfile.mkdtemp(prefix="gancheck-unisolated-"))
        place = linked_view(binds, scratch)
        place(f"{ROOT}/tmp").mkdir()
        spec["path"] = [str(place(p)) for p in path]
        argv = [sys.executable, "-I", "-S", "-B", "-c", BOOTSTRAP, str(place(f"{ROOT}/boot")), json.dumps(spec)]
        work = place(f"{ROOT}/tmp")
        popen = subprocess.Popen(argv, cwd=work, env=dict(ENVIRONMENT, HOME=str(work)), stdin=stdin, stdout=stdout,
                                 stderr=stderr, pass_fds=pass_fds, start_new_session=True)
        return Process(popen, None, scratch)
    if shutil.which("bwrap") is None:
        raise IsolationUnavailable(_MISSING)
    spec["path"] = list(path)
    info_read, info_write = os.pipe()   # bubblewrap writes the pid of the namespace's init there
    python = os.path.realpath(sys.executable)
    argv = bwrap_argv(binds, limits, info_write) + [python, "-I", "-S", "-B", "-c", BOOTSTRAP, f"{ROOT}/boot",
                                                    json.dumps(spec)]
    try:
        popen = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=stderr,
                                 pass_fds=(*pass_fds, info_write), start_new_session=True)
    finally:
        os.close(info_write)
    return Process(popen, info_read, None)


def _filter(isolate):
    """The seccomp program in hex; without isolation, on a system that has no libseccomp (macOS), none."""
    try:
        return seccomp.program().hex()
    except (ImportError, OSError, AttributeError):
        if isolate:
            raise IsolationUnavailable("the syscall filter needs libseccomp (apt-get install libseccomp2)") from None
        return ""


def fallback():
    """For a student checking their *own* work (``check-formula``, ``check-sheet``, the pytest suite): isolation
    off where the kernel sandbox is unavailable, with one line saying so. ``gancheck grade`` never does this."""
    reason = probe() if _mode == "kernel" else None
    if reason is not None:
        set_mode("none")
        print(f"gancheck: warning: no kernel sandbox ({reason}); checking in limited child processes only",
              file=sys.stderr)


def running(tag=None):
    """``[(pid, command)]`` of the sandboxes alive on this machine (their launchers and interpreters) — what must be
    empty once a grade is over; with ``tag``, only those started while the environment's :data:`TAG` was ``tag``."""
    found, label = [], f'"tag": {json.dumps(tag)}'.encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if BOOTSTRAP.encode() in command and (tag is None or label in command):
            found.append((int(pid), command.replace(b"\0", b" ").decode(errors="replace")[:120]))
    return found


_MISSING = ("students' code runs only in a kernel sandbox, and bubblewrap is not installed: `apt-get install "
            "bubblewrap` (or pass --unsafe-no-isolation to run it without one, on a machine you can lose)")


_working = False


def probe():
    """``None`` when kernel sandboxes work here, else one line saying why not (and what to do). A success is
    remembered for the process; a failure is tried again (three times, then next call), as a machine under load can
    fail one start."""
    global _working
    if _working:
        return None
    if shutil.which("bwrap") is None:
        return _MISSING
    for _ in range(3):
        reason = _try_one()
        if reason is None:
            _working = True
            return None
    return reason


def _try_one():
    try:
        process = _launch("confine:set_limits", [{}], None, (), Limits(), (),
                          (subprocess.DEVNULL, subprocess.DEVNULL, subprocess.PIPE), True)
        _, err = process.popen.communicate(timeout=60)
        process.close()
    except (OSError, subprocess.SubprocessError, GancheckError) as exc:
        return f"the kernel sandbox cannot start ({exc})"
    if process.popen.returncode != 0:
        reason = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        return (f"the kernel sandbox cannot start on this machine (bwrap: {reason[0][:200]}); user namespaces may "
                "be disabled — pass --unsafe-no-isolation to grade without it, on a machine you can lose")
    return None
