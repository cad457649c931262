// Run by docs/hooks/browser_python.py at build time (node compile_wheels.mjs PYODIDE_DIR OUT WHEEL...):
// byte-compile pure-Python wheels with the very interpreter the browser runs (Pyodide's CPython, in Node.js), as
// Pyodide's own package builds do. A browser importing SymPy from source compiles ~900 modules first (about 14 s
// here); from bytecode the import takes about 1.5 s. Each wheel becomes a zip of its package directories and
// .dist-info with .pyc files in place of the sources (test suites left out), unpacked into site-packages by
// checker-worker.js. Entries are sorted and dated 1980-01-01: the same inputs give the same bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, outDir, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/", stdout: () => {}, stderr: () => {} });

for (const wheel of wheels) {
  const root = `/tmp/${basename(wheel)}`;
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel", { extractDir: root });
  pyodide.globals.set("root", root);
  pyodide.runPython(`
import compileall, io, os, py_compile, shutil, warnings, zipfile

for folder, dirs, _ in os.walk(root):
    for name in [d for d in dirs if d == "tests"]:
        shutil.rmtree(os.path.join(folder, name))
        dirs.remove(name)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # SyntaxWarnings of the library's own sources are not ours to show
    ok = compileall.compile_dir(root, quiet=2, legacy=True,
                                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
if not ok:
    raise SystemExit(f"{root}: a module did not compile")
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    paths = sorted(os.path.relpath(os.path.join(folder, f), root)
                   for folder, _, files in os.walk(root) for f in files if not f.endswith(".py"))
    for path in paths:
        with open(os.path.join(root, path), "rb") as f:
            archive.writestr(zipfile.ZipInfo(path, (1980, 1, 1, 0, 0, 0)), f.read(), zipfile.ZIP_DEFLATED)
with open(root + ".zip", "wb") as f:
    f.write(buffer.getvalue())
`);
  writeFileSync(join(outDir, basename(wheel).replace(/\.whl$/, ".zip")), pyodide.FS.readFile(root + ".zip"));
}
