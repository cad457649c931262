"""The mount view of a sandbox: which host paths it sees, where, and bubblewrap's command line that builds it.

Everything of ours is shown below :data:`ROOT` (``/sandbox``); besides it the sandbox sees ``/usr`` (and the
``/lib``, ``/lib64``, ``/bin`` links of a merged-usr system), the Python installation at its own path, a fresh
``/proc`` and minimal ``/dev``, and a size-capped ``tmpfs`` at ``/tmp``, its working directory — all read-only but
the ``tmpfs``. Without kernel isolation the same view is made of symbolic links (:func:`linked_view`).
"""
import importlib.util
import os
import shutil
import sys
from pathlib import Path

from ... import GancheckError

ROOT = "/sandbox"          # inside the sandbox, everything of ours lives below here
ENVIRONMENT = {"PATH": "/usr/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def package_binds(*names):
    """``{/sandbox/site/NAME: directory}`` for importable top-level packages, with their bundled ``NAME.libs``
    (the shared libraries of a manylinux wheel), and ``NAME.py`` for a one-file module, located without importing
    them."""
    binds = {}
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and not spec.submodule_search_locations and str(spec.origin).endswith(".py"):
            binds[f"{ROOT}/site/{name}.py"] = Path(spec.origin).resolve()   # a one-file module (pytest's py.py)
            continue
        if spec is None or not spec.submodule_search_locations:
            raise GancheckError(f"the sandbox needs the package {name!r}, which is not installed")
        directory = Path(next(iter(spec.submodule_search_locations))).resolve()
        for found in (directory, directory.with_name(f"{directory.name}.libs")):
            if found.is_dir():
                binds[f"{ROOT}/site/{found.name}"] = found
    return binds


def _system_binds():
    prefix = Path(sys.base_prefix).resolve()
    binds = ["--ro-bind", "/usr", "/usr"]
    for link in ("lib", "lib64", "bin"):
        if Path(f"/{link}").is_symlink():
            binds += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
        elif Path(f"/{link}").is_dir():
            binds += ["--ro-bind", f"/{link}", f"/{link}"]
    if not str(prefix).startswith("/usr/"):
        binds += ["--ro-bind", str(prefix), str(prefix)]
    return binds


def bwrap_argv(binds, limits, info_fd):
    """bubblewrap's arguments for a sandbox showing ``binds`` (sandbox path → host path) under ``limits``."""
    argv = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--unshare-user", "--disable-userns",
            "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
            "--info-fd", str(info_fd), *_system_binds(), "--proc", "/proc", "--dev", "/dev",
            "--size", str(limits.scratch_mb << 20), "--tmpfs", "/tmp", "--chdir", "/tmp", "--clearenv"]
    for key, value in ENVIRONMENT.items():
        argv += ["--setenv", key, value]
    for dest, source in sorted(binds.items()):
        argv += ["--ro-bind", str(source), dest]
    return argv + ["--"]


def linked_view(binds, scratch):
    """The view of ``binds`` as symbolic links in the directory ``scratch`` (isolation off); returns the function
    that maps a sandbox path to its place there."""
    def place(inside):
        return scratch / inside.removeprefix(f"{ROOT}/")

    for dest, source in binds.items():
        place(dest).parent.mkdir(parents=True, exist_ok=True)
        place(dest).symlink_to(Path(source).resolve())
    return place
