// Numbers for people: the readouts, captions and run descriptions of the demos.
//
// One notation everywhere (axes too, see ticks.js): plain numbers from 0.001 up to a
// million, grouped in thousands; a power of ten beyond (7.901 × 10¹¹, 8.370 × 10⁻⁴); a
// true minus sign (−), never a hyphen. Measured values keep four significant digits,
// trailing zeros included, so their digits do not jump while a demo plays; settings (a
// step size) are written as short as they are.

const LOCALE = "en"; // as the build writes the first frame (engine/demo/view.py)
const MINUS = "\u2212";
const SUPERSCRIPTS = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
// Numbers are written plainly from PLAIN_FROM up to PLAIN_BELOW, with a power of ten beyond.
export const PLAIN_FROM = 1e-3;
export const PLAIN_BELOW = 1e6;
const FORMATS = {
  count: { maximumFractionDigits: 0 },
  fixed: { minimumSignificantDigits: 4, maximumSignificantDigits: 4 },
  short: { maximumSignificantDigits: 4 },
};
const made = {};

/** The number format `name` of FORMATS, made on first use: setting one up takes a while,
 * and not every page needs one. */
function numberFormat(name) {
  made[name] ??= new Intl.NumberFormat(LOCALE, FORMATS[name]);
  return made[name];
}

/** An integer with thousands separators: 12,345. */
export function formatCount(value) {
  return withMinus(numberFormat("count").format(value));
}

/** A measured value, four significant digits: 3.100, 12,350, 7.901 × 10¹¹. */
export function formatReal(value) {
  return written(value, "fixed", false);
}

/** A setting such as a step size, as short as it is: 0.05, 0.009575, 2 × 10⁻⁷. */
export function formatStep(value) {
  return written(value, "short", true);
}

/** `n` as a superscript: ⁻¹². */
export function superscript(n) {
  return [...String(n)].map((c) => SUPERSCRIPTS[c]).join("");
}

/** Replace a leading hyphen-minus with a minus sign. */
export function withMinus(text) {
  return text.startsWith("-") ? MINUS + text.slice(1) : text;
}

/** `value` in the number format `name`, or with a power of ten; `trim`: without trailing zeros. */
function written(value, name, trim) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0"; // no digits to keep, and never "−0"
  // Decided on the value as rounded, so 999,999.7 is "1.000 × 10⁶", not "1,000,000".
  const rounded = Math.abs(Number(value.toPrecision(4)));
  if (rounded === 0 || (rounded >= PLAIN_FROM && rounded < PLAIN_BELOW)) return withMinus(numberFormat(name).format(value));
  // Four significant digits, rounded as toPrecision rounds; a setting without trailing zeros.
  const [mantissa, exponent] = value.toExponential(3).split("e");
  const shown = trim ? mantissa.replace(/\.?0+$/, "") : mantissa;
  return `${withMinus(shown)} × 10${superscript(Number(exponent))}`;
}
