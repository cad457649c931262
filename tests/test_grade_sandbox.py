"""The boundary around a student's code: plain-data messages, a scrubbed and limited process, refused escapes.

One sandbox (module-scoped) serves the checks that leave it alive; the ones that kill it start their own.
"""
import json
import os
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from gancheck.homework.code import wire
from gancheck.homework.code.assignment import Limits
from gancheck.homework.code.sandbox import Sandbox, SandboxDied
from gancheck.homework.code.session import call_plan

pytestmark = pytest.mark.xdist_group("grade_sandbox")  # one worker computes the module-scoped fixture once

LIMITS = Limits(call_seconds=5.0, cpu_seconds=20, memory_mb=512, output_kb=1)
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

plain_dtypes = st.sampled_from([np.bool_, np.int8, np.int32, np.int64, np.uint16, np.float16, np.float32, np.float64])


@settings(max_examples=40)
@given(st.data())
def test_messages_round_trip_with_their_dtypes_and_shapes(data):
    dtype = data.draw(plain_dtypes)
    elements = st.booleans() if dtype is np.bool_ else st.integers(-100, 100) if np.dtype(dtype).kind == "i" else \
        st.integers(0, 100) if np.dtype(dtype).kind == "u" else st.floats(-1e3, 1e3, width=16)
    array = data.draw(arrays(dtype, array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4), elements=elements))
    message = {"a": [array, np.asfortranarray(array.T)], "x": 1.5, "n": None, "s": "text", "k": [1, [2, [3]]]}
    back = wire.decode(wire.encode(message))
    for sent, got in zip(message["a"], back["a"]):
        assert got.dtype == sent.dtype and got.shape == sent.shape
        np.testing.assert_array_equal(got, sent)
    assert {k: back[k] for k in "xnsk"} == {"x": 1.5, "n": None, "s": "text", "k": [1, [2, [3]]]}


def frame(header, *blobs):
    head = json.dumps(header).encode()
    return struct.pack("<II", len(head), len(blobs)) + head + b"".join(struct.pack("<Q", len(b)) + b for b in blobs)


def ref(dtype, shape, index=0):
    return {"__array__": index, "dtype": dtype, "shape": shape}


@pytest.mark.parametrize("data, reason", [
    (frame(ref("|O", [1]), b"\0" * 8), "refused"),                       # objects (a pickle): never made
    (frame(ref("<U4", [1]), b"text" * 4), "refused"),
    (frame(ref("|V8", [1]), b"\0" * 8), "refused"),                      # structured or void
    (frame(ref("(2,)f8", [1]), b"\0" * 16), "refused"),                  # a sub-array dtype
    (frame(ref("<f8", [4]), b"\0" * 24), "does not match"),              # shape claims more bytes
    (frame(ref("<f8", [-1]), b""), "array shape"),
    (frame(ref("<f8", [2.5]), b"\0" * 16), "array shape"),
    (frame(ref("<f8", [2], index=3), b"\0" * 16), "array reference"),
    (b"\x05\x00\x00\x00\x00\x00\x00\x00{bad}", "malformed"),
    (b"\x01", "malformed"),
    (frame([[[[1]]]]).replace(b"[[[[1]]]]", b"[" * 100000 + b"]" * 100000), "malformed"),
])
def test_malformed_or_unplain_messages_are_refused(data, reason):
    with pytest.raises(wire.ProtocolError, match=reason):
        wire.decode(data)


def test_an_oversized_frame_is_refused_before_it_is_read():
    read, write = os.pipe()
    os.write(write, struct.pack("<Q", wire.MAX_FRAME + 1))
    with pytest.raises(wire.ProtocolError, match="refused"):
        wire.receive(read)
    os.close(read), os.close(write)


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox(LIMITS)
    yield box
    box.close()


def define(box, source):
    reply = box.request({"op": "exec", "statements": [{"source": source, "file": "student.py", "line": 1}]}, 5.0)
    assert reply["ok"], reply


def request(name, *args, seed=1):
    return {"op": "run", "plan": call_plan(name, len(args)), "inputs": [{f"arg{i}": a for i, a in enumerate(args)}],
            "seeds": [seed]}


def call(box, name, *args, seed=1):
    reply = box.request(request(name, *args, seed=seed), 5.0)
    if reply["ok"]:
        reply["value"] = reply["values"]["@value"]
    return reply


def test_calls_return_plain_data_and_record_mutation_draws_and_output(sandbox):
    define(sandbox, "import numpy as np\nfrom numpy.random import randn\n"
                    "def f(x):\n    print('hello')\n    x[0] = 7.0\n    return x.sum(), [randn(2, 3)], 'text'\n")
    reply = call(sandbox, "f", np.zeros(3))
    assert reply["ok"] and reply["value"][0] == 7.0 and reply["value"][2] == {"__unsupported__": "a str"}
    np.testing.assert_array_equal(reply["after"][0], [7.0, 0.0, 0.0])
    (draw,) = reply["draws"]
    assert draw["function"] == "randn" and draw["values"].shape == (2, 3)
    np.testing.assert_array_equal(draw["values"], reply["value"][1][0])
    np.testing.assert_array_equal(call(sandbox, "f", np.zeros(3))["draws"][0]["values"], draw["values"])  # seeded
    assert reply["output"] == {"text": "hello\n", "size": 6}


def test_printing_cannot_forge_a_reply_and_output_is_bounded(sandbox):
    fake = struct.pack("<Q", 20) + frame({"ok": True, "value": 42})
    define(sandbox, f"import os, sys\ndef g():\n    sys.stdout.buffer.write({fake!r}) if hasattr(sys.stdout, 'buffer')"
                    f" else print({fake!r})\n    os.write(1, {fake!r})\n    print('x' * 10**6)\n    return 1.0\n")
    reply = call(sandbox, "g")
    assert reply["ok"] and reply["value"] == 1.0
    assert len(reply["output"]["text"]) == 1024 and reply["output"]["size"] > 10**6   # output_kb = 1


def test_the_process_sees_a_scrubbed_world(sandbox):
    # strings are not plain data, so the student's process answers in numbers
    define(sandbox, "import os, sys\ndef world():\n    return (len(os.environ), len(os.listdir('.')), "
                    "int(os.getcwd() == os.environ['HOME']), sum('site-packages' in p for p in sys.path))\n")
    assert call(sandbox, "world")["value"] == [7, 0, 1, 0]   # PATH, LANG, HOME, PWD, 3 thread counts; an empty cwd


@pytest.fixture(scope="module")
def bare():
    """A sandbox without the audit hook: only the kernel stands between the student and the machine."""
    box = Sandbox(LIMITS, friendly=False)
    yield box
    box.close()


REFERENCE = os.path.join(REPO, "gancheck", "homework", "code", "reference.py")
# The friendly layer lets a student open files in the sandbox's scratch /tmp; a checkout under /tmp (a CI clone) is
# then refused by the kernel instead: the sandbox's /tmp is its own tmpfs, where the checkout does not exist.
REPO_REFUSAL = "No such file or directory" if (REPO + os.sep).startswith("/tmp/") else "does not allow opening"
ESCAPES = [  # body, what the audit hook says, what the kernel says without it
    ("import gancheck", "No module named 'gancheck'", "No module named 'gancheck'"),
    (f"open({REFERENCE!r}).read()", REPO_REFUSAL, "No such file or directory"),
    (f"open({REPO + '/planted'!r}, 'w')", REPO_REFUSAL, "No such file or directory"),
    ("open('/etc/passwd').read()", "does not allow opening", "No such file or directory"),
    ("os.listdir('/')", "does not allow os.listdir", None),
    ("os.fork()", "does not allow os.fork", "Operation not permitted"),
    ("assert os.system('true') == 0, 'no shell'", "does not allow os.system", "no shell"),
    ("import subprocess; subprocess.run(['true'])", "does not allow importing subprocess", "Operation not permitted"),
    ("import socket; socket.socket()", "does not allow importing socket", "Operation not permitted"),
    ("import ctypes; ctypes.CDLL(None).fork()", "does not allow ctypes.dlopen", None),
    ("os.kill(os.getppid(), 9)", "does not allow os.kill", None),
    ("import resource; resource.setrlimit(resource.RLIMIT_AS, (-1, -1))", "does not allow resource.setrlimit",
     "not allowed to raise maximum limit"),
    ("import resource; resource.prlimit(1, resource.RLIMIT_CPU, (1, 1))", "does not allow resource.prlimit",
     "Operation not permitted"),
    ("os.mknod('fifo')", None, "Operation not permitted"),
    ("os.setxattr('.', 'user.x', b'1')", None, "Operation not permitted"),
    ("[0] * 10**10", "MemoryError", "MemoryError"),
    ("os.chdir('/')", "does not allow os.chdir", None),
]


@pytest.mark.parametrize("body, friendly, kernel", ESCAPES)
def test_escapes_are_refused_inside_the_students_code(sandbox, bare, body, friendly, kernel):
    for box, refused in ((sandbox, friendly), (bare, kernel)):
        define(box, f"import os\ndef escape():\n    {body}\n    return 0.0\n")
        reply = call(box, "escape")
        if refused is None:   # nothing to refuse there: it reaches only the sandbox's own world
            assert reply["ok"] or reply["error"]["type"] != "PermissionError" or box is sandbox, reply
            continue
        assert not reply["ok"] and refused in f"{reply['error']['type']}: {reply['error']['message']}", reply
        assert reply["error"]["frames"][-1]["function"] == "escape"
    assert not os.path.exists(REPO + "/planted")


def test_writing_in_its_own_directory_is_allowed(sandbox):
    define(sandbox, "def scratch():\n    open('notes.txt', 'w').write('ok')\n"
                    "    return float(len(open('notes.txt').read()))\n")
    assert call(sandbox, "scratch")["value"] == 2.0


def test_exceptions_including_system_exit_are_reported_not_fatal(sandbox):
    define(sandbox, "import sys\ndef leave():\n    sys.exit('bye')\ndef boom():\n    raise KeyboardInterrupt\n")
    assert call(sandbox, "leave")["error"]["type"] == "SystemExit"
    assert call(sandbox, "boom")["error"]["type"] == "KeyboardInterrupt"
    assert call(sandbox, "missing")["error"]["message"] == "name 'missing' is not defined"


@pytest.mark.parametrize("body, limits, reason", [
    ("while True: pass", Limits(cpu_seconds=20, memory_mb=512), "did not finish within 0.5 s"),
    ("import os; os._exit(4)", LIMITS, "the process exited (status 4"),
    ("while True: pass", Limits(cpu_seconds=1, memory_mb=512), "used up its CPU time"),
    ("import json; json.dumps = lambda *a, **k: 'forged'", LIMITS, "broke the reply protocol"),
])
def test_a_process_that_hangs_dies_or_forges_is_killed_and_explained(body, limits, reason):
    box = Sandbox(limits)
    try:
        define(box, f"def bad():\n    {body}\n")
        with pytest.raises(SandboxDied, match=reason.replace("(", r"\(")):
            box.request(request("bad"), 0.5 if "0.5" in reason else 5.0)
        assert box.process.poll() is not None
    finally:
        box.close()
    assert not os.path.exists(box._scratch.name)


def test_a_rewired_worker_costs_only_the_function_that_did_it(tmp_path):
    from gancheck.homework.code.session import Session, Unavailable
    from gancheck.homework.code.source import load_program

    path = tmp_path / "hw.py"
    path.write_text("import json\ndef rewire():\n    json.dumps = lambda *a, **k: '{\"ok\": true, \"value\": 1.0}'\n"
                    "def honest(x):\n    return 2 * x\n")
    with Session(load_program(path), LIMITS) as session:
        assert {"rewire", "honest"} <= session.load()
        with pytest.raises(Unavailable, match="sent a reply the grader does not understand while running rewire"):
            session.call("rewire", [])
        assert session.call("honest", [np.ones(2)]).value.tolist() == [2.0, 2.0]   # a fresh process


def test_scipy_is_importable_and_its_own_imports_are_not_refused(sandbox):
    # SciPy imports subprocess for its own purposes: the friendly layer refuses only the student's own imports
    define(sandbox, "from scipy.special import expit as sigmoid\ndef s(z):\n    return sigmoid(z)\n")
    np.testing.assert_array_equal(call(sandbox, "s", np.zeros(2))["value"], [0.5, 0.5])


def test_the_reply_channel_never_takes_the_request_pipes_place():
    # with 40 descriptors open here, the pipes reach the sandbox as numbers in the range where the worker hides its
    # reply channel (the upper half of its 64 allowed): it must pick a free one
    spare = [os.open(os.devnull, os.O_RDONLY) for _ in range(40)]
    try:
        for _ in range(10):
            box = Sandbox(LIMITS)
            define(box, "x = 1\n")
            box.close()
    finally:
        for fd in spare:
            os.close(fd)
