// Unit tests of the charts' tick labels (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";

import { load } from "./load.mjs";

const { axisTicks, decadeTicks, formatTick, linearLabels, logLabels, logRange, nextRoundStep } = await load("ticks.js");

const labels = (ticks) => linearLabels(ticks);

test("a linear axis of large values labels 1.5, 2 and names the power in its title", () => {
  assert.deepEqual(labels(axisTicks(1_000_000, 5_000_000, 8)), {
    labels: ["1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"],
    power: 6,
  });
  assert.deepEqual(labels(axisTicks(0, 20_000, 4)), { labels: ["0", "5000", "10,000", "15,000", "20,000"], power: 0 });
  assert.deepEqual(labels(axisTicks(1950, 2020, 4)), { labels: ["1960", "1980", "2000", "2020"], power: 0 });
});

test("tiny values are never labelled 0", () => {
  const { labels: text, power } = labels(axisTicks(1e-15, 3e-15, 4));
  assert.equal(new Set(text).size, text.length);
  assert.ok(text.every((t) => t !== "0"), text.join(" "));
  assert.deepEqual([text, power], [["1.0", "1.5", "2.0", "2.5", "3.0"], -15]);
});

test("log ticks below 0.001 keep their value, as powers of ten", () => {
  const [low, high] = logRange(3e-9, 40);
  const text = logLabels(decadeTicks(low, high, 6));
  assert.ok(!text.includes("0"), text.join(" "));
  assert.deepEqual(text, ["10⁻⁷", "10⁻⁴", "10⁻¹", "10²"]);
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
  const plain = (ticks) => ticks.map((t) => formatTick(t, ticks[1] - ticks[0]));
  assert.deepEqual(plain([0, 0.5, 1, 1.5]), ["0", "0.5", "1.0", "1.5"]);
  assert.deepEqual(plain([-10, -5, 0, 5]), ["−10", "−5", "0", "5"]);
  assert.deepEqual(plain([0, 0.25, 0.5]), ["0", "0.25", "0.50"]);
});

test("a short axis still gets three ticks", () => {
  const ticks = axisTicks(900_000, 7_900_000, 2);
  assert.ok(ticks.length >= 3, ticks.join(" "));
  assert.deepEqual(labels(ticks), { labels: ["2", "4", "6"], power: 6 });
});

test("a log axis is plain while every tick is, else every tick is a power of ten", () => {
  assert.deepEqual(logLabels([1, 1e3, 1e6, 1e9, 1e14]), ["10⁰", "10³", "10⁶", "10⁹", "10¹⁴"]);
  assert.deepEqual(logLabels([1000, 2000, 5000, 10000]), ["1000", "2000", "5000", "10,000"]);
  assert.deepEqual(logLabels([100, 200, 500, 1000]), ["100", "200", "500", "1000"]);
  assert.deepEqual(logLabels([1e-9, 1e-6, 1e-3, null]), ["10⁻⁹", "10⁻⁶", "10⁻³", ""]);
});

test("the step size moves along 1, 2, 5", () => {
  assert.deepEqual([0.01, 0.02, 0.05, 0.1].map((v) => nextRoundStep(v, 1)), [0.02, 0.05, 0.1, 0.2]);
  assert.deepEqual([0.03, 0.05, 1, 7].map((v) => nextRoundStep(v, -1)), [0.02, 0.02, 0.5, 5]);
  assert.equal(nextRoundStep(0.03, 1), 0.05);
});
