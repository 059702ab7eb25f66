// The page's one runtime worker (Pyodide runs inside it, see worker.js): requests go out
// with a `seq`, and each reply settles the request with the same `seq`. When the worker
// fails to start, the reader may retry: a new worker replaces it.

import { MSG } from "./contract.js";

/** The `#explainer-runtime` settings with every URL (each `…_url`) made absolute. */
export function readRuntimeConfig() {
  const config = JSON.parse(document.getElementById("explainer-runtime").textContent);
  const absolute = (url) => new URL(url, document.baseURI).href;
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, key.endsWith("_url") ? absolute(value) : value]),
  );
}

/** The page's one runtime worker: sends requests and routes replies by `seq`. */
export class Runtime {
  #worker = null;
  #config = null;
  #seq = 0;
  #pending = new Map();
  #demos = [];
  #failure = null;
  #retry = false;
  #progress = null;
  #ready = false;

  /** Register a demo to hear about progress, failure and restarts (also what it missed). */
  attach(demo) {
    this.#demos.push(demo);
    // The runtime usually starts before the demos exist (see boot.js); once the demo is
    // set up, it hears where things stand.
    queueMicrotask(() => {
      if (this.#failure !== null) demo.runtimeFailed(this.#failure, this.#retry);
      else if (this.#ready) demo.runtimeReady();
      else if (this.#progress !== null) demo.runtimeProgress(this.#progress);
    });
  }

  get started() {
    return this.#worker !== null || this.#failure !== null;
  }

  start(config) {
    this.#config = config;
    const unable = missingCapability();
    if (unable !== null) {
      this.fail(unable, false);
      return;
    }
    let worker;
    try {
      worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    } catch (error) {
      this.fail(`The demos cannot start: this browser could not create a worker (${error.message}).`, false);
      return;
    }
    this.#worker = worker;
    // A replaced worker may still have messages on their way; only the current one counts.
    worker.addEventListener("message", (event) => worker === this.#worker && this.#receive(event.data));
    worker.addEventListener("error", (event) => {
      if (worker !== this.#worker) return;
      console.error("explainer: runtime worker error", event);
      this.fail("The demos cannot start: the Python runtime failed to load.");
    });
    worker.postMessage({ type: MSG.RUNTIME_START, config });
  }

  /** After a failure: a new worker, and every demo starts again. */
  restart() {
    if (this.#failure === null || this.#config === null) return;
    this.#worker?.terminate();
    this.#worker = null;
    this.#failure = null;
    this.#progress = null;
    this.#ready = false;
    this.#demos.forEach((demo) => demo.runtimeRestarting());
    this.start(this.#config);
    this.#demos.forEach((demo) => demo.start());
  }

  /** Send a demo request; resolves to its reply (`demo:state`, `demo:run` or `demo:error`). */
  request(type, id, fields = {}) {
    if (this.#failure !== null) return Promise.resolve(fatalReply(id, this.#failure));
    const seq = ++this.#seq;
    return new Promise((resolve) => {
      this.#pending.set(seq, { id, resolve });
      this.#worker.postMessage({ ...fields, type, seq, id });
    });
  }

  /**
   * Give up on the runtime: every demo (and every waiting request) hears `message`. With
   * `retry`, the failure may pass (a download that broke off), so the demos offer a retry.
   */
  fail(message, retry = true) {
    if (this.#failure !== null) return;
    this.#retry = retry && this.#config !== null;
    const full = this.#retry ? `${message} Press Retry to try again.` : message;
    this.#failure = full;
    for (const { id, resolve } of this.#pending.values()) resolve(fatalReply(id, full));
    this.#pending.clear();
    this.#demos.forEach((demo) => demo.runtimeFailed(full, this.#retry));
  }

  #receive(message) {
    switch (message.type) {
      case MSG.RUNTIME_PROGRESS:
        this.#progress = message.message;
        this.#demos.forEach((demo) => demo.runtimeProgress(message.message));
        break;
      case MSG.RUNTIME_READY:
        // Demos replaying the build's run hand over to Python now (see demo.js).
        this.#ready = true;
        this.#demos.forEach((demo) => demo.runtimeReady());
        break;
      case MSG.RUNTIME_FAILED:
        this.fail(message.message);
        break;
      default:
        this.#settle(message);
    }
  }

  #settle(reply) {
    const pending = this.#pending.get(reply.seq);
    if (pending === undefined) {
      // After a failure the worker still answers the requests it had queued; they were
      // already settled here.
      if (this.#failure !== null) return;
      console.warn("explainer: reply to no request", reply);
      return;
    }
    this.#pending.delete(reply.seq);
    pending.resolve(reply);
  }
}

/** The page's one runtime: boot.js starts it as early as it can, demo.js uses it. */
export const pageRuntime = new Runtime();

/** Start `pageRuntime` unless it has started; its settings are read from the page. */
export function startPageRuntime() {
  if (pageRuntime.started) return;
  let config;
  try {
    config = readRuntimeConfig();
  } catch (error) {
    console.error("explainer:", error);
    pageRuntime.fail("The demos cannot start: this page's runtime settings are missing or broken.", false);
    return;
  }
  pageRuntime.start(config);
}

// Python in the browser needs WebAssembly and a few hundred megabytes of memory.
const MIN_DEVICE_MEMORY_GB = 1;
const FALLBACK = "Each figure shows the demo's default run instead.";

/** Why this browser cannot run the demos, or null when it can. */
function missingCapability() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    return `The demos cannot run here: this browser has WebAssembly switched off or does not support it. ${FALLBACK}`;
  }
  const memory = navigator.deviceMemory; // in GB, rounded down; only some browsers say
  if (typeof memory === "number" && memory < MIN_DEVICE_MEMORY_GB) {
    return `The demos cannot run here: this device reports ${memory} GB of memory and Python needs at least ${MIN_DEVICE_MEMORY_GB} GB. ${FALLBACK}`;
  }
  return null;
}

function fatalReply(id, message) {
  return { type: MSG.DEMO_ERROR, id, seq: null, message, line: null, recoverable: false };
}
