// Make a Pyodide memory snapshot with the demo runtime already imported.
//
//   node snapshot.mjs <pyodide.mjs> <folder with pyodide-lock.json and the wheel> <package> <out>
//
// The snapshot is Python's memory after start-up and after importing every module of the
// runtime package (and of `explainer_models`). A page that loads it skips interpreter
// start-up and imports entirely. Randomness and clocks are fixed while it is made, so the
// same inputs give the same bytes. The page passes the same `env` when loading it.

import crypto from "node:crypto";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideModule, folder, packageName, out] = process.argv.slice(2);

// Emscripten takes the program's name (Python's sys.argv[0] and the environment's "_")
// from the script's path; a page has none. The path of this checkout must not end up in
// the snapshot, which is published, so it is the name a page uses.
process.argv[1] = "./this.program";

// Fixed "randomness" (hash secret, random's seed) and clocks (file times) while snapshotting.
let state = 0x2545f491;
crypto.randomFillSync = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return view;
};
Date.now = () => 315532800000; // 1980-01-01, as in the wheel
let tick = 0;
performance.now = () => (tick += 1);

const { loadPyodide } = await import(pathToFileURL(pyodideModule).href);
const pyodide = await loadPyodide({
  lockFileURL: `${folder}/pyodide-lock.json`,
  packages: [packageName],
  // The locale and the home folder are given, not taken from Node (whose navigator.language
  // follows the machine's locale); worker.js passes the same.
  env: { PYTHONHASHSEED: "0", LANG: "C.UTF-8", HOME: "/home/pyodide" },
  _makeSnapshot: true,
});
pyodide.runPython(`
import importlib, pkgutil
import engine.runtime
packages = [engine.runtime]
try:
    import explainer_models
    packages.append(explainer_models)
except ModuleNotFoundError:
    pass
for package in packages:
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
`);
// The page does not load packages after restoring, so Pyodide's record of them must be
// as it was at start-up (the snapshot refuses JavaScript state it cannot recreate).
for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
writeFileSync(out, pyodide.makeMemorySnapshot());
