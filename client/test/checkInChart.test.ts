import { describe, expect, it } from 'vitest';
import { zoneDateTime } from '../src/statistics/CheckInChart';

describe('check-in chart labels', () => {
  it('read bucket times on the event’s clock, whatever the computer’s zone', () => {
    const iso = '2027-03-01T04:15:00.000Z';
    expect(zoneDateTime('en', 'Asia/Kathmandu')(iso)).toMatch(/10:00/);
    expect(zoneDateTime('fr', 'Africa/Algiers')(iso)).toMatch(/05:15/);
    expect(zoneDateTime('fr', 'UTC')(iso)).toMatch(/04:15/);
  });
  it('an unknown zone (or none, from an older cached dashboard) reads in the computer’s zone', () => {
    const iso = '2027-03-01T04:15:00.000Z';
    const local = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
    expect(zoneDateTime('en', 'Mars/Olympus')(iso)).toBe(local);
    expect(zoneDateTime('en', undefined)(iso)).toBe(local);
  });
});
