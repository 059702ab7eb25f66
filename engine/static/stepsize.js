// The step-size box of a demo: sends valid values as the reader types, flags invalid ones.

import { CONTRACT } from "./contract.js";
import { admits } from "./kinds.js";

const STEP_SIZE = CONTRACT.settings.step_size;
const STEP_SIZE_ERROR = `The ${STEP_SIZE.label.toLowerCase()} must be ${STEP_SIZE.kind.words}.`;
// How long an invalid step size may sit in the box while typing before it is flagged.
const TYPING_GRACE_MS = 700;

export class StepSizeInput {
  #input;
  #send;
  #flag;
  #sent;
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
    if (admits(STEP_SIZE.kind, value)) {
      input.removeAttribute("aria-invalid");
      this.#flag(null);
      // "change" usually follows an "input" that already sent the same value.
      if (value === this.#sent) return;
      this.#sent = value;
      this.#send(value);
      return;
    }
    input.setAttribute("aria-invalid", "true");
    if (committed || value < 0 || value > STEP_SIZE.kind.high) this.#flag(STEP_SIZE_ERROR);
    else if (input.value !== "") {
      this.#typingTimer = setTimeout(() => this.#flag(STEP_SIZE_ERROR), TYPING_GRACE_MS);
    }
  }
}
