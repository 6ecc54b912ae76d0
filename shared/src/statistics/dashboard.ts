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
 * First admissions over time: each person counts once, at their first granted entry anywhere;
 * points are bucket starts (UTC) with the count in the bucket and the running total.
 */
export function checkInCurve(firstAdmissions: readonly number[]): EventDashboard['checkIns'] {
  if (firstAdmissions.length === 0) return { bucketMinutes: 15, points: [] };
  const sorted = [...firstAdmissions].sort((a, b) => a - b);
  const first = sorted[0] as number;
  const last = sorted.at(-1) as number;
  const bucketMinutes = bucketMinutesFor(last - first);
  const width = bucketMinutes * 60_000;
  const start = Math.floor(first / width) * width;
  const counts = new Map<number, number>();
  for (const t of sorted) {
    const b = Math.floor(t / width) * width;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const points: EventDashboard['checkIns']['points'] = [];
  let cumulative = 0;
  for (let b = start; b <= last; b += width) {
    const count = counts.get(b) ?? 0;
    cumulative += count;
    points.push({ at: new Date(b).toISOString(), count, cumulative });
  }
  return { bucketMinutes, points };
}
