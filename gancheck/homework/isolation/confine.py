"""The first code every sandboxed interpreter runs: limits, the syscall filter, then the module it was started for.

:mod:`.sandbox` starts ``python -I -S -B -c <bootstrap> SPEC`` where SPEC (JSON) carries the resource limits, the
seccomp program, the import path and the entry point. This module sets the limits, installs the filter — from here on
no ``execve``, no new process, no socket … (see :mod:`.seccomp`) — and only then imports the entry point, which is the
first place a student's code or text can be reached. If the filter cannot be installed, nothing runs.

It runs on the far side of the boundary, so it imports only the standard library.
"""
import ctypes
import importlib
import json
import resource
import sys

PR_SET_NO_NEW_PRIVS = 38
SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC = 317, 1, 1   # x86-64


class _Program(ctypes.Structure):   # struct sock_fprog
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def set_limits(limits, strict=True):
    """``limits``: rlimit name (``"AS"``, ``"CPU"`` …) → value; soft = hard, except CPU whose soft limit signals
    SIGXCPU one second before the hard one kills. Not ``strict`` (no isolation asked for), a limit the system does
    not support is left out."""
    for name, value in limits.items():
        hard = value + 1 if name == "CPU" else value
        try:
            resource.setrlimit(getattr(resource, f"RLIMIT_{name}"), (value, hard))
        except (ValueError, OSError, AttributeError):
            if strict:
                raise


def install(bpf):
    """Install the raw BPF program ``bpf`` on every thread of this process, for good."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    buffer = ctypes.create_string_buffer(bpf, len(bpf))
    program = _Program(len(bpf) // 8, ctypes.addressof(buffer))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or libc.syscall(
            SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(program)) != 0:
        raise OSError(ctypes.get_errno(), "the syscall filter could not be installed")


def main():
    spec = json.loads(sys.argv.pop(1))
    set_limits(spec["limits"], spec["strict"])
    if spec["seccomp"] or spec["strict"]:
        install(bytes.fromhex(spec["seccomp"]))
    sys.path[:0] = spec["path"]
    module, function = spec["entry"].split(":")
    getattr(importlib.import_module(module), function)(*spec["args"])
