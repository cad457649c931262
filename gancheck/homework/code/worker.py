"""The student's side of the sandbox: an interpreter that runs one submission's definitions and answers requests.

:mod:`.sandbox` starts it in a kernel sandbox (:mod:`gancheck.homework.isolation`): by the time :func:`main` runs,
the limits are set and the syscall filter is installed. Then, before any student code runs, it

1. moves the reply pipe to an unadvertised descriptor and gives the student bounded ``sys.stdout``/``sys.stderr``;
2. makes NumPy's random functions and generators record every draw (:func:`.plan.install`: the generator step's
   latent batch), and installs the import finders of :mod:`.imports` (plotting stubs, the student's own modules);
3. unless told otherwise, installs the audit hook of :mod:`.audit` — a courtesy, not a boundary.

The protocol: :mod:`.wire` messages (JSON + arrays). A request that names several items gets one reply per item, in
order, each as soon as it is ready (the grader times each one, so a hang costs one call's time limit, and knows which
item killed the process):

* ``{"op": "init", "output_kb": int, "friendly": bool, "stubbed": [str], "entry": str, "file": str, "modules":
  {name: {"file", "package", "statements": [{"source", "line"}], "lines": [str]}}}`` — first; one reply: the worker
  is ready. ``entry`` names the module of the entry file (``file``), whose namespace the submission's statements fill.
* ``{"op": "exec", "statements": [{"source", "file", "line"}], "lines": {file: [str]}}`` — run top-level statements of
  the entry file in the submission's namespace (``lines``: whole files, so that tracebacks quote them); a reply each.
* ``{"op": "names"}`` — reply ``callables`` (the namespace's callable values) and ``notes`` (``[{"file", "line",
  "error"}]``: statements of the student's other modules that raised while they were imported).
* ``{"op": "run", "plan": plan, "inputs": [{name: value}], "seeds": [int]}`` — :func:`.plan.execute` for each input,
  NumPy's global generator seeded first; a reply each: ``values`` (``{name: plain data}``, see :func:`plain`),
  ``after`` (each argument of the last call as left, an array or null) and ``draws`` (``[{"function", "values"}]``).
* ``{"op": "tests", "source": str, "file": str, "names": [str]}`` — the instructor's tests file (its text, shown as
  ``/sandbox/tests/FILE``) run on the submission's namespace (:mod:`.proctor`); a reply each: ``passed`` (bool) and
  ``evidence`` (str).
* anything else ends the worker.

Every reply has ``ok`` (bool), ``output`` (``{"text": str, "size": int}``: what the student printed, first
``output_kb`` KiB) and ``seconds``; a failed one has ``error``: ``{"type", "message", "frames": [{"file", "line",
"function", "code"}]}``. The grader checks each reply against this schema (:mod:`.replies`) and trusts nothing else.
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
import types

import numpy as np

if __package__:
    from . import audit, imports, plan, proctor, wire
else:  # in the sandbox these files are top-level modules of a private directory
    import audit
    import imports
    import plan
    import proctor
    import wire

MAX_ELEMENTS = 1_000_000    # largest array sent back
OURS = ("audit", "imports", "plan", "proctor", "wire", "worker", "confine")
SUBMISSION = "/sandbox/submission"


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
    worker, NumPy and SciPy, the submission's own files), and where the view's links lead."""
    paths = sysconfig.get_paths()
    roots = {paths["stdlib"], paths["platstdlib"], *(p for p in sys.path if p)}
    for directory in [p for p in sys.path if p and os.path.isdir(p)]:   # without the kernel sandbox the view is
        for entry in os.scandir(directory):                               # links: what they point to is readable too
            if entry.is_symlink():
                roots.add(os.path.realpath(entry.path))
    return sorted(roots)


def _free_descriptor():
    """A random descriptor number in the upper half of the allowed range that nothing uses (not the request pipe)."""
    top = min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 4096)
    while True:
        candidate = top // 2 + int.from_bytes(os.urandom(2), "little") % (top // 2)
        try:
            os.fstat(candidate)
        except OSError:
            return candidate


def _run(statement, file, namespace):
    tree = ast.increment_lineno(ast.parse(statement["source"]), statement["line"] - 1)
    exec(compile(tree, file, "exec"), namespace)


def _remember(file, lines, sources):
    sources.add(file)
    linecache.cache[file] = (0, None, lines, file)   # so that tracebacks quote the student's own lines


def _taken(name):
    """Whether ``name`` is a module the submission must not replace (``numpy.py`` handed in stays a file)."""
    return name in sys.modules or name in sys.stdlib_module_names or os.path.exists(f"/sandbox/site/{name}")


class Worker:
    """The submission's namespace and what answers each request."""

    def __init__(self, init):
        self.sources, self.notes, self.recorder, self.tests = set(), [], plan.Recorder(), None
        self.output_limit = int(init["output_kb"]) * 1024
        entry = types.ModuleType(init.get("entry") or "submission")
        # exit() and quit() are what `site` would have added (the sandbox runs without it): the student may call them
        entry.__dict__.update(exit=sys.exit, quit=sys.exit, __file__=f"{SUBMISSION}/{init.get('file', '')}")
        self.namespace = entry.__dict__
        modules = init.get("modules", {})
        for module in modules.values():
            _remember(module["file"], module["lines"], self.sources)
        plan.install(self.recorder)
        np.seterr(all="ignore")   # the grader's extreme inputs (|z| ≥ 710) must not read as the student's output
        imports.install(init.get("stubbed", ()), modules, SUBMISSION, _run, self.notes)
        if not _taken(entry.__name__):   # the student's other modules may import names from the entry
            sys.modules[entry.__name__] = entry
        for name in OURS:   # a student's own plan.py or wire.py must not find ours
            sys.modules.pop(name, None)

    def module(self, name):
        import importlib

        return vars(importlib.import_module(name))

    def replies(self, request):
        """The replies' bodies for ``request`` (a generator: each is sent as soon as it is ready)."""
        if request["op"] == "exec":
            for file, lines in request.get("lines", {}).items():
                _remember(file, lines, self.sources)
            for statement in request["statements"]:
                self.sources.add(statement["file"])
                yield lambda: _run(statement, statement["file"], self.namespace) and {}
        elif request["op"] == "names":
            yield lambda: {"callables": sorted(k for k, v in list(self.namespace.items()) if callable(v)),
                           "notes": [{"file": f, "line": n, "error": error_report(e, self.sources)}
                                     for f, n, e in self.notes]}
        elif request["op"] == "run":
            for inputs, seed in zip(request["inputs"], request["seeds"]):
                yield lambda: self._execute(request["plan"], inputs, seed)
        elif request["op"] == "tests":
            for name in request["names"]:
                yield lambda: self._test(request, name)

    def _test(self, request, name):
        if self.tests is None:   # the instructor's module, loaded once (its own failure fails every test)
            self.tests = proctor.load(request["source"], request["file"])
        return proctor.run(self.tests, name, self.namespace, self.sources)

    def _execute(self, steps, inputs, seed):
        np.random.seed(seed)
        self.recorder.seed = seed
        result = plan.execute(steps, inputs, self.namespace, self.recorder, self.module)
        if not result["ok"]:
            raise result["error"]
        return {"values": {k: plain(v) for k, v in result["values"].items()},
                "after": [plain(a) if a is not None else None for a in result["after"]],
                "draws": [{"function": n, "values": a} for n, a in result["draws"]]}


def main(request_fd, reply_fd):
    init = wire.receive(request_fd)
    channel = os.dup2(reply_fd, _free_descriptor())   # an unadvertised, unpredictable descriptor
    os.close(reply_fd)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with EFBIG instead of killing us
    worker = Worker(init)
    if init.get("friendly", True):
        sys.addaudithook(audit.policy(readable_roots(), os.getcwd(), worker.sources))
    wire.send(channel, {"ok": True, "output": {"text": "", "size": 0}, "seconds": 0.0})   # ready
    while True:
        request = wire.receive(request_fd)
        if request.get("op") not in ("exec", "names", "run", "tests"):
            return
        for body in worker.replies(request):
            _answer(channel, body, worker)


def _answer(channel, body, worker):
    """Run ``body`` with the student's output captured, and send its reply."""
    stdout = sys.stdout = sys.stderr = Capture(worker.output_limit)
    reply, start = {"ok": True}, time.perf_counter()
    try:
        reply.update(body() or {})
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the student's, not ours
        reply = {"ok": False, "error": error_report(exc, worker.sources)}
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    reply.update(output=stdout.report(), seconds=time.perf_counter() - start)
    try:
        wire.send(channel, reply)
    except BaseException as exc:  # e.g. an array the student poisoned: report it, not a dead worker
        wire.send(channel, {"ok": False, "error": {"type": type(exc).__name__, "message": "reply not sendable",
                                                   "frames": []}, "output": stdout.report(), "seconds": 0.0})
