"""``gancheck grade``: one file or a class, three formats, exit codes, one-line errors. A two-function assignment keeps
these fast; the full assignment's verdicts are pinned in test_grade_library.py."""
import csv
import json
from pathlib import Path

import pytest

from gancheck.cli import main
from gancheck.homework.code import BUILTIN, library
from gancheck.homework.code.spec import load_spec, parse, template

LIBRARY = Path(__file__).parent / "data" / "submissions"
SMALL = BUILTIN.read_text().split("[[functions]]")
SMALL = "[[functions]]".join(SMALL[:3]) + "[limits]" + SMALL[-1].split("[limits]")[1].replace("examples = 30",
                                                                                              "examples = 8")


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL)
    return str(path)


def run(capsys, *argv):
    code = main(["grade", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_file_as_text(capsys, small):
    code, out, _ = run(capsys, LIBRARY / "correct.py", "--assignment", small)
    assert code == 0
    assert "correct: 5/5 points" in out and "✓ loss_stable · value" in out and "✓ drelu · unchanged" in out


def test_one_file_as_json_and_a_lost_point_exits_1(capsys, small, tmp_path):
    inplace = library.materialise("inplace_drelu", tmp_path)
    code, out, _ = run(capsys, inplace, "--assignment", small, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert (report["score"], report["max_score"]) == (4, 5)
    (failed,) = [i for i in report["items"] if not i["passed"]]
    assert failed["function"] == "drelu" and failed["check"] == "unchanged" and failed["example"]["D.g"]


def test_a_shrunk_failure_names_the_mistake(capsys, small, tmp_path):
    """The issue's example: a loss that divides by 2 instead of N fails already for N = 1, and says why."""
    halved = tmp_path / "halved.py"
    halved.write_text((LIBRARY / "correct.py").read_text().replace(
        "np.logaddexp(0, z)) / N", "np.logaddexp(0, z)) / 2"))
    code, out, _ = run(capsys, halved, "--assignment", small, "--format", "json")
    value = json.loads(out)["items"][0]
    assert code == 1 and value["check"] == "value" and not value["passed"]
    assert value["evidence"].startswith("fails for N = 1, t = [0.], z = [0.]: returns 0.346574, expected 0.693147")
    assert "your loss divides by 2 instead of N (yours / reference: ×0.5 at N = 1, ×1.5 at N = 3, ×4 at N = 8)" in \
        value["evidence"]


def test_gradescope_results_json(capsys, small, tmp_path):
    code, out, _ = run(capsys, library.materialise("sys_exit", tmp_path), "--assignment", small,
                       "--format", "gradescope", "--out", tmp_path / "results")
    assert code == 1 and "report written to" in out
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["score"] == 0 and results["execution_time"] > 0
    assert len(results["tests"]) == 4
    for test in results["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] == "failed" and "SystemExit" in test["output"]


def test_a_class_directory(capsys, small, tmp_path):
    cls = tmp_path / "class"
    (cls / "alice").mkdir(parents=True)
    (cls / "alice" / "homework.ipynb").write_bytes((LIBRARY / "correct_notebook.ipynb").read_bytes())
    library.materialise("forks", cls).rename(cls / "bob.py")
    (cls / "carol.ipynb").write_text("{ this is not a notebook")
    (cls / "dave").mkdir()
    code, out, err = run(capsys, cls, "--assignment", small, "--out", tmp_path / "grades", "--jobs", 2)
    assert code == 1
    assert "alice: 5/5" in out and "bob: 3/5" in out and "carol: 0/5" in out and "dave: 0/5" in out
    assert "grading" not in err  # the progress bar draws on a terminal only (tests/test_progress.py)
    with open(tmp_path / "grades" / "summary.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    assert rows["carol"]["status"] == "unreadable" and rows["dave"]["status"] == "error"
    assert rows["bob"]["drelu · values"] == "0" and rows["bob"]["loss_stable · value"] == "2"
    assert "not a readable notebook" in (tmp_path / "grades" / "carol.txt").read_text()


def test_the_assignment_template_is_format_2_and_grades_as_printed(capsys, tmp_path):
    code, out, _ = run(capsys, "--assignment-template")
    assert code == 0 and out == template() and "# [nets.NAME]" in out and "format = 2" in out
    (tmp_path / "hw.toml").write_text(out)
    assert parse(out).max_points == load_spec(tmp_path / "hw.toml").max_points


@pytest.mark.parametrize("argv, message", [
    ((), "grade needs a PATH"),
    (("no/such/file.py",), "no/such/file.py: no such file or directory"),
    ((LIBRARY / "correct.py", "--jobs", "0"), "--jobs: must be at least 1"),
    ((LIBRARY / "correct.py", "--assignment", LIBRARY / "README.md"), "not valid TOML"),
    ((LIBRARY / "README.md",), "expected a .py script or an .ipynb notebook"),
    ((LIBRARY / "correct.py", "--format", "xml"), "invalid choice: 'xml'"),
])
def test_unusable_input_is_one_line_and_exit_2(capsys, argv, message):
    try:
        code = main(["grade", *map(str, argv)])
    except SystemExit as exc:   # argparse's own usage errors exit from the parser
        code = exc.code
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("gancheck: error: ") and message in err and err.count("\n") == 1


def test_a_class_as_one_json_document_with_jobs_capped(capsys, small, tmp_path, monkeypatch):
    cls = tmp_path / "class"
    cls.mkdir()
    for name in ("alice", "bob"):
        (cls / f"{name}.py").write_bytes((LIBRARY / "correct.py").read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, cls, "--assignment", small, "--format", "json", "--jobs", 100000)
    document = json.loads(out)   # stdout is one JSON document, nothing else
    assert code == 0 and [r["student"] for r in document["reports"]] == ["alice", "bob"]
    assert all(r["score"] == r["max_score"] == 5 for r in document["reports"])
    assert not (tmp_path / "grades").exists()   # nothing written unless --out says where


def test_without_a_kernel_sandbox_grading_refuses_unless_told_otherwise(capsys, small, monkeypatch):
    from gancheck.homework.isolation import sandbox as isolation

    monkeypatch.setattr(isolation, "probe", lambda: "bubblewrap is not installed (apt-get install bubblewrap)")
    monkeypatch.setattr(isolation, "_mode", "kernel")
    code, out, err = run(capsys, LIBRARY / "correct.py", "--assignment", small)
    assert code == 2 and out == "" and err == "gancheck: error: bubblewrap is not installed (apt-get install " \
                                              "bubblewrap)\n"
    code, out, err = run(capsys, LIBRARY / "correct.py", "--assignment", small, "--unsafe-no-isolation")
    assert code == 0 and "correct: 5/5 points" in out
    assert err.count("\n") == 1 and "--unsafe-no-isolation" in err


def test_irregular_and_undecodable_files_are_one_line(capsys, small, tmp_path):
    import os

    (tmp_path / "binary.toml").write_bytes(b"\x00\xff\xfe binary")
    os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "latin.py").write_bytes("# café\ndef f():\n    pass\n".encode("latin-1"))
    for argv, message in (((LIBRARY / "correct.py", "--assignment", tmp_path / "binary.toml"), "binary.toml: not UTF-8 text"),
                          ((LIBRARY / "correct.py", "--assignment", tmp_path), "is a directory, expected a file"),
                          ((tmp_path / "fifo.py", "--assignment", small), "fifo.py: not a regular file"),
                          ((tmp_path / "latin.py", "--assignment", small), "latin.py is not UTF-8 text")):
        code, _, err = run(capsys, *argv)
        assert code == 2 and err.startswith("gancheck: error: ") and message in err and err.count("\n") == 1, err
