import { describe, expect, it } from 'vitest';
import { checkInCurve, knownTimeZone, zoneOffsetMs } from '../src/statistics/dashboard';

const at = (iso: string) => Date.parse(iso);

describe('check-in buckets on the event’s clock', () => {
  it('reads a zone’s offset, DST included, and falls back to UTC for an unknown zone', () => {
    expect(zoneOffsetMs(at('2027-03-01T08:00:00Z'), 'Africa/Algiers')).toBe(3600_000);
    expect(zoneOffsetMs(at('2027-03-01T08:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3600_000);
    expect(zoneOffsetMs(at('2027-01-15T12:00:00Z'), 'Europe/Paris')).toBe(3600_000);
    expect(zoneOffsetMs(at('2027-07-15T12:00:00Z'), 'Europe/Paris')).toBe(2 * 3600_000);
    expect(knownTimeZone('Mars/Olympus')).toBe('UTC');
    expect(checkInCurve([at('2027-03-01T08:00:00Z')], 'Mars/Olympus').timeZone).toBe('UTC');
  });

  it('starts daily buckets at the event’s midnight, not UTC’s', () => {
    // Algiers is UTC+1: 23:30 UTC on 1 March is 00:30 on 2 March there.
    const times = [at('2027-03-01T10:00:00Z'), at('2027-03-01T23:30:00Z'), at('2027-03-05T09:00:00Z')];
    const algiers = checkInCurve(times, 'Africa/Algiers');
    expect(algiers.bucketMinutes).toBe(1440);
    expect(algiers.timeZone).toBe('Africa/Algiers');
    expect(algiers.points.slice(0, 2)).toEqual([
      { at: '2027-02-28T23:00:00.000Z', count: 1, cumulative: 1 },
      { at: '2027-03-01T23:00:00.000Z', count: 1, cumulative: 2 },
    ]);
    expect(algiers.points.at(-1)).toEqual({ at: '2027-03-04T23:00:00.000Z', count: 1, cumulative: 3 });
    // In UTC the two first check-ins fall on the same day.
    expect(checkInCurve(times, 'UTC').points[0]).toEqual({ at: '2027-03-01T00:00:00.000Z', count: 2, cumulative: 2 });
  });

  it('puts quarter hours on the zone’s quarter hours (UTC+5:45)', () => {
    const curve = checkInCurve([at('2027-03-01T04:20:00Z'), at('2027-03-01T04:31:00Z')], 'Asia/Kathmandu');
    // 04:20 UTC is 10:05 in Kathmandu: its bucket starts at 10:00 there, 04:15 UTC.
    expect(curve.points).toEqual([
      { at: '2027-03-01T04:15:00.000Z', count: 1, cumulative: 1 },
      { at: '2027-03-01T04:30:00.000Z', count: 1, cumulative: 2 },
    ]);
  });

  it('a day across a DST change still starts at local midnight (23 hours long)', () => {
    // Paris moves to summer time on 28 March 2027: that day has 23 hours.
    const curve = checkInCurve(
      [at('2027-03-27T09:00:00Z'), at('2027-03-28T09:00:00Z'), at('2027-03-31T09:00:00Z')],
      'Europe/Paris',
    );
    expect(curve.points.map((p) => p.at)).toEqual([
      '2027-03-26T23:00:00.000Z',
      '2027-03-27T23:00:00.000Z',
      '2027-03-28T22:00:00.000Z',
      '2027-03-29T22:00:00.000Z',
      '2027-03-30T22:00:00.000Z',
    ]);
    expect(curve.points.map((p) => p.cumulative)).toEqual([1, 2, 2, 2, 3]);
  });

  it('hourly buckets skip the hour a DST change removes', () => {
    const curve = checkInCurve([at('2027-03-28T00:30:00Z'), at('2027-03-28T01:30:00Z')], 'Europe/Paris');
    // 01:30 and 03:30 in Paris (02:00–03:00 does not exist that night).
    expect(curve.bucketMinutes).toBe(15);
    const hourly = checkInCurve([at('2027-03-27T20:30:00Z'), at('2027-03-28T03:30:00Z')], 'Europe/Paris');
    const starts = hourly.points.map((p) => p.at);
    expect(new Set(starts).size).toBe(starts.length);
    expect(hourly.points.at(-1)?.cumulative).toBe(2);
    expect(curve.points.at(-1)?.cumulative).toBe(2);
  });

  it('counts every first admission exactly once whatever the zone', () => {
    const times = Array.from({ length: 200 }, (_, i) => at('2027-03-01T06:00:00Z') + i * 7 * 60_000 + (i % 3) * 1000);
    for (const zone of ['UTC', 'Africa/Algiers', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham']) {
      const curve = checkInCurve(times, zone);
      expect(curve.points.reduce((n, p) => n + p.count, 0)).toBe(times.length);
      expect(curve.points.at(-1)?.cumulative).toBe(times.length);
      // Buckets are in order, one width apart on the zone's clock.
      for (let i = 1; i < curve.points.length; i++)
        expect(Date.parse(curve.points[i]!.at) - Date.parse(curve.points[i - 1]!.at)).toBe(
          curve.bucketMinutes * 60_000,
        );
    }
  });
});
