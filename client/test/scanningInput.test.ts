import { describe, expect, it } from 'vitest';
import { DuplicateFilter } from '../src/scanning/duplicateFilter';
import { WedgeBuffer } from '../src/scanning/keyboardWedge';

describe('duplicate reads', () => {
  it('counts a badge once while it stays in view, and again once it has been away for the window', () => {
    const f = new DuplicateFilter(3000);
    expect(f.accept('A', 0)).toBe(true);
    // The camera keeps decoding it for 10 s: every read extends the window.
    for (let t = 100; t <= 10_000; t += 100) expect(f.accept('A', t)).toBe(false);
    expect(f.accept('A', 12_999)).toBe(false);
    expect(f.accept('A', 16_000)).toBe(true);
  });

  it('accepts the next badge at once, and forgets everything on reset', () => {
    const f = new DuplicateFilter(3000);
    expect(f.accept('A', 0)).toBe(true);
    expect(f.accept('B', 10)).toBe(true);
    expect(f.accept('A', 20)).toBe(false);
    f.reset();
    expect(f.accept('A', 30)).toBe(true);
  });
});

describe('keyboard wedge', () => {
  const feed = (w: WedgeBuffer, keys: string[], start: number, gap: number) => {
    let out: string | null = null;
    keys.forEach((k, i) => {
      out = w.key(k, start + i * gap) ?? out;
    });
    return out;
  };

  it('reads a code typed at scanner speed and ended by Enter or Tab, Shift ignored', () => {
    const w = new WedgeBuffer();
    expect(feed(w, ['Shift', 'U', 'S', 'E', 'R', '-', '4', '2', 'Enter'], 0, 5)).toBe('USER-42');
    expect(feed(w, ['4', '2', 'Tab'], 1000, 5)).toBe('42');
  });

  it('ignores keys typed at human speed and a lone Enter', () => {
    const w = new WedgeBuffer({ maxGapMs: 100 });
    expect(feed(w, ['4', '2', 'Enter'], 0, 250)).toBeNull();
    expect(w.key('Enter', 5000)).toBeNull();
  });

  it('starts over after a pause: stray keys do not prefix the next scan', () => {
    const w = new WedgeBuffer({ maxGapMs: 100 });
    w.key('x', 0);
    expect(feed(w, ['1', '2', '3', 'Enter'], 1000, 5)).toBe('123');
  });
});
