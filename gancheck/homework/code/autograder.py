"""A Gradescope autograder bundle: ``setup.sh``, ``run_autograder``, the assignment and gancheck's own sources, zipped.

Gradescope (https://gradescope-autograders.readthedocs.io/en/latest/specs/) unpacks the zip into
``/autograder/source``, runs ``setup.sh`` once per image, then ``run_autograder`` per submission, which must leave
``/autograder/results/results.json``; the submission's files are in ``/autograder/submission``. Hidden items carry
``"visibility": "after_published"`` there (:meth:`.report.Report.to_gradescope`), so students see them only once
the instructor publishes the grades. The bundle installs *this* gancheck from the sources it carries — no network
access to an index is needed beyond the dependencies.
"""
import json
import zipfile
from importlib import metadata
from pathlib import Path

from ... import __version__

PACKAGE = Path(__file__).resolve().parents[2]      # the gancheck package directory

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image. The students' code runs in gancheck's kernel sandbox
# (bubblewrap, libseccomp): the image must allow unprivileged user namespaces, or every result says why it cannot.
set -euo pipefail
apt-get update -qq && apt-get install -y -qq python3 python3-pip python3-venv bubblewrap libseccomp2
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet /autograder/source/gancheck-src
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; results.json is what it reads.
set -uo pipefail
mkdir -p /autograder/results
/autograder/venv/bin/gancheck grade /autograder/submission --single --assignment /autograder/source/{assignment} \\
    {tests}--format gradescope --out /autograder/results
status=$?
[ -s /autograder/results/results.json ] || echo '{{"score": 0, "output": "gancheck could not grade this submission \
(exit status '"$status"')", "tests": []}}' > /autograder/results/results.json
exit 0
"""

PYPROJECT = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "gancheck"
version = "{version}"
requires-python = ">=3.11"
dependencies = {dependencies}

[project.scripts]
gancheck = "gancheck.cli:main"

[tool.setuptools.packages.find]
include = ["gancheck*"]

[tool.setuptools.package-data]
"*" = ["*.toml"]
"""


def _dependencies():
    """gancheck's own runtime requirements, as its installed metadata lists them (no extras)."""
    return [r for r in metadata.requires("gancheck") or () if "extra ==" not in r]


def _executable(name, text):
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o755 << 16
    return info, text


def write_bundle(assignment, out, tests=None):
    """Write the bundle for ``assignment`` (a TOML file; ``tests``: the instructor's tests file) to ``out``."""
    from .instructor import load
    from .spec import AssignmentError, load_any

    assignment, out = Path(assignment), Path(out)
    spec = load_any(assignment)                   # a broken assignment or tests file fails here, not on Gradescope
    found = load(spec, tests) if tests else None
    if found is None and spec.tests:
        raise AssignmentError(f"{assignment}: declares instructor tests ([[tests]]): pass their file with --tests")
    setup = SETUP + ("/autograder/venv/bin/pip install --quiet pytest\n" if found and "pytest" in found.packages
                     else "")
    tests_flag = f"--tests /autograder/source/{Path(tests).name} " if tests else ""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for info, text in (_executable("setup.sh", setup),
                           _executable("run_autograder", RUN.format(assignment=assignment.name, tests=tests_flag))):
            bundle.writestr(info, text)
        bundle.write(assignment, assignment.name)
        if tests:
            bundle.write(tests, Path(tests).name)
        bundle.writestr("gancheck-src/pyproject.toml", PYPROJECT.format(version=__version__,
                                                                         dependencies=json.dumps(_dependencies())))
        for path in sorted(PACKAGE.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".toml", ".json"):
                bundle.write(path, f"gancheck-src/gancheck/{path.relative_to(PACKAGE)}")
    return out
