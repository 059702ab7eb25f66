// Unit tests of the charts' tick labels (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import { load } from "./load.mjs";

const { axisTicks, decadeTicks, formatTick, logLabels, logRange, nextRoundStep } = await load("ticks.js");

const labels = (ticks) => {
  const step = ticks[1] - ticks[0];
  const scale = Math.max(...ticks.map(Math.abs));
  return ticks.map((t) => formatTick(t, step, scale));
};

test("large values are short and distinct: 12k, 1.5M", () => {
  assert.deepEqual(labels(axisTicks(1_000_000, 5_000_000, 8)), ["1.0M", "1.5M", "2.0M", "2.5M", "3.0M", "3.5M", "4.0M", "4.5M", "5.0M"]);
  assert.deepEqual(labels(axisTicks(0, 20_000, 4)), ["0", "5k", "10k", "15k", "20k"]);
  assert.deepEqual(labels(axisTicks(1950, 2020, 4)), ["1960", "1980", "2000", "2020"]);
});

test("tiny values are never labelled 0", () => {
  const ticks = axisTicks(1e-15, 3e-15, 4);
  const text = labels(ticks);
  assert.equal(new Set(text).size, text.length);
  assert.ok(text.every((t) => t !== "0"), text.join(" "));
  assert.deepEqual(text, ["10⁻¹⁵", "1.5 × 10⁻¹⁵", "2 × 10⁻¹⁵", "2.5 × 10⁻¹⁵", "3 × 10⁻¹⁵"]);
});

test("log ticks below 0.001 keep their value", () => {
  const [low, high] = logRange(3e-9, 40);
  const ticks = decadeTicks(low, high, 6);
  const text = ticks.map((t) => formatTick(t, t));
  assert.ok(!text.includes("0"), text.join(" "));
  assert.ok(ticks[0] < 1e-3 && text[0].startsWith("10⁻"), text.join(" "));
  assert.equal(text.at(-1), "100");
  assert.deepEqual(["0.01", "0.001", "10⁻⁴", "10k", "1M", "10¹⁵"], [0.01, 0.001, 1e-4, 1e4, 1e6, 1e15].map((t) => formatTick(t, t)));
});

test("log ranges of exact fits stay finite and small", () => {
  for (const min of [1e-22, 1e-30, 5e-324, 1e-300]) {
    const [low, high] = logRange(min, 100);
    assert.ok(low > 0 && Number.isFinite(high), `${min}: ${low} ${high}`);
    const ticks = decadeTicks(low, high, 8);
    assert.ok(ticks.length >= 2 && ticks.length <= 8, `${min}: ${ticks.length} ticks`);
  }
});

test("whole-number spacing has no decimals, fractional spacing has enough", () => {
  assert.deepEqual(labels([0, 0.5, 1, 1.5]), ["0", "0.5", "1.0", "1.5"]);
  assert.deepEqual(labels([-10, -5, 0, 5]), ["−10", "−5", "0", "5"]);
  assert.deepEqual(labels([0, 0.25, 0.5]), ["0", "0.25", "0.50"]);
});

test("a short axis still gets three ticks", () => {
  const ticks = axisTicks(900_000, 7_900_000, 2);
  assert.ok(ticks.length >= 3, ticks.join(" "));
  assert.deepEqual(labels(ticks), ["2M", "4M", "6M"]);
});

test("each log tick in its own unit", () => {
  assert.deepEqual(logLabels([1, 1e3, 1e6, 1e9, 1e14]), ["1", "1k", "1M", "1B", "100T"]);
  assert.deepEqual(logLabels([1000, 2000, 5000, 10000]), ["1k", "2k", "5k", "10k"]);
  assert.deepEqual(logLabels([100, 200, 500, 1000]), ["100", "200", "500", "1000"]);
  assert.deepEqual(logLabels([1e-9, 1e-6, 1e-3, null]), ["10⁻⁹", "10⁻⁶", "0.001", ""]);
});

test("the step size moves along 1, 2, 5", () => {
  assert.deepEqual([0.01, 0.02, 0.05, 0.1].map((v) => nextRoundStep(v, 1)), [0.02, 0.05, 0.1, 0.2]);
  assert.deepEqual([0.03, 0.05, 1, 7].map((v) => nextRoundStep(v, -1)), [0.02, 0.02, 0.5, 5]);
  assert.equal(nextRoundStep(0.03, 1), 0.05);
});
