"""A submission's life in the sandbox: definitions loaded, functions called, a fresh process after every kill.

A timeout or a crash kills the student's process. The session notes why, marks the function that was running as
unavailable — its remaining checks fail with that reason instead of running it again — and starts a fresh process for
the next function, reloading the definitions minus any statement that itself killed the process. Calls are memoised by
their arguments (the checks of one function share their calls) and seeded in order, so a grade is reproducible.
The overall wall-time limit ends everything.
"""
import hashlib
import json
import time
from dataclasses import dataclass, field

import numpy as np

from .replies import well_formed
from .sandbox import PACKAGES, Sandbox, SandboxDied

TEST_CALLS = 10   # an instructor's test may call the student's code several times: it gets ten calls' wall time
LOAD_CALLS = 10   # … and so does each top-level statement: `import scipy.special` takes seconds on a loaded machine


class Unavailable(BaseException):
    """A function can no longer be called (it timed out or crashed, or the submission's time is up). A
    ``BaseException`` on purpose: nothing between the call and the grader — a check, or Hypothesis in the
    student's suite — may take it for the student's own exception."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Run:
    """One input of a plan, as the student's code answered it."""
    ok: bool
    values: dict = field(default_factory=dict)   # name → plain data
    after: list = field(default_factory=list)    # the last call's array arguments as it left them (else None)
    draws: list = field(default_factory=list)    # random draws during the plan: (function, values)
    error: dict = None                           # type, message, frames (file, line, function, code)

    @property
    def value(self):
        """What a single call (:func:`.plan_of_call`) returned."""
        return self.values.get("@value")


def call_plan(name, n_args, kwargs=(), after=True):
    """The plan of one call ``name(arg0, …, k=kw_k …)`` whose raw value comes back as ``@value`` (and, if ``after``,
    its arguments as it left them)."""
    return {"name": name, "calls": [{"target": name, "args": [f"arg{i}" for i in range(n_args)],
                                     "kwargs": {k: f"kw_{k}" for k in kwargs}, "returns": ["@value"]}],
            "read": ["@value"], "after": after}


class Session:
    """``packages`` may be imported in the sandbox, ``stubbed`` imports as no-op stubs (:mod:`.imports`)."""

    def __init__(self, program, limits, packages=PACKAGES, stubbed=("matplotlib",)):
        self.program, self.limits, self.packages, self.stubbed = program, limits, packages, stubbed
        self.deadline = time.monotonic() + limits.total_seconds
        self.notes, self.dead, self.callables = [], {}, set()
        self.output = {}                        # function → (first text printed, most characters printed)
        self._sandbox, self._skip, self._failed, self._memo, self._seed = None, set(), set(), {}, 0
        self.direct = [("", 0), ("", 0)]        # bytes written straight to the process's stdout, stderr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _remaining(self, what, calls=1):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise Unavailable(f"not run: the submission used up its {self.limits.total_seconds:g} s ({what})")
        return min(calls * self.limits.call_seconds, remaining)

    def _new_sandbox(self):
        program = self.program
        setup = {"stubbed": list(self.stubbed), "entry": program.entry, "file": program.name,
                 "modules": program.modules}
        for attempt in range(2):   # a machine under load may fail one start
            try:
                return Sandbox(self.limits, program.files, root=program.root, packages=self.packages, setup=setup)
            except SandboxDied as died:
                if attempt:
                    raise Unavailable(f"the sandbox did not start: {died.reason}") from None

    def _start(self):
        """A process with every statement loaded (except those that killed an earlier one): one request for them
        all, a reply each, so that a statement that kills the process is known and left out of the next one."""
        while self._sandbox is None:
            self._sandbox = self._new_sandbox()
            todo = [i for i in range(len(self.program.statements)) if i not in self._skip]
            statements = [self.program.statements[i] for i in todo]
            request = {"op": "exec", "lines": {f: self.program.lines[f] for f in {s.file for s in statements}},
                       "statements": [{"source": s.source, "file": s.file, "line": s.line} for s in statements]}
            replies = self._replies(request, len(todo), "loading", LOAD_CALLS)
            for i, statement in zip(todo, statements):
                where = f"{statement.file}, line {statement.line}"
                try:
                    reply = next(replies)
                except SandboxDied as died:
                    self._discard()
                    self._skip.add(i)
                    self.notes.append(f"{where}: {died.reason} while defining it — skipped")
                    break
                if not reply["ok"] and i not in self._failed:
                    self._failed.add(i)
                    self.notes.append(self._load_failure(where, statement, reply["error"]))
            else:
                try:
                    reply = next(self._replies({"op": "names"}, 1, "loading"))
                except SandboxDied as died:   # no statement to blame: the definitions broke the worker itself
                    self._discard()
                    raise Unavailable(f"{died.reason} after loading the definitions") from None
                self.callables = set(reply["callables"]) if reply["ok"] else set()
                for note in reply.get("notes", []) if reply["ok"] else []:
                    self._note_module(note)

    def _note_module(self, note):
        text = f"{note['file']}, line {note['line']}: {describe_error(note['error'], self.program)} — skipped"
        if text not in self.notes:
            self.notes.append(text)

    def _replies(self, message, count, what, calls=1):
        """The replies to ``message``, one per item, each checked against the worker's schema and timed on its own
        (``calls`` call limits each); anything else (a student who rewired the worker can send anything) kills the
        process like a crash."""
        if count:
            self._sandbox.send(message)
        for item in range(count):
            reply = self._sandbox.receive(self._remaining(what, calls))
            if not well_formed(reply, message, item):
                self._sandbox.kill()
                raise SandboxDied("it sent a reply the grader does not understand")
            yield reply

    def _load_failure(self, where, statement, error):
        if statement.kind == "import" and error["type"] == "ModuleNotFoundError":
            offered = ", ".join(self.packages)
            return (f"{where}: `{statement.source.strip()[:60]}` skipped — {error['message'].split()[-1]} is not "
                    f"available in the grader's sandbox (it offers {offered} and the standard library), which only "
                    "matters if a graded function uses it")
        return f"{where}: {describe_error(error, self.program)} — skipped"

    def load(self):
        """Load the definitions; returns the names of what the submission defines and can be called."""
        self._start()
        return self.callables

    @staticmethod
    def _key(plan, inputs):
        digest = hashlib.blake2b(json.dumps(plan, sort_keys=True, default=str).encode(), digest_size=16)
        for name in sorted(inputs):   # the grader's own inputs: arrays and numbers
            array = np.asarray(inputs[name])
            digest.update(f"{name}{array.dtype.str}{array.shape}".encode())
            digest.update(np.ascontiguousarray(array).tobytes())
        return digest.digest()

    def has(self, plan, inputs):
        """Whether this plan ran on these inputs before (its result is memoised)."""
        return self._key(plan, inputs) in self._memo

    def call(self, name, args):
        """``name(*args)`` in the sandbox, as a :class:`Run` (its value: ``.value``)."""
        return self.run(call_plan(name, len(args)), [{f"arg{i}": a for i, a in enumerate(args)}])[0]

    def run(self, plan, inputs, memo=True):
        """``[Run]``, one per input dict of ``inputs``, in one request; raises :class:`Unavailable` once the plan
        (``plan["name"]``) cannot run — after memoising the runs that came back before its process died. Runs are
        memoised by plan and inputs (the checks of one function share their calls) unless ``memo`` is false (an
        instructor's test may call a sampler twice and expect two draws)."""
        name = plan["name"]
        keys = [self._key(plan, one) if memo else object() for one in inputs]
        todo = [i for i, key in enumerate(keys) if key not in self._memo]
        if todo:
            if name in self.dead:
                raise Unavailable(self.dead[name])
            self._start()
            seeds = list(range(self._seed + 1, self._seed + 1 + len(todo)))
            self._seed += len(todo)
            message = {"op": "run", "plan": plan, "inputs": [inputs[i] for i in todo], "seeds": seeds}
            replies = self._replies(message, len(todo), name)
            for i in todo:
                try:
                    reply = next(replies)
                except SandboxDied as died:
                    self._discard()
                    self.dead[name] = f"{died.reason} while running {name}({_sizes(inputs[i]) or '…'})"
                    raise Unavailable(self.dead[name]) from None
                self._memo[keys[i]] = self._record(name, reply)
        return [self._memo[key] for key in keys]

    def run_tests(self, source, file, names):
        """``[(passed, evidence)]``: the instructor's tests ``names`` of the tests file (``source``, shown as ``file``)
        run in the student's sandbox, one request, each test timed on its own (:data:`TEST_CALLS` call limits). A test
        that kills the process fails with why; the next runs in a fresh one."""
        results, todo = [], list(names)
        while todo:
            try:
                self._start()
                replies = self._replies({"op": "tests", "source": source, "file": file, "names": todo}, len(todo),
                                        "the instructor's tests", TEST_CALLS)
            except Unavailable as gone:   # the submission's time is up: the rest fail with that reason
                return results + [(False, gone.reason)] * len(todo)
            for name in list(todo):
                try:
                    reply = next(replies)
                except Unavailable as gone:
                    return results + [(False, gone.reason)] * len(todo)
                except SandboxDied as died:
                    self._discard()
                    results.append((False, f"{died.reason} during this test"))
                    todo.remove(name)
                    break
                todo.remove(name)
                if reply["ok"]:
                    results.append((reply["passed"], reply["evidence"]))
                else:
                    results.append((False, "the instructor's tests do not load in the sandbox: "
                                           f"{describe_error(reply['error'], self.program)}"))
        return results

    def _record(self, name, reply):
        text, size = reply["output"]["text"], reply["output"]["size"]
        first, most = self.output.get(name, ("", 0))
        self.output[name] = (first or text, max(most, size))
        return Run(reply["ok"], reply.get("values", {}), reply.get("after", []),
                   [(d["function"], d["values"]) for d in reply.get("draws", [])], reply.get("error"))

    def _discard(self):
        self.direct = self._sandbox.direct_output()
        self._sandbox.close()
        self._sandbox = None

    def close(self):
        if self._sandbox is not None:
            self._discard()


def _sizes(inputs):
    """``N = 64`` for an input whose first array has a batch dimension (what a reader needs of a killed call)."""
    first = next((v for v in inputs.values() if isinstance(v, np.ndarray) and v.ndim), None)
    return f"N = {first.shape[0]}" if first is not None else ""


def describe_error(error, program):
    """One line for an exception raised by the student's code, with where it happened and, for a ``NameError`` on a
    name assigned by a statement that is not run, why the name is missing."""
    text = f"{error['type']}: {error['message']}" if error["message"] else error["type"]
    if error["frames"]:
        frame = error["frames"][-1]
        text += f" ({frame['file']}, line {frame['line']}, in {frame['function']})"
    if error["type"] == "NameError":
        name = error["message"].split("'")[1] if error["message"].count("'") >= 2 else ""
        if name in program.not_run:
            text += f"; {name} {program.not_run[name]}"
    if error["type"] == "SystemExit":
        text += " — the function called sys.exit()"
    return text
