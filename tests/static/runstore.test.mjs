import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture, load } from "./load.mjs";

const { NotStored, RunStore, pagePath, storageKey } = await load("runstore.js");
const { readRunsFile } = await load("runfile.js");

/** A Web Storage with room for `room` characters, as a browser's quota. */
function fakeStorage(items = {}, room = Infinity) {
  const map = new Map(Object.entries(items));
  const used = () => [...map].reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem(key, value) {
      const before = map.get(key);
      map.set(key, String(value));
      if (used() > room) {
        if (before === undefined) map.delete(key);
        else map.set(key, before);
        throw new Error("QuotaExceededError");
      }
    },
    removeItem: (key) => map.delete(key),
  };
}

const STORED = JSON.parse(fixture("runs-v1/local-storage.json"));
const quiet = (body) => {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return body();
  } finally {
    console.warn = warn;
  }
};

test("a page is one store whatever its address form", () => {
  assert.equal(pagePath("/posts/a/index.html"), "/posts/a/");
  assert.equal(pagePath("/posts/a/"), "/posts/a/");
  assert.equal(storageKey(2, "/posts/a/", "d"), "explainer:runs:v2:/posts/a/#d");
});

test("runs the first release stored move to this version's key, unchanged", () => {
  const storage = fakeStorage(STORED);
  const store = new RunStore("compare-runs", storage, "/posts/iterating-on-a-model/index.html");
  const { entries, dropped } = store.load();
  assert.equal(dropped, false);
  const v1 = "explainer:runs:v1:/posts/iterating-on-a-model/#compare-runs";
  assert.deepEqual(entries, readRunsFile(STORED[v1], "compare-runs"));
  assert.equal(storage.getItem(v1), null);
  assert.ok(storage.getItem("explainer:runs:v2:/posts/iterating-on-a-model/#compare-runs"));
  assert.ok(storage.getItem("explainer:runs:v1:/posts/a-model-of-your-own/#parabola")); // not this store's
});

test("two tabs that each add a run keep both", () => {
  const storage = fakeStorage();
  const run = readRunsFile(STORED["explainer:runs:v1:/posts/a-model-of-your-own/#parabola"], "parabola")[0].run;
  const first = new RunStore("parabola", storage, "/p/");
  const second = new RunStore("parabola", storage, "/p/index.html");
  first.add(run);
  second.add(run);
  const entries = first.add(run);
  assert.equal(entries.length, 3);
  assert.equal(new Set(entries.map((e) => e.color)).size, 3);
});

test("full storage refuses the change and keeps what is stored", () => {
  const v1 = "explainer:runs:v1:/posts/a-model-of-your-own/#parabola";
  const storage = fakeStorage({ [v1]: STORED[v1] });
  const store = new RunStore("parabola", storage, "/posts/a-model-of-your-own/");
  const { entries } = store.load();
  const full = fakeStorage(Object.fromEntries(storage.map), [...storage.map].reduce((s, [k, v]) => s + k.length + v.length, 0));
  const cramped = new RunStore("parabola", full, "/posts/a-model-of-your-own/");
  quiet(() => assert.throws(() => cramped.add(entries[0].run), NotStored));
  assert.deepEqual(cramped.load().entries, entries);
});

test("unreadable runs are removed, readable ones kept, and the store says so", () => {
  const document = JSON.parse(STORED["explainer:runs:v1:/posts/iterating-on-a-model/#compare-runs"]);
  document.runs[1].color = "<b>";
  const storage = fakeStorage({ "explainer:runs:v2:/p/#compare-runs": JSON.stringify({ ...document, version: 2 }) });
  const { entries, dropped } = quiet(() => new RunStore("compare-runs", storage, "/p/").load());
  assert.equal(dropped, true);
  assert.equal(entries.length, 1);
  assert.equal(JSON.parse(storage.getItem("explainer:runs:v2:/p/#compare-runs")).runs.length, 1);
});

test("without storage, runs last for the visit", () => {
  const store = new RunStore("d", null, "/p/");
  assert.equal(store.persistent, false);
  const run = readRunsFile(STORED["explainer:runs:v1:/posts/a-model-of-your-own/#parabola"], "parabola")[0].run;
  assert.equal(store.add(run).length, 1);
  assert.equal(store.load().entries.length, 1);
});

test("a run that would not read back is refused as not stored, and what is stored stays", () => {
  const storage = fakeStorage();
  const store = new RunStore("parabola", storage, "/p/");
  const run = readRunsFile(STORED["explainer:runs:v1:/posts/a-model-of-your-own/#parabola"], "parabola")[0].run;
  store.add(run);
  const before = storage.getItem("explainer:runs:v2:/p/#parabola");
  // An author's loss may go below 0 on a reader's data: such a run cannot be kept.
  const negative = { ...run, average_loss: -1, curve: { ...run.curve, losses: run.curve.losses.map(() => -1) } };
  assert.throws(
    () => store.add(negative),
    (error) =>
      error instanceof NotStored &&
      error.message === "saved runs cannot hold it (run 2: average_loss must be at least 0, not -1).",
  );
  assert.throws(() => store.add({ ...run, data_label: "x".repeat(501) }), NotStored);
  assert.equal(storage.getItem("explainer:runs:v2:/p/#parabola"), before);
  assert.equal(store.load().dropped, false);
});
