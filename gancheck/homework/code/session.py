"""A submission's life in the sandbox: definitions loaded, functions called, a fresh process after every kill.

A timeout or a crash kills the student's process. The session notes why, marks the function that was running as
unavailable — its remaining checks fail with that reason instead of running it again — and starts a fresh process for
the next function, reloading the definitions minus any statement that itself killed the process. Calls are memoised by
their arguments (the checks of one function share their calls) and seeded in order, so a grade is reproducible.
The overall wall-time limit ends everything.
"""
import hashlib
import time
from dataclasses import dataclass, field

import numpy as np

from .replies import well_formed
from .sandbox import Sandbox, SandboxDied


class Unavailable(BaseException):
    """A function can no longer be called (it timed out or crashed, or the submission's time is up). A
    ``BaseException`` on purpose: Hypothesis then stops at once instead of shrinking against a dead process."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Call:
    ok: bool
    value: object = None
    after: list = field(default_factory=list)   # the array arguments as the call left them
    draws: list = field(default_factory=list)   # NumPy global random draws during the call: (function, values)
    error: dict = None                          # type, message, frames (file, line, function, code)


class Session:
    def __init__(self, program, limits):
        self.program, self.limits = program, limits
        self.deadline = time.monotonic() + limits.total_seconds
        self.notes, self.dead, self.callables = [], {}, set()
        self.output = {}                        # function → (first text printed, most characters printed)
        self._sandbox, self._skip, self._failed, self._memo, self._seed = None, set(), set(), {}, 0
        self.direct = [("", 0), ("", 0)]        # bytes written straight to the process's stdout, stderr

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _remaining(self, what):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise Unavailable(f"not run: the submission used up its {self.limits.total_seconds:g} s ({what})")
        return min(self.limits.call_seconds, remaining)

    def _start(self):
        """A process with every statement loaded (except those that killed an earlier one)."""
        while self._sandbox is None:
            for attempt in range(2):   # a machine under load may fail one start
                try:
                    self._sandbox = Sandbox(self.limits, self.program.files)
                    break
                except SandboxDied as died:
                    if attempt:
                        raise Unavailable(f"the sandbox did not start: {died.reason}") from None
            sent = set()
            for i, statement in enumerate(self.program.statements):
                if i in self._skip:
                    continue
                request = {"op": "exec", "source": statement.source, "file": statement.file, "line": statement.line}
                if statement.file not in sent:
                    sent.add(statement.file)
                    request["lines"] = self.program.lines[statement.file]
                where = f"{statement.file}, line {statement.line}"
                try:
                    reply = self._request(request, "loading")
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
                    reply = self._request({"op": "names"}, "loading")
                except SandboxDied as died:   # no statement to blame: the definitions broke the worker itself
                    self._discard()
                    raise Unavailable(f"{died.reason} after loading the definitions") from None
                self.callables = set(reply["callables"]) if reply["ok"] else set()

    def _request(self, message, what):
        """A request whose reply has the worker's structure; anything else (a student who rewired the worker can
        send anything) kills the process like a crash."""
        reply = self._sandbox.request(message, self._remaining(what))
        if not well_formed(reply, message):
            self._sandbox.kill()
            raise SandboxDied("it sent a reply the grader does not understand")
        return reply

    def _load_failure(self, where, statement, error):
        if statement.kind == "import" and error["type"] == "ModuleNotFoundError":
            return (f"{where}: `{statement.source.strip()[:60]}` skipped — {error['message'].split()[-1]} is not "
                    "available in the grader's sandbox (NumPy is), which only matters if a graded function uses it")
        return f"{where}: {describe_error(error, self.program)} — skipped"

    def load(self):
        """Load the definitions; returns the names of what the submission defines and can be called."""
        self._start()
        return self.callables

    @staticmethod
    def _key(name, args):
        digest = hashlib.blake2b(digest_size=16)
        for arg in args:   # the grader's own inputs: arrays and numbers
            array = np.asarray(arg)
            digest.update(f"{array.dtype.str}{array.shape}".encode())
            digest.update(np.ascontiguousarray(array).tobytes())
        return name, digest.digest()

    def has(self, name, args):
        """Whether this call was made before (its result is memoised)."""
        return self._key(name, args) in self._memo

    def call(self, name, args):
        """``name(*args)`` in the sandbox, as a :class:`Call`; raises :class:`Unavailable` if it cannot run."""
        key = self._key(name, args)
        if key in self._memo:
            return self._memo[key]
        if name in self.dead:
            raise Unavailable(self.dead[name])
        self._start()
        self._seed += 1
        try:
            reply = self._request({"op": "call", "name": name, "args": args, "seed": self._seed}, name)
        except SandboxDied as died:
            self._discard()
            shapes = ", ".join(f"N = {a.shape[0]}" for a in args[:1] if isinstance(a, np.ndarray) and a.ndim)
            self.dead[name] = f"{died.reason} while running {name}({shapes or '…'})"
            raise Unavailable(self.dead[name]) from None
        text, size = reply["output"]["text"], reply["output"]["size"]
        first, most = self.output.get(name, ("", 0))
        self.output[name] = (first or text, max(most, size))
        call = Call(reply["ok"], reply.get("value"), reply.get("after", [None] * len(args)),
                    [(d["function"], d["values"]) for d in reply.get("draws", [])], reply.get("error"))
        self._memo[key] = call
        return call

    def _discard(self):
        self.direct = self._sandbox.direct_output()
        self._sandbox.close()
        self._sandbox = None

    def close(self):
        if self._sandbox is not None:
            self._discard()


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
