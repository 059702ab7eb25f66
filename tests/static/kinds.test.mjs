import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { admits, parseText, writeText } = await load("kinds.js");
const { CONTRACT } = await load("contract.js");
const STEP = CONTRACT.settings.step_size.kind;
const BATCH = CONTRACT.settings.batch.kind;

test("a number kind admits finite numbers within its bounds", () => {
  assert.ok(admits(STEP, 0.5));
  assert.ok(admits(STEP, STEP.high));
  for (const bad of [0, -1, STEP.high * 2, NaN, Infinity, "0.5", null, true]) assert.ok(!admits(STEP, bad), bad);
});

test("a batch is null (the full batch) or a whole number of samples", () => {
  assert.ok(admits(BATCH, null));
  assert.ok(admits(BATCH, 4));
  for (const bad of [0, 2.5, "full", BATCH.high + 1]) assert.ok(!admits(BATCH, bad), bad);
});

test("link text reads plain decimals and 0/1 flags only", () => {
  assert.equal(parseText(STEP, "0.02"), 0.02);
  assert.equal(parseText(STEP, "2e-3"), 0.002);
  for (const bad of ["0x10", "Infinity", "1e999", "-1", "", " 1", "1".repeat(40)]) {
    assert.equal(parseText(STEP, bad), undefined, bad);
  }
  const flag = { type: "flag" };
  assert.equal(parseText(flag, "1"), true);
  assert.equal(parseText(flag, "0"), false);
  assert.equal(parseText(flag, "yes"), undefined);
  assert.equal(writeText(true), "1");
  assert.equal(writeText(0.02), "0.02");
});
