"""The student's side of the sandbox: an interpreter that runs one submission's definitions and answers calls.

:mod:`.sandbox` starts it in a kernel sandbox (:mod:`gancheck.homework.isolation`): by the time :func:`main` runs,
the limits are set and the syscall filter is installed. Then, before any student code runs, it

1. moves the reply pipe to an unadvertised descriptor and gives the student bounded ``sys.stdout``/``sys.stderr``;
2. wraps NumPy's global random functions so that every call's draws are recorded (the generator step's latent batch);
3. unless told otherwise, installs an audit hook that turns the usual escape attempts (processes, signals, sockets,
   ctypes, files outside its view) into a friendly ``PermissionError`` — a courtesy, not a boundary: the kernel
   refuses all of them anyway.

The protocol: :mod:`.wire` messages (JSON + ``.npy`` arrays), one reply per request, in order.

* ``{"op": "init", "output_kb": int, "friendly": bool}`` — first; the reply (no field but the common ones) says the
  worker is ready.
* ``{"op": "exec", "source": str, "file": str, "line": int, "lines": [str]?}`` — run one top-level statement in the
  submission's namespace (``lines``: the whole file, once, so that tracebacks quote it).
* ``{"op": "names"}`` — reply ``callables``: the names of the namespace's callable values.
* ``{"op": "call", "name": str, "args": [array | number | list], "seed": int}`` — seed NumPy's global generator,
  call; reply ``value`` (plain data, see :func:`plain`), ``after`` (each array argument as the call left it, else
  null) and ``draws`` (``[{"function": str, "values": array}]``).
* anything else ends the worker.

Every reply has ``ok`` (bool), ``output`` (``{"text": str, "size": int}``: what the student printed, first
``output_kb`` KiB) and ``seconds``; a failed one has ``error``: ``{"type", "message", "frames": [{"file", "line",
"function", "code"}]}``. The grader checks each reply against this schema (:mod:`.session`) and trusts nothing else.
Nothing here knows an expected answer: the comparisons all happen in the grader's process.
"""
import ast
import linecache
import os
import resource
import signal
import sys
import sysconfig
import time
import traceback

import numpy as np

if __package__:
    from . import wire
else:  # in the sandbox this file and wire.py are top-level modules of a private directory
    import wire

RANDOM_FUNCTIONS = ("rand", "randn", "random", "random_sample", "ranf", "sample", "standard_normal", "normal",
                    "uniform")
MAX_ELEMENTS = 1_000_000    # largest array sent back (or recorded as a draw)
REFUSED_EVENTS = ("os.fork", "os.forkpty", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.kill",
                  "os.killpg", "os.setuid", "os.setgid", "subprocess.", "pty.", "socket.", "ctypes.", "os.chdir",
                  "os.symlink", "os.link", "os.chmod", "os.chown", "os.putenv", "os.unsetenv", "resource.setrlimit",
                  "resource.prlimit", "signal.")
REFUSED_IMPORTS = {"subprocess", "_posixsubprocess", "multiprocessing", "socket", "_socket", "pty", "ssl", "_ssl"}
PATH_EVENTS = {"os.listdir": 0, "os.scandir": 0, "glob.glob": 0, "os.remove": 0, "os.rename": 1, "os.rmdir": 0,
               "os.mkdir": 0, "os.truncate": 0, "os.utime": 0, "shutil.rmtree": 0, "shutil.copyfile": 1,
               "shutil.move": 1}
WRITE_EVENTS = {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.truncate", "os.utime", "shutil.rmtree",
                "shutil.copyfile", "shutil.move"}


def _imported_by(sources):
    """Whether the import being audited was written in the student's own code (not inside a library they import:
    SciPy imports ``subprocess`` for its own purposes)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename.startswith("<frozen importlib"):
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename in sources


def audit_policy(readable, writable, sources):
    """The audit hook: a refused event raises ``PermissionError`` inside the student's code."""
    readable = tuple(os.path.realpath(p) + os.sep for p in readable)
    writable = os.path.realpath(writable) + os.sep

    def inside(path, roots):
        if isinstance(path, int):  # a raw descriptor could be one of our pipes
            return False
        try:
            return (os.path.realpath(os.fsdecode(path)) + os.sep).startswith(roots)
        except (TypeError, ValueError):
            return False

    def hook(event, args):
        if event == "sys._getframe":   # our own, just below; student code may have it too
            return
        if event.startswith(REFUSED_EVENTS):
            raise PermissionError(f"the grader's sandbox does not allow {event}")
        if event == "import" and args[0].split(".")[0] in REFUSED_IMPORTS and _imported_by(sources):
            raise PermissionError(f"the grader's sandbox does not allow importing {args[0]}")
        if event == "open":
            path, mode, flags = args
            writing = (mode is not None and any(m in mode for m in "wax+")) or (
                mode is None and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
            if not inside(path, (writable,) if writing else readable + (writable,)):
                raise PermissionError(f"the grader's sandbox does not allow opening {path!r}")
        elif event in PATH_EVENTS:
            roots = (writable,) if event in WRITE_EVENTS else readable + (writable,)
            if not all(inside(p, roots) for p in args[: PATH_EVENTS[event] + 1]):
                raise PermissionError(f"the grader's sandbox does not allow {event} on {args[0]!r}")

    return hook


class Capture:
    """A bounded text stream: keeps the first ``limit`` characters written, counts the rest."""

    def __init__(self, limit):
        self.limit, self.kept, self.size = limit, [], 0

    def write(self, text):
        text = str(text)
        if self.size < self.limit:
            self.kept.append(text[: self.limit - self.size])
        self.size += len(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    encoding = "utf-8"

    def report(self):
        return {"text": "".join(self.kept), "size": self.size}


def record_random_draws(log):
    """Replace NumPy's global random functions by recording wrappers (before the student's imports bind them)."""
    def wrap(name, draw):
        def recorded(*args, **kwargs):
            out = draw(*args, **kwargs)
            if sum(a.size for _, a in log) + np.size(out) <= MAX_ELEMENTS:   # a huge draw is not a latent batch
                log.append((name, np.array(out, dtype=float)))
            return out
        recorded.__name__, recorded.__doc__ = name, draw.__doc__
        return recorded

    for name in RANDOM_FUNCTIONS:
        setattr(np.random, name, wrap(name, getattr(np.random, name)))


def plain(value, depth=0):
    """``value`` as plain data; anything else becomes a description the grader can show."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return float(value) if abs(int(value)) >= 2**53 else int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in wire.PLAIN_KINDS:
            try:
                value = value.astype(float)
            except (TypeError, ValueError):
                return {"__unsupported__": f"an array of dtype {value.dtype}"}
        if value.size > MAX_ELEMENTS:
            return {"__unsupported__": f"an array of shape {value.shape} (too large to compare)"}
        return np.array(value)
    if isinstance(value, (tuple, list)) and depth < 3:
        return [plain(v, depth + 1) for v in value[:64]]
    return {"__unsupported__": f"a {type(value).__name__}"}


def error_report(exc, sources):
    frames = [{"file": f.filename, "line": f.lineno, "function": f.name, "code": f.line}
              for f in traceback.extract_tb(exc.__traceback__) if f.filename in sources]
    try:
        message = str(exc)[:500]
    except BaseException:  # a student-defined __str__ may itself fail
        message = "(unprintable)"
    return {"type": type(exc).__name__, "message": message, "frames": frames[-3:]}


def readable_roots():
    """What the audit hook lets the student read: the interpreter's library and everything on the import path (the
    worker, NumPy and SciPy, the submission's own files)."""
    paths = sysconfig.get_paths()
    return sorted({paths["stdlib"], paths["platstdlib"], *(p for p in sys.path if p)})


def _free_descriptor():
    """A random descriptor number in the upper half of the allowed range that nothing uses (not the request pipe)."""
    top = min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 4096)
    while True:
        candidate = top // 2 + int.from_bytes(os.urandom(2), "little") % (top // 2)
        try:
            os.fstat(candidate)
        except OSError:
            return candidate


def main(request_fd, reply_fd):
    init = wire.receive(request_fd)
    channel = os.dup2(reply_fd, _free_descriptor())   # an unadvertised, unpredictable descriptor
    os.close(reply_fd)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with EFBIG instead of killing us
    # exit() and quit() are what `site` would have added (the sandbox runs without it): the student may call them
    namespace = {"__name__": "submission", "__builtins__": __builtins__, "exit": sys.exit, "quit": sys.exit}
    draws, sources = [], set()
    record_random_draws(draws)
    if init.get("friendly", True):
        sys.addaudithook(audit_policy(readable_roots(), os.getcwd(), sources))
    output_limit = int(init["output_kb"]) * 1024
    wire.send(channel, {"ok": True, "output": {"text": "", "size": 0}, "seconds": 0.0})   # ready
    while True:
        request = wire.receive(request_fd)
        stdout = sys.stdout = sys.stderr = Capture(output_limit)
        reply, start = {"ok": True}, time.perf_counter()
        try:
            if request["op"] == "exec":
                sources.add(request["file"])
                if "lines" in request:  # so that tracebacks quote the student's own lines
                    linecache.cache[request["file"]] = (0, None, request["lines"], request["file"])
                tree = ast.increment_lineno(ast.parse(request["source"]), request["line"] - 1)
                exec(compile(tree, request["file"], "exec"), namespace)
            elif request["op"] == "names":
                reply["callables"] = sorted(k for k, v in list(namespace.items()) if callable(v))
            elif request["op"] == "call":
                function, args = namespace.get(request["name"]), request["args"]
                if not callable(function):
                    raise NameError(f"name {request['name']!r} is not defined")
                np.random.seed(request["seed"])
                draws.clear()
                value = function(*args)
                reply.update(value=plain(value), after=[a if isinstance(a, np.ndarray) else None for a in args],
                             draws=[{"function": n, "values": a} for n, a in draws])
            else:
                return
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the student's, not ours
            reply = {"ok": False, "error": error_report(exc, sources)}
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        reply.update(output=stdout.report(), seconds=time.perf_counter() - start)
        try:
            wire.send(channel, reply)
        except BaseException as exc:  # e.g. an array the student poisoned: report it, not a dead worker
            wire.send(channel, {"ok": False, "error": {"type": type(exc).__name__, "message": "reply not sendable",
                                                       "frames": []}, "output": stdout.report(), "seconds": 0.0})
