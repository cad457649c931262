"""Reading a submission — a script (``ast``) or a notebook (``nbformat``, cells in order) — down to what may run.

A homework notebook trains its GAN at top level: loops of 20,000 epochs, ``plt.show()``. None of that may run while
grading, so only these top-level statements are kept, in order: imports; function and class definitions; assignments
of constants (literals, arithmetic on literals and names, attributes such as ``np.pi``, lambdas). Everything else is
listed as not run, and the names it would have assigned are remembered, so that a ``NameError`` in a graded function
can be explained. Notebook magics (``%matplotlib``, ``!pip``) are dropped. A notebook cell — or, in a script, a
top-level block — that does not parse is reported and skipped; the rest is still graded, and so is the rest after a
line with a NUL byte (blanked) or a block nested too deeply for Python's parser (skipped). The file is checked and
decoded first (:mod:`.files`). Parsing is all that happens here: the kept statements are executed only in the
sandbox.
"""
import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from ... import GancheckError
from .files import UnreadableSubmission, notebook_cells, python_text, read_bytes

__all__ = ["Program", "Statement", "UnreadableSubmission", "load_program"]   # the error is read here by callers

MAGIC = re.compile(r"^\s*(%|!(?!=))")
DEFINITION = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+(\w+)")
CONSTANT_NODES = (ast.Constant, ast.Name, ast.Attribute, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp,
                  ast.Tuple, ast.List, ast.Set, ast.Dict, ast.operator, ast.unaryop, ast.cmpop, ast.boolop,
                  ast.expr_context)


@dataclass(frozen=True)
class Statement:
    file: str      # "alice.py" or "cell 7"
    line: int      # first line, within that file or cell
    source: str
    kind: str      # "import", "definition" or "constant"


@dataclass
class Program:
    name: str
    statements: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    not_run: dict = field(default_factory=dict)    # name → why it is missing ("is assigned at … by a statement …")
    lines: dict = field(default_factory=dict)      # file → its lines, for tracebacks
    files: dict = field(default_factory=dict)      # name → path of the submission's files (shown in its sandbox)
    entry: str = "submission"                      # the module name of the entry file
    root: object = None                            # a multi-file submission's directory (shown whole), or None
    modules: dict = field(default_factory=dict)    # the student's other modules, reduced (:mod:`.folder`)


def load_program(path, label=None):
    """The :class:`Program` of the script or notebook at ``path`` (``label``: its name in notes and tracebacks, by
    default the file's name; a directory or a zip is :func:`.folder.load_folder`'s)."""
    path = Path(path)
    if path.suffix not in (".py", ".ipynb"):
        raise GancheckError(f"{path.name}: expected a .py script or an .ipynb notebook")
    data = read_bytes(path)
    label = label or path.name
    program, not_run, magics = Program(label, files={label: path.resolve()}, entry=_module_name(path)), [], []
    if path.suffix == ".ipynb":
        for number, source in notebook_cells(data, path.name, program.notes):
            if source.lstrip().startswith("%%"):
                program.notes.append(f"cell {number}: cell magic {source.split()[0]} — not run")
                continue
            _keep(program, f"cell {number}", source, _parse_cell, not_run, magics)
    else:
        _keep(program, label, python_text(data, label), _parse_script, not_run, magics)
    if magics:
        program.notes.append(f"notebook magics dropped: {', '.join(magics)}")
    if not_run:
        shown = ", ".join(not_run[:3]) + (f" and {len(not_run) - 3} more" if len(not_run) > 3 else "")
        program.notes.append(f"{len(not_run)} top-level statement(s) not run (the grader runs imports and definitions "
                             f"only): {shown}")
    return program


def _module_name(path):
    """The name ``path`` imports as (``gan.py`` → ``gan``); a name Python could not import stays ``submission``."""
    return path.stem if path.stem.isidentifier() else "submission"


def _strip_magics(text, file, magics, notes):
    lines = [line if line.endswith("\n") else line + "\n" for line in text.splitlines(keepends=True)]
    for i, line in enumerate(lines):
        if "\0" in line:
            notes.append(f"{file}, line {i + 1}: contains a NUL byte — the line is ignored")
            lines[i] = "\n"
        elif MAGIC.match(line):
            magics.append(f"{file}, line {i + 1} `{line.strip()[:30]}`")
            lines[i] = "\n"
    return lines


def _unparsed(program, lines, where):
    """Remember the functions and classes of lines that do not parse, for the NameError they will cause."""
    for line in lines:
        match = DEFINITION.match(line)
        if match:
            program.not_run.setdefault(match[1], f"is defined at {where}, which does not parse")


def _parse_cell(lines, file, program):
    try:
        return ast.parse("".join(lines))
    except SyntaxError as exc:
        program.notes.append(f"{file}: does not parse ({exc.msg}, line {exc.lineno}) — cell skipped, the rest graded")
    except (RecursionError, MemoryError):
        program.notes.append(f"{file}: nested too deeply for Python's parser — cell skipped, the rest graded")
    _unparsed(program, lines, file)
    return ast.Module(body=[], type_ignores=[])


def _is_top(line):
    """A line that starts a top-level block (code at column 0, not a continuation of the block above)."""
    return bool(line[:1].strip()) and not line.startswith(("#", ")", "]", "}", "else", "elif", "except", "finally"))


def _parse_script(lines, file, program):
    for _ in range(50):  # each round blanks the block around one syntax error
        try:
            return ast.parse("".join(lines))
        except (RecursionError, MemoryError):   # no line number: find the block by parsing block by block
            return _parse_blocks(lines, file, program)
        except SyntaxError as exc:
            at = min(max((exc.lineno or 1) - 1, 0), len(lines) - 1)
            start = next((i for i in range(at, -1, -1) if _is_top(lines[i])), 0)
            end = next((i for i in range(at + 1, len(lines)) if _is_top(lines[i])), len(lines))
            where = f"{file}, lines {start + 1}–{end}"
            program.notes.append(f"{where}: does not parse ({exc.msg}, line {exc.lineno}) — skipped, the rest graded")
            _unparsed(program, lines[start:end], where)
            lines[start:end] = ["\n"] * (end - start)
    program.notes.append(f"{file}: too many syntax errors — nothing graded")
    return ast.Module(body=[], type_ignores=[])


def _blocks(lines):
    """``(start, end)`` of each top-level block of ``lines`` (0-based, end exclusive)."""
    starts = [i for i, line in enumerate(lines) if _is_top(line)] or [0]
    return list(zip([0] + starts[1:], starts[1:] + [len(lines)]))


def _parse_blocks(lines, file, program):
    """The module of ``lines`` parsed one top-level block at a time, the blocks Python cannot parse left out."""
    body = []
    for start, end in _blocks(lines):
        try:
            body += ast.parse("\n" * start + "".join(lines[start:end])).body
        except (SyntaxError, RecursionError, MemoryError):
            where = f"{file}, lines {start + 1}–{end}"
            program.notes.append(f"{where}: nested too deeply for Python's parser (or does not parse) — skipped, "
                                 "the rest graded")
            _unparsed(program, lines[start:end], where)
    return ast.Module(body=body, type_ignores=[])


def _keep(program, file, text, parse, not_run, magics):
    lines = _strip_magics(text, file, magics, program.notes)
    program.lines[file] = lines
    for node in parse(lines, file, program).body:
        try:
            kind = _kind(node)
        except RecursionError:   # a constant nested beyond Python's recursion limit: treated as code, not run
            kind = None
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if kind:
            program.statements.append(Statement(file, first, "".join(lines[first - 1: node.end_lineno]), kind))
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):  # docstrings: nothing to say
            not_run.append(f"{file}, line {first} `{lines[first - 1].strip()[:40]}`")
            for name in _assigned(node):
                program.not_run.setdefault(name, f"is assigned at {file}, line {first} by a statement the grader "
                                                 "does not run (it runs imports and definitions only)")


def _kind(node):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "import"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return "definition"
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    value = getattr(node, "value", None)
    if targets and value is not None and all(_is_name_target(t) for t in targets) and _is_constant(value):
        return "constant"
    return None


def _is_name_target(target):
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_is_name_target(t) for t in target.elts)
    return isinstance(target, ast.Name)


def _is_constant(node):
    """Literals and arithmetic on them, names, attributes, lambdas: values whose evaluation calls nothing."""
    if isinstance(node, ast.Lambda):
        return True
    return isinstance(node, CONSTANT_NODES) and all(_is_constant(c) for c in ast.iter_child_nodes(node))


def _assigned(node):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            yield sub.id
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield sub.name
