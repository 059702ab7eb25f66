// The box of a number setting a reader may change during a run (the step size): sends
// valid values as the reader types, flags invalid ones.

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

  /** Show `value`, which the demo already uses (from a link, or a fresh start). */
  set(value) {
    this.#sent = value;
    clearTimeout(this.#typingTimer);
    if (this.#input.valueAsNumber !== value) this.#input.value = String(value);
    this.#input.removeAttribute("aria-invalid");
    this.#flag(null);
  }

  /**
   * Send a valid step size and flag an invalid one. While typing, "0" or "0.0" may be on
   * the way to "0.05", so those are flagged only after a pause or when committed.
   */
  #edited(committed) {
    const input = this.#input;
    clearTimeout(this.#typingTimer);
    const value = input.valueAsNumber;
    if (admits(this.#kind, value)) {
      input.removeAttribute("aria-invalid");
      this.#flag(null);
      // "change" usually follows an "input" that already sent the same value.
      if (value === this.#sent) return;
      this.#sent = value;
      this.#send(value);
      return;
    }
    input.setAttribute("aria-invalid", "true");
    if (committed || value < 0 || value > this.#kind.high) this.#flag(this.#error);
    else if (input.value !== "") {
      this.#typingTimer = setTimeout(() => this.#flag(this.#error), TYPING_GRACE_MS);
    }
  }
}
