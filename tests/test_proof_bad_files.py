"""Wrong and hostile proof files: each gives one clear line on stderr and exit status 2 — never a traceback, a hang or
a control character reaching the terminal — through the real command (``gancheck check-proof``, the shared limited
child). One bad step inside a valid file (a simplification that would run for minutes) is an "undecided" step with
its reason instead, and the other steps are decided as usual. TOML has no aliases, tags or includes, so there is no
alias bomb to try; what nests, repeats or grows is bounded below.

The files' contents (``BAD``) go through the command's own entry point here, sharing one limited child, and through
a new ``python -m gancheck`` process each in the slow variant; files that are no proof file at all (``NOT_FILES``:
missing, a directory, a pipe, a device, binary, 1 GiB) through a new process each, always."""
import os
import subprocess
import sys
import time

import pytest
import sympy as sp

import gancheck.cli as cli

_HEAD = '[proof]\nassume = ["a, b > 0"]\n'
# 0, but proving it expands two polynomials of ~10^5 terms each (as tests/test_formula_sandbox.py's SLOW_BUT_RIGHT)
_SUM = "(a + b + c + d + e + f + g)"
_SLOW = f"{_SUM}**16 - ({sp.expand(sp.sympify(_SUM) ** 2)})**8"


def _proof(line, assume='["a, b > 0"]', extra=""):
    return f'[proof]\nassume = {assume}\n{extra}\n[[step]]\nline = "{line}"\n'


def _steps(n, line="a = a"):
    return _HEAD + "".join(f'[[step]]\nline = "{line}"\n' for _ in range(n))


BAD = [  # (id, file content, a phrase of the one line it must print)
    ("empty", "", "the proof has no [[step]]"),
    ("not TOML", "[proof\n", "cannot read the proof"),
    ("duplicate key", _HEAD + '[[step]]\nline = "a = a"\nline = "b = b"\n', "cannot read the proof"),
    ("NUL byte", _HEAD + '[[step]]\nline = "a\x00 = a"\n', "cannot read the proof"),
    ("raw control in a string", _HEAD + '[[step]]\nline = "a\x1b[2J = a"\n', "cannot read the proof"),
    ("an unknown table", '[answers]\nD.z_bar = "y - t"\n', "[proof], [define] and [[step]] only"),
    ("points in the proof", _steps(1) + "[points]\nstep = 10\n", "cannot set points or rules"),
    ("follow-through in the proof", "follow_through = 1\n" + _steps(1), "cannot set points or rules"),
    ("an unknown key", '[proof]\nloss = "minimax"\n[[step]]\nline = "a = a"\n', "[proof] may set"),
    ("proof not a table", 'proof = "mine"\n[[step]]\nline = "a = a"\n', "[proof] must be a table"),
    ("steps not tables", 'step = "a = a"\n' + _HEAD, "the proof has no [[step]]"),
    ("a step without its line", _HEAD + '[[step]]\nbecause = "obvious"\n', "line 1 is missing"),
    ("a line that is a number", _HEAD + "[[step]]\nline = 42\n", "line 1 is missing"),
    ("an empty line", _proof(""), "line 1 is missing"),
    ("a step's unknown key", _HEAD + '[[step]]\nline = "a = a"\npoints = 3\n', "[step] may set"),
    ("a line too long", _proof("a = " + "a + " * 600 + "a"), "line 1 is too long"),
    ("a line break in a line", _HEAD + '[[step]]\nline = """a =\na"""\n', "holds a line break"),
    ("too many lines", _steps(101), "too many lines (101, at most 100)"),
    ("a justification too long", _HEAD + f'[[step]]\nline = "a = a"\nbecause = "{"x" * 400}"\n', "at most 300"),
    ("a title that is a table", '[proof]\ntitle = {a = 1}\n[[step]]\nline = "a = a"\n', "title must be text"),
    ("an unknown syntax", '[proof]\nsyntax = "maple"\n[[step]]\nline = "a = a"\n', "syntax must be one of"),
    ("assume not a list", _proof("a = a", assume="3"), "assume must be a list"),
    ("too many assumptions", _proof("a = a", assume=str([f"x{k} > 0" for k in range(21)]).replace("'", '"')),
     "at most 20 declarations"),
    ("an unreadable assumption", _proof("a = a", assume='["a is nice"]'), "cannot read the assumption"),
    ("declared twice", _proof("a = a", assume='["a > 0", "a real"]'), "cannot be declared"),
    ("a function declared", _proof("a = a", assume='["log > 0"]'), "cannot be declared"),
    ("a bound that is a name", _proof("a = a", assume='["x > y"]'), "a bound must be a number"),
    ("an empty interval", _proof("a = a", assume='["1 < x < 0"]'), "leave no room"),
    ("too many points", _proof("a = a", assume='["p distribution on 100 points"]'), "2 to 8 points"),
    ("a variance of unknown sign", _proof("a = a", assume='["mu real", "x ~ N(0, mu)"]'), "must be positive"),
    ("a definition of a function", _proof("a = a", extra='[define]\nlog = "a"'), "cannot be defined"),
    ("an unreadable definition", _proof("a = a", extra='[define]\nf = "a +"'), "[define] f, column"),
    ("no relation", _proof("a + b"), "has no relation"),
    ("ends with a relation", _proof("a + b ="), "needs an expression after it"),
    ("two relations in a row", _proof("a = <= b"), "needs an expression after it"),
    ("continues nothing", _proof("= a"), "nothing before it to continue"),
    ("an implication from nothing", _proof("=> a = b"), "nothing before it to continue"),
    ("≠ is not a step", _proof("a != b"), "≠ is not a step"),
    ("too many relations", _proof(" = ".join(["a"] * 30)), "more than 24 relations"),
    ("an unknown name", _proof("a = c"), "line 1, column 5: unknown name 'c'"),
    ("attribute access", _proof("a.__class__ = a"), "not allowed"),
    ("a control character", _proof("a\\u001b[2J = a"), "control character U+001B"),
    ("a bidi control", _proof("a = b\\u202e"), "control character U+202E"),
    ("a huge literal", _proof("a = 1e99999999"), "out of range"),
    ("brackets nested too deeply", _proof("(" * 200 + "a" + ")" * 200 + " = a"), "nested too deeply"),
    ("TOML nested too deeply", _HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n", "cannot read the proof"),
    ("a power too large", _proof("a**99999 = a"), "too large"),
    ("sum without distributions", _proof("sum(a, i) = a"), "'sum' is not a function"),
    ("an index outside its sum", _proof("p_i = p_1", assume='["p distribution on 3 points"]'), "only inside sum"),
    ("a distribution as a number", _proof("p + 1 = 1", assume='["p distribution on 3 points"]'),
     "p is a distribution"),
    ("an expectation of a log", _proof("E(log(eps**2), eps) = 0", assume='["eps ~ N(0, 1)"]'), "a polynomial"),
    ("a derivative by a number", _proof("diff(a, 2) = 0"), "a declared name as its variable"),
    ("a fifth derivative", _proof("diff(a, a, 5) = 0"), "takes k = 1 to 3"),
    ("nested tables", "[" + ".".join(["t"] * 3000) + "]\n", "[proof], [define] and [[step]] only"),
    ("too large", _HEAD + "# " + "x" * 70000 + "\n" + '[[step]]\nline = "a = a"\n', "the proof is too large"),
]


def _sparse(path, size=1 << 30):
    """A file of ``size`` zero bytes that takes no disk: refused by its size, never read."""
    with open(path, "wb") as fh:
        fh.truncate(size)


NOT_FILES = [  # (id, file name, how to make it, a phrase of the one line) — refused before any child starts
    ("missing", "proof.toml", None, "no such file or directory"),
    ("a dangling link", "proof.toml", lambda p: p.symlink_to(p.parent / "nowhere"), "no such file or directory"),
    ("a directory", "proof.toml", lambda p: p.mkdir(), "is a directory"),
    ("a pipe", "proof.toml", os.mkfifo, "not a regular file"),
    ("a device", "proof.toml", lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
    ("not UTF-8", "proof.toml", lambda p: p.write_bytes(b"\xff\xfe[proof]\n"), "not UTF-8 text"),
    ("binary", "proof.toml", lambda p: p.write_bytes(bytes(range(256)) * 16), "not UTF-8 text"),
    ("1 GiB", "proof.toml", _sparse, "too large"),
    ("not .toml", "proof.md", lambda p: p.write_text("$$ a = a $$\n"), "expected a .toml file"),
]


def _command(path):
    """``python -m gancheck check-proof path`` in a new process: (exit status, stdout, stderr)."""
    out = subprocess.run([sys.executable, "-m", "gancheck", "check-proof", str(path)], capture_output=True,
                         text=True, timeout=120)
    return out.returncode, out.stdout, out.stderr


def _one_line(code, out, err, message):
    assert code == 2 and out == "", (code, out, err)
    assert err.startswith("gancheck: error: ") and err.count("\n") == 1, err
    assert message in err, err
    assert not any(ch in err for ch in "\x1b\x00\u202e"), err  # shown escaped, never obeyed


@pytest.fixture
def run(monkeypatch, capsys):
    monkeypatch.setattr(cli, "SUBCOMMANDS", {"check-proof": "proofs"})  # only this command's module

    def invoke(*argv):
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


def test_there_are_forty_and_more_bad_files():
    assert len(BAD) >= 40 and len({name for name, _, _ in BAD}) == len(BAD)
    assert len({name for name, *_ in BAD + NOT_FILES}) == len(BAD) + len(NOT_FILES)


@pytest.mark.parametrize("name, content, message", BAD, ids=[b[0] for b in BAD])
def test_a_bad_proof_file_is_one_line_and_exit_2(name, content, message, run, tmp_path):
    path = tmp_path / "proof.toml"
    path.write_text(content, encoding="utf-8")
    _one_line(*run("check-proof", str(path)), message)


@pytest.mark.parametrize("name, file, make, message", NOT_FILES, ids=[b[0] for b in NOT_FILES])
def test_what_is_no_proof_file_is_one_line_and_exit_2(name, file, make, message, tmp_path):
    path = tmp_path / file
    if make:
        make(path)
    _one_line(*_command(path), message)


@pytest.mark.slow
def test_every_bad_file_through_a_new_process(tmp_path):
    """The fast test's files, each in a new ``python -m gancheck check-proof`` (and so a new limited child)."""
    start = time.perf_counter()
    for k, (name, content, message) in enumerate(BAD):
        path = tmp_path / f"{k}.toml"
        path.write_text(content, encoding="utf-8")
        _one_line(*_command(path), message)
    print(f"{len(BAD)} bad proof files through the command in {time.perf_counter() - start:.1f} s")


def test_one_hostile_step_is_undecided_and_the_others_decided(run, tmp_path):
    path = tmp_path / "proof.toml"
    path.write_text('[proof]\nassume = ["a, b, c, d, e, f, g > 0"]\n' + f'[[step]]\nline = "a + {_SLOW} = a"\n'
                    '[[step]]\nline = "a*b = b*a"\n[[step]]\nline = "a + b = a"\n', encoding="utf-8")
    code, out, _ = run("check-proof", str(path))
    lines = out.splitlines()
    assert code == 1
    assert any("? step 1" in line and "undecided" in line for line in lines), out
    assert "out of time" in out or "did not succeed" in out
    assert any("✓ step 2" in line for line in lines) and any("✗ step 3" in line for line in lines), out
