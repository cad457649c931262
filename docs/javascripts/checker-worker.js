// The formula checker, in a module worker: Pyodide, SymPy and gancheck's NumPy-free checker, every file served by
// this site (docs/hooks/browser_python.py copies them in at build time). A worker keeps the page responsive while
// Python starts and while SymPy thinks, and the page can terminate it if a check runs too long.
//
// Messages in:  {type: "warm", quantity} (once, right after start), {type: "check", id, quantity, expression}
// Messages out: {type: "status", state: "loading" | "ready" | "unavailable" | "failed", message, seconds, timings}
//               {type: "verdict", id, result}   (result: the dict that check() returns, as JSON)
//               {type: "error", id, message}
import { loadPyodide } from "../assets/pyodide/pyodide.mjs";

const assets = new URL("../assets/", import.meta.url);
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
const timings = {}; // seconds since the worker started: interpreter up, packages unpacked, checker imported

async function bytes(path) {
  const response = await fetch(new URL(path, assets));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function text(path) {
  const response = await fetch(new URL(path, assets));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.text();
}

async function start() {
  const manifest = JSON.parse(await text("checker/manifest.json"));
  if (!manifest.module) return null;
  postMessage({ type: "status", state: "loading", message: "loading Python…", seconds: seconds() });
  // Everything is requested at once: SymPy, mpmath (byte-compiled wheels) and the sources download while the
  // interpreter compiles.
  const packages = manifest.packages.map((name) => bytes(`pyodide/${name}`));
  const sources = manifest.files.map((path) => text(`checker/src/${path}`));
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", assets).href });
  timings.interpreter = seconds();
  // Each archive goes on sys.path as it is: Python imports the modules it needs straight from the zip (zipimport),
  // which is quicker than unpacking a thousand files first.
  for (const [i, archive] of packages.entries()) {
    const path = `/lib/${manifest.packages[i]}`;
    pyodide.FS.writeFile(path, new Uint8Array(await archive));
    pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(path)})`);
  }
  timings.packages = seconds();
  const root = "/home/pyodide/checker";
  for (const [i, path] of manifest.files.entries()) {
    pyodide.FS.mkdirTree(`${root}/${path.split("/").slice(0, -1).join("/")}`);
    pyodide.FS.writeFile(`${root}/${path}`, await sources[i]);
  }
  pyodide.globals.set("checker_root", root);
  pyodide.globals.set("checker_module", manifest.module);
  await pyodide.runPythonAsync(`
import importlib, json, sys
sys.path.insert(0, checker_root)
checker = importlib.import_module(checker_module)

def check_json(quantity, expression):
    return json.dumps(checker.check(quantity, expression))
`);
  timings.imported = seconds();
  return pyodide.globals.get("check_json");
}

const ready = start().then(
  (check) => {
    postMessage(check
      ? { type: "status", state: "ready", message: "Python ready", seconds: seconds(), timings }
      : { type: "status", state: "unavailable", message: "this build of the site has no in-browser checker" });
    return check;
  },
  (error) => {
    postMessage({ type: "status", state: "failed", message: String(error && error.message || error) });
    return null;
  });

let asked = 0; // checks received and not yet answered

self.onmessage = async ({ data }) => {
  if (data.type === "check") asked += 1;
  const check = await ready;
  if (!check) return; // the status message already told the page why
  if (data.type === "warm") { // one throw-away check while the reader is still typing: SymPy's first call is slow
    // ... unless the reader has already asked for one: theirs warms SymPy as well, and sooner
    if (asked) return;
    try { check(data.quantity, "0"); } catch (error) { /* a verdict nobody asked for */ }
    timings.warm = seconds();
    return;
  }
  if (data.type !== "check") return;
  try {
    postMessage({ type: "verdict", id: data.id, result: JSON.parse(check(data.quantity, data.expression)) });
  } catch (error) {
    postMessage({ type: "error", id: data.id, message: String(error && error.message || error) });
  } finally {
    asked -= 1;
  }
};
