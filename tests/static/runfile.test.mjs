import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { fixture, load } from "./load.mjs";

const { RunsFileError, readEntry, readRunsFile, readRunsText, runsCsv, runsDocument, runsJson } =
  await load("runfile.js");
const { CONTRACT } = await load("contract.js");

const RUNS = CONTRACT.runs;

test("files exported by the first release are read, unchanged but for their version", () => {
  for (const demo of ["compare-runs", "your-data", "parabola"]) {
    const text = fixture(`runs-v1/export-${demo}.json`);
    const entries = readRunsFile(text, demo);
    const original = JSON.parse(text);
    assert.equal(original.version, 1);
    assert.deepEqual(runsDocument(demo, entries), { ...original, version: RUNS.version });
  }
});

test("a bare list of {color, run}, as the earliest pages stored, is read too", () => {
  const { runs } = JSON.parse(fixture("runs-v1/export-parabola.json"));
  const list = runs.map(({ color, ...run }) => ({ color, run }));
  assert.deepEqual(readRunsFile(JSON.stringify(list), "parabola"), list);
});

test("a document of a newer or unknown version is refused, not guessed at", () => {
  const document = JSON.parse(fixture("runs-v1/export-parabola.json"));
  for (const version of [RUNS.version + 1, 0, "1", null]) {
    assert.throws(
      () => readRunsFile(JSON.stringify({ ...document, version }), "parabola"),
      (error) => error instanceof RunsFileError && error.message.startsWith("its version"),
    );
  }
});

test("storage keeps the readable runs of a document and names what it dropped", () => {
  const document = JSON.parse(fixture("runs-v1/export-compare-runs.json"));
  document.runs[0].samples = "40";
  const { runs, problems } = readRunsText(JSON.stringify(document), "compare-runs");
  assert.equal(runs.length, 1);
  assert.deepEqual(problems, ["run 1: samples must be a finite number."]);
  assert.throws(() => readRunsFile(JSON.stringify(document), "compare-runs"), RunsFileError);
});

test("the CSV export has a row per recorded iteration of every run", () => {
  const entries = readRunsFile(fixture("runs-v1/export-compare-runs.json"), "compare-runs");
  const rows = runsCsv(entries).trimEnd().split("\r\n");
  assert.equal(rows[0], `run,${RUNS.settings.join(",")},samples,iteration,average_loss`);
  const points = entries.reduce((sum, { run }) => sum + run.curve.iterations.length, 0);
  assert.equal(rows.length, 1 + points);
  assert.match(rows[1], /^1,0\.05,false,4,40,0,/);
});

// --- any run the page can save is exported, imported and stored back unchanged ---------

// JSON writes -0 as 0, and a reader sees no difference: the runtime's numbers are 0.
const plain = (value) => (value === 0 ? 0 : value);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }).map(plain);
const loss = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e300 }).map(plain);
const settings = fc.record({
  step_size: fc.double({ noNaN: true, min: Number.MIN_VALUE, max: CONTRACT.settings.step_size.kind.high }),
  proportional: fc.boolean(),
  batch: fc.option(fc.integer({ min: 1, max: CONTRACT.settings.batch.kind.high }), { nil: null }),
});
const names = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40, unit: "grapheme" }), {
  minLength: 1,
  maxLength: 12,
});
const run = fc
  .record({
    settings,
    model: fc.string({ maxLength: 60 }),
    data_label: fc.string({ maxLength: 200 }),
    samples: fc.integer({ min: 1, max: CONTRACT.limits.samples }),
    names,
    values: fc.array(finite, { minLength: 12, maxLength: 12 }),
    steps: fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { maxLength: 30 }),
    losses: fc.array(loss, { minLength: 31, maxLength: 31 }),
    color: fc.constantFrom("#0072B2", "#D55E00", "#abcdef"),
  })
  .map(({ names, values, steps, losses, color, ...rest }) => {
    const iterations = [0, ...steps.sort((a, b) => a - b)];
    return {
      color,
      run: {
        model: rest.model,
        settings: rest.settings,
        data_label: rest.data_label,
        samples: rest.samples,
        iteration: iterations.at(-1),
        params: Object.fromEntries(names.map((name, i) => [name, values[i]])),
        average_loss: losses[iterations.length - 1],
        curve: { iterations, losses: losses.slice(0, iterations.length) },
      },
    };
  });

test("any run the page can save reads back unchanged, from a file and from storage alike", () => {
  fc.assert(
    fc.property(fc.array(run, { minLength: 1, maxLength: 5 }), (generated) => {
      const entries = JSON.parse(JSON.stringify(generated)); // runs reach the page as JSON
      const text = runsJson("demo", entries);
      const imported = readRunsFile(text, "demo");
      assert.deepEqual(imported, entries);
      const stored = readRunsText(JSON.stringify(runsDocument("demo", imported)), "demo");
      assert.deepEqual(stored, { runs: entries, problems: [] });
    }),
    { numRuns: 300 },
  );
});

test("a run is accepted by a file exactly when storage keeps it", () => {
  const base = readRunsFile(fixture("runs-v1/export-parabola.json"), "parabola")[0];
  const mutations = fc.record({
    path: fc.constantFrom("color", "samples", "iteration", "average_loss", "data_label", "params", "settings"),
    value: fc.oneof(fc.string(), fc.double(), fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.double())),
  });
  fc.assert(
    fc.property(mutations, ({ path, value }) => {
      const raw = { color: base.color, ...base.run, [path]: value };
      const text = JSON.stringify({ format: RUNS.format, version: RUNS.version, demo: "d", runs: [raw] });
      let fromFile = true;
      try {
        readRunsFile(text, "d");
      } catch (error) {
        if (!(error instanceof RunsFileError)) throw error;
        fromFile = false;
      }
      assert.equal(readRunsText(text, "d").runs.length === 1, fromFile);
      if (fromFile) assert.deepEqual(readRunsText(runsJson("d", readRunsFile(text, "d")), "d").problems, []);
    }),
    { numRuns: 500 },
  );
});

test("a run is rebuilt key by key: __proto__ stays an ordinary parameter name", () => {
  const raw = JSON.parse('{"color":"#0072B2","settings":{"step_size":0.1,"proportional":false,"batch":null},"data_label":"d","samples":1,"iteration":0,"params":{"__proto__":5,"θ":1},"average_loss":1,"curve":{"iterations":[0],"losses":[1]}}');
  const { run } = readEntry(raw, "run 1");
  assert.deepEqual(Object.keys(run.params), ["__proto__", "θ"]);
  assert.equal(Object.getPrototypeOf(run.params), Object.prototype);
  assert.equal(JSON.parse(JSON.stringify(run)).params.__proto__, 5);
});

test("names and labels are as long as Python counts them: 𝑥 is one character", () => {
  const base = readRunsFile(fixture("runs-v1/export-parabola.json"), "parabola")[0];
  const entry = (params, label = "d") => ({ color: base.color, ...base.run, params, data_label: label });
  const longest = "𝑥".repeat(RUNS.max_text); // a Python name of max_text characters, 2 units each
  const { run } = readEntry(entry({ [longest]: 1 }, longest), "run 1");
  assert.deepEqual(Object.keys(run.params), [longest]);
  assert.throws(() => readEntry(entry({ [longest + "𝑥"]: 1 }), "run 1"), /a parameter name of 501 characters/);
  assert.throws(() => readEntry(entry({ a: 1 }, longest + "𝑥"), "run 1"), /data_label is longer than 500/);
});
