import { checkInCurve, type EventDashboard, occupancy, scanPersonKey } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import { cashDeskStatistics } from '../cashDesk/stats';
import type { DB } from '../db/schema';
import { presenceQueries } from '../doorControl/presence';
import { statisticsQueries } from './queries';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

/** The organizer's live dashboard: every figure derived from the facts the server holds. */
export async function eventDashboard(db: Kysely<DB>, eventId: string, recentLimit = 15): Promise<EventDashboard> {
  const presence = presenceQueries(db);
  const q = statisticsQueries(db);
  const [scans, rooms, registered, registers, recentScans, recentSales, recentFlags, timeZone] = await Promise.all([
    presence.scans(eventId),
    presence.rooms(eventId),
    presence.registered(eventId),
    cashDeskStatistics(db).forEvent(eventId),
    q.recentScans(eventId, recentLimit),
    q.recentSales(eventId, recentLimit),
    q.recentFlags(eventId, recentLimit),
    q.eventTimeZone(eventId),
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
    checkIns: checkInCurve([...firstIn.values()], timeZone ?? 'UTC'),
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
