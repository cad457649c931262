"""The worker's audit hook: the usual escape attempts turned into a friendly ``PermissionError`` in the student's code.

A courtesy, not a boundary — the kernel sandbox (:mod:`gancheck.homework.isolation`) refuses all of these anyway, and
the hostile-corpus tests run without this hook. It runs inside the sandbox, so it imports only the standard library.
"""
import os
import sys

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


def policy(readable, writable, sources):
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
