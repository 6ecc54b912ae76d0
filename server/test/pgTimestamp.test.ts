import { describe, expect, it } from 'vitest';
import { pgTimestampToIso } from '../src/db/database';

/** The general conversion (a Date round trip), which the direct rewrite must match exactly. */
const viaDate = (value: string) => new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString();

describe('pgTimestampToIso', () => {
  it('rewrites PostgreSQL UTC timestamps exactly as the Date round trip does', () => {
    const samples = [
      '2026-11-22 10:00:00+00',
      '2026-11-22 10:00:00.1+00',
      '2026-11-22 10:00:00.12+00',
      '2026-11-22 10:00:00.123+00',
      '2026-11-22 10:00:00.1239+00',
      '2026-11-22 10:00:00.999999+00',
      '0999-01-01 00:00:00+00',
      '2000-02-29 23:59:59.5+00',
    ];
    // Random instants, printed the way PostgreSQL prints them (trailing zeros of the fraction dropped).
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(Math.random() * 4_000_000_000_000);
      const micros = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
      const [date, time] = new Date(ms).toISOString().slice(0, 19).split('T');
      const fraction = micros.slice(0, Math.floor(Math.random() * 7)).replace(/0+$/, '');
      samples.push(`${date} ${time}${fraction ? `.${fraction}` : ''}+00`);
    }
    for (const s of samples) expect(pgTimestampToIso(s), s).toBe(viaDate(s));
  });

  it('takes other offsets and forms through the general conversion', () => {
    expect(pgTimestampToIso('2026-11-22 11:00:00+01')).toBe('2026-11-22T10:00:00.000Z');
    expect(pgTimestampToIso('2026-11-22 08:30:00.25-02')).toBe('2026-11-22T10:30:00.250Z');
  });
});
