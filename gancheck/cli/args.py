"""Argument types shared by every subcommand: each turns one command-line string into a value or raises
:class:`argparse.ArgumentTypeError` with a one-line reason, which the parser prints as
``gancheck: error: argument --x: reason`` before exiting with status 2 — before any work starts.

Files are checked without blocking (a pipe or a device is refused from its ``stat``, never opened) and text files are
read once to prove they decode, so a later reader cannot fail half-way with a ``UnicodeDecodeError``.
"""
import argparse
import math
import os
import stat
from pathlib import Path

SEED_MAX = 2**32 - 1       # NumPy takes any integer ≥ 0; 32 bits is what every other tool accepts as a seed
MAX_TEXT_BYTES = 16 << 20  # no input text file of gancheck is anywhere near this; larger ones are refused unread
_MAX_DIGITS = 40           # longer integer literals are refused before Python's int() spends time on them


def _fail(message):
    raise argparse.ArgumentTypeError(message)


def _count(n):
    return f"{n:,}"


def integer(low=None, high=None):
    """An integer in ``[low, high]`` (either end optional; ``high`` may be a function returning
    ``(bound, reason)`` computed when the argument is parsed)."""
    def parse(text):
        digits = text.strip().removeprefix("-").removeprefix("+").replace("_", "")
        if not digits.isdigit() or not digits.isascii():
            _fail(f"expected an integer, got {text!r}")
        if len(digits) > _MAX_DIGITS:
            _fail(f"{text} is far too large")
        value = int(text)
        hi, why = high() if callable(high) else (high, "")
        if low is not None and hi is not None and not low <= value <= hi:
            _fail(f"must be from {_count(low)} to {_count(hi)}{why}, got {_count(value)}")
        if low is not None and value < low:
            _fail(f"must be at least {_count(low)}, got {_count(value)}")
        if hi is not None and value > hi:
            _fail(f"must be at most {_count(hi)}{why}, got {_count(value)}")
        return value
    return parse


seed = integer(0, SEED_MAX)


def real(low=None, high=None, *, low_open=False, high_open=False):
    """A finite number in the interval from ``low`` to ``high``, each end closed unless ``*_open``."""
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            _fail(f"expected a number, got {text!r}")
        if not math.isfinite(value):
            _fail(f"must be a finite number, got {text!r}")
        too_low = low is not None and (value <= low if low_open else value < low)
        too_high = high is not None and (value >= high if high_open else value > high)
        if too_low or too_high:
            left = "" if low is None else f"{'>' if low_open else '≥'} {low:g}"
            right = "" if high is None else f"{'<' if high_open else '≤'} {high:g}"
            _fail(f"must be {' and '.join(s for s in (left, right) if s)}, got {text}")
        return value
    return parse


def one_of(names, what):
    """One of ``names`` — or of what ``names()`` returns, when the choices live in a module that the parser should
    import only if this argument is given — with a message naming ``what`` and listing the choices otherwise."""
    def parse(text):
        choices = tuple(names() if callable(names) else names)
        if text not in choices:
            _fail(f"unknown {what} {text!r}; choose from {', '.join(choices)}")
        return text
    return parse


def jobs(text):
    """A number of parallel workers ≥ 1; more than the CPUs this process may use are capped to that number (more
    processes than cores only compete for them)."""
    return min(integer(1)(text), cpu_count())


def cpu_count():
    """CPUs this process may run on (its affinity mask, which containers and ``taskset`` narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _stat(text):
    if not text:
        _fail("empty path")
    try:
        return os.stat(text)
    except FileNotFoundError:
        _fail(f"{text}: no such file or directory")
    except OSError as exc:
        _fail(f"{text}: {exc.strerror.lower()}")


def text_file(suffixes=(), max_bytes=MAX_TEXT_BYTES):
    """A regular, readable file of UTF-8 text at most ``max_bytes`` long whose name ends in one of ``suffixes``
    (any name if empty). Returns the path as given."""
    def parse(text):
        st = _stat(text)
        _regular(text, st)
        if suffixes and not text.lower().endswith(tuple(suffixes)):
            _fail(f"{text}: expected a {' or '.join(suffixes)} file")
        if st.st_size > max_bytes:
            _fail(f"{text}: too large ({_count(st.st_size)} bytes, at most {_count(max_bytes)})")
        try:
            with open(text, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            _fail(f"{text}: cannot read it ({exc.strerror.lower()})")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            _fail(f"{text}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        return text
    return parse


def _regular(text, st):
    if stat.S_ISDIR(st.st_mode):
        _fail(f"{text}: is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode):
        _fail(f"{text}: not a regular file (a device, pipe or socket)")
    if not os.access(text, os.R_OK):
        _fail(f"{text}: permission denied")


def file_or_directory(text):
    """An existing readable regular file, or a readable directory (what the file holds is its reader's to judge)."""
    st = _stat(text)
    if stat.S_ISDIR(st.st_mode):
        if not os.access(text, os.R_OK | os.X_OK):
            _fail(f"{text}: directory not readable")
        return text
    _regular(text, st)
    return text


def output_dir(text):
    """A directory that exists and is writable, or that can be created (its nearest existing ancestor is a writable
    directory). Nothing is created here: the command creates it once every argument is known to be good."""
    if not text:
        _fail("empty path")
    path = Path(text)
    try:
        if path.exists():
            if not path.is_dir():
                _fail(f"{text}: exists and is not a directory")
            if not os.access(path, os.W_OK | os.X_OK):
                _fail(f"{text}: directory not writable")
            return text
        ancestor = next(p for p in path.absolute().parents if p.exists())
    except OSError as exc:  # e.g. a name longer than the file system allows
        _fail(f"{text}: {exc.strerror.lower() if exc.strerror else exc}")
    if not ancestor.is_dir():
        _fail(f"cannot create {text}: {ancestor} is not a directory")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        _fail(f"cannot create {text}: {ancestor} is not writable")
    return text


def output_file(suffixes=()):
    """A file that can be written: not a directory, its directory exists and is writable, its name ends in one of
    ``suffixes`` (any name if empty). Nothing is written here."""
    def parse(text):
        if not text:
            _fail("empty path")
        path = Path(text)
        if path.is_dir():
            _fail(f"{text}: is a directory, expected a file")
        if suffixes and not text.lower().endswith(tuple(suffixes)):
            _fail(f"{text}: expected a {' or '.join(suffixes)} file")
        parent = path.absolute().parent
        if not parent.is_dir():
            _fail(f"cannot create {text}: {parent} is not a directory")
        if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
            _fail(f"cannot write {text}: permission denied")
        return text
    return parse


def available_memory():
    """Bytes of memory this process can still obtain: the kernel's ``MemAvailable``, lowered to the cgroup's limit when
    a container sets one (the physical memory if neither can be read)."""
    candidates = []
    try:
        with open("/proc/meminfo") as fh:
            candidates += [int(line.split()[1]) * 1024 for line in fh if line.startswith("MemAvailable:")]
    except (OSError, ValueError, IndexError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            candidates.append(int(limit))
    except OSError:
        pass
    if not candidates:
        candidates.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    return min(candidates)


def gib(n_bytes):
    return f"{n_bytes / 2**30:.1f} GiB"
