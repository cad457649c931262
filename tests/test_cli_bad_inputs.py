"""Bad input to every command: one line on stderr, exit status 2, within seconds, and nothing lost — no file created,
changed or removed in the directory it ran in.

:data:`ROWS` is the table. Each row is a command line (after ``gancheck``) and a piece of the one line it must print.
Words in braces are files and directories prepared by :func:`workspace`; add one there if a new row needs it. Add a
row for every new argument, and for every new way to get one wrong.
"""
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("cli_bad_inputs")  # one worker computes the module-scoped fixture once

SEED_RANGE = "must be from 0 to 4,294,967,295"

ROWS = [
    # gancheck itself
    ("", "the following arguments are required: command"),
    ("nosuch", "invalid choice: 'nosuch'"),
    # train: numbers
    ("train --seed -1", SEED_RANGE),
    ("train --seed abc", "--seed: expected an integer, got 'abc'"),
    ("train --seed 1.5", "expected an integer"),
    ("train --seed 4294967296", SEED_RANGE),
    ("train --steps 0", "--steps: must be from 1 to"),
    ("train --steps -5", "--steps: must be from 1 to"),
    ("train --steps 99999999999999999999", "bytes a step"),        # would not even fit in an int64
    ("train --steps 1000000000000", "bytes a step"),               # the history alone: 48 TB
    ("train --steps ten", "expected an integer"),
    ("train --steps 1e4", "expected an integer"),
    ("train --steps 1" + "0" * 5000, "far too large"),             # past Python's limit on int() of a string
    ("train --checkpoint-every 1 --steps 100000000", "evaluations"),  # 10⁸ evaluations of 2,000 points
    ("train --checkpoint-every 0", "--checkpoint-every: must be at least 1"),
    ("train --lr nan", "--lr: must be a finite number"),
    ("train --lr inf", "must be a finite number"),
    ("train --lr -0.1", "--lr: must be > 0"),
    ("train --lr 0", "--lr: must be > 0"),
    ("train --lr fast", "--lr: expected a number"),
    ("train --k 0", "--k: must be from 1 to 100"),
    ("train --k 101", "--k: must be from 1 to 100"),
    ("train --label-noise 0.7", "--label-noise: must be ≥ 0 and ≤ 0.5"),
    ("train --instance-noise -1", "--instance-noise: must be ≥ 0"),
    ("train --save-every -1", "--save-every: must be ≥ 0"),
    # train: names
    ("train --target x3", "unknown target 'x3'; choose from x2, sine"),
    ("train --preset fast", "unknown preset 'fast'"),
    ("train --loss hinge", "unknown loss 'hinge'"),
    ("train --bogus", "unrecognized arguments: --bogus"),
    ("train --steps", "--steps: expected one argument"),
    # train: directories
    ("train --out {text}", "exists and is not a directory"),
    ("train --out {text}/sub", "is not a directory"),
    ("train --out ''", "--out: empty path"),
    ("train --out /proc/gancheck-cannot-write", "cannot create output directory"),
    ("train --out {run}", "holds an unfinished run"),              # a stopped run is never overwritten
    ("train --resume {empty}", "no training run to resume"),
    ("train --resume {missing}", "no training run to resume"),
    ("train --resume {run} --lr 0.5", "--lr would change"),
    ("train --resume {run} --target sine", "--target would change"),
    ("train --resume {run} --out {empty}", "leave out --out"),
    ("train --resume {finished}", "nothing to resume"),
    # verify and derive
    ("verify --seed -1", SEED_RANGE),                                # once: all 11 derivations marked ✗
    ("verify --seed x", "--seed: expected an integer"),
    ("verify nosuch", "unknown derivation 'nosuch'"),
    ("derive nosuch", "unknown derivation 'nosuch'"),
    ("derive --latex --nosuch", "unrecognized arguments: --nosuch"),
    # experiment
    ("experiment", "name an experiment"),
    ("experiment nosuch", "unknown experiment 'nosuch'"),
    ("experiment d-star --seed -1", SEED_RANGE),
    ("experiment d-star --seed " + "9" * 50, "far too large"),
    ("experiment d-star --variant huge", "invalid choice: 'huge'"),
    ("experiment d-star --out {text}", "exists and is not a directory"),
    # check-sheet and check-formula: the file is checked before anything is parsed
    ("check-sheet {missing}.toml", "no such file or directory"),
    ("check-sheet {folder.toml}", "is a directory, expected a file"),
    ("check-sheet {binary.toml}", "not UTF-8 text"),
    ("check-sheet {binary.yaml}", "not UTF-8 text"),
    ("check-sheet {pipe.toml}", "not a regular file"),              # reading it would block for ever
    ("check-sheet /dev/zero", "not a regular file"),                 # reading it would never end
    ("check-sheet {text}", "expected a .toml or .yaml or .yml file"),
    ("check-sheet {huge.toml}", "too large"),
    ("check-sheet {sheet.toml} --format xml", "invalid choice: 'xml'"),
    ("check-formula --loss hinge D.z_bar x", "invalid choice: 'hinge'"),
    ("check-formula D.z_bar", "the following arguments are required: expr"),
    # check-proof: the file is checked before anything is parsed, then read in the limited child
    ("check-proof", "the following arguments are required: proof"),
    ("check-proof {missing}.toml", "no such file or directory"),
    ("check-proof {folder.toml}", "is a directory, expected a file"),
    ("check-proof {binary.toml}", "not UTF-8 text"),
    ("check-proof {pipe.toml}", "not a regular file"),
    ("check-proof /dev/zero", "not a regular file"),
    ("check-proof {text}", "expected a .toml file"),
    ("check-proof {huge.toml}", "too large"),
    ("check-proof {long_proof.toml}", "the proof is too large"),               # past the 64 KiB a proof may be
    ("check-proof {sheet.toml}", "[proof], [define] and [[step]] only"),       # an answer sheet, not a proof
    ("check-proof {bad_proof.toml}", "line 1, column 5: unknown name 'c'"),
    ("check-proof {proof.toml} --format xml", "invalid choice: 'xml'"),
    ("check-proof {proof.toml} --assignment {binary.toml}", "not UTF-8 text"),
    ("check-proof {proof.toml} --assignment {sheet.toml}", "a proof's assignment has the table [assignment] only"),
    # grade
    ("grade {missing}.py", "no such file or directory"),
    ("grade {pipe.py}", "not a regular file"),
    ("grade {class} --jobs 0", "--jobs: must be at least 1"),
    ("grade {class} --jobs -3", "--jobs: must be at least 1"),
    ("grade {class} --jobs many", "--jobs: expected an integer"),
    ("grade {alice.py} --assignment {binary.toml}", "not UTF-8 text"),  # was a UnicodeDecodeError traceback
    ("grade {alice.py} --assignment {folder.toml}", "is a directory"),
    ("grade {alice.py} --assignment {missing}.toml", "no such file or directory"),
    ("grade {alice.py} --assignment /dev/null", "not a regular file"),
    ("grade {alice.py} --format xml", "invalid choice: 'xml'"),
    ("grade {alice.py} --out {text}", "exists and is not a directory"),
    ("grade {alice.py} --tests {missing}.py", "no such file or directory"),
    ("grade {alice.py} --tests {text}", "expected a .py file"),
    ("grade {alice.py} --tests {tests.py}", "declares no [[tests]]"),          # the built-in format has none
    ("grade {alice.py} --assignment {hw.toml}", "pass their file with --tests"),
    ("grade {alice.py} --assignment {hw.toml} --tests {tests.py}", "no function test_shapes"),
    ("grade {alice.py} --assignment {hw.toml} --tests {broken_tests.py}", "the instructor's tests do not load"),
    ("grade {alice.py} --assignment {hw.toml} --tests {syntax_tests.py}", "do not load (SyntaxError: "),
    ("grade {alice.py} --assignment {hw.toml} --tests {grader_tests.py}", "they may not import gancheck"),
    ("grade {alice.py} --assignment {hw.toml} --tests {binary_tests.py}", "not UTF-8 text"),
    ("grade {alice.py} --single", "--single: "),
    ("grade {alice.py} --assignment {selu.toml}", "nets.D.activations[0]: unknown activation 'selu'"),
    ("grade {alice.py} --assignment {torch.toml}", "imports.allowed: 'nosuchpackage' is not an installed package"),
    ("grade {alice.py} --assignment {leak.toml}", "it is the grader, with the reference answers"),
    # autograder
    ("autograder {missing}.toml", "no such file or directory"),
    ("autograder {binary.toml}", "not UTF-8 text"),
    ("autograder {text}", "expected a .toml file"),
    ("autograder {sheet.toml}", "assignment"),                      # a TOML file that is not an assignment
    ("autograder {sheet.toml} --out {empty}", "is a directory"),
    ("autograder {sheet.toml} --out bundle.tar", "expected a .zip file"),
    ("autograder {sheet.toml} --out {text}/x.zip", "is not a directory"),
    ("autograder {sheet.toml} --tests {binary.toml}", "expected a .py file"),
    ("autograder {hw.toml}", "pass their file with --tests"),
    ("autograder {hw.toml} --tests {syntax_tests.py}", "do not load (SyntaxError: "),
]
SECONDS = 10  # each row answers within this (most in milliseconds: nothing runs before the arguments are checked)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A directory holding every file the rows name, and a way to fill a row's braces with their paths."""
    from gancheck import targets
    from gancheck.rundir import RunDir
    from gancheck.train import PRESETS, train

    root = tmp_path_factory.mktemp("bad-inputs")
    files = {"text": "notes.txt", "empty": "empty", "missing": "missing", "run": "stopped-run",
             "finished": "finished-run", "class": "class"}
    (root / "notes.txt").write_text("not a sheet\n")
    (root / "empty").mkdir()
    (root / "folder.toml").mkdir()
    (root / "binary.toml").write_bytes(b"[answers]\nD.z_bar = \"\xff\xfe\"\n")
    (root / "binary.yaml").write_bytes(b"answers:\n  D.z_bar: \x80\n")
    (root / "sheet.toml").write_text('[answers]\nD.z_bar = "(y - t)/N"\n')
    (root / "proof.toml").write_text('[proof]\nassume = ["a, b > 0"]\n[[step]]\nline = "a*b = b*a"\n')
    (root / "bad_proof.toml").write_text('[proof]\nassume = ["a, b > 0"]\n[[step]]\nline = "a = c"\n')
    (root / "long_proof.toml").write_text("# " + "x" * (70 << 10) + '\n[[step]]\nline = "1 = 1"\n')
    os.mkfifo(root / "pipe.toml")
    os.mkfifo(root / "pipe.py")
    with open(root / "huge.toml", "wb") as fh:
        fh.truncate(17 << 20)  # sparse: 17 MiB that take no room
    (root / "alice.py").write_text("import numpy as np\n")
    course = (Path(__file__).parents[1] / "gancheck/homework/code/examples/course_functions.toml").read_text()
    (root / "hw.toml").write_text(course + '\n[[tests]]\nname = "test_shapes"\npoints = 1\n')
    (root / "tests.py").write_text("def test_other(student):\n    pass\n")
    (root / "broken_tests.py").write_text("import no_such_module\n")
    (root / "syntax_tests.py").write_text("def test_shapes(student):\n    assert (\n")
    (root / "grader_tests.py").write_text("from gancheck.homework.code import reference\n\ndef test_shapes(s):\n    pass\n")
    (root / "binary_tests.py").write_bytes(b"def test_shapes(s):\n    pass  # \xff\xfe\n")
    (root / "selu.toml").write_text(course.replace('activations = ["relu", "sigmoid"]', 'activations = ["selu", "sigmoid"]'))
    (root / "torch.toml").write_text(course.replace('allowed = ["numpy", "scipy", "math"]', 'allowed = ["nosuchpackage"]'))
    (root / "leak.toml").write_text(course.replace('allowed = ["numpy", "scipy", "math"]', 'allowed = ["gancheck"]'))
    (root / "class").mkdir()
    (root / "class" / "bob.py").write_text("import numpy as np\n")
    x2 = targets.get("x2")
    for name, stop_after in (("stopped-run", 2), ("finished-run", None)):
        cfg = replace(PRESETS["default"], steps=300, checkpoint_every=100, n_eval=100)
        (root / name).mkdir()
        run_dir = RunDir(root / name, x2, cfg)
        stop = None if stop_after is None else type("Stop", (), {"is_set": lambda self: True})()
        result = train(x2, cfg, stop=stop, save=run_dir.save, save_every=0)
        run_dir.write_metrics(result)
    names = {f.name: f.name for f in root.iterdir()} | files

    def fill(row):
        return [re.sub(r"\{([^{}]+)\}", lambda m: str(root / names[m[1]]), arg) for arg in shlex.split(row)]

    return root, fill


@pytest.fixture(scope="module")
def driver():
    """One process that forks a child per command line (tests/cli_driver.py)."""
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("cli_driver.py"))], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent)

    def run(argv, cwd):
        proc.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd), "timeout": SECONDS * 3}) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    yield run
    proc.stdin.close()
    proc.wait(timeout=30)


def tree(root):
    """Every file and directory under ``root`` with its size and modification time."""
    return {str(p.relative_to(root)): (p.is_dir(), p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


def test_the_table_covers_every_command():
    from gancheck.cli import SUBCOMMANDS

    covered = {row.split()[0] for row, _ in ROWS if row}
    assert covered >= set(SUBCOMMANDS) and len(ROWS) >= 40


@pytest.mark.parametrize("row, message", ROWS, ids=[row or "(nothing)" for row, _ in ROWS])
def test_bad_input_is_one_line_exit_2_within_seconds_and_nothing_lost(row, message, workspace, driver):
    root, fill = workspace
    before = tree(root)
    result = driver(fill(row), root)
    assert not result["timed_out"], f"hung: {row}"
    assert result["status"] == 2, result
    assert result["stderr"].startswith("gancheck: error: ") and result["stderr"].count("\n") == 1, result["stderr"]
    assert message in result["stderr"], result["stderr"]
    assert result["stdout"] == "" and result["seconds"] < SECONDS, result
    assert tree(root) == before, "the command changed its directory"


def test_jobs_beyond_the_cpus_are_capped_not_refused():
    from gancheck.cli import args

    assert args.jobs("100000") == args.cpu_count() and args.jobs("1") == 1
