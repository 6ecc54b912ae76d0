import {
  type ScanDirection,
  type ScanVerdict,
  scanVerdict,
  type VerdictEvent,
  type VerdictRoom,
  type VerdictSession,
} from '@makeplus/shared';
import type { DoorIndex, DoorParticipant } from './doorIndex';

/** Where the door stands: the event, its room (null: the venue entrance), the room's sessions, the way people go. */
export interface DoorSetting {
  event: VerdictEvent;
  room: VerdictRoom | null;
  roomSessions: readonly VerdictSession[];
  direction: ScanDirection;
}

/**
 * The door's decision for one code, entirely from memory: resolve the badge against the trust list,
 * find the person, read their entitlements and earlier scans, and let the shared `scanVerdict` walk
 * its rules. No storage and no network on this path.
 */
export function decideAtDoor(
  index: DoorIndex,
  door: DoorSetting,
  code: string,
  now: Date,
): ScanVerdict<DoorParticipant> {
  const { badge, participant } = index.resolve(code);
  const payload = badge.status === 'valid' || badge.status === 'revoked' ? badge.payload : null;
  const personId = participant?.id ?? (payload?.e ? payload.p.toLowerCase() : null);
  return scanVerdict({
    badge,
    direction: door.direction,
    now,
    event: door.event,
    room: door.room,
    roomSessions: door.roomSessions,
    participant,
    entitlements: index.entitlementsOf(personId),
    history: index.historyOf(personId, badge.code),
  });
}

/** How the verdict looks: green (in or out), amber (try again, or admitted pending review), red (refused). */
export type VerdictTone = 'granted' | 'review' | 'refused';

export function verdictTone(v: Pick<ScanVerdict, 'granted' | 'reason' | 'issuedOffline'>): VerdictTone {
  if (v.granted) return v.issuedOffline ? 'review' : 'granted';
  return v.reason === 'unreadable' ? 'review' : 'refused';
}
