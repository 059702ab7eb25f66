import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { isNoisy, mergeCurve, movingAverage } = await load("curves.js");

test("a curve update appends, or replaces the whole curve after a reset or thinning", () => {
  const start = mergeCurve({ iterations: [], losses: [] }, { full: true, iterations: [0], losses: [9] });
  const more = mergeCurve(start, { full: false, iterations: [1, 2], losses: [4, 1] });
  assert.deepEqual(more, { iterations: [0, 1, 2], losses: [9, 4, 1] });
  assert.deepEqual(start, { iterations: [0], losses: [9] }); // not changed in place
  const thinned = mergeCurve(more, { full: true, iterations: [0, 2], losses: [9, 1] });
  assert.deepEqual(thinned, { iterations: [0, 2], losses: [9, 1] });
});

test("a run on mini-batches is drawn as its moving average", () => {
  assert.equal(isNoisy({ batch: 4 }, 40), true);
  assert.equal(isNoisy({ batch: null }, 40), false);
  assert.equal(isNoisy({ batch: 40 }, 40), false); // the whole data: no noise
  const smooth = movingAverage({ iterations: [0, 1, 2, 3], losses: [10, 20, 30, 40] }, 2);
  assert.deepEqual(smooth, { iterations: [0, 1, 2, 3], losses: [10, 15, 25, 35] });
});
