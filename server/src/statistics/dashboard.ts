import { occupancy, scanPersonKey } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { cashDeskStatistics } from '../cashDesk/stats';
import type { DB } from '../db/schema';
import { presenceQueries } from '../doorControl/presence';
import { statisticsQueries } from './queries';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

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

/** The organizer's live dashboard: every figure derived from the facts the server holds. */
export async function eventDashboard(db: Kysely<DB>, eventId: string, recentLimit = 15): Promise<EventDashboard> {
  const presence = presenceQueries(db);
  const q = statisticsQueries(db);
  const [scans, rooms, registered, registers, recentScans, recentSales, recentFlags] = await Promise.all([
    q.scanFacts(eventId),
    presence.rooms(eventId),
    presence.registered(eventId),
    cashDeskStatistics(db).forEvent(eventId),
    q.recentScans(eventId, recentLimit),
    q.recentSales(eventId, recentLimit),
    q.recentFlags(eventId, recentLimit),
  ]);
  const normalized = scans.map((s) => ({ ...s, occurredAt: iso(s.occurredAt) }));
  const summary = occupancy(normalized);

  const firstIn = new Map<string, number>();
  const deniedByReason = new Map<string, number>();
  let granted = 0;
  for (const s of normalized) {
    if (!s.granted) {
      deniedByReason.set(s.reason, (deniedByReason.get(s.reason) ?? 0) + 1);
      continue;
    }
    granted++;
    if (s.direction !== 'in') continue;
    const key = scanPersonKey(s);
    const t = Date.parse(s.occurredAt);
    const prev = firstIn.get(key);
    if (prev === undefined || t < prev) firstIn.set(key, t);
  }
  const denied = normalized.length - granted;

  const byRoom = new Map(summary.rooms.map((r) => [r.roomId, r]));
  const items = new Map<string, { payableItemId: string; name: string; quantity: number; totalMinor: number }>();
  for (const r of registers) {
    for (const it of r.summary.byItem) {
      const cur = items.get(it.payableItemId) ?? {
        payableItemId: it.payableItemId,
        name: it.name,
        quantity: 0,
        totalMinor: 0,
      };
      cur.quantity += it.quantity;
      cur.totalMinor += it.totalMinor;
      items.set(it.payableItemId, cur);
    }
  }
  const byRegister = registers.map((r) => ({
    cashRegisterId: r.cashRegisterId,
    name: r.name,
    salesCount: r.summary.completedCount,
    totalMinor: r.summary.completedMinor,
  }));

  const recent: EventDashboard['recent'] = [
    ...recentScans.map((s) => ({
      kind: 'scan' as const,
      id: s.id,
      at: iso(s.occurredAt),
      what: s.reason,
      who: [s.firstName, s.lastName].filter(Boolean).join(' ') || s.badgeCode.slice(0, 24),
      where: s.roomName ?? '',
      granted: s.granted,
      amountMinor: null,
    })),
    ...recentSales.map((x) => ({
      kind: 'sale' as const,
      id: x.id,
      at: iso(x.occurredAt),
      what: x.receiptNumber,
      who: [x.firstName, x.lastName].filter(Boolean).join(' '),
      where: x.registerName ?? '',
      granted: null,
      amountMinor: Number(x.totalMinor),
    })),
    ...recentFlags.map((f) => ({
      kind: 'flag' as const,
      id: f.id,
      at: iso(f.occurredAt),
      what: f.kind,
      who: f.summary,
      where: '',
      granted: null,
      amountMinor: null,
    })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, recentLimit);

  return {
    generatedAt: new Date().toISOString(),
    registered,
    checkedIn: firstIn.size,
    scans: {
      granted,
      denied,
      deniedByReason: [...deniedByReason]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    },
    checkIns: checkInCurve([...firstIn.values()]),
    rooms: rooms.map((room) => {
      const r = byRoom.get(room.id);
      return {
        roomId: room.id,
        name: room.name,
        capacity: room.capacity ?? null,
        inside: r?.insideCount ?? 0,
        entries: r?.entries ?? 0,
        refused: r?.refused ?? 0,
      };
    }),
    revenue: {
      totalMinor: byRegister.reduce((n, r) => n + r.totalMinor, 0),
      salesCount: byRegister.reduce((n, r) => n + r.salesCount, 0),
      cancelledCount: registers.reduce((n, r) => n + r.summary.cancelledCount, 0),
      byItem: [...items.values()].sort((a, b) => b.totalMinor - a.totalMinor || a.name.localeCompare(b.name)),
      byRegister,
    },
    recent,
  };
}
