"""MkDocs hook: the Python that the answer boxes run in the reader's browser, shipped by the site itself.

* Pyodide (CPython compiled to WebAssembly) from the npm registry and the pure-Python SymPy and mpmath wheels from
  PyPI, pinned with their digests in ``browser_python.toml``. Each is fetched once through its registry's ordinary
  client (``npm pack``, ``pip download``), verified, and kept in a cache directory (``$GANCHECK_CACHE`` or
  ``~/.cache/gancheck``); a digest that does not match fails the build. The wheels are then byte-compiled by
  Pyodide's own interpreter under Node.js (``compile_wheels.mjs``: importing SymPy from source would cost the reader
  ~14 s of compiling), cached too, and everything is copied into the site under ``assets/pyodide/``. A build with a
  warm cache needs no network; a cold one needs the npm registry, PyPI, and ``node``/``npm`` on the PATH.
* gancheck's NumPy-free formula checker, :mod:`gancheck.homework.formulas.browser`: its ``files()`` names the package
  source files it needs; they are copied under ``assets/checker/src/`` with ``assets/checker/manifest.json``, which
  ``docs/javascripts/checker-worker.js`` reads to write them into Pyodide's file system before importing the module.
  If the module does not exist (yet) the manifest says so and the answer boxes tell the reader to use the CLI.
"""
import base64
import hashlib
import importlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.browser_python")

PINS = tomllib.loads((Path(__file__).with_name("browser_python.toml")).read_text())
ROOT = Path(__file__).resolve().parents[2]
CHECKER = "gancheck.homework.formulas.browser"
SHIPPED = (".py", ".toml")   # the checker's modules and the package data they read (the catalogue)
PYODIDE_DIR, CHECKER_DIR = "assets/pyodide", "assets/checker"


def cache_dir():
    return Path(os.environ.get("GANCHECK_CACHE") or Path.home() / ".cache" / "gancheck") / "browser-python"


def _digest(path, algorithm):
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h


def npm_integrity(path):
    """npm's ``dist.integrity`` of a tarball: ``sha512-`` and the base64 of its SHA-512."""
    return "sha512-" + base64.b64encode(_digest(path, "sha512").digest()).decode("ascii")


def _run(argv, what):
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise PluginError(f"{what}: `{argv[0]}` is not installed (the site ships Pyodide from the npm registry)")
    if proc.returncode != 0:
        raise PluginError(f"{what}: `{' '.join(argv)}` failed: {(proc.stderr or proc.stdout).strip()[-800:]}")


def _fetch(target, check, fetch, what):
    """``target`` in the cache, fetched by ``fetch(tmpdir) -> path`` if missing; ``check(path)`` raises unless the
    file is the pinned one. The file enters the cache only once verified, by an atomic rename, so that two builds
    running side by side (pytest-xdist) never see half a file."""
    if target.is_file():
        check(target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        log.info(f"fetching {what} (once: it is cached in {target.parent})")
        got = fetch(Path(tmp))
        check(got)
        os.replace(got, target)
    return target


def _pyodide_tarball():
    pin = PINS["pyodide"]
    spec = f"{pin['package']}@{pin['version']}"
    target = cache_dir() / f"{pin['package']}-{pin['version']}.tgz"

    def check(path):
        got = npm_integrity(path)
        if got != pin["integrity"]:
            raise PluginError(f"{spec}: the tarball's integrity is {got}, expected {pin['integrity']} "
                              f"(browser_python.toml); delete {path} if it is a broken download")

    def fetch(tmp):
        _run(["npm", "pack", spec, "--pack-destination", str(tmp), "--silent"], f"fetching {spec}")
        return next(tmp.glob("*.tgz"))

    return _fetch(target, check, fetch, spec)


def pyodide_files():
    """``{name: path}`` of the Pyodide runtime files, extracted from the verified npm tarball into the cache."""
    pin = PINS["pyodide"]
    tarball = _pyodide_tarball()
    out = cache_dir() / f"{pin['package']}-{pin['version']}"
    if not all((out / name).is_file() for name in pin["files"]):
        with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp, tarfile.open(tarball) as tar:
            for name in pin["files"]:
                member = tar.getmember(f"package/{name}")
                with tar.extractfile(member) as src, open(Path(tmp) / name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            out.mkdir(exist_ok=True)
            for name in pin["files"]:
                os.replace(Path(tmp) / name, out / name)
    return {name: out / name for name in pin["files"]}


def wheels():
    """``{file name: path}`` of the verified pure-Python wheels."""
    paths = {}
    for pin in PINS["wheel"]:
        spec = f"{pin['name']}=={pin['version']}"

        def check(path, pin=pin, spec=spec):
            got = _digest(path, "sha256").hexdigest()
            if got != pin["sha256"]:
                raise PluginError(f"{spec}: the wheel's sha256 is {got}, expected {pin['sha256']} "
                                  f"(browser_python.toml); delete {path} if it is a broken download")

        def fetch(tmp, spec=spec, pin=pin):
            _run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                  "--dest", str(tmp), spec], f"fetching {spec}")
            return tmp / pin["file"]

        paths[pin["file"]] = _fetch(cache_dir() / "wheels" / pin["file"], check, fetch, spec)
    return paths


def compiled_packages():
    """``{archive name: path}``: each verified wheel byte-compiled for the pinned Pyodide (see compile_wheels.mjs),
    built once into the cache; the cache key is Pyodide's version and the wheel's digest."""
    pyodide = pyodide_files()["pyodide.mjs"].parent
    out = cache_dir() / f"compiled-{PINS['pyodide']['version']}"
    wanted = {pin["file"].removesuffix(".whl") + f"-{pin['sha256'][:12]}.zip": path
              for pin, path in zip(PINS["wheel"], wheels().values())}
    missing = [name for name in wanted if not (out / name).is_file()]
    if missing:
        out.mkdir(parents=True, exist_ok=True)
        log.info(f"byte-compiling {', '.join(missing)} with Pyodide under Node.js (once: cached in {out})")
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            _run(["node", str(Path(__file__).with_name("compile_wheels.mjs")), str(pyodide), tmp,
                  *(str(wanted[name]) for name in missing)], "byte-compiling the wheels")
            for name in missing:
                os.replace(Path(tmp) / wanted[name].name.replace(".whl", ".zip"), out / name)
    return {name: out / name for name in wanted}


def checker_manifest():
    """What the browser worker loads: the module to import and the package files to write into Pyodide's file system
    (from the module's own ``files()``), or ``module: None`` when this build has no in-browser checker."""
    try:
        module = importlib.import_module(CHECKER)
    except ModuleNotFoundError as exc:
        if exc.name is None or not CHECKER.startswith(exc.name):
            raise  # the module exists but imports something missing: that is a bug, not an absent checker
        log.info(f"{CHECKER} does not exist: the answer boxes will point readers to `gancheck check-formula`")
        return {"module": None, "files": []}
    files = list(module.files())
    for rel in files:
        path = (ROOT / rel).resolve()
        if Path(rel).is_absolute() or ROOT not in path.parents or not path.is_file() or path.suffix not in SHIPPED:
            raise PluginError(f"{CHECKER}.files() names {rel!r}: not a Python source or data file of the repository")
    return {"module": CHECKER, "files": files}


def on_files(files, config):
    for name, path in pyodide_files().items():
        files.append(File.generated(config, f"{PYODIDE_DIR}/{name}", abs_src_path=str(path)))
    packages = compiled_packages()
    for name, path in packages.items():
        files.append(File.generated(config, f"{PYODIDE_DIR}/{name}", abs_src_path=str(path)))
    manifest = {**checker_manifest(), "packages": list(packages), "pyodide": PINS["pyodide"]["version"]}
    files.append(File.generated(config, f"{CHECKER_DIR}/manifest.json", content=json.dumps(manifest, indent=1)))
    for rel in manifest["files"]:
        files.append(File.generated(config, f"{CHECKER_DIR}/src/{rel}", abs_src_path=str(ROOT / rel)))
    return files
