import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { mergeCurve } = await load("curves.js");

test("a curve update appends, or replaces the whole curve after a reset or thinning", () => {
  const start = mergeCurve({ iterations: [], losses: [] }, { full: true, iterations: [0], losses: [9] });
  const more = mergeCurve(start, { full: false, iterations: [1, 2], losses: [4, 1] });
  assert.deepEqual(more, { iterations: [0, 1, 2], losses: [9, 4, 1] });
  assert.deepEqual(start, { iterations: [0], losses: [9] }); // not changed in place
  const thinned = mergeCurve(more, { full: true, iterations: [0, 2], losses: [9, 1] });
  assert.deepEqual(thinned, { iterations: [0, 2], losses: [9, 1] });
});
