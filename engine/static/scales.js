// The domains of the demo charts and where their labels go: pure functions, no DOM.
//
// Axes must not jump while a demo plays. The fit chart's axes follow the data alone, so
// the model's line may leave the chart (it is clipped, see clipLine) and a run that
// diverges is seen flying off. The loss chart's iteration axis grows in doublings, 100,
// 200, 400, …, and is not stretched by one run much longer than the others; its log axis
// spans whole decades from the lowest loss to the highest that is not a lone spike.

const FIRST_SPAN = 100; // iterations: the shortest iteration axis, then twice, four times…
// A run more than this many times longer than the next longest is cut at the chart's edge.
const OUTLIER = 2.5;
// Beyond the next longest run, the chart shows this share more of a cut run.
const OUTLIER_ROOM = 1.5;
const SPIKES = 0.01; // the share of a long curve's highest values that may leave the top
const SPIKES_FROM = 100; // points a curve needs before its spikes may leave the top

/** The smallest of 100, 200, 400, 800, … at or above `value`. */
export function doublingCeil(value) {
  let span = FIRST_SPAN;
  while (span < value && span < Number.MAX_SAFE_INTEGER) span *= 2;
  return span;
}

/**
 * The right end of the iteration axis: at least the current run's length (`current`),
 * and the lengths of the other curves drawn (`others`) unless one is much longer than
 * all the rest, on the doublings of doublingCeil.
 */
export function iterationSpan(current, others) {
  const lengths = [current, ...others].filter((n) => n > 0).sort((a, b) => b - a);
  let span = lengths[0] ?? 0;
  if (lengths.length > 1 && lengths[0] > OUTLIER * lengths[1]) span = lengths[1] * OUTLIER_ROOM;
  return doublingCeil(Math.max(current, span));
}

/**
 * The range of a log axis over `curves` ({iterations, losses}) up to iteration `last`:
 * whole decades from the lowest loss to the highest that is not a spike (a long curve's
 * top SPIKES share may leave the chart; its first value never does). `floor`: smaller
 * values are not drawn.
 */
export function lossRange(curves, last, floor) {
  let low = Infinity;
  let high = 0;
  for (const { iterations, losses } of curves) {
    const shown = [];
    for (let i = 0; i < iterations.length && iterations[i] <= last; i++) {
      if (losses[i] >= floor && Number.isFinite(losses[i])) shown.push(losses[i]);
    }
    if (shown.length === 0) continue;
    const start = shown[0];
    const sorted = shown.slice().sort((a, b) => a - b);
    const top = sorted.length >= SPIKES_FROM ? sorted[Math.floor((sorted.length - 1) * (1 - SPIKES))] : sorted.at(-1);
    low = Math.min(low, sorted[0]);
    high = Math.max(high, start, top);
  }
  if (!(high > 0)) return [1, 10];
  let bottom = Math.floor(Math.log10(low) + 1e-9);
  let topDecade = Math.ceil(Math.log10(high) - 1e-9);
  if (topDecade <= bottom) topDecade = bottom + 1;
  bottom = Math.max(-300, bottom);
  topDecade = Math.min(307, topDecade);
  return [Number(`1e${bottom}`), Number(`1e${topDecade}`)];
}

/** [min, max] of `values` padded by `share` of their span on each side; never empty. */
export function paddedRange(values, share = 0.08) {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min > max) return [0, 1];
  const pad = (max - min) * share || Math.abs(min) * share || 1;
  return [min - pad, max + pad];
}

/**
 * The model's line `{xs, ys}` cut to the band [low, high]: where it leaves the band it
 * ends at the edge (a point added there) and `null` marks the gap, so a line of any
 * steepness is drawn exactly up to the chart's edge.
 */
export function clipLine({ xs, ys }, low, high) {
  const out = { xs: [], ys: [] };
  const add = (x, y) => {
    out.xs.push(x);
    out.ys.push(y);
  };
  const edge = (y) => (y > high ? high : low);
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    const inside = y >= low && y <= high;
    if (i > 0) {
      const [x0, y0] = [xs[i - 1], ys[i - 1]];
      const before = y0 >= low && y0 <= high;
      const finite = Number.isFinite(y0) && Number.isFinite(y);
      // Where the segment crosses an edge: entering, leaving, or passing right through.
      if (finite && before !== inside) add(crossing(x0, y0, xs[i], y, edge(before ? y : y0)), edge(before ? y : y0));
      if (finite && !before && !inside && (y0 > high) !== (y > high)) {
        add(crossing(x0, y0, xs[i], y, edge(y0)), edge(y0));
        add(crossing(x0, y0, xs[i], y, edge(y)), edge(y));
      }
    }
    add(xs[i], inside ? y : null);
  }
  return out;
}

/** The x where the segment (x0, y0)–(x1, y1) reaches height `y`. */
function crossing(x0, y0, x1, y1, y) {
  return x0 + ((y - y0) / (y1 - y0)) * (x1 - x0);
}

/**
 * Vertical places for labels wanted at heights `wanted` (pixels, any order), each
 * `size` tall, kept within [top, bottom] and at least `size` apart, moved as little as
 * they must. Returns the heights in the order given.
 */
export function spreadLabels(wanted, size, top, bottom) {
  const order = wanted.map((y, i) => [Math.min(Math.max(y, top), bottom), i]).sort((a, b) => a[0] - b[0]);
  const placed = order.map(([y]) => y);
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + size);
  // Pushed past the bottom: shift the stack back up, as far as the top allows.
  for (let k = placed.length - 1; k >= 0; k--) {
    const limit = k === placed.length - 1 ? bottom : placed[k + 1] - size;
    placed[k] = Math.max(Math.min(placed[k], limit), top);
  }
  const result = new Array(wanted.length);
  order.forEach(([, i], k) => (result[i] = placed[k]));
  return result;
}
