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
const PLAIN_FROM = 1e-3;
const PLAIN_BELOW = 1e6;
const countFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const fixedFormat = new Intl.NumberFormat(LOCALE, { minimumSignificantDigits: 4, maximumSignificantDigits: 4 });
const shortFormat = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 4 });

/** An integer with thousands separators: 12,345. */
export function formatCount(value) {
  return withMinus(countFormat.format(value));
}

/** A measured value, four significant digits: 3.100, 12,350, 7.901 × 10¹¹. */
export function formatReal(value) {
  return written(value, fixedFormat, 3);
}

/** A setting such as a step size, as short as it is: 0.05, 0.009575, 2 × 10⁻⁷. */
export function formatStep(value) {
  return written(value, shortFormat, null);
}

/** `n` as a superscript: ⁻¹². */
export function superscript(n) {
  return [...String(n)].map((c) => SUPERSCRIPTS[c]).join("");
}

/** Replace a leading hyphen-minus with a minus sign. */
export function withMinus(text) {
  return text.startsWith("-") ? MINUS + text.slice(1) : text;
}

function written(value, format, decimals) {
  if (!Number.isFinite(value)) return String(value);
  // Decided on the value as rounded, so 999,999.7 is "1.000 × 10⁶", not "1,000,000".
  const rounded = Math.abs(Number(value.toPrecision(4)));
  if (rounded === 0 || (rounded >= PLAIN_FROM && rounded < PLAIN_BELOW)) return withMinus(format.format(value));
  const [mantissa, exponent] = value.toExponential(decimals ?? undefined).split("e");
  const shown = decimals === null ? format.format(Number(Number(mantissa).toPrecision(4))) : mantissa;
  return `${withMinus(shown)} × 10${superscript(Number(exponent))}`;
}
