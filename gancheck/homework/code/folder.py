"""A submission of several files — a student's directory, or a zip of one — read as one program.

* **The entry** is the file whose namespace holds the graded functions: the assignment's ``entry`` if it names one
  (it must be at the top of the directory); else the only notebook at the top; else the only module at the top that
  no other module imports (``gan.py`` importing ``discriminator.py``). Anything else is ambiguous, and says so.
* **The other modules** (``.py`` files below the directory, packages included) are reduced like the entry — imports,
  definitions, constants; no training loop — and served to the entry's imports inside the sandbox (:mod:`.imports`);
  the whole directory is shown there read-only, so data files it ships can be read.
* **A zip** is unpacked by the grader first, with limits: regular files only (no links), no absolute or ``..``
  names, at most :data:`MAX_FILES` files and :data:`MAX_BYTES` in all, a single top folder looked into.

Every file is read as :mod:`.files` reads one (regular, bounded, decoded as Python does).
"""
import ast
import contextlib
import io
import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .files import UnreadableSubmission, kind, python_text, read_bytes
from .source import load_program

MAX_FILES = 64
MAX_BYTES = 16 << 20
MAX_DEPTH = 4


def modules_below(root):
    """``{relative path: path}`` of the ``.py`` and ``.ipynb`` files below ``root`` (regular files only; hidden and
    ``__pycache__`` directories left out), and notes for what was not taken."""
    found, notes = {}, []
    for folder, dirs, files in os.walk(root):
        depth = len(Path(folder).relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")) and depth < MAX_DEPTH)
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix not in (".py", ".ipynb") or name.startswith("."):
                continue
            what = kind(os.lstat(path).st_mode)
            if what is not None:
                notes.append(f"{path.relative_to(root)} is {what}: not read")
            elif len(found) >= MAX_FILES:
                notes.append(f"more than {MAX_FILES} Python files: {path.relative_to(root)} and later ones not read")
                return found, notes
            else:
                found[path.relative_to(root).as_posix()] = path
    return found, notes


def _imported(paths):
    """The top-level names each ``.py`` file imports (a file that does not parse imports nothing we can see)."""
    names = set()
    for path in paths:
        try:
            tree = ast.parse(python_text(read_bytes(path), path.name))
        except (SyntaxError, ValueError, UnreadableSubmission, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names


def _entry(found, entry):
    top = {rel: path for rel, path in found.items() if "/" not in rel}
    if entry is not None:
        if entry not in top:
            raise UnreadableSubmission(f"no {entry} at the top of the submission (the assignment's entry file)")
        return entry
    notebooks = [rel for rel in top if rel.endswith(".ipynb")]
    if len(notebooks) == 1:
        return notebooks[0]
    scripts = [rel for rel in top if rel.endswith(".py")]
    imported = _imported(found[rel] for rel in found if rel.endswith(".py"))
    roots = [rel for rel in scripts if rel[:-3] not in imported]
    if len(roots) == 1:
        return roots[0]
    if not top:
        raise UnreadableSubmission("no .ipynb or .py file at the top of the submission")
    shown = ", ".join(sorted(notebooks or roots or scripts)[:4])
    raise UnreadableSubmission(f"{len(notebooks or roots or scripts)} candidate entry files ({shown}): name the one "
                               "with the graded functions in the assignment (entry = \"…\")")


def _module_name(rel):
    parts = list(PurePosixPath(rel).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else None


def load_folder(root, entry=None):
    """The :class:`.source.Program` of the directory ``root``: the entry's statements, the other modules reduced."""
    root = Path(root)
    found, notes = modules_below(root)
    chosen = _entry(found, entry)
    program = load_program(found[chosen], label=chosen)
    program.files, program.root = {}, root.resolve()
    program.notes[:0] = notes
    for rel, path in found.items():
        name = _module_name(rel)
        if rel == chosen or rel.endswith(".ipynb") or name is None:
            continue
        module = load_program(path, label=rel)
        program.notes += module.notes
        program.not_run.update(module.not_run)
        program.modules[name] = {"file": rel, "package": rel.endswith("__init__.py"), "lines": module.lines[rel],
                                 "statements": [{"source": s.source, "line": s.line} for s in module.statements]}
    for name in list(program.modules):   # a folder without __init__.py is a namespace package
        for k in range(1, name.count(".") + 1):
            parent = name.rsplit(".", k)[0]
            program.modules.setdefault(parent, {"file": parent.replace(".", "/"), "package": True, "lines": [],
                                                "statements": []})
    files = sorted(m["file"] for m in program.modules.values() if m["lines"])
    if files:
        program.notes.insert(0, f"a submission of {len(files) + 1} files: {chosen} (the entry) and {', '.join(files)}")
    return program


def _members(archive):
    """The zip's regular-file members, checked: names, kinds, count and total size."""
    members, total = [], 0
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        if info.is_dir() or name.parts[:1] == ("__MACOSX",):
            continue
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
            raise UnreadableSubmission(f"the zip holds an unsafe name {info.filename[:60]!r}")
        if stat.S_IFMT(info.external_attr >> 16) not in (0, stat.S_IFREG):
            continue   # a link (or device) in a zip is not a student's file
        total += info.file_size
        members.append(info)
        if len(members) > 4 * MAX_FILES or total > MAX_BYTES:
            raise UnreadableSubmission(f"the zip holds more than {4 * MAX_FILES} files or {MAX_BYTES >> 20} MiB")
    return members


@contextlib.contextmanager
def unpacked(path):
    """The directory of the zip at ``path``, unpacked into a temporary directory for as long as it is needed."""
    data = read_bytes(path, MAX_BYTES)
    work = Path(tempfile.mkdtemp(prefix="gancheck-zip-"))
    try:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in _members(archive):
                    target = work / info.filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(info) as source, open(target, "wb") as out:
                        out.write(source.read(MAX_BYTES + 1)[:MAX_BYTES])   # a lying header cannot make it larger
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise UnreadableSubmission(f"{Path(path).name} is not a readable zip ({exc})") from None
        tops = [p for p in work.iterdir() if not p.name.startswith(".")]
        yield tops[0] if len(tops) == 1 and tops[0].is_dir() else work
    finally:
        shutil.rmtree(work, ignore_errors=True)
