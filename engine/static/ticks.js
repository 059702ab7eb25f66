// Axis ticks and their labels for the demo charts: pure functions, no DOM.
//
// Labels are short, never lie, and use the readouts' notation (format.js): plain numbers
// from 0.001 up to a million, and powers of ten beyond. A linear axis of large or tiny
// values labels its ticks 2, 4, 6 and names the power in its title ("population (× 10⁶)");
// a log axis labels its decades 10⁸, 10⁹. A label has as many digits as the spacing of
// its axis needs, so neighbouring ticks never read alike, and nothing is ever rounded to
// "0" unless it is 0.

import { PLAIN_BELOW, PLAIN_FROM, formatCount, superscript, withMinus } from "./format.js";

// Labels take thousands separators from five digits on: 1950 reads as a year, 12,345 as
// a number.
const FIVE_DIGITS = power(4);
const MAX_TICKS = 40;

// The smallest loss a log axis draws: anything smaller is zero to every digit a chart can
// show, and powers of ten below it underflow.
export const LOG_FLOOR = 1e-300;
const MIN_EXPONENT = -300;
const MAX_EXPONENT = 307;

/** 10 to the integer power `e`, exactly as written (10 ** -24 is not quite 1e-24). */
function power(e) {
  return Number(`1e${e}`);
}

/** A number's decimal exponent: 3 for 1,234; -2 for 0.05. */
function exponentOf(value) {
  return Math.floor(Math.log10(Math.abs(value)) + 1e-9);
}

/** The plain label of tick `value` on an axis whose ticks are `step` apart: 0.05, 1950, 12,000. */
export function formatTick(value, step) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const decimals = Math.min(12, decimalsFor(Math.abs(step) || Math.abs(value)));
  const text = Math.abs(value).toLocaleString("en", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: Math.abs(value) >= FIVE_DIGITS,
  });
  return withMinus((value < 0 ? "-" : "") + text);
}

/**
 * Labels of a linear axis's ticks, and the power of ten they are given in: `{labels,
 * power}`; `power` is 0 for plain values, else the axis title says "× 10^power".
 */
export function linearLabels(ticks) {
  const shown = ticks.filter((value) => value !== null);
  const scale = Math.max(0, ...shown.map(Math.abs));
  const exponent = scale >= PLAIN_BELOW || (scale > 0 && scale < PLAIN_FROM) ? exponentOf(scale) : 0;
  const unit = power(exponent);
  const scaled = ticks.map((value) => (value === null ? null : Number((value / unit).toPrecision(12))));
  const present = scaled.filter((value) => value !== null);
  const step = present.length > 1 ? Math.abs(present[1] - present[0]) : Math.abs(present[0] ?? 1);
  return { labels: scaled.map((value) => (value === null ? "" : formatTick(value, step))), power: exponent };
}

/** " (× 10⁶)" after an axis title for labels given in that power of ten; "" for none. */
export function powerNote(exponent) {
  return exponent === 0 ? "" : ` (× 10${superscript(exponent)})`;
}

/** Labels of whole-number ticks (iterations): 0, 500, 1,000. */
export function countLabels(ticks) {
  return ticks.map((value) => (value === null ? "" : formatCount(value)));
}

/** The decimals a multiple of `spacing` needs: 0 for 500, 1 for 2.5, 2 for 0.05. */
export function decimalsFor(spacing) {
  const rounded = Number(spacing.toPrecision(6));
  const e = exponentOf(rounded);
  let digits = Math.round((rounded / power(e)) * 1e5);
  let significant = 6;
  while (significant > 1 && digits % 10 === 0) {
    digits /= 10;
    significant -= 1;
  }
  return Math.max(0, significant - 1 - e);
}

/** "10⁻⁸" for a power of ten, else "2 × 10⁻¹⁵". */
function scientific(value) {
  const e = exponentOf(value);
  const mantissa = Number((value / power(e)).toPrecision(6));
  return mantissa === 1 ? `10${superscript(e)}` : `${mantissa} × 10${superscript(e)}`;
}

/** About `count` round ticks (1, 2 or 5 times a power of ten apart) within [min, max]. */
export function axisTicks(min, max, count = 5) {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || max <= min) return Number.isFinite(min) ? [min] : [];
  let step = niceStep((max - min) / Math.max(1, count));
  let ticks = ticksEvery(min, max, step);
  // A short axis still gets three ticks where a finer round step allows them.
  while (ticks.length < Math.min(3, count + 1)) {
    step = finerStep(step);
    ticks = ticksEvery(min, max, step);
  }
  return ticks;
}

/** The multiples of `step` within [min, max]. */
function ticksEvery(min, max, step) {
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks = [];
  for (let k = first; k <= last && ticks.length <= MAX_TICKS; k++) {
    // Each tick from its index, not by adding steps: no error builds up.
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/** The next round step below `step`: 5 → 2 → 1 → 0.5. */
function finerStep(step) {
  const e = exponentOf(step);
  const leading = Math.round(step / power(e));
  const finer = leading === 5 ? 2 * power(e) : leading === 2 ? power(e) : 5 * power(e - 1);
  return Number(finer.toPrecision(12));
}

/** The round number (1, 2 or 5 × 10ⁿ) at or just above `raw`. */
export function niceStep(raw) {
  const e = exponentOf(raw);
  const base = power(e);
  const multiple = [1, 2, 5, 10].find((m) => m * base >= raw * (1 - 1e-12)) ?? 10;
  return Number((multiple * base).toPrecision(12));
}

/**
 * Labels of log-axis ticks (positive): plain while every tick is (10, 200, 5,000), else
 * every tick as a power of ten (10⁻⁴, 10², 10⁸), as the readouts switch notation.
 */
export function logLabels(ticks) {
  const shown = ticks.filter((value) => value !== null);
  const plain = shown.every((value) => value >= PLAIN_FROM && value < PLAIN_BELOW);
  return ticks.map((value) => {
    if (value === null) return "";
    return plain ? formatTick(value, value) : scientific(value);
  });
}

/** The next value along 1, 2, 5, 10, 20, … from `value`: `direction` +1 up, -1 down. */
export function nextRoundStep(value, direction) {
  if (!(value > 0)) return direction > 0 ? 0.01 : 0.001;
  const e = exponentOf(value);
  const ladder = [-1, 0, 1].flatMap((k) => [1, 2, 5].map((m) => Number(`${m}e${e + k}`)));
  return direction > 0
    ? ladder.find((v) => v > value * (1 + 1e-9))
    : ladder.reverse().find((v) => v < value * (1 - 1e-9));
}

/** A log scale's range: whole powers of ten around [min, max], at least one decade. */
export function logRange(min, max) {
  if (!(min > 0) || !(max > 0)) return [1, 10];
  const low = Math.max(MIN_EXPONENT, Math.floor(Math.log10(Math.max(min, LOG_FLOOR)) + 1e-9));
  let high = Math.min(MAX_EXPONENT, Math.ceil(Math.log10(max) - 1e-9));
  if (high <= low) high = low + 1;
  return [power(low), power(high)];
}

/**
 * Ticks of a log axis from `min` to `max` (powers of ten, as logRange makes them): every
 * power of ten, or every few so that at most `count` show; within one or two decades also
 * 2 and 5 times them.
 */
export function decadeTicks(min, max, count = 6) {
  if (!(min > 0) || !(max > min)) return [];
  const low = Math.round(Math.log10(min));
  const high = Math.round(Math.log10(max));
  const decades = high - low;
  const stride = Math.max(1, Math.ceil(decades / Math.max(1, count - 1)));
  const ticks = [];
  // From the top down: the top is where a run starts, so its decade is always labelled.
  for (let e = high; e >= low; e -= stride) ticks.unshift(power(e));
  if (decades <= 2 && count >= 3 * decades + 1) {
    for (let e = low; e < high; e++) ticks.push(2 * power(e), 5 * power(e));
    ticks.sort((a, b) => a - b);
  }
  return ticks;
}
