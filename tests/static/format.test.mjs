import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { formatCount, formatReal, formatStep } = await load("format.js");

test("counts are grouped by thousands", () => {
  assert.equal(formatCount(0), "0");
  assert.equal(formatCount(1234567), "1,234,567");
});

test("measured values keep four significant digits, trailing zeros too, and a minus sign", () => {
  assert.equal(formatReal(0), "0");
  assert.equal(formatReal(12.3456), "12.35");
  assert.equal(formatReal(3.1), "3.100");
  assert.equal(formatReal(-0.5), "\u22120.5000");
  assert.equal(formatReal(12345.6), "12,350");
  assert.equal(formatReal(0.001), "0.001000");
});

test("settings are written as short as they are", () => {
  assert.deepEqual([0.05, -0.5, 0.009575, 2e-7].map(formatStep), ["0.05", "\u22120.5", "0.009575", "2 × 10⁻⁷"]);
});

test("very large and very small reals are written with a power of ten", () => {
  assert.equal(formatReal(1234567), "1.235 × 10⁶");
  assert.equal(formatReal(999_999.7), "1.000 × 10⁶");
  assert.equal(formatReal(0.00001), "1.000 × 10⁻⁵");
  assert.equal(formatReal(-2.5e-300), "\u22122.500 × 10⁻³⁰⁰");
  assert.equal(formatReal(5e-324), "4.941 × 10⁻³²⁴");
});
