"""Reading submissions: only imports and definitions are kept; magics dropped; what does not parse is skipped and
reported, the rest kept; the notebook and the script of the same code keep the same statements."""
import json
import textwrap

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gancheck import GancheckError
from gancheck.homework.code.source import UnreadableSubmission, load_program

SCRIPT = textwrap.dedent('''\
    """A docstring."""
    import numpy as np
    from numpy.random import randn
    alpha = 0.01
    n_epochs, n_batch = 20000, 2 ** 7
    TWO_PI: float = 2 * np.pi
    relu = lambda z: np.maximum(z, 0)
    rng = np.random.default_rng(0)


    @staticmethod
    def drelu(z):
        return (z > 0).astype(float)


    class Net:
        pass


    for epoch in range(n_epochs):
        W = rng.normal()
    if __name__ == "__main__":
        def main():
            pass
    np.allclose = lambda *a: True
    plt.show()
    ''')


def kept(program):
    return [(s.kind, s.source.split("\n")[0]) for s in program.statements]


def test_only_imports_definitions_and_constants_are_kept(tmp_path):
    path = tmp_path / "hw.py"
    path.write_text(SCRIPT)
    program = load_program(path)
    assert kept(program) == [
        ("import", "import numpy as np"), ("import", "from numpy.random import randn"),
        ("constant", "alpha = 0.01"), ("constant", "n_epochs, n_batch = 20000, 2 ** 7"),
        ("constant", "TWO_PI: float = 2 * np.pi"), ("constant", "relu = lambda z: np.maximum(z, 0)"),
        ("definition", "@staticmethod"), ("definition", "class Net:")]
    assert program.statements[6].source.startswith("@staticmethod\ndef drelu(z):")   # decorators belong to the def
    (note,) = [n for n in program.notes if "not run" in n]
    assert note.startswith("5 top-level statement(s) not run") and "hw.py, line 8 `rng = " in note
    # names assigned by statements that do not run, for explaining a NameError later
    assert {"rng", "epoch", "W", "main"} <= set(program.not_run)
    assert "alpha" not in program.not_run and "main" in program.not_run


def notebook(tmp_path, cells, name="hw.ipynb"):
    path = tmp_path / name
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_notebook_cells_in_order_magics_dropped_broken_cell_skipped(tmp_path):
    cells = [nbformat.v4.new_markdown_cell("# Homework"),
             nbformat.v4.new_code_cell("!pip install numpy\n%matplotlib inline\nimport numpy as np"),
             nbformat.v4.new_code_cell("%%time\nfor i in range(10**9): pass"),
             nbformat.v4.new_code_cell("def broken(:\n    pass\ndef lost():\n    pass"),
             nbformat.v4.new_code_cell("def drelu(z):\n    return (z > 0) * 1.0\nplt.show()")]
    program = load_program(notebook(tmp_path, cells))
    assert [(s.file, s.line, s.kind) for s in program.statements] == [("cell 2", 3, "import"),
                                                                       ("cell 5", 1, "definition")]
    notes = " | ".join(program.notes)
    assert "notebook magics dropped: cell 2, line 1 `!pip install numpy`, cell 2, line 2 `%matplotlib inline`" in notes
    assert "cell 3: cell magic %%time — not run" in notes
    assert "cell 4: does not parse" in notes and "cell skipped, the rest graded" in notes
    assert program.not_run["lost"] == "is defined at cell 4, which does not parse"


def test_a_script_keeps_everything_around_a_block_that_does_not_parse(tmp_path):
    path = tmp_path / "hw.py"
    path.write_text("import numpy as np\n\ndef f(x)\n    return x\n\ndef g(x):\n    return x\n%timeit g(1)\n"
                    "def h(x:\n    return x\n\nK = 3\n")
    program = load_program(path)
    assert kept(program) == [("import", "import numpy as np"), ("definition", "def g(x):"), ("constant", "K = 3")]
    notes = " | ".join(program.notes)
    assert "hw.py, lines 3–5: does not parse (expected ':', line 3)" in notes
    assert "hw.py, lines 9–11: does not parse ('(' was never closed, line 9)" in notes
    assert program.not_run["f"].endswith("which does not parse") and program.not_run["h"].endswith("not parse")


def test_the_notebook_and_the_script_of_the_same_code_keep_the_same_statements(tmp_path):
    blocks = SCRIPT.split("\n\n\n")
    path = notebook(tmp_path, [nbformat.v4.new_code_cell(b) for b in blocks])
    script = tmp_path / "hw.py"
    script.write_text(SCRIPT)
    assert [s.source for s in load_program(path).statements] == [s.source for s in load_program(script).statements]


def test_unreadable_files_are_a_clear_error(tmp_path):
    bad = tmp_path / "hw.ipynb"
    bad.write_text("{not json")
    with pytest.raises(UnreadableSubmission, match="not a readable notebook"):
        load_program(bad)
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"x = '\xe9'\n")
    with pytest.raises(UnreadableSubmission, match="not UTF-8"):
        load_program(latin)
    with pytest.raises(GancheckError, match="expected a .py script or an .ipynb notebook"):
        other = tmp_path / "hw.txt"
        other.write_text("")
        load_program(other)
    empty = tmp_path / "empty.ipynb"
    empty.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    assert load_program(empty).statements == []


@settings(max_examples=60)
@given(st.text(alphabet=st.sampled_from(list("def x():\n    return 1 %!#'\"([{)]}=+-*@\\\t")), max_size=200))
def test_any_text_is_read_or_refused_cleanly(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "hw.py"
    path.write_text(text)
    program = load_program(path)   # never raises: what does not parse is skipped and noted
    for statement in program.statements:
        compile(statement.source, "<kept>", "exec")   # every kept statement parses on its own


@pytest.mark.parametrize("text, note", [
    ("X = 1" + " + 1" * 200000 + "\n", "nested too deeply for Python's parser"),   # RecursionError in the parser
    ("X = " + "-" * 100000 + "1\n", "nested too deeply for Python's parser"),      # MemoryError in the parser
    ("# a NUL \0 in a comment\n", "line 1: contains a NUL byte — the line is ignored"),
])
def test_nul_bytes_and_deep_nesting_are_one_note_and_the_rest_is_read(tmp_path, text, note):
    path = tmp_path / "deep.py"
    path.write_text(text + "def f(x):\n    return x\n")
    program = load_program(path)
    assert any(note in n for n in program.notes), program.notes
    assert [s.source.split("(")[0] for s in program.statements] == ["def f"]


@pytest.mark.parametrize("data, expected", [
    (b"\xef\xbb\xbfdef f():\n    return 1\n", "def f"),                                    # a UTF-8 BOM
    ("# -*- coding: latin-1 -*-\n# café\ndef f():\n    return 1\n".encode("latin-1"), "def f"),   # PEP 263
])
def test_encodings_are_read_as_python_reads_them(tmp_path, data, expected):
    path = tmp_path / "enc.py"
    path.write_bytes(data)
    assert load_program(path).statements[0].source.startswith(expected)


def test_only_regular_files_are_read(tmp_path):
    import os

    (tmp_path / "real.py").write_text("x = 1\n")
    (tmp_path / "link.py").symlink_to(tmp_path / "real.py")
    os.mkfifo(tmp_path / "fifo.py")
    for name, what in (("link.py", "a symbolic link"), ("fifo.py", "a FIFO")):
        with pytest.raises(UnreadableSubmission, match=f"{name} is {what}, not a regular file"):
            load_program(tmp_path / name)
