"""Progress bars on stderr for the long commands, drawn by tqdm, and silent unless their stream is a terminal (a log
file, a pipe or a test's captured output gets nothing).

``Progress(total, label=..., stream=...)`` with ``update(done, note=...)`` and ``close()`` is the whole interface; a bar
redraws at most every ``interval`` seconds, so updating it once per block of steps costs nothing measurable.

A command whose work is many inner loops (``gancheck experiment`` trains several GANs) opens one bar as a context
manager; :func:`advance` then lets each loop report the steps it did to that bar without knowing about it.
"""
import sys

from tqdm import tqdm

_open = []  # the bars opened as context managers, innermost last


class Progress:
    def __init__(self, total, label="", stream=None, interval=0.25, initial=0, unit="step", quiet=False):
        stream = stream or sys.stderr
        self._bar = tqdm(total=int(total), desc=label, file=stream, initial=initial, mininterval=interval,
                         unit=unit, dynamic_ncols=True, disable=quiet or not _is_terminal(stream))

    @property
    def done(self):
        return self._bar.n

    def update(self, done, note=""):
        """``done`` units of ``total`` are done; ``note`` is shown after the bar (e.g. the current losses)."""
        if self._bar.disable:
            self._bar.n = done
            return
        if note:
            self._bar.set_postfix_str(note, refresh=False)
        self._bar.update(done - self._bar.n)

    def advance(self, n):
        self.update(self._bar.n + n)

    def write(self, text):
        """Print a line of ``text`` on stdout without breaking the bar (a command's table printed as it goes)."""
        if self._bar.disable:
            print(text)
        else:
            self._bar.write(text, file=sys.stdout)

    def close(self):
        self._bar.close()

    def __enter__(self):
        _open.append(self)
        return self

    def __exit__(self, *exc):
        _open.remove(self)
        self.close()


def advance(n):
    """Report ``n`` more units of work to the innermost bar opened with ``with Progress(...)`` (if any)."""
    if _open:
        _open[-1].advance(n)


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
