import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { divergenceAdvice, rescaledNote, stableStepLabel } = await load("advice.js");

const FACTS = { iteration: 12, cause: "the loss grew too large to compute", step_size: 0.3, stable_step: 0.05 };

test("with a step-size control, a diverged run offers the stable step size", () => {
  const { text, step } = divergenceAdvice(FACTS, { stepSize: true, reset: true });
  assert.equal(
    text,
    "Diverged after 12 steps: the loss grew too large to compute. With step size 0.3 each step " +
      "overshoots the minimum by more than the last. On this data a step size of 0.05 or less is stable.",
  );
  assert.equal(step, 0.05);
  assert.equal(stableStepLabel(step), "Use step size 0.05");
});

test("without one, it names only the controls the demo has", () => {
  const withReset = divergenceAdvice({ ...FACTS, iteration: 1 }, { stepSize: false, reset: true });
  assert.equal(withReset.step, null);
  assert.match(withReset.text, /^Diverged after 1 step: /);
  assert.match(withReset.text, /too large for this data; 0\.05 or less would be stable\. Reset to start again\.$/);
  const bare = divergenceAdvice(FACTS, { stepSize: false, reset: false });
  assert.doesNotMatch(bare.text, /Reset|proportional|step size of/);
});

test("how a reader's file was rescaled, in one sentence", () => {
  assert.equal(rescaledNote(null, { x: "x", y: "y" }), "");
  assert.equal(
    rescaledNote({ mean: 23, scale: 0.28561 }, { x: "rooms", y: "price" }),
    "Your rooms values were rescaled for training; everything shown is in your file's units.",
  );
});
