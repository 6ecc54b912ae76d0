import type { ReentryPolicy, RoomRecord } from '../rooms/room';
import type { SessionRecord } from '../rooms/session';
import type { ScanRecord } from './scan';

/**
 * Pure derivations from scan facts: who is inside, how many came, and the double admissions that
 * only become visible once several offline doors have synced.
 *
 * Every function orders the facts itself (by `occurredAt`, entries before exits at the same
 * instant, then by id), so the result does not depend on the order facts arrived in. A fact
 * already in that order costs one pass; deleted facts and refused scans never move anyone.
 */
export type OccupancyScan = Pick<
  ScanRecord,
  | 'id'
  | 'participantId'
  | 'badgeCode'
  | 'roomId'
  | 'sessionId'
  | 'direction'
  | 'granted'
  | 'deviceId'
  | 'occurredAt'
  | 'deleted'
>;

/** Who a scan is about: the participant when known, else the badge code (a badge not yet synced). */
export function scanPersonKey(s: Pick<OccupancyScan, 'participantId' | 'badgeCode'>): string {
  return s.participantId ? `p:${s.participantId}` : `b:${s.badgeCode}`;
}

interface Timed<S> {
  scan: S;
  t: number;
}

/** Live facts in a deterministic order: time, entries before exits, id. */
function chronological<S extends OccupancyScan>(scans: readonly S[], atMs = Infinity): Timed<S>[] {
  const out: Timed<S>[] = [];
  let sorted = true;
  for (const scan of scans) {
    if (scan.deleted) continue;
    const t = Date.parse(scan.occurredAt);
    if (Number.isNaN(t) || t > atMs) continue;
    const item = { scan, t };
    const prev = out[out.length - 1];
    if (prev && compare(prev, item) > 0) sorted = false;
    out.push(item);
  }
  if (!sorted) out.sort(compare);
  return out;
}

function compare(a: Timed<OccupancyScan>, b: Timed<OccupancyScan>): number {
  if (a.t !== b.t) return a.t - b.t;
  if (a.scan.direction !== b.scan.direction) return a.scan.direction === 'in' ? -1 : 1;
  return a.scan.id < b.scan.id ? -1 : a.scan.id > b.scan.id ? 1 : 0;
}

export interface RoomOccupancy {
  /** null: event-level checks (the venue entrance). */
  roomId: string | null;
  /** Person keys (`scanPersonKey`) inside now, sorted. */
  inside: string[];
  insideCount: number;
  /** Granted entries (a person entering three times counts three). */
  entries: number;
  /** Granted exits that took someone out (an exit of someone not inside changes nothing). */
  exits: number;
  /** Refused scans at this door. */
  refused: number;
  /** Distinct people admitted at least once. */
  uniquePeople: number;
}

export interface OccupancySummary {
  /** One row per room that saw a scan, sorted by room id (the venue entrance, null, first). */
  rooms: RoomOccupancy[];
  /** Distinct people admitted anywhere. */
  uniquePeople: number;
  entries: number;
  refused: number;
}

export interface OccupancyOptions {
  /** Count only facts up to this moment (default: all). */
  at?: Date;
  /**
   * A person is in one room at a time: an entry into a room takes them out of any other room
   * (the venue entrance, `roomId` null, is not a room for this). Default false: only exit scans
   * take people out, as the door's own verdict assumes.
   */
  oneRoomAtATime?: boolean;
}

interface RoomTally {
  inside: Set<string>;
  admitted: Set<string>;
  entries: number;
  exits: number;
  refused: number;
}

/** Who is inside each room, entries, exits, refusals and unique people, per room and overall. */
export function occupancy(scans: readonly OccupancyScan[], options: OccupancyOptions = {}): OccupancySummary {
  const rooms = new Map<string | null, RoomTally>();
  const roomsOf = new Map<string, Set<string | null>>();
  const admitted = new Set<string>();
  let entries = 0;
  let refused = 0;

  const tally = (roomId: string | null) => {
    let r = rooms.get(roomId);
    if (!r) {
      r = { inside: new Set(), admitted: new Set(), entries: 0, exits: 0, refused: 0 };
      rooms.set(roomId, r);
    }
    return r;
  };

  for (const { scan } of chronological(scans, options.at?.getTime())) {
    const room = tally(scan.roomId);
    if (!scan.granted) {
      room.refused++;
      refused++;
      continue;
    }
    const who = scanPersonKey(scan);
    let where = roomsOf.get(who);
    if (!where) {
      where = new Set();
      roomsOf.set(who, where);
    }
    if (scan.direction === 'in') {
      if (options.oneRoomAtATime && scan.roomId !== null) {
        for (const other of where) {
          if (other === null || other === scan.roomId) continue;
          tally(other).inside.delete(who);
          where.delete(other);
        }
      }
      room.inside.add(who);
      room.admitted.add(who);
      where.add(scan.roomId);
      admitted.add(who);
      room.entries++;
      entries++;
    } else if (room.inside.delete(who)) {
      where.delete(scan.roomId);
      room.exits++;
    }
  }

  const rows: RoomOccupancy[] = [...rooms].map(([roomId, r]) => ({
    roomId,
    inside: [...r.inside].sort(),
    insideCount: r.inside.size,
    entries: r.entries,
    exits: r.exits,
    refused: r.refused,
    uniquePeople: r.admitted.size,
  }));
  rows.sort((a, b) =>
    a.roomId === b.roomId ? 0 : a.roomId === null ? -1 : b.roomId === null ? 1 : a.roomId < b.roomId ? -1 : 1,
  );
  return { rooms: rows, uniquePeople: admitted.size, entries, refused };
}

/** Person keys inside one room (null: the venue), sorted. */
export function insideRoom(
  scans: readonly OccupancyScan[],
  roomId: string | null,
  options: OccupancyOptions = {},
): string[] {
  return occupancy(scans, options).rooms.find((r) => r.roomId === roomId)?.inside ?? [];
}

// ---------------------------------------------------------------------------------------------
// Double admissions
// ---------------------------------------------------------------------------------------------

export interface AdmissionRef {
  scanId: string;
  deviceId: string;
  occurredAt: string;
}

export interface DoubleAdmission {
  /** Stable per incident (the admission that should have been refused): dedupe flags on it. */
  key: string;
  roomId: string;
  policy: Exclude<ReentryPolicy, 'reentry_allowed'>;
  /** The session both entries fell in (once_per_session), else the session of the second entry. */
  sessionId: string | null;
  person: string;
  participantId: string | null;
  badgeCode: string;
  /** The earlier admission the second one conflicts with, by another device. */
  first: AdmissionRef;
  /** The admission that broke the room's policy. */
  second: AdmissionRef;
}

type PolicyRoom = Pick<RoomRecord, 'id' | 'reentryPolicy'>;
type WindowSession = Pick<SessionRecord, 'id' | 'roomId' | 'startsAt' | 'endsAt' | 'status' | 'deleted'>;

interface PersonInRoom {
  /** Last granted entry with no granted exit after it. */
  open: OccupancyScan | null;
  /** Latest granted entry per session. */
  bySession: Map<string, OccupancyScan>;
}

/**
 * The same person admitted twice into a room by two different devices where the room's policy
 * says the second entry should have been refused: `after_exit` with no exit in between,
 * `once_per_session` within the same session (exit or not). Each doors' own verdict already
 * refuses what it knows about, so a conflict with an entry by the same device is not an offline
 * incident and is not reported. Rooms not in `rooms`, event-level checks and `reentry_allowed`
 * rooms never conflict.
 *
 * A scan's session is the one it recorded, else the session whose schedule contains it.
 * The output is sorted by the second admission's time, then id; `key` is
 * `double_admission:<second scan id>`, the same however many times the server re-runs this.
 */
export function findDoubleAdmissions(
  scans: readonly OccupancyScan[],
  rooms: readonly PolicyRoom[],
  sessions: readonly WindowSession[],
): DoubleAdmission[] {
  const policyOf = new Map<string, ReentryPolicy>();
  for (const r of rooms) policyOf.set(r.id, r.reentryPolicy);

  const sessionsOf = new Map<string, { id: string; start: number; end: number }[]>();
  for (const s of sessions) {
    if (s.deleted || s.status === 'cancelled') continue;
    let list = sessionsOf.get(s.roomId);
    if (!list) {
      list = [];
      sessionsOf.set(s.roomId, list);
    }
    list.push({ id: s.id, start: Date.parse(s.startsAt), end: Date.parse(s.endsAt) });
  }
  for (const list of sessionsOf.values()) list.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  const sessionAt = (roomId: string, t: number): string | null => {
    let found: string | null = null;
    for (const s of sessionsOf.get(roomId) ?? []) if (s.start <= t && t < s.end) found = s.id;
    return found;
  };

  const state = new Map<string, PersonInRoom>();
  const found: DoubleAdmission[] = [];

  for (const { scan, t } of chronological(scans)) {
    if (!scan.granted || scan.roomId === null) continue;
    const policy = policyOf.get(scan.roomId);
    if (!policy || policy === 'reentry_allowed') continue;
    const person = scanPersonKey(scan);
    const stateKey = `${scan.roomId}\u0000${person}`;
    let st = state.get(stateKey);
    if (!st) {
      st = { open: null, bySession: new Map() };
      state.set(stateKey, st);
    }
    if (scan.direction === 'out') {
      st.open = null;
      continue;
    }

    const sessionId = scan.sessionId ?? sessionAt(scan.roomId, t);
    // The earlier entries this one conflicts with: the same session's, then the one never exited.
    const sameSession = policy === 'once_per_session' && sessionId !== null ? st.bySession.get(sessionId) : undefined;
    const prior = [sameSession, st.open].find((p) => p && p.deviceId !== scan.deviceId);
    if (prior) {
      found.push({
        key: `double_admission:${scan.id}`,
        roomId: scan.roomId,
        policy,
        sessionId,
        person,
        participantId: scan.participantId,
        badgeCode: scan.badgeCode,
        first: ref(prior),
        second: ref(scan),
      });
    }
    st.open = scan;
    if (sessionId !== null) st.bySession.set(sessionId, scan);
  }
  return found;
}

function ref(s: OccupancyScan): AdmissionRef {
  return { scanId: s.id, deviceId: s.deviceId, occurredAt: s.occurredAt };
}
