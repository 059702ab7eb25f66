// The page's one runtime worker (Pyodide runs inside it, see worker.js): requests go out
// with a `seq`, and each reply settles the request with the same `seq`. When the worker
// fails to start, the reader may retry: a new worker replaces it.

import { MSG } from "./protocol.js";

/** The `#explainer-runtime` settings with every URL made absolute. */
export function readRuntimeConfig() {
  const config = JSON.parse(document.getElementById("explainer-runtime").textContent);
  const absolute = (url) => new URL(url, document.baseURI).href;
  return {
    ...config,
    pyodide_url: absolute(config.pyodide_url),
    index_url: absolute(config.index_url),
    lock_url: absolute(config.lock_url),
  };
}

/** The page's one runtime worker: sends requests and routes replies by `seq`. */
export class Runtime {
  #worker = null;
  #config = null;
  #seq = 0;
  #pending = new Map();
  #demos = [];
  #failure = null;

  /** Register a demo to hear about progress, failure and restarts. */
  attach(demo) {
    this.#demos.push(demo);
  }

  start(config) {
    this.#config = config;
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
    const full = retry && this.#config !== null ? `${message} Press Retry to try again.` : message;
    this.#failure = full;
    for (const { id, resolve } of this.#pending.values()) resolve(fatalReply(id, full));
    this.#pending.clear();
    this.#demos.forEach((demo) => demo.runtimeFailed(full, retry && this.#config !== null));
  }

  #receive(message) {
    switch (message.type) {
      case MSG.RUNTIME_PROGRESS:
        this.#demos.forEach((demo) => demo.runtimeProgress(message.message));
        break;
      case MSG.RUNTIME_READY:
        break; // each demo comes alive with the reply to its own init request
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

function fatalReply(id, message) {
  return { type: MSG.DEMO_ERROR, id, seq: null, message, line: null, recoverable: false };
}
