"""The kernel sandbox itself (gancheck.homework.isolation): what its child sees, what the kernel refuses, how it ends.

A tiny probe module is shown to the child; it reports, one JSON line, what it can do. The same probe runs without
namespaces (``isolate=False``, the instructor's --unsafe-no-isolation): the syscall filter and the limits still hold.
"""
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from gancheck.homework.isolation import seccomp
from gancheck.homework.isolation.sandbox import Limits, running, spawn
from hostile import kernel_sandbox_or_skip

pytestmark = pytest.mark.xdist_group("isolation")  # one worker computes the module-scoped fixture once

PROBE = '''
import ctypes, json, os, resource, socket, sys, time

def attempt(action):
    try:
        action()
        return "allowed"
    except BaseException as exc:
        return type(exc).__name__

def main(mode):
    if mode == "hang":
        print("ready", flush=True)
        while True:
            time.sleep(1)
    libc = ctypes.CDLL(None, use_errno=True)
    print(json.dumps({
        "uid": os.getuid(), "pid": os.getpid(), "root": sorted(os.listdir("/")), "cwd": os.getcwd(),
        "exec": attempt(lambda: os.execv("/usr/bin/true", ["true"])),
        "fork": attempt(os.fork),
        "socket": attempt(lambda: socket.socket()),
        "mknod": attempt(lambda: os.mknod("node")),
        "prlimit": attempt(lambda: resource.prlimit(1, resource.RLIMIT_AS)),
        "clone3": libc.syscall(435, 0, 0) == -1 and ctypes.get_errno(),
        "limits": [resource.getrlimit(getattr(resource, f"RLIMIT_{n}"))[0] for n in ("AS", "NOFILE", "CORE")],
    }), flush=True)
'''


@pytest.fixture(scope="module")
def probe_module(tmp_path_factory):
    path = tmp_path_factory.mktemp("isolation") / "probe.py"
    path.write_text(PROBE)
    return {"/sandbox/probe/probe.py": path}


def answer(binds, isolate):
    process = spawn("probe:main", args=["report"], binds=binds, path=["/sandbox/probe"], stdout=subprocess.PIPE,
                    limits=Limits(memory_mb=256, open_files=32), isolate=isolate)
    try:
        out, _ = process.popen.communicate(timeout=60)
    finally:
        process.close()
    return json.loads(out)


def test_the_filter_is_a_compiled_bpf_program():
    program = seccomp.program()
    assert len(program) % 8 == 0 and len(program) // 8 > len(seccomp.DENIED)   # 8 bytes per BPF instruction


def test_the_kernel_sandbox_shows_little_and_refuses_much(probe_module):
    kernel_sandbox_or_skip()
    seen = answer(probe_module, True)
    assert seen["uid"] == 65534 and seen["pid"] == 2 and seen["cwd"] == "/tmp"   # own user and PID namespace
    assert "etc" not in seen["root"] and "home" not in seen["root"] and "work" not in seen["root"]
    assert {seen[k] for k in ("exec", "fork", "socket", "mknod", "prlimit")} == {"PermissionError"}
    assert seen["clone3"] == 38   # ENOSYS: the C library falls back to clone, which makes threads only
    assert seen["limits"] == [256 << 20, 32, 0]


def test_without_namespaces_the_filter_and_limits_still_hold(probe_module):
    seen = answer(probe_module, False)
    assert "etc" in seen["root"]   # no mount view: this mode is for machines you can lose
    assert {seen[k] for k in ("exec", "fork", "socket", "mknod", "prlimit")} == {"PermissionError"}
    assert seen["limits"] == [256 << 20, 32, 0]


def test_killing_a_sandbox_ends_every_process_in_it(probe_module, monkeypatch):
    kernel_sandbox_or_skip()
    monkeypatch.setenv("GANCHECK_SANDBOX_TAG", f"isolation-{os.getpid()}")
    process = spawn("probe:main", args=["hang"], binds=probe_module, path=["/sandbox/probe"],
                    stdout=subprocess.PIPE)
    assert process.popen.stdout.readline() == b"ready\n"
    inside = process.interpreter()
    assert inside is not None and Path(f"/proc/{inside}").exists()
    start = time.monotonic()
    process.close()
    assert time.monotonic() - start < 5
    assert not Path(f"/proc/{inside}").exists() and running(f"isolation-{os.getpid()}") == []
