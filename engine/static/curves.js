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
