// The demo runtime: a module Web Worker that runs Pyodide and the `engine.runtime` package.
//
// One worker serves every demo on a page. The page sends `runtime:start` once; demo
// requests may arrive before Python is ready and simply wait for it. Each demo request
// is handed to the Python `Bridge` as JSON and its JSON reply is posted back unchanged.

import { MSG } from "./protocol.js";

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

/** Load Pyodide with the runtime package and create the Python bridge. */
async function boot(config) {
  progress("Downloading Python…");
  const downloads = watchDownloads();
  let pyodide;
  try {
    const { loadPyodide } = await Promise.race([import(config.pyodide_url), downloads.failed]);
    // `packages` lets Pyodide fetch the runtime wheel while the interpreter boots.
    const loading = loadPyodide({
      indexURL: config.index_url,
      lockFileURL: config.lock_url,
      packages: [config.package],
    });
    pyodide = await Promise.race([loading, downloads.failed]);
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

/**
 * Watch the downloads made while Python starts. When one fails (the network broke off,
 * or a file is missing), Pyodide only logs a warning and waits forever; `failed` rejects
 * instead, so the page can say so and offer a retry.
 */
function watchDownloads() {
  const original = self.fetch;
  let fail;
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {}); // handled by whoever races it
  self.fetch = async (resource, options) => {
    const name = String(resource?.url ?? resource).split("/").pop();
    let response;
    try {
      response = await original.call(self, resource, options);
    } catch (error) {
      fail(new Error(`could not download ${name} (${describe(error)})`));
      throw error;
    }
    if (!response.ok) fail(new Error(`could not download ${name} (HTTP ${response.status})`));
    return response;
  };
  return { failed, stop: () => (self.fetch = original) };
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
    post(JSON.parse(bridge.handle(JSON.stringify(request))));
  } catch (error) {
    // The bridge reports Python errors itself; reaching this means something unexpected.
    console.error("explainer worker:", error);
    post(failure(request, `The demo stopped with an internal error: ${describe(error)}.`));
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

/** A short human description of an error (Python tracebacks are cut to their last line). */
function describe(error) {
  const text = String(error?.message ?? error ?? "unknown error").trim();
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const last = lines.length > 0 ? lines[lines.length - 1] : "unknown error";
  return last.trim().replace(/\.+$/, ""); // callers add their own full stop
}
