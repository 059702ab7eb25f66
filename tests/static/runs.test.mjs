import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { endLoss } = await load("runs.js");

test("a run's end loss is its mean over the last 50 steps, not its last lucky step", () => {
  const iterations = Array.from({ length: 301 }, (_, i) => i);
  const losses = iterations.map((i) => (i % 2 === 0 ? 10 : 20));
  const run = { iteration: 300, average_loss: 10, curve: { iterations, losses } };
  assert.equal(endLoss(run), "average loss 15 over the last 50 steps");
  const young = { iteration: 30, average_loss: 12.5, curve: { iterations: [0, 30], losses: [40, 12.5] } };
  assert.equal(endLoss(young), "final average loss 12.5");
});
