// The box of a number setting a reader may change during a run (the step size): sends
// valid values as the reader types, flags invalid ones, and never keeps showing a value
// that training does not use.

import { admits } from "./kinds.js";

// How long an invalid number may sit in the box while typing before it is flagged.
const TYPING_GRACE_MS = 700;

export class NumberBox {
  #input;
  #kind;
  #error;
  #send;
  #flag;
  #sent;
  #typingTimer = 0;

  /**
   * `setting`: the contract's setting the box changes; `send(value)` configures the demo;
   * `flag(message)` shows the box's error, and `flag(null)` clears it.
   */
  constructor(input, setting, initial, { send, flag }) {
    this.#input = input;
    this.#kind = setting.kind;
    this.#error = `The ${setting.label.toLowerCase()} must be ${setting.kind.words}.`;
    this.#sent = initial;
    this.#send = send;
    this.#flag = flag;
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

  /**
   * Send a valid value and flag an invalid one. While typing, "0" or "0.0" may be on the
   * way to "0.05", so those are flagged only after a pause. An invalid value that is
   * committed (Enter, or leaving the box) gives way to the value training still uses,
   * and the message says so.
   */
  #edited(committed) {
    const input = this.#input;
    clearTimeout(this.#typingTimer);
    // A number the browser cannot hold (1e400) reads as NaN, and bad input as well.
    const value = input.validity?.badInput ? NaN : input.valueAsNumber;
    if (admits(this.#kind, value)) {
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
      this.#flag(`${this.#error} It stays ${kept}.`);
      return;
    }
    input.setAttribute("aria-invalid", "true");
    // Too large or negative stays so however the reader goes on typing; "1e" may become "1e-3".
    if (value < 0 || value > this.#kind.high) this.#flag(this.#error);
    else if (input.value !== "" || input.validity?.badInput) {
      this.#typingTimer = setTimeout(() => this.#flag(this.#error), TYPING_GRACE_MS);
    }
  }
}
