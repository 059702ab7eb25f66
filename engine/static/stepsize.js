// The step-size box of a demo: sends valid values as the reader types, flags invalid ones.

const STEP_SIZE_ERROR = "The step size must be a number greater than 0.";
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
    if (Number.isFinite(value) && value > 0) {
      input.removeAttribute("aria-invalid");
      this.#flag(null);
      // "change" usually follows an "input" that already sent the same value.
      if (value === this.#sent) return;
      this.#sent = value;
      this.#send(value);
      return;
    }
    input.setAttribute("aria-invalid", "true");
    if (committed || value < 0) this.#flag(STEP_SIZE_ERROR);
    else if (input.value !== "") {
      this.#typingTimer = setTimeout(() => this.#flag(STEP_SIZE_ERROR), TYPING_GRACE_MS);
    }
  }
}
