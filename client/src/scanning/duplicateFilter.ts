/**
 * Drops repeated reads of the same code. A camera decodes a badge held in front of it many times a
 * second, and a hardware scanner sometimes fires twice: the first read counts, and the same code is
 * ignored until it has been out of sight for `windowMs` (each ignored read extends the window).
 * A different code is accepted at once, so the next person can be scanned straight away.
 */
export class DuplicateFilter {
  readonly #windowMs: number;
  readonly #lastSeen = new Map<string, number>();

  constructor(windowMs = 3000) {
    this.#windowMs = windowMs;
  }

  /** True when the code should be handled; false for a repeat within the window. */
  accept(code: string, now: number = Date.now()): boolean {
    const last = this.#lastSeen.get(code);
    this.#lastSeen.set(code, now);
    if (this.#lastSeen.size > 256) this.#prune(now);
    return last === undefined || now - last >= this.#windowMs;
  }

  /** Forget every code (e.g. the door changed room: the same badge is a new question). */
  reset(): void {
    this.#lastSeen.clear();
  }

  #prune(now: number): void {
    for (const [code, at] of this.#lastSeen) if (now - at >= this.#windowMs) this.#lastSeen.delete(code);
  }
}
