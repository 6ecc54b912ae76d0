import { describe, expect, it } from 'vitest';
import { findDoubleAdmissions, insideRoom, occupancy, type ScanRecord, scanPersonKey } from '../src';
import {
  AMINA,
  AMPHI,
  at,
  HALL,
  KARIM,
  ROOMS,
  SESSIONS,
  scan,
  WORKSHOP,
  WORKSHOP_PM,
  WORKSHOP_ROOM,
} from './doorControlFixtures';

const A = `p:${AMINA.id}`;
const K = `p:${KARIM.id}`;
const amina = (time: string, patch: Partial<ScanRecord> = {}) => scan({ occurredAt: at(time).toISOString(), ...patch });
const karim = (time: string, patch: Partial<ScanRecord> = {}) =>
  scan({ participantId: KARIM.id, badgeCode: '7', occurredAt: at(time).toISOString(), ...patch });
const out = { direction: 'out', reason: 'exit' } as const;

describe('occupancy', () => {
  it('counts who is inside, entries, exits, refusals and unique people per room', () => {
    const scans = [
      amina('09:00'),
      karim('09:05'),
      amina('09:10', out),
      amina('09:20'),
      karim('09:25', { granted: false, reason: 'already_inside' }),
      karim('09:30', { roomId: AMPHI.id }),
    ];
    const o = occupancy(scans);
    expect(o.rooms).toEqual(
      [
        { roomId: HALL.id, inside: [A, K].sort(), insideCount: 2, entries: 3, exits: 1, refused: 1, uniquePeople: 2 },
        { roomId: AMPHI.id, inside: [K], insideCount: 1, entries: 1, exits: 0, refused: 0, uniquePeople: 1 },
      ].sort((a, b) => (a.roomId < b.roomId ? -1 : 1)),
    );
    expect(o).toMatchObject({ uniquePeople: 2, entries: 4, refused: 1 });
  });

  it('an exit of someone not inside changes nothing (occupancy never goes below zero)', () => {
    const o = occupancy([amina('09:00', out), amina('09:01', out)]);
    expect(o.rooms[0]).toMatchObject({ insideCount: 0, exits: 0, entries: 0 });
  });

  it('refused and deleted scans move nobody', () => {
    const o = occupancy([amina('09:00', { granted: false, reason: 'forged' }), amina('09:05', { deleted: true })]);
    expect(o.rooms[0]).toMatchObject({ insideCount: 0, entries: 0, refused: 1 });
    expect(o.uniquePeople).toBe(0);
  });

  it('orders the facts itself: arrival order does not matter, entries before exits at the same instant', () => {
    const scans = [amina('09:10', out), amina('09:00'), amina('09:20'), amina('09:20', out)];
    expect(insideRoom(scans, HALL.id)).toEqual([]);
    expect(insideRoom(scans.slice(0, 3), HALL.id)).toEqual([A]);
  });

  it('counts up to a moment when asked', () => {
    const scans = [amina('09:00'), amina('09:10', out), karim('09:20')];
    expect(insideRoom(scans, HALL.id, { at: at('09:05') })).toEqual([A]);
    expect(insideRoom(scans, HALL.id, { at: at('09:15') })).toEqual([]);
    expect(insideRoom(scans, HALL.id)).toEqual([K]);
  });

  it('badges not yet synced are counted by their code', () => {
    const code = 'MKPL1.walkin.sig';
    expect(insideRoom([scan({ participantId: null, badgeCode: code })], HALL.id)).toEqual([`b:${code}`]);
    expect(scanPersonKey({ participantId: null, badgeCode: code })).toBe(`b:${code}`);
  });

  it('the venue entrance (no room) is its own row, listed first', () => {
    const o = occupancy([amina('08:30', { roomId: null }), amina('09:00')]);
    expect(o.rooms.map((r) => r.roomId)).toEqual([null, HALL.id]);
    expect(o.uniquePeople).toBe(1);
  });

  it('one room at a time: entering a room leaves the others, but not the venue', () => {
    const scans = [amina('08:30', { roomId: null }), amina('09:00'), amina('09:30', { roomId: AMPHI.id })];
    expect(insideRoom(scans, HALL.id)).toEqual([A]);
    expect(insideRoom(scans, HALL.id, { oneRoomAtATime: true })).toEqual([]);
    expect(insideRoom(scans, AMPHI.id, { oneRoomAtATime: true })).toEqual([A]);
    expect(insideRoom(scans, null, { oneRoomAtATime: true })).toEqual([A]);
    // The implicit exit is not an exit scan.
    expect(occupancy(scans, { oneRoomAtATime: true }).rooms.find((r) => r.roomId === HALL.id)?.exits).toBe(0);
  });

  it('an unknown room is empty', () => {
    expect(insideRoom([amina('09:00')], 'nowhere')).toEqual([]);
  });
});

describe('findDoubleAdmissions', () => {
  it('the same badge admitted twice into an after_exit room by two doors, no exit between', () => {
    const first = amina('09:00', { deviceId: 'door-1' });
    const second = amina('09:05', { deviceId: 'door-2' });
    expect(findDoubleAdmissions([second, first], ROOMS, SESSIONS)).toEqual([
      {
        key: `double_admission:${second.id}`,
        roomId: HALL.id,
        policy: 'after_exit',
        sessionId: expect.any(String),
        person: A,
        participantId: AMINA.id,
        badgeCode: AMINA.badgeCode,
        first: { scanId: first.id, deviceId: 'door-1', occurredAt: first.occurredAt },
        second: { scanId: second.id, deviceId: 'door-2', occurredAt: second.occurredAt },
      },
    ]);
  });

  it('an exit in between (from any door) makes the second entry legitimate', () => {
    const scans = [
      amina('09:00', { deviceId: 'door-1' }),
      amina('09:02', { ...out, deviceId: 'door-3' }),
      amina('09:05', { deviceId: 'door-2' }),
    ];
    expect(findDoubleAdmissions(scans, ROOMS, SESSIONS)).toEqual([]);
  });

  it('a late exit that synced after the fact still counts, by its time', () => {
    const scans = [
      amina('09:05', { deviceId: 'door-2' }),
      amina('09:00', { deviceId: 'door-1' }),
      amina('09:02', { ...out, deviceId: 'door-1' }),
    ];
    expect(findDoubleAdmissions(scans, ROOMS, SESSIONS)).toEqual([]);
  });

  it('the same door twice is not an offline incident', () => {
    expect(findDoubleAdmissions([amina('09:00'), amina('09:05')], ROOMS, SESSIONS)).toEqual([]);
  });

  it('refused and deleted scans, other people, other rooms and reentry_allowed rooms do not conflict', () => {
    const scans = [
      amina('09:00', { deviceId: 'door-1' }),
      amina('09:01', { deviceId: 'door-2', granted: false, reason: 'already_inside' }),
      amina('09:02', { deviceId: 'door-2', deleted: true }),
      karim('09:03', { deviceId: 'door-2' }),
      amina('09:04', { deviceId: 'door-2', roomId: AMPHI.id }),
      amina('09:05', { deviceId: 'door-3', roomId: AMPHI.id }),
      amina('09:06', { deviceId: 'door-2', roomId: null }),
      amina('09:07', { deviceId: 'door-3', roomId: null }),
    ];
    expect(findDoubleAdmissions(scans, ROOMS, SESSIONS)).toEqual([]);
  });

  it('rooms it does not know never conflict', () => {
    const scans = [amina('09:00', { deviceId: 'door-1' }), amina('09:05', { deviceId: 'door-2' })];
    expect(findDoubleAdmissions(scans, [], SESSIONS)).toEqual([]);
  });

  describe('once_per_session', () => {
    const room = { roomId: WORKSHOP_ROOM.id };
    it('a second entry in the same session is a double admission even after an exit', () => {
      const scans = [
        amina('10:05', { ...room, deviceId: 'door-1', sessionId: WORKSHOP.id }),
        amina('10:30', { ...room, ...out, deviceId: 'door-1', sessionId: WORKSHOP.id }),
        amina('11:00', { ...room, deviceId: 'door-2', sessionId: WORKSHOP.id }),
      ];
      const found = findDoubleAdmissions(scans, ROOMS, SESSIONS);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ policy: 'once_per_session', sessionId: WORKSHOP.id, roomId: WORKSHOP_ROOM.id });
      expect(found[0]?.first.scanId).toBe(scans[0]?.id);
    });

    it('the session comes from the schedule when a door did not record one', () => {
      const scans = [
        amina('10:05', { ...room, deviceId: 'door-1', sessionId: null }),
        amina('10:30', { ...room, ...out, deviceId: 'door-1' }),
        amina('11:00', { ...room, deviceId: 'door-2', sessionId: null }),
      ];
      expect(findDoubleAdmissions(scans, ROOMS, SESSIONS)).toMatchObject([{ sessionId: WORKSHOP.id }]);
    });

    it('one entry per session in different sessions is fine', () => {
      const scans = [
        amina('10:05', { ...room, deviceId: 'door-1', sessionId: WORKSHOP.id }),
        amina('11:55', { ...room, ...out, deviceId: 'door-1' }),
        amina('14:05', { ...room, deviceId: 'door-2', sessionId: WORKSHOP_PM.id }),
      ];
      expect(findDoubleAdmissions(scans, ROOMS, SESSIONS)).toEqual([]);
    });

    it('outside any session it follows after_exit', () => {
      const scans = [amina('12:10', { ...room, deviceId: 'door-1' }), amina('12:20', { ...room, deviceId: 'door-2' })];
      expect(findDoubleAdmissions(scans, ROOMS, SESSIONS)).toMatchObject([
        { policy: 'once_per_session', sessionId: null },
      ]);
    });

    it('a conflict with another door is found even when the same door also entered the person', () => {
      const scans = [
        amina('10:05', { ...room, deviceId: 'door-2', sessionId: WORKSHOP.id }),
        amina('10:10', { ...room, ...out, deviceId: 'door-2', sessionId: WORKSHOP.id }),
        amina('10:20', { ...room, deviceId: 'door-1', sessionId: WORKSHOP.id }),
        amina('10:30', { ...room, deviceId: 'door-2', sessionId: WORKSHOP.id }),
      ];
      const found = findDoubleAdmissions(scans, ROOMS, SESSIONS);
      expect(found.map((f) => [f.first.deviceId, f.second.deviceId])).toEqual([
        ['door-2', 'door-1'],
        ['door-1', 'door-2'],
      ]);
    });
  });

  it('three doors admitting one badge: two incidents, in time order, with distinct stable keys', () => {
    const scans = [
      amina('09:10', { deviceId: 'door-3' }),
      amina('09:00', { deviceId: 'door-1' }),
      amina('09:05', { deviceId: 'door-2' }),
    ];
    const found = findDoubleAdmissions(scans, ROOMS, SESSIONS);
    expect(found.map((f) => [f.first.deviceId, f.second.deviceId])).toEqual([
      ['door-1', 'door-2'],
      ['door-2', 'door-3'],
    ]);
    expect(new Set(found.map((f) => f.key)).size).toBe(2);
    expect(findDoubleAdmissions([...scans].reverse(), ROOMS, SESSIONS)).toEqual(found);
  });

  it('badges not yet synced are matched by code', () => {
    const code = 'MKPL1.walkin.sig';
    const scans = [
      scan({ participantId: null, badgeCode: code, deviceId: 'door-1', occurredAt: at('09:00').toISOString() }),
      scan({ participantId: null, badgeCode: code, deviceId: 'door-2', occurredAt: at('09:05').toISOString() }),
    ];
    expect(findDoubleAdmissions(scans, ROOMS, SESSIONS)).toMatchObject([{ person: `b:${code}`, participantId: null }]);
  });
});
