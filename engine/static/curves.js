// The page's copy of a run's loss curve, kept up to date from the runtime's states.

/**
 * The curve after a state's `curve` update: the whole curve after a reset or thinning
 * (`full`), else the points added since the last state.
 */
export function mergeCurve(current, update) {
  if (update.full) return { iterations: [...update.iterations], losses: [...update.losses] };
  return {
    iterations: current.iterations.concat(update.iterations),
    losses: current.losses.concat(update.losses),
  };
}

/**
 * The current run's total loss at each iteration of its curve: the average loss times the
 * number of samples in use at that step, which Double samples changes mid-run. `follow`
 * every state; `of(curve)` gives the total curve beside the average one.
 */
export class TotalCurve {
  #changes = []; // [first iteration, samples], oldest first

  follow(state) {
    if (state.iteration === 0 || this.#changes.length === 0) {
      this.#changes = [[0, state.samples]];
    } else if (state.samples !== this.#changes.at(-1)[1]) {
      // Doubled after step `iteration`: the loss recorded at that step had the old samples.
      this.#changes.push([state.iteration + 1, state.samples]);
    }
  }

  of({ iterations, losses }) {
    let k = 0;
    const totals = iterations.map((iteration, i) => {
      while (k + 1 < this.#changes.length && this.#changes[k + 1][0] <= iteration) k++;
      return losses[i] * this.#changes[k][1];
    });
    return { iterations, losses: totals };
  }
}

/** Whether a run trained on mini-batches, whose loss swings from step to step. */
export function isNoisy(settings, samples) {
  const batch = settings?.batch;
  return typeof batch === "number" && batch < samples;
}

/**
 * The curve's moving average over its last `window` points (fewer at its start): what a
 * run that swings from step to step is doing on the whole.
 */
export function movingAverage({ iterations, losses }, window) {
  const smooth = new Array(losses.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < losses.length; i++) {
    sum += losses[i];
    count += 1;
    if (count > window) {
      sum -= losses[i - window];
      count -= 1;
    }
    smooth[i] = sum / count;
  }
  return { iterations, losses: smooth };
}
