/**
 * A hardware barcode scanner in keyboard-wedge mode "types" the code, a few milliseconds per
 * character, then presses Enter (or Tab). People type far slower, so characters that arrive with a
 * gap longer than `maxGapMs` start a new code: stray keystrokes never add up to a scan.
 */
export interface WedgeOptions {
  /** Longest pause between two characters of one scan. */
  maxGapMs?: number;
  /** Shortest code worth reporting. */
  minLength?: number;
}

export class WedgeBuffer {
  readonly #maxGapMs: number;
  readonly #minLength: number;
  #buffer = '';
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor({ maxGapMs = 100, minLength = 1 }: WedgeOptions = {}) {
    this.#maxGapMs = maxGapMs;
    this.#minLength = minLength;
  }

  /**
   * Feed one keydown (`KeyboardEvent.key` and its time). Returns the completed code when the key ends
   * a scan, else null. Modifier keys (Shift for capitals) are neither characters nor breaks.
   */
  key(key: string, at: number): string | null {
    const fresh = at - this.#lastAt <= this.#maxGapMs;
    if (key === 'Enter' || key === 'Tab') {
      const code = fresh ? this.#buffer.trim() : '';
      this.#buffer = '';
      this.#lastAt = Number.NEGATIVE_INFINITY;
      return code.length >= this.#minLength ? code : null;
    }
    if (key.length !== 1) return null;
    this.#buffer = fresh ? this.#buffer + key : key;
    this.#lastAt = at;
    return null;
  }

  /** True while characters of a scan are arriving (the Enter that ends it belongs to the scan). */
  get pending(): boolean {
    return this.#buffer.length > 0;
  }
}

/** Elements where typing is the person's own: a wedge scan never steals their keystrokes. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
