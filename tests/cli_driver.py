"""Runs ``gancheck`` command lines as separate processes, fast: this process imports gancheck once, then forks a child
per command line, so each child starts with everything loaded and is a real process with its own exit status,
stdout and stderr (and can be killed if it hangs).

Protocol, one JSON object a line: request ``{"argv": [...], "cwd": "...", "timeout": s}`` on stdin, reply
``{"status": n or null, "stdout": "...", "stderr": "...", "seconds": s, "timed_out": bool}`` on stdout. Used by
tests/test_cli_bad_inputs.py; this process is single-threaded, so forking it is safe.
"""
import json
import os
import signal
import sys
import tempfile
import time
import traceback

import gancheck.cli  # noqa: F401  (everything the commands import before they check their arguments)
import gancheck.rundir  # noqa: F401
from gancheck.cli import main


def run(argv, cwd, timeout):
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: the command, on its own stdout and stderr, never this protocol's
            status = 1
            try:
                os.chdir(cwd)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                status = main(argv)
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            except BaseException:  # what Python would print for an uncaught exception, and its status
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        status, timed_out = None, False
        while True:
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(code)
                break
            if time.monotonic() - start > timeout:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        seconds = time.monotonic() - start
        texts = []
        for fh in (out, err):
            fh.seek(0)
            texts.append(fh.read().decode("utf-8", errors="replace"))
    return {"status": status, "stdout": texts[0], "stderr": texts[1], "seconds": seconds, "timed_out": timed_out}


if __name__ == "__main__":
    for line in sys.stdin:
        request = json.loads(line)
        reply = run(request["argv"], request["cwd"], request["timeout"])
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
