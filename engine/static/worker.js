// The demo runtime: a module Web Worker that runs Pyodide and the `engine.runtime` package.
//
// One worker serves every demo on a page. The page sends `runtime:start` once; demo
// requests may arrive before Python is ready and simply wait for it. Each demo request
// is handed to the Python `Bridge` as JSON and its JSON reply is posted back unchanged.

import { Downloads, describe, gunzip } from "./downloads.js";
import { MSG } from "./contract.js";
import { unpackSnapshot } from "./memory.js";

// Requests the Python bridge answers; everything else is handled here or ignored.
const DEMO_REQUESTS = new Set([
  MSG.DEMO_INIT,
  MSG.DEMO_STEP,
  MSG.DEMO_RESET,
  MSG.DEMO_CONFIGURE,
  MSG.DEMO_DOUBLE,
  MSG.DEMO_UPLOAD,
  MSG.DEMO_SAVE_RUN,
]);

// The one cached ready promise: it resolves to the Python `Bridge` once the runtime has
// started. It exists before `runtime:start` arrives so early demo requests can wait on it.
let settleReady;
const ready = new Promise((resolve, reject) => {
  settleReady = { resolve, reject };
});
// A failed start is reported once as `runtime:failed`; waiting requests answer for
// themselves, so the rejection is not "unhandled".
ready.catch(() => {});
let started = false;

self.addEventListener("message", (event) => {
  const message = event.data;
  if (message?.type === MSG.RUNTIME_START) {
    start(message.config);
  } else if (DEMO_REQUESTS.has(message?.type)) {
    answer(message);
  } else {
    console.warn("explainer worker: ignoring unknown message", message);
  }
});

/** Start Python once; later `runtime:start` messages are no-ops. */
function start(config) {
  if (started) return;
  started = true;
  boot(config).then(
    (bridge) => {
      settleReady.resolve(bridge);
      post({ type: MSG.RUNTIME_READY });
    },
    (error) => {
      const message = `Python could not start: ${describe(error)}.`;
      settleReady.reject(new Error(message));
      post({ type: MSG.RUNTIME_FAILED, message });
    },
  );
}

/**
 * Load Pyodide and create the Python bridge. With a snapshot (made at build time, see
 * engine/snapshot.py) Python's memory is restored with the runtime already imported;
 * should that fail for any reason but a download, Python starts the ordinary way.
 */
async function boot(config) {
  progress("Downloading Python…");
  const downloads = new Downloads(config.integrity ?? {}, config.remote ?? {}, config.packed ?? {});
  downloads.install();
  let pyodide;
  try {
    // Every download starts now, side by side; Pyodide would ask for them one by one.
    const wasm = downloads.bytes(config.index_url + WASM);
    wasm.catch(() => {}); // reported by whoever awaits it
    downloads.serve(WASM, wasm, "application/wasm");
    const snapshot = config.snapshot_url ? restore(downloads.get(config.snapshot_url), wasm) : null;
    snapshot?.catch(() => {});
    for (const name of config.prefetch) if (name !== WASM) downloads.prefetch(config.index_url + name);
    if (config.stdlib_url) downloads.prefetch(config.stdlib_url);
    downloads.prefetch(config.lock_url);
    import(config.index_url + "pyodide.asm.mjs").catch(() => {}); // Pyodide imports it again
    const { loadPyodide } = await downloads.guard(import(config.pyodide_url));
    const options = { indexURL: config.index_url, lockFileURL: config.lock_url, env: ENV };
    if (snapshot !== null) {
      try {
        // With the snapshot, the runtime is in memory: a small standard library will do.
        const restoring = { ...options, _loadSnapshot: snapshot, stdLibURL: config.stdlib_url };
        pyodide = await downloads.guard(loadPyodide(restoring));
      } catch (error) {
        if (downloads.broken) throw error;
        console.warn("explainer: the runtime snapshot did not load; starting Python without it", error);
      }
    }
    // `packages` lets Pyodide fetch the runtime wheel while the interpreter boots.
    pyodide ??= await downloads.guard(loadPyodide({ ...options, packages: [config.package] }));
  } finally {
    downloads.stop();
  }
  progress("Starting the demos…");
  const module = pyodide.pyimport("engine.runtime.bridge");
  try {
    return module.Bridge();
  } finally {
    module.destroy();
  }
}

// As when the snapshot was made (engine/snapshot.mjs).
const ENV = { PYTHONHASHSEED: "0", LANG: "C.UTF-8", HOME: "/home/pyodide" };
const WASM = "pyodide.asm.wasm";

/** Pyodide's snapshot, from the file's gzip-compressed response and the module's bytes
 * (the file holds only the memory that differs from the module's own: memory.js). */
async function restore(responsePromise, wasmPromise) {
  const response = await responsePromise;
  if (!response.ok) throw new Error(`the snapshot could not be downloaded (HTTP ${response.status})`);
  const packed = await gunzip(response);
  return unpackSnapshot(packed, await wasmPromise);
}

/** Pass one demo request to Python (after it is ready) and post its reply. */
async function answer(request) {
  let bridge;
  try {
    bridge = await ready;
  } catch (error) {
    post(failure(request, error.message));
    return;
  }
  try {
    deliver(bridge, bridge.handle(JSON.stringify(request)));
  } catch (error) {
    // The bridge reports Python errors itself; reaching this means something unexpected.
    console.error("explainer worker:", error);
    post(failure(request, `The demo stopped with an internal error: ${describe(error)}.`));
  }
}

// Long work goes on in slices (see bridge.py), one per task of this worker: messages
// that arrive meanwhile, for other demos, are answered between two slices.
const slices = new MessageChannel();
let sliceQueued = false;
slices.port1.onmessage = async () => {
  sliceQueued = false;
  const bridge = await ready;
  try {
    deliver(bridge, bridge.resume());
  } catch (error) {
    console.error("explainer worker:", error);
  }
};

/** Post a reply from the bridge ("" while work goes on), and queue the next slice of work. */
function deliver(bridge, reply) {
  if (reply) post(JSON.parse(reply));
  if (bridge.busy && !sliceQueued) {
    sliceQueued = true;
    slices.port2.postMessage(null);
  }
}

/** A non-recoverable `demo:error` reply to `request`. */
function failure(request, message) {
  return {
    type: MSG.DEMO_ERROR,
    seq: request.seq,
    id: request.id,
    message,
    line: null,
    recoverable: false,
  };
}

function progress(message) {
  post({ type: MSG.RUNTIME_PROGRESS, message });
}

function post(message) {
  self.postMessage(message);
}
