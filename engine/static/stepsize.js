// The step-size box of a demo: sends valid values as the reader types, flags invalid ones,
// and never keeps showing a value that training does not use.

// The largest step size, as the build writes it into the box's `max` (engine/runtime/trainer.py).
const DEFAULT_MAX = 1e6;
// How long an invalid step size may sit in the box while typing before it is flagged.
const TYPING_GRACE_MS = 700;
const numberFormat = new Intl.NumberFormat("en");

export class StepSizeInput {
  #input;
  #send;
  #flag;
  #sent;
  #max;
  #typingTimer = 0;

  /**
   * `send(value)` configures the demo; `flag(message)` shows the box's error, and
   * `flag(null)` clears it.
   */
  constructor(input, initial, { send, flag }) {
    this.#input = input;
    this.#sent = initial;
    this.#send = send;
    this.#flag = flag;
    const max = Number(input.getAttribute("max"));
    this.#max = Number.isFinite(max) && max > 0 ? max : DEFAULT_MAX;
    input.addEventListener("input", () => this.#edited(false));
    input.addEventListener("change", () => this.#edited(true));
  }

  /** Show `value`, which the demo already uses (from a link, a fresh start, or a refusal). */
  set(value) {
    this.#sent = value;
    clearTimeout(this.#typingTimer);
    if (this.#input.valueAsNumber !== value) this.#input.value = String(value);
    this.#input.removeAttribute("aria-invalid");
    this.#flag(null);
  }

  /** Why a step size cannot be used, naming the bounds. */
  #problem() {
    return `The step size must be a number greater than 0 and at most ${numberFormat.format(this.#max)}.`;
  }

  /**
   * Send a valid step size and flag an invalid one. While typing, "0" or "0.0" may be on
   * the way to "0.05", so those are flagged only after a pause. An invalid value that is
   * committed (Enter, or leaving the box) gives way to the step size training still uses,
   * and the message says so.
   */
  #edited(committed) {
    const input = this.#input;
    clearTimeout(this.#typingTimer);
    // A number the browser cannot hold (1e400) reads as NaN, and bad input as well.
    const value = input.validity?.badInput ? NaN : input.valueAsNumber;
    if (Number.isFinite(value) && value > 0 && value <= this.#max) {
      input.removeAttribute("aria-invalid");
      this.#flag(null);
      // "change" usually follows an "input" that already sent the same value.
      if (value === this.#sent) return;
      this.#sent = value;
      this.#send(value);
      return;
    }
    if (committed) {
      const kept = this.#sent;
      this.set(kept);
      this.#flag(`${this.#problem()} It stays ${kept}.`);
      return;
    }
    input.setAttribute("aria-invalid", "true");
    // Too large or negative stays so however the reader goes on typing; "1e" may become "1e-3".
    if (value < 0 || value > this.#max) this.#flag(this.#problem());
    else if (input.value !== "" || input.validity?.badInput) {
      this.#typingTimer = setTimeout(() => this.#flag(this.#problem()), TYPING_GRACE_MS);
    }
  }
}
