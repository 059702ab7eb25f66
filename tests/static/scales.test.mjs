// Unit tests of the demo charts' domains (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import { load } from "./load.mjs";

const { clipLine, doublingCeil, iterationSpan, lossRange, paddedRange, spreadLabels } = await load("scales.js");

test("the iteration axis grows in doublings, not with every step", () => {
  assert.deepEqual([0, 1, 100, 101, 250, 400, 401].map(doublingCeil), [100, 100, 100, 200, 400, 400, 800]);
  const spans = new Set();
  for (let step = 0; step <= 1600; step++) spans.add(iterationSpan(step, []));
  assert.deepEqual([...spans], [100, 200, 400, 800, 1600]);
});

test("a saved run far longer than the rest does not squeeze the others", () => {
  assert.equal(iterationSpan(0, [200]), 200); // before a run: the whole default run
  assert.equal(iterationSpan(300, [1575]), 800); // 1,575 is cut: 1.5 × 300, doubled up
  assert.equal(iterationSpan(300, [700, 1575]), 1600); // not cut: another run is as long
  assert.equal(iterationSpan(2000, [1575]), 3200); // the current run always shows whole
});

test("one spike does not set the log axis, the start of a run always shows", () => {
  const iterations = Array.from({ length: 500 }, (_, i) => i);
  const losses = iterations.map((i) => (i === 0 ? 60 : i === 250 ? 115 : 12 + (i % 7)));
  assert.deepEqual(lossRange([{ iterations, losses }], 500, 1e-300), [10, 100]);
  const short = { iterations: [0, 1, 2], losses: [60, 115, 12] };
  assert.deepEqual(lossRange([short], 500, 1e-300), [10, 1000]); // a short curve keeps its top
});

test("the fit chart's range is the data's, padded", () => {
  const [low, high] = paddedRange([0, 10, 5], 0.1);
  assert.deepEqual([low, high], [-1, 11]);
  assert.deepEqual(paddedRange([3, 3]).map((v) => Math.round(v * 100) / 100), [2.76, 3.24]);
  assert.deepEqual(paddedRange([]), [0, 1]);
});

test("a line that leaves the chart ends at its edge", () => {
  const line = clipLine({ xs: [0, 1, 2], ys: [0, 10, 20] }, -5, 5);
  assert.deepEqual(line.xs, [0, 0.5, 1, 2]);
  assert.deepEqual(line.ys, [0, 5, null, null]);
  const through = clipLine({ xs: [0, 1], ys: [-10, 10] }, -5, 5);
  assert.deepEqual(through.ys.filter((y) => y !== null), [-5, 5]);
});

test("line names are spread so that they never overlap", () => {
  const placed = spreadLabels([100, 102, 104], 10, 0, 300);
  assert.deepEqual(placed, [100, 110, 120]);
  const low = spreadLabels([295, 298], 10, 0, 300);
  assert.deepEqual(low, [290, 300]);
});
