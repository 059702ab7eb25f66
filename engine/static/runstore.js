// Saved runs in the browser's storage: one versioned document (runfile.js) per demo of a
// page, under `explainer:runs:v<version>:<page path>#<demo id>`.
//
// - One page, one store, whatever address it was opened at: `/posts/a/` and
//   `/posts/a/index.html` are the same page.
// - Other tabs: every change reads what is stored, changes that, and writes it back, and
//   a change made in another tab reaches this one through the `storage` event, so two
//   tabs never drop each other's runs.
// - Older pages: runs an older version kept (under its own key) are read, brought up to
//   date, and moved to this version's key.
// - Full storage: the change is refused and the caller says so; what is stored stays.
// - A run that storage could not read back (as an import would refuse it) is refused
//   the same way, rather than stored and lost at the next visit.
// - What cannot be read is removed, run by run, and the caller is told.

import { nextColor, withFreeColors } from "./colors.js";
import { CONTRACT } from "./contract.js";
import { readRunsText, runsDocument } from "./runfile.js";

const RUNS = CONTRACT.runs;

/** The page a path names, whichever form of its address: `/a/index.html` is `/a/`. */
export function pagePath(pathname) {
  return pathname.replace(/\/index\.html?$/i, "/");
}

/** The storage key of a demo's runs at runs format `version`. */
export function storageKey(version, path, id) {
  return `${RUNS.key_prefix}v${version}:${path}#${id}`;
}

/** Where a change could not be stored: the message says what happened, for the reader. */
export class NotStored extends Error {}

export class RunStore {
  #id;
  #storage;
  #key;
  #older;
  #kept;

  /**
   * `storage`: a Web Storage (localStorage), or null where the browser keeps nothing; then
   * runs are kept for this visit only. `pathname`: the page's address path.
   */
  constructor(id, storage, pathname) {
    this.#id = id;
    this.#kept = storage !== null;
    this.#storage = storage ?? memoryStorage();
    const path = pagePath(pathname);
    this.#key = storageKey(RUNS.version, path, id);
    this.#older = [];
    for (let version = 1; version < RUNS.version; version++) {
      for (const form of [path, `${path}index.html`]) this.#older.push(storageKey(version, form, id));
    }
  }

  /** Whether runs outlive the visit (false where the browser keeps no data). */
  get persistent() {
    return this.#kept;
  }

  /**
   * The runs stored for the demo, with those older pages left moved to this version's
   * key: `{entries, dropped}`, where `dropped` tells that unreadable runs were removed.
   */
  load() {
    const current = this.#read(this.#key);
    let entries = current.runs;
    let dropped = current.problems.length > 0;
    const moved = [];
    for (const key of this.#older) {
      const older = this.#read(key);
      if (older.runs.length === 0 && older.problems.length === 0) continue;
      dropped ||= older.problems.length > 0;
      const merged = withFreeColors(entries, older.runs);
      // Never more than a demo holds: what does not fit stays where it was.
      if (merged.length <= RUNS.max_runs) {
        entries = merged;
        moved.push(key);
      }
    }
    if ((moved.length > 0 || dropped) && this.#write(this.#text(entries))) moved.forEach((key) => this.#remove(key));
    return { entries, dropped };
  }

  /**
   * Apply `change(entries) -> entries` to the runs as stored now (another tab may have
   * changed them) and store the result; the new entries, or a NotStored error.
   */
  change(change) {
    const next = change(this.load().entries);
    const text = this.#text(next);
    // Nothing is stored that would not read back: storage is exactly as strict as import.
    const problem = text === null ? undefined : readRunsText(text, this.#id).problems[0];
    if (problem !== undefined) throw new NotStored(`saved runs cannot hold it (${problem.replace(/\.$/, "")}).`);
    if (!this.#write(text)) {
      throw new NotStored("the browser's storage for this site is full. Export and clear saved runs to make room.");
    }
    return next;
  }

  /** Store `run` after the runs stored now, in the first free colour. */
  add(run) {
    return this.change((entries) => [...entries, { color: nextColor(entries), run }]);
  }

  /** Call `listener(load())` whenever another tab changes this demo's runs. */
  watch(listener) {
    if (!this.#kept || typeof window === "undefined") return;
    window.addEventListener("storage", (event) => {
      if (event.storageArea !== this.#storage) return;
      if (event.key === this.#key || event.key === null) listener(this.load());
    });
  }

  #read(key) {
    let text = null;
    try {
      text = this.#storage.getItem(key);
    } catch (error) {
      console.warn("explainer: saved runs are not available", error);
    }
    return text === null ? { runs: [], problems: [] } : readRunsText(text, this.#id);
  }

  /** The stored form of `entries`: a runs document as JSON, or null for none. */
  #text(entries) {
    return entries.length === 0 ? null : JSON.stringify(runsDocument(this.#id, entries));
  }

  #write(text) {
    try {
      if (text === null) this.#storage.removeItem(this.#key);
      else this.#storage.setItem(this.#key, text);
      return true;
    } catch (error) {
      console.warn("explainer: could not store saved runs", error);
      return false;
    }
  }

  #remove(key) {
    try {
      this.#storage.removeItem(key);
    } catch (error) {
      console.warn("explainer: could not remove saved runs", error);
    }
  }
}

/** The page's localStorage, or null where the browser does not offer one. */
export function pageStorage() {
  try {
    const storage = globalThis.localStorage;
    storage.getItem(""); // throws where storage is switched off
    return storage;
  } catch {
    return null;
  }
}

/** A Storage-like map that lasts as long as the page. */
function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}
