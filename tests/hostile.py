"""The hostile corpus of tests/data/hostile/ made into files: a class directory of submissions, formula sheets.

Shared by tests/test_hostile_code.py and tests/test_hostile_formulas.py (and usable by hand: ``python -c "import
hostile; hostile.make_class('/tmp/class')"`` from tests/ writes the class the tests grade).
"""
import os
import random
import shutil
import subprocess
import tomllib
from pathlib import Path

import nbformat

from gancheck.homework.isolation.sandbox import probe

HOSTILE = Path(__file__).parent / "data" / "hostile"
PRELUDE = (HOSTILE / "prelude.py").read_text()
GENERATED = {   # texts too large or too odd to keep in a TOML file
    "@deep_unary": "X = " + "-" * 100000 + "1\n",
    "@deep_parentheses": "X = " + "(" * 300 + "1" + ")" * 300 + "\n",
    "@long_chain": "X = 1" + " + 1" * 100000 + "\n",
    "@deep_lambda": "F = " + "lambda: " * 3000 + "1\n",
    "@huge": "#" * (3 << 20) + "\n",
    "@deep_json": "[" * 100000 + "]" * 100000,
}


def kernel_sandbox_or_skip():
    """Skip where no kernel sandbox can be built — except in CI, where that is a failure."""
    import pytest

    reason = probe()
    if reason is not None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"no kernel sandbox: {reason}")


def submissions():
    return tomllib.loads((HOSTILE / "code.toml").read_text())["submission"]


def _text(text):
    return PRELUDE if text == "@prelude" else GENERATED.get(text, text).replace("@prelude\n", PRELUDE)


def _script(entry):
    if entry.get("source") == "@binary":
        return random.Random(11).randbytes(4096)
    text = _text(entry.get("source", ""))
    if entry.get("prelude", True):
        text = PRELUDE + text
    if "native" in entry:
        text = f"NATIVE = {_compile(entry['native'])!r}\n" + text
    return bytes.fromhex(entry.get("prefix", "")) + text.encode(entry.get("encoding", "utf-8"))


def _notebook(entry):
    if "raw" in entry:
        return bytes.fromhex(entry.get("prefix", "")) + _text(entry["raw"]).encode()
    sources = [PRELUDE] + [c for c in entry["cells"] if c != "@many"]
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    if "@many" in entry["cells"]:
        cells = [nbformat.v4.new_code_cell("") for _ in range(3000)] + cells
    if "outputs" in entry:
        cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=entry["outputs"])]
    return bytes.fromhex(entry.get("prefix", "")) + nbformat.writes(nbformat.v4.new_notebook(cells=cells)).encode()


def _compile(source):
    """A shared object built from C ``source`` (b"" without a C compiler: the attack then fails on its own)."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        return b""
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"gancheck-native-{os.getpid()}"
    work.mkdir(exist_ok=True)
    (work / "native.c").write_text(source)
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(work / "native.so"), str(work / "native.c")], check=True)
    data = (work / "native.so").read_bytes()
    shutil.rmtree(work)
    return data


def make_class(directory):
    """Write every submission of code.toml into ``directory``, plus the entries a repository cannot hold:
    symbolic links (out, to a classmate, to a classmate's folder), a FIFO, a device, names with control characters.
    Returns ``{entry name: entry}``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    entries = {}
    for entry in submissions():
        path = directory / entry["name"]
        if "files" in entry:
            path.mkdir()
            for name, text in entry["files"].items():
                (path / name).write_text(_text(text))
        else:
            path.write_bytes(_notebook(entry) if path.suffix == ".ipynb" else _script(entry))
        entries[entry["name"]] = entry
    specials = {
        "link_out.py": lambda p: p.symlink_to("/etc/passwd"),
        "copycat.py": lambda p: p.symlink_to(directory / "victim_alpha.py"),
        "linked_folder": lambda p: p.symlink_to(directory / "victim_folder"),
        "fifo.py": lambda p: os.mkfifo(p),
        "\x1b[31mred\x1b[0m.py": lambda p: p.write_text(PRELUDE),
        "new\nline.py": lambda p: p.write_text(PRELUDE),
    }
    if os.geteuid() == 0:
        specials["device.py"] = lambda p: os.mknod(p, 0o600 | 0o020000, os.makedev(1, 3))
    for name, make in specials.items():
        make(directory / name)
        entries[name] = {"name": name, "family": "class directory"}
    inner = directory / "folder_with_a_link"
    inner.mkdir()
    (inner / "homework.py").symlink_to(directory / "victim_beta.py")
    entries[inner.name] = {"name": inner.name, "family": "class directory", "status": "error",
                           "note": "is a symbolic link"}
    for name in ("link_out.py", "copycat.py", "linked_folder", "fifo.py", "device.py"):
        if name in entries:
            entries[name].update(status="error", note="not a regular file or folder: not graded")
    for name in ("\x1b[31mred\x1b[0m.py", "new\nline.py"):
        entries[name]["expect"] = "full"
    return entries
