/**
 * Re-runs a query when its collection changes, but never back to back: after a run that took `c` ms
 * and returned `n` documents, the next waits about max(3c, n/20) ms (capped at 5 s). A screen over a
 * small collection updates at once; one over 100,000 participants, while a first sync or an import
 * writes pages of 500, updates every few seconds instead of re-reading and re-rendering everything
 * for each page, which froze the console for seconds at a time.
 */
export class PacedQuery<T extends readonly unknown[]> {
  private running = false;
  private dirty = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRunAt = 0;
  private pause = 0;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly deliver: (result: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Something changed: run now if the last run is far enough behind, else once the pause is over. */
  changed(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastRunAt + this.pause - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.execute();
    }, wait);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private async execute(): Promise<void> {
    this.running = true;
    this.dirty = false;
    const started = this.now();
    try {
      const result = await this.run();
      if (this.stopped) return;
      this.deliver(result);
      this.pause = Math.min(5000, Math.max(3 * (this.now() - started), result.length / 20));
    } catch {
      // The database closed under us (sign-out); the effect's cleanup stops this query.
    } finally {
      this.running = false;
      this.lastRunAt = this.now();
      if (this.dirty) this.changed();
    }
  }
}
