// Make a Pyodide memory snapshot with the demo runtime already imported.
//
//   node snapshot.mjs <pyodide.mjs> <folder with pyodide-lock.json and the wheel> <package> <out>
//
// Writes <out>, Python's memory after start-up and after importing every module of the
// runtime package (and of `explainer_models`), and <out>.json, the standard library's files
// the runtime may still import later (engine/snapshot.py packs them into the small
// standard library pages load with the snapshot). A page that loads it skips interpreter
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
const later = pyodide.runPython(`
import importlib, json, pkgutil, sys
import engine.runtime
packages = [engine.runtime]
try:
    import explainer_models
    packages.append(explainer_models)
except ModuleNotFoundError:
    pass
names = []
for package in packages:
    names.append(package.__name__)
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
# The standard library's modules the runtime and the models import anywhere (inside a
# function too) and that are not imported yet: a page may still need them after restoring.
stdlib = next(path for path in sys.path if path.endswith(".zip"))
imported = set(sys.modules)
import modulefinder
finder = modulefinder.ModuleFinder()
for name in names:
    finder.import_hook(name)
later = sorted(
    module.__file__.removeprefix(stdlib + "/")
    for name, module in finder.modules.items()
    if name not in imported and (module.__file__ or "").startswith(stdlib + "/")
)
# The finder itself is no part of what pages run.
del finder
for name in set(sys.modules) - imported:
    del sys.modules[name]
json.dumps(later)
`);
// Pages restore with a smaller standard library: nothing may remember the full one.
pyodide.runPython(`
import gc, linecache, re, sys, zipimport
zipimport._zip_directory_cache.clear()
sys.path_importer_cache.clear()
linecache.clearcache()
re.purge()
gc.collect()
`);
zeroFreeMemory(pyodide._module);
// The page does not load packages after restoring, so Pyodide's record of them must be
// as it was at start-up (the snapshot refuses JavaScript state it cannot recreate).
for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
writeFileSync(out, pyodide.makeMemorySnapshot());
writeFileSync(`${out}.json`, later);

/**
 * Zero the memory the allocator holds free. Freed memory keeps whatever it held before
 * (start-up's temporary objects, mostly), which compresses badly and means nothing: take
 * every free block, largest first, without growing the heap, zero it, and give it back.
 */
function zeroFreeMemory(module) {
  const limit = module._malloc_footprint_limit();
  module._malloc_set_footprint_limit(module._malloc_footprint());
  const taken = [];
  for (let size = 1 << 24; size >= 1; size >>>= 1) {
    for (let block = module._malloc(size); block !== 0; block = module._malloc(size)) {
      module.HEAPU8.fill(0, block, block + module._malloc_usable_size(block));
      taken.push(block);
    }
  }
  for (const block of taken) module._free(block);
  module._malloc_set_footprint_limit(limit);
}
