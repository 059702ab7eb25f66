// Numbers for people: the readouts and run descriptions of the demos.

// Made on first use: setting up a number format takes a while, and not every page needs one.
let countFormat = null;
let realFormat = null;
const SUPERSCRIPTS = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** An integer with thousands separators: 12,345. */
export function formatCount(value) {
  countFormat ??= new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  return countFormat.format(value);
}

/** Four significant digits; very large or small magnitudes as 1.234 × 10⁻⁵. */
export function formatReal(value) {
  realFormat ??= new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });
  const magnitude = Math.abs(value);
  if (magnitude === 0 || (magnitude >= 1e-3 && magnitude < 1e6)) return realFormat.format(value);
  const [mantissa, exponent] = value.toExponential(3).split("e");
  const power = [...String(Number(exponent))].map((c) => SUPERSCRIPTS[c]).join("");
  return `${realFormat.format(Number(mantissa))} × 10${power}`;
}
