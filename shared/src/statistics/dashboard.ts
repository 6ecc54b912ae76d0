import { z } from 'zod';

/** The organizer's live dashboard, as the server sends it (`GET /events/:id/statistics/dashboard`). */
export const dashboardSchema = z
  .object({
    generatedAt: z.string(),
    registered: z.int(),
    checkedIn: z.int(),
    scans: z.object({
      granted: z.int(),
      denied: z.int(),
      deniedByReason: z.array(z.object({ reason: z.string(), count: z.int() })),
    }),
    checkIns: z.object({
      bucketMinutes: z.int(),
      /** The event's time zone (IANA): buckets start on its clock, and the chart labels read in it. */
      timeZone: z.string(),
      points: z.array(z.object({ at: z.string(), count: z.int(), cumulative: z.int() })),
    }),
    rooms: z.array(
      z.object({
        roomId: z.string(),
        name: z.string(),
        capacity: z.int().nullable(),
        inside: z.int(),
        entries: z.int(),
        refused: z.int(),
      }),
    ),
    revenue: z
      .object({
        totalMinor: z.int(),
        salesCount: z.int(),
        cancelledCount: z.int(),
        byItem: z.array(
          z.object({ payableItemId: z.string(), name: z.string(), quantity: z.int(), totalMinor: z.int() }),
        ),
        byRegister: z.array(
          z.object({ cashRegisterId: z.string(), name: z.string(), salesCount: z.int(), totalMinor: z.int() }),
        ),
      })
      .describe('Completed sales net of cancellations, in minor units (centimes)'),
    recent: z.array(
      z.object({
        kind: z.enum(['scan', 'sale', 'flag']),
        id: z.string(),
        at: z.string(),
        /** scan: granted/refused and reason; sale: receipt and total; flag: its kind. */
        what: z.string(),
        who: z.string(),
        where: z.string(),
        granted: z.boolean().nullable(),
        amountMinor: z.int().nullable(),
      }),
    ),
  })
  .meta({ id: 'EventDashboard' });
export type EventDashboard = z.infer<typeof dashboardSchema>;

/** Bucket width for a check-in curve spanning `spanMs`: 15 min within 6 h, hourly within 3 days, else daily. */
export function bucketMinutesFor(spanMs: number): number {
  if (spanMs <= 6 * 3600_000) return 15;
  if (spanMs <= 3 * 24 * 3600_000) return 60;
  return 24 * 60;
}

/**
 * How far a time zone's clock is ahead of UTC at an instant, in ms (Africa/Algiers: +1 h; Asia/Kolkata:
 * +5 h 30). An unknown zone is UTC.
 */
export function zoneOffsetMs(at: number, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = zoneFormat(timeZone).formatToParts(new Date(at));
  } catch {
    return 0;
  }
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour') % 24, n('minute'), n('second'));
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, f);
  }
  return f;
}

/** A valid IANA zone name, else UTC. */
export function knownTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    zoneFormat(timeZone);
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The instant a wall-clock time of the zone stands for (the later reading across a DST change). */
function instantOfWall(wall: number, timeZone: string): number {
  const guess = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(guess, timeZone);
}

/**
 * First admissions over time: each person counts once, at their first granted entry anywhere;
 * points are bucket starts with the count in the bucket and the running total. Buckets follow the
 * event's clock (`timeZone`): a daily bucket runs from local midnight to local midnight (23 or 25 h
 * across a DST change), and quarter hours fall on the zone's quarter hours (Asia/Kolkata is UTC+5:30).
 */
export function checkInCurve(firstAdmissions: readonly number[], timeZone = 'UTC'): EventDashboard['checkIns'] {
  const zone = knownTimeZone(timeZone);
  if (firstAdmissions.length === 0) return { bucketMinutes: 15, timeZone: zone, points: [] };
  const sorted = [...firstAdmissions].sort((a, b) => a - b);
  const first = sorted[0] as number;
  const last = sorted.at(-1) as number;
  const bucketMinutes = bucketMinutesFor(last - first);
  const width = bucketMinutes * 60_000;
  // Buckets are keyed by their start on the zone's wall clock.
  const wallBucket = (t: number) => Math.floor((t + zoneOffsetMs(t, zone)) / width) * width;
  const counts = new Map<number, number>();
  for (const t of sorted) {
    const b = wallBucket(t);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const points: EventDashboard['checkIns']['points'] = [];
  let cumulative = 0;
  const end = wallBucket(last);
  for (let b = wallBucket(first); b <= end; b += width) {
    const count = counts.get(b) ?? 0;
    const startsAt = new Date(instantOfWall(b, zone)).toISOString();
    // A wall-clock hour skipped by a DST change holds nothing and starts when the next one does.
    if (count === 0 && points.at(-1)?.at === startsAt) continue;
    cumulative += count;
    points.push({ at: startsAt, count, cumulative });
  }
  return { bucketMinutes, timeZone: zone, points };
}
