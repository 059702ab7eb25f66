// Values of the kinds the contract declares (engine/runtime/contract.py: Number, Flag,
// Batch): the same checks the build and the runtime make, for what the page reads from a
// link, a saved run or the reader's typing.

/** Whether `kind` admits `value`, a JSON value. */
export function admits(kind, value) {
  switch (kind.type) {
    case "flag":
      return typeof value === "boolean";
    case "batch":
      return value === null || admitsNumber({ low: 1, high: kind.high, low_open: false, integer: true }, value);
    case "number":
      return admitsNumber(kind, value);
    default:
      return false;
  }
}

function admitsNumber({ low, high, low_open: lowOpen, integer }, value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (integer && !Number.isInteger(value)) return false;
  if (low !== null && (lowOpen ? value <= low : value < low)) return false;
  return high === null || value <= high;
}

// Numbers in links are written plainly: no hex, no "Infinity", nothing absurdly long.
const DECIMAL = /^-?(\d{1,16}(\.\d{0,17})?|\.\d{1,17})(e[-+]?\d{1,3})?$/i;

/** The value of `kind` written as `text` in a link ("0.02", "1" for true), or undefined. */
export function parseText(kind, text) {
  let value;
  if (kind.type === "flag") value = text === "1" ? true : text === "0" ? false : undefined;
  else if (DECIMAL.test(text)) value = Number(text);
  return value !== undefined && admits(kind, value) ? value : undefined;
}

/** `value` as a link writes it: "1" or "0" for a flag, the shortest decimal for a number. */
export function writeText(value) {
  return typeof value === "boolean" ? (value ? "1" : "0") : String(value);
}
