import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PacedQuery } from '../src/sync/pacedQuery';

/** A query whose run takes `cost` ms of the fake clock and returns `size` items. */
function world() {
  let clock = 0;
  const runs: number[] = [];
  const delivered: number[][] = [];
  let cost = 10;
  let size = 1;
  const query = new PacedQuery(
    async () => {
      runs.push(clock);
      clock += cost;
      return Array.from({ length: size }, (_, i) => i);
    },
    (r) => delivered.push(r),
    () => clock,
  );
  return {
    query,
    runs,
    delivered,
    setCost: (c: number) => {
      cost = c;
    },
    setSize: (n: number) => {
      size = n;
    },
    advance: async (ms: number) => {
      clock += ms;
      await vi.advanceTimersByTimeAsync(ms);
    },
  };
}

describe('PacedQuery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once for the first change and delivers the result', async () => {
    const w = world();
    w.query.changed();
    await w.advance(0);
    expect(w.runs).toHaveLength(1);
    expect(w.delivered).toEqual([[0]]);
  });

  it('a small, cheap query follows every change closely', async () => {
    const w = world();
    w.setCost(1);
    w.query.changed();
    await w.advance(0);
    w.query.changed();
    await w.advance(5);
    expect(w.runs).toHaveLength(2);
  });

  it('many changes while one run is pending give one more run, not one per change', async () => {
    const w = world();
    w.setSize(100_000); // pause after a run: 100,000 / 20 = 5,000 ms
    w.query.changed();
    await w.advance(0);
    for (let i = 0; i < 200; i++) w.query.changed();
    await w.advance(4_000);
    expect(w.runs).toHaveLength(1);
    await w.advance(1_100);
    expect(w.runs).toHaveLength(2);
    expect(w.delivered).toHaveLength(2);
  });

  it('waits three times what the last run cost when that is longer', async () => {
    const w = world();
    w.setCost(400);
    w.query.changed();
    await w.advance(0);
    w.query.changed();
    await w.advance(1_100);
    expect(w.runs).toHaveLength(1);
    await w.advance(200);
    expect(w.runs).toHaveLength(2);
  });

  it('never waits more than 5 s, and delivers nothing once stopped', async () => {
    const w = world();
    w.setCost(10_000);
    w.query.changed();
    await w.advance(0);
    w.query.changed();
    await w.advance(5_000);
    expect(w.runs).toHaveLength(2);
    w.query.stop();
    w.query.changed();
    await w.advance(10_000);
    expect(w.runs).toHaveLength(2);
  });
});
