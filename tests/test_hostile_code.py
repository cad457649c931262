"""The hostile corpus (tests/data/hostile/code.toml, README.md there) graded as one class under the real kernel sandbox.

The audit hook is taken out for this run: only the kernel stands between the submissions and the machine. One
module-scoped batch (two jobs, a two-function assignment with tight limits) grades everything; the tests then check
the invariants — nothing read that was not the student's own (canaries, the reference, /etc, classmates' markers),
nothing written outside a sandbox (hashes of the class and of the canaries, marker files), no process left, no
crash of the grader, no hang, victims' full marks untouched, every entry accounted for, and reports that a terminal
can show safely.
"""
import csv
import dataclasses
import hashlib
import json
import os
import secrets
import shutil
import time
from pathlib import Path

import pytest

from gancheck.homework.code import grade_directory, load_assignment
from gancheck.homework.code import sandbox as code_sandbox
from gancheck.homework.isolation.sandbox import running
from gancheck.homework.terminal import _UNSAFE
from hostile import kernel_sandbox_or_skip, make_class, submissions

pytestmark = pytest.mark.xdist_group("hostile_code")  # one worker computes the module-scoped fixture once

REFERENCE = Path(__file__).parents[1] / "gancheck" / "homework" / "code" / "reference.py"


def tight_assignment():
    builtin = load_assignment()
    limits = dataclasses.replace(builtin.limits, call_seconds=1.0, total_seconds=12.0, cpu_seconds=5, examples=4)
    return dataclasses.replace(builtin, functions=builtin.functions[1:2], limits=limits)   # drelu: 2 points


def snapshot(directory):
    """Every entry below ``directory``: its kind and content (links are not followed)."""
    state = {}
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            path = Path(root) / name
            if path.is_symlink():
                state[str(path)] = ("link", os.readlink(path))
            elif path.is_file():
                state[str(path)] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                state[str(path)] = ("other", path.lstat().st_mode)
    return state


def sleepers():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gancheck-hostile-sleeper" in command or command.startswith(b"sleep\x00600"):
            found.append(int(pid))
    return found


def pwned():
    return sorted(str(p) for p in Path("/tmp").glob("gancheck-pwned-*"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    kernel_sandbox_or_skip()
    for marker in pwned():
        os.remove(marker)
    token = secrets.token_hex(8)
    canaries = Path(f"/tmp/gancheck-canary-{token}")
    canaries.mkdir()
    (canaries / "secret.txt").write_text(f"canary-{token}")
    root = tmp_path_factory.mktemp("hostile")
    entries = make_class(root / "class")
    before = {"class": snapshot(root / "class"), "canaries": snapshot(canaries)}
    start, tag = time.monotonic(), f"hostile-code-{token}"
    with pytest.MonkeyPatch.context() as patch, open(os.devnull, "w") as quiet:
        patch.setattr(code_sandbox, "FRIENDLY", False)   # the forked graders inherit it
        patch.setenv("GANCHECK_SANDBOX_TAG", tag)
        reports = grade_directory(root / "class", tight_assignment(), root / "grades", "json", jobs=2, stream=quiet)
    seconds = time.monotonic() - start
    after = {"class": snapshot(root / "class"), "canaries": snapshot(canaries)}
    deadline = time.monotonic() + 10
    while (running(tag) or sleepers()) and time.monotonic() < deadline:
        time.sleep(0.2)
    leftovers = {"sandboxes": running(tag), "sleepers": sleepers(), "pwned": pwned()}
    shutil.rmtree(canaries)
    yield {"reports": {r.student: r for r in reports}, "entries": entries, "token": token, "seconds": seconds,
           "before": before, "after": after, "leftovers": leftovers, "out": root / "grades"}


def report_of(graded, name):
    reports = graded["reports"]
    stem = Path(name).stem if Path(name).suffix in (".py", ".ipynb") else name
    return reports[stem] if stem in reports else reports[name]


def test_the_corpus_covers_at_least_sixty_submissions():
    entries = submissions()
    assert len(entries) >= 60
    assert {e["family"] for e in entries} >= {"victim", "issue-11 escape", "processes", "files", "kernel", "replies",
                                              "resources", "encoding", "notebook", "class directory"}


def test_every_entry_has_its_own_report(graded):
    names = set(graded["entries"])
    assert len(graded["reports"]) == len(names)
    for name in names:
        report_of(graded, name)
    assert {"a b", "a_b", "alice.py", "alice.ipynb", "carol", "carol.py"} <= set(graded["reports"])
    files = sorted(p.name for p in graded["out"].iterdir() if p.suffix == ".json")
    assert len(files) == len(names)   # no two students share a report file


def test_victims_and_accepted_encodings_keep_full_marks(graded):
    for name, entry in graded["entries"].items():
        if entry.get("expect") == "full":
            report = report_of(graded, name)
            assert report.score == report.max_score == 2, (name, [i.evidence for i in report.items if not i.passed])


def test_statuses_and_notes_say_what_happened(graded):
    for name, entry in graded["entries"].items():
        report = report_of(graded, name)
        if "status" in entry:
            assert report.status == entry["status"], (name, report.status)
        text = " ".join(report.notes + [i.evidence for i in report.items])
        assert entry.get("note", "") in text, (name, text[:500])


def test_nothing_was_read_that_was_not_the_students_own(graded):
    reference = REFERENCE.read_text()[4:60]
    secrets_seen = [f"canary-{graded['token']}", "root:x:0:0", reference, "victim-marker-", "PWNED"]
    for report in graded["reports"].values():
        text = json.dumps(report.to_json()) + report.to_text()
        for secret in secrets_seen:
            assert secret not in text, (report.student, secret)


def test_nothing_was_written_outside_a_sandbox(graded):
    assert graded["after"] == graded["before"]
    assert graded["leftovers"]["pwned"] == []


def test_no_process_outlives_the_grade(graded):
    assert graded["leftovers"]["sandboxes"] == [] and graded["leftovers"]["sleepers"] == []


def test_the_grader_never_crashed_or_hung(graded):
    for report in graded["reports"].values():
        for item in report.items:
            assert "the grader failed" not in item.evidence and "grading process died" not in item.evidence
    assert graded["seconds"] < 300
    assert max(r.seconds for r in graded["reports"].values()) < tight_assignment().limits.total_seconds + 10


def test_reports_are_bounded_and_safe_for_a_terminal(graded):
    for report in graded["reports"].values():
        text = report.to_text()
        assert len(text) < 64 << 10, report.student
        assert not _UNSAFE.search(text.replace("\n", "").replace("\t", "")), report.student

        def strings(value):
            if isinstance(value, str):
                yield value
            elif isinstance(value, dict):
                for k, v in value.items():
                    yield from strings(k)
                    yield from strings(v)
            elif isinstance(value, list):
                for v in value:
                    yield from strings(v)

        for value in [*strings(report.to_json()), *strings(report.to_gradescope())]:
            assert not _UNSAFE.search(value.replace("\n", "").replace("\t", "")), report.student
    with open(graded["out"] / "summary.csv", newline="", encoding="utf-8") as stream:
        for row in csv.reader(stream):
            assert not any(_UNSAFE.search(cell) for cell in row), row
