import { occupancy } from '@makeplus/shared';
import type { DoorScan } from './doorIndex';

export interface DoorStats {
  /** Scans at this door's room today (granted and refused). */
  today: number;
  granted: number;
  refused: number;
  /** Distinct people admitted here today. */
  uniquePeople: number;
  /** People inside the room now (entries without a later exit, every device's scans). */
  insideNow: number;
  /** Scans recorded by this device today. */
  byThisDevice: number;
}

/** Midnight of the device's day containing `now`. */
export function startOfDay(now: Date): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Local statistics of one door room (null: the venue entrance), from every scan this device holds. */
export function doorStats(
  scans: Iterable<DoorScan>,
  roomId: string | null,
  deviceId: string,
  now: Date = new Date(),
): DoorStats {
  const from = startOfDay(now);
  const here: DoorScan[] = [];
  let today = 0;
  let granted = 0;
  let byThisDevice = 0;
  const people = new Set<string>();
  for (const s of scans) {
    if (s.roomId !== roomId) continue;
    here.push(s);
    if (Date.parse(s.occurredAt) < from) continue;
    today++;
    if (s.deviceId === deviceId) byThisDevice++;
    if (!s.granted) continue;
    granted++;
    if (s.direction === 'in') people.add(s.participantId ? `p:${s.participantId}` : `b:${s.badgeCode}`);
  }
  const room = occupancy(here).rooms.find((r) => r.roomId === roomId);
  return {
    today,
    granted,
    refused: today - granted,
    uniquePeople: people.size,
    insideNow: room?.insideCount ?? 0,
    byThisDevice,
  };
}

/** The latest scans of a room, newest first, optionally those matching `match`. */
export function recentScans(
  scans: Iterable<DoorScan>,
  roomId: string | null,
  limit = 50,
  match?: (s: DoorScan) => boolean,
): DoorScan[] {
  const here: DoorScan[] = [];
  for (const s of scans) if (s.roomId === roomId && (!match || match(s))) here.push(s);
  here.sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : a.id < b.id ? 1 : -1));
  return here.slice(0, limit);
}
