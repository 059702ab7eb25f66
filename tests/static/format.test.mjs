import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { formatCount, formatReal } = await load("format.js");

test("counts are grouped by thousands", () => {
  assert.equal(formatCount(0), "0");
  assert.equal(formatCount(1234567), "1,234,567");
});

test("reals keep four significant digits, without trailing zeros", () => {
  assert.equal(formatReal(0), "0");
  assert.equal(formatReal(12.3456), "12.35");
  assert.equal(formatReal(-0.5), "-0.5");
  assert.equal(formatReal(12345.6), "12,350");
  assert.equal(formatReal(0.001), "0.001");
});

test("very large and very small reals are written with a power of ten", () => {
  assert.equal(formatReal(1234567), "1.235 × 10⁶");
  assert.equal(formatReal(0.00001), "1 × 10⁻⁵");
  assert.equal(formatReal(-2.5e-300), "-2.5 × 10⁻³⁰⁰");
  assert.equal(formatReal(5e-324), "4.941 × 10⁻³²⁴");
});
