// What a demo says in words about facts the runtime reports: why a run diverged and which
// step size is stable, and how an uploaded file was rescaled for training. The runtime
// sends facts only; the wording names only the controls this demo has.

import { formatStep } from "./format.js";

/**
 * The message of a diverged run, from the runtime's `divergence` facts
 * ({iteration, cause, step_size, stable_step}) and the demo's controls
 * ({stepSize, reset}: whether it has them). `{text, step}`: `step` is the stable step size
 * to offer in one click, or null when the demo has no step-size control.
 */
export function divergenceAdvice(facts, { stepSize, reset }) {
  const steps = facts.iteration === 1 ? "1 step" : `${facts.iteration} steps`;
  const stable = formatStep(facts.stable_step);
  let text =
    `Diverged after ${steps}: ${facts.cause}. With step size ${formatStep(facts.step_size)} ` +
    "each step overshoots the minimum by more than the last.";
  if (stepSize) {
    text += ` On this data a step size of ${stable} or less is stable.`;
    return { text, step: facts.stable_step };
  }
  text += ` This demo's step size is too large for this data; ${stable} or less would be stable.`;
  if (reset) text += " Reset to start again.";
  return { text, step: null };
}

/** The label of the button that uses the stable step size. */
export function stableStepLabel(step) {
  return `Use step size ${formatStep(step)}`;
}

/**
 * One plain sentence on how the line was trained on an uploaded file, from the runtime's
 * `rescaled` facts ({mean, scale}) and the column names ({x, y}); "" when it was not.
 * (How exactly is the runtime's business: rescale.py.)
 */
export function rescaledNote(rescaled, columns) {
  if (!rescaled) return "";
  return `Your ${columns.x} values were rescaled for training; everything shown is in your file's units.`;
}
