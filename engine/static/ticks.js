// Axis ticks and their labels for the demo charts: pure functions, no DOM.
//
// Labels are short and never lie: 12k, 1.2M, 3B, 0.05, 10⁻⁸, 2.5 × 10⁻¹⁵. A label has as
// many digits as the spacing of its axis needs, so neighbouring ticks never read alike,
// and nothing is ever rounded to "0" unless it is 0.

const SUPERSCRIPTS = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
// Units by their powers of ten: 12k, 1.2M, 3B, 4T.
const SUFFIXES = [
  [12, "T"],
  [9, "B"],
  [6, "M"],
  [3, "k"],
].map(([exponent, suffix]) => [power(exponent), suffix]);
// Labels take a unit, and thousands separators, from five digits on: 1950 reads as a
// year, 12,345 and 12k as numbers.
const FIVE_DIGITS = power(4);
const MAX_TICKS = 40;
const MINUS = "−";

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

/**
 * The label of tick `value` on an axis whose ticks are `step` apart and whose largest
 * tick is `scale` in size (it picks the unit: 12k, 1.2M). On a log axis pass the value
 * itself for both.
 */
export function formatTick(value, step, scale = Math.abs(value)) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const sign = value < 0 ? MINUS : "";
  const magnitude = Math.abs(value);
  const spacing = Math.abs(step) || magnitude;
  if (scale >= 1e15 || magnitude >= 1e15 || magnitude < 1e-3) return sign + scientific(magnitude, spacing);
  const [unit, suffix] = scale >= FIVE_DIGITS ? (SUFFIXES.find(([size]) => scale >= size) ?? [1, ""]) : [1, ""];
  const decimals = Math.min(12, decimalsFor(spacing / unit));
  // Four digits go without a separator (1950, not 1,950): years read as years.
  const text = (magnitude / unit).toLocaleString(undefined, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: magnitude / unit >= FIVE_DIGITS,
  });
  return sign + text + suffix;
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

/** "10⁻⁸" for a power of ten, else "2.5 × 10⁻¹⁵" with the digits `spacing` needs. */
function scientific(magnitude, spacing) {
  const e = exponentOf(magnitude);
  const decimals = Math.min(6, decimalsFor(spacing / power(e)));
  const mantissa = Number((magnitude / power(e)).toFixed(decimals));
  const superscript = [...String(e)].map((c) => SUPERSCRIPTS[c]).join("");
  return mantissa === 1 ? `10${superscript}` : `${mantissa} × 10${superscript}`;
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
 * Labels of log-axis ticks: each in its own unit (100, 10k, 1M, 100T), except that an
 * axis reaching five digits writes its thousands as 1k, 2k, 5k rather than 1000 beside 10k.
 */
export function logLabels(ticks) {
  const top = Math.max(0, ...ticks.filter((value) => value !== null));
  const thousand = SUFFIXES.at(-1)[0];
  const scale = (value) => (value >= thousand && top >= FIVE_DIGITS ? Math.max(value, FIVE_DIGITS) : value);
  return ticks.map((value) => (value === null ? "" : formatTick(value, value, scale(value))));
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
