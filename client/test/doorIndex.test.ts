import { newId } from '@makeplus/shared';
import { describe, expect, it } from 'vitest';
import { type DoorSetting, decideAtDoor } from '../src/doorControl/doorDecision';
import { DoorIndex, toDoorParticipant, toDoorScan } from '../src/doorControl/doorIndex';
import { doorStats, recentScans } from '../src/doorControl/doorStats';

const eventId = newId();
const roomId = newId();
const now = new Date('2026-11-22T10:00:00Z');
const event = {
  id: eventId,
  status: 'active' as const,
  startsAt: '2026-11-22T07:00:00Z',
  endsAt: '2026-11-24T19:00:00Z',
};
const person = (legacy: number, extra: Record<string, unknown> = {}) => ({
  id: newId(),
  eventId,
  firstName: 'Amina',
  lastName: `Benali${legacy}`,
  allowedRoomIds: null,
  badgeCode: `MKPL1.fake${legacy}.sig`,
  userId: null,
  userLegacyId: legacy,
  legacyBadgeId: '',
  organization: '',
  category: '',
  ...extra,
});

function door(patch: Partial<DoorSetting> = {}): DoorSetting {
  return { event, room: { id: roomId, reentryPolicy: 'after_exit' }, roomSessions: [], direction: 'in', ...patch };
}

/** What the screen does with a verdict: record it in the index (and the database). */
function scan(index: DoorIndex, setting: DoorSetting, code: string, at = now) {
  const v = decideAtDoor(index, setting, code, at);
  index.putScan(
    toDoorScan({
      id: newId(),
      participantId: v.participantId,
      badgeCode: v.badgeCode,
      roomId: v.roomId,
      sessionId: v.sessionId,
      direction: v.direction,
      granted: v.granted,
      reason: v.reason,
      deviceId: 'd-test',
      occurredAt: at.toISOString(),
      seq: 0,
    }),
  );
  return v;
}

describe('the door index and verdict', () => {
  it('finds people by every code, refuses a second entry until an exit, and counts them', () => {
    const index = new DoorIndex();
    const p = person(42);
    index.putParticipant(toDoorParticipant(p));
    const t = (m: number) => new Date(now.getTime() + m * 60_000);
    expect(scan(index, door(), '42', t(0)).reason).toBe('granted');
    expect(scan(index, door(), '{"user_id":42}', t(1)).reason).toBe('already_inside');
    expect(scan(index, door({ direction: 'out' }), 'USER-42-ABCDEF12', t(2)).reason).toBe('exit');
    const back = scan(index, door(), '42', t(3));
    expect(back).toMatchObject({ reason: 'granted', participant: { id: p.id } });
    expect(scan(index, door(), '43', t(4)).reason).toBe('unknown_person');

    const stats = doorStats(index.scans.values(), roomId, 'd-test', t(5));
    expect(stats).toMatchObject({ today: 5, granted: 3, refused: 2, uniquePeople: 1, insideNow: 1, byThisDevice: 5 });
    expect(recentScans(index.scans.values(), roomId, 2).map((s) => s.reason)).toEqual(['unknown_person', 'granted']);
  });

  it('applies entitlements of a paid session as they arrive, and registration changes', () => {
    const index = new DoorIndex();
    const p = person(7);
    index.putParticipant(toDoorParticipant(p));
    const session = {
      id: newId(),
      roomId,
      startsAt: '2026-11-22T08:00:00Z',
      endsAt: '2026-11-22T18:00:00Z',
      status: 'not_started' as const,
      deleted: false,
      isPaid: true,
    };
    const workshop = door({ room: { id: roomId, reentryPolicy: 'once_per_session' }, roomSessions: [session] });
    expect(decideAtDoor(index, workshop, '7', now).reason).toBe('payment_required');
    index.putEntitlement({
      id: newId(),
      participantId: p.id,
      sessionId: session.id,
      status: 'paid',
      revoked: false,
      deleted: false,
    });
    expect(decideAtDoor(index, workshop, '7', now)).toMatchObject({ reason: 'granted', sessionId: session.id });

    // Allowed rooms changed on the server: the same record arrives again.
    index.putParticipant(toDoorParticipant({ ...p, allowedRoomIds: [newId()] }));
    expect(decideAtDoor(index, workshop, '7', now).reason).toBe('room_not_allowed');
    // Registration removed.
    index.removeParticipant(p);
    expect(decideAtDoor(index, workshop, '7', now)).toMatchObject({
      reason: 'not_registered',
      detail: 'registration_deleted',
    });
  });

  it('searches names without accents or case', () => {
    const index = new DoorIndex();
    index.putParticipant(toDoorParticipant(person(1, { firstName: 'Inès', lastName: 'Chérif' })));
    index.putParticipant(toDoorParticipant(person(2, { firstName: 'Hugo', lastName: 'Martin' })));
    expect(index.searchByName('ines cher').map((p) => p.lastName)).toEqual(['Chérif']);
    expect(index.searchByName('zzz')).toEqual([]);
  });
});
