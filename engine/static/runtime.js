// The page's one runtime worker (Pyodide runs inside it, see worker.js): requests go out
// with a `seq`, and each reply settles the request with the same `seq`.

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
  #seq = 0;
  #pending = new Map();
  #demos = [];
  #failure = null;

  /** Register a demo to hear about progress and failure. */
  attach(demo) {
    this.#demos.push(demo);
  }

  start(config) {
    try {
      this.#worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    } catch (error) {
      this.fail(`The demos cannot start: this browser could not create a worker (${error.message}).`);
      return;
    }
    this.#worker.addEventListener("message", (event) => this.#receive(event.data));
    this.#worker.addEventListener("error", (event) => {
      console.error("explainer: runtime worker error", event);
      this.fail("The demos cannot start: the Python runtime failed to load. Reload the page to try again.");
    });
    this.#worker.postMessage({ type: MSG.RUNTIME_START, config });
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

  /** Give up on the runtime: every demo (and every waiting request) hears `message`. */
  fail(message) {
    if (this.#failure !== null) return;
    this.#failure = message;
    for (const { id, resolve } of this.#pending.values()) resolve(fatalReply(id, message));
    this.#pending.clear();
    this.#demos.forEach((demo) => demo.runtimeFailed(message));
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
