"""A student's file, checked before it is read: a regular file of bounded size, decoded as Python or Jupyter would.

* Only a regular file is read — not a symbolic link (it could point at a classmate's file or the reference), a FIFO
  (reading it would hang), a device or a directory — and it is opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked
  again on the open descriptor, so nothing can be swapped in between.
* A script is decoded as the interpreter decodes source: a UTF-8 byte-order mark or a PEP 263 coding cookie
  (``# -*- coding: latin-1 -*-``) is honoured (:func:`tokenize.detect_encoding`).
* A notebook is JSON read by nbformat; a file that is not a notebook at all is one clear error, and each malformed
  cell is one note while the rest of the notebook is still read.
"""
import codecs
import io
import os
import stat
import tokenize
import warnings

from ... import GancheckError

MAX_BYTES = 2 << 20
KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket",
         stat.S_IFDIR: "a directory", stat.S_IFLNK: "a symbolic link"}


class UnreadableSubmission(GancheckError):
    """The file cannot be read as a script or a notebook at all (it is graded 0 with this reason)."""


def kind(mode):
    """What a file of this ``st_mode`` is, in words (``None`` for a regular file)."""
    return None if stat.S_ISREG(mode) else KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_bytes(path, limit=MAX_BYTES):
    """The bytes of the regular file ``path`` (at most ``limit``); else :class:`UnreadableSubmission`."""
    name = os.path.basename(path)
    try:
        what = kind(os.lstat(path).st_mode)
        if what is None:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            with os.fdopen(fd, "rb") as stream:
                what = kind(os.fstat(fd).st_mode)
                data = stream.read(limit + 1) if what is None else b""
    except OSError as exc:
        raise UnreadableSubmission(f"{name} cannot be read ({exc.strerror})") from None
    if what is not None:
        raise UnreadableSubmission(f"{name} is {what}, not a regular file: not read")
    if len(data) > limit:
        raise UnreadableSubmission(f"{name} is larger than {limit >> 20} MiB")
    return data


def python_text(data, name):
    """``data`` decoded as Python source is (BOM, coding cookie, else UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:   # a cookie naming no codec, or undecodable first lines and no cookie
        if "unknown encoding" not in str(exc):
            encoding = "utf-8"
        else:
            raise UnreadableSubmission(f"{name} declares an encoding Python does not know ({exc})") from None
    try:
        if not codecs.lookup(encoding)._is_text_encoding:
            raise UnreadableSubmission(f"{name} declares {encoding}, which is not a text encoding")
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        shown = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
        raise UnreadableSubmission(f"{name} is not {shown} text ({exc.reason} at byte {exc.start})") from None


def _cell_problem(cell):
    """Why a notebook cell cannot be read (``None`` if it can)."""
    if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
        return "not a notebook cell (no cell_type)"
    source = cell.get("source", "")
    if not (isinstance(source, str) or isinstance(source, list) and all(isinstance(s, str) for s in source)):
        return "its source is not text"
    return None


def notebook_cells(data, name, notes):
    """``[(number, source)]`` of the code cells of the notebook in ``data``; malformed cells become ``notes`` and
    are left out before nbformat reads the rest (it would reject the whole notebook for one of them)."""
    import json

    import nbformat  # only notebooks need it

    try:
        tree = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UnreadableSubmission(f"{name} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise UnreadableSubmission(f"{name} is nested too deeply to be read as a notebook") from None
    except ValueError as exc:
        raise UnreadableSubmission(f"{name} is not a readable notebook (not JSON: {exc})") from None
    numbers = []
    if isinstance(tree, dict) and isinstance(tree.get("cells"), list):
        kept = []
        for number, cell in enumerate(tree["cells"], start=1):
            problem = _cell_problem(cell)
            if problem:
                notes.append(f"cell {number}: {problem} — skipped")
            else:
                kept.append(cell)
                numbers.append(number)
        tree["cells"] = kept
    try:
        with warnings.catch_warnings():   # nbformat warns (on stderr) about ids and minor versions
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(json.dumps(tree), as_version=4)
    except Exception as exc:   # nbformat raises validation and version errors of several types
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:100]
        raise UnreadableSubmission(f"{name} is not a readable notebook ({reason})") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise UnreadableSubmission(f"{name} is not a readable notebook (it has no list of cells)")
    numbers = numbers if len(numbers) == len(cells) else list(range(1, len(cells) + 1))   # converted from v3
    return [(number, "".join(cell.get("source", ""))) for number, cell in zip(numbers, cells)
            if _cell_problem(cell) is None and cell["cell_type"] == "code"]
