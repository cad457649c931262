"""A running sandbox and how to end it: its launcher's ``Popen`` plus a pidfd of its PID namespace's init."""
import json
import os
import select
import shutil
import signal
from pathlib import Path


class Process:
    """A running sandbox: the ``subprocess.Popen`` of its launcher plus what it takes to end it completely."""

    def __init__(self, popen, info, scratch):
        self.popen, self._info, self._scratch = popen, info, scratch
        self._init = self._child = None     # a pidfd and the host pid of the sandbox's PID-namespace init

    @property
    def pid(self):
        return self.popen.pid

    def poll(self):
        return self.popen.poll()

    def wait(self, timeout=None):
        return self.popen.wait(timeout)

    def _namespace_init(self):
        """A pidfd of the namespace's init, from bubblewrap's info (``None`` until bubblewrap has written it)."""
        if self._init is None and self._info is not None and select.select([self._info], [], [], 0)[0]:
            try:
                self._child = int(json.loads(os.read(self._info, 4096))["child-pid"])
                self._init = os.pidfd_open(self._child)
            except (OSError, ValueError, KeyError, TypeError):
                pass
        return self._init

    def interpreter(self):
        """The host pid of the sandboxed interpreter (the only child of the namespace's init), or ``None``."""
        if self._info is None:
            return self.popen.pid
        self._namespace_init()
        try:
            return int(Path(f"/proc/{self._child}/task/{self._child}/children").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def kill(self):
        """End the sandbox and every process in it; returns once they are all gone."""
        init = self._namespace_init()
        if init is not None:
            try:
                signal.pidfd_send_signal(init, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.popen.wait()
        if init is not None:
            select.select([init], [], [], 5.0)   # readable once the init — and so its namespace — has exited

    def close(self):
        self.kill()
        for fd in (self._info, self._init):
            if fd is not None:
                os.close(fd)
        self._info = self._init = None
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)
