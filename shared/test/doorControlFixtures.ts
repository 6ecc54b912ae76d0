import {
  type BadgePayload,
  type BadgeTrustRecord,
  buildTrustList,
  type EntitlementRecord,
  findParticipant,
  generateSigningKey,
  indexParticipants,
  type ParticipantRecord,
  type ResolvedBadge,
  type RoomRecord,
  resolveBadge,
  type ScanDirection,
  type ScanRecord,
  type ScanVerdictInput,
  type SessionRecord,
  scanVerdict,
  signBadge,
  type TrustList,
  type VerdictEvent,
} from '../src';

/** A small event: three rooms (one per re-entry policy), a paid workshop, a free talk, three people. */

let counter = 0;
/** A fresh, valid UUID (v7 layout), deterministic across runs. */
export function uid(): string {
  counter++;
  return `0190f0a0-0000-7000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export const EVENT: VerdictEvent = {
  id: uid(),
  status: 'active',
  startsAt: '2026-05-01T08:00:00.000Z',
  endsAt: '2026-05-03T18:00:00.000Z',
};
export const OTHER_EVENT_ID = uid();

/** 2026-05-01 at hh:mm UTC. */
export const at = (hhmm: string, day = '01') => new Date(`2026-05-${day}T${hhmm}:00.000Z`);

type Room = Pick<RoomRecord, 'id' | 'reentryPolicy' | 'name'>;
export const HALL: Room = { id: uid(), reentryPolicy: 'after_exit', name: 'Grand hall' };
export const WORKSHOP_ROOM: Room = { id: uid(), reentryPolicy: 'once_per_session', name: 'Atelier A' };
export const AMPHI: Room = { id: uid(), reentryPolicy: 'reentry_allowed', name: 'Amphi' };
export const ROOMS = [HALL, WORKSHOP_ROOM, AMPHI];

type Session = Pick<SessionRecord, 'id' | 'roomId' | 'startsAt' | 'endsAt' | 'status' | 'deleted' | 'isPaid'>;
const session = (roomId: string, from: string, to: string, isPaid: boolean, day = '01'): Session => ({
  id: uid(),
  roomId,
  startsAt: at(from, day).toISOString(),
  endsAt: at(to, day).toISOString(),
  status: 'not_started',
  deleted: false,
  isPaid,
});
/** Paid workshop 10:00–12:00, then a free one 14:00–16:00, in the once-per-session room. */
export const WORKSHOP = session(WORKSHOP_ROOM.id, '10:00', '12:00', true);
export const WORKSHOP_PM = session(WORKSHOP_ROOM.id, '14:00', '16:00', false);
/** Free talk in the hall 09:00–11:00; a paid masterclass in the amphi 15:00–17:00. */
export const TALK = session(HALL.id, '09:00', '11:00', false);
export const MASTERCLASS = session(AMPHI.id, '15:00', '17:00', true);
export const SESSIONS = [WORKSHOP, WORKSHOP_PM, TALK, MASTERCLASS];

export const SERVER_KEY = generateSigningKey('S0001');
export const OLD_SERVER_KEY = generateSigningKey('S0000');
export const DEVICE_KEY = generateSigningKey('D0001');
/** A key nobody published: its signatures must never be accepted. */
export const ROGUE_KEY = generateSigningKey('S0001');

export function trustRecord(patch: Partial<BadgeTrustRecord>): BadgeTrustRecord {
  return {
    id: uid(),
    eventId: EVENT.id,
    seq: 1,
    rev: 1,
    createdAt: '2026-04-01T00:00:00.000Z',
    updatedAt: '2026-04-01T00:00:00.000Z',
    deleted: false,
    kind: 'signing_key',
    keyId: '',
    keyOwner: 'server',
    deviceId: null,
    publicKey: '',
    badgeCode: '',
    participantId: null,
    revoked: false,
    reason: '',
    ...patch,
  };
}

export const keyRecords: BadgeTrustRecord[] = [
  trustRecord({ keyId: SERVER_KEY.keyId, publicKey: SERVER_KEY.publicKey }),
  trustRecord({ keyId: OLD_SERVER_KEY.keyId, publicKey: OLD_SERVER_KEY.publicKey, revoked: true }),
  trustRecord({ keyId: DEVICE_KEY.keyId, publicKey: DEVICE_KEY.publicKey, keyOwner: 'device', deviceId: 'cash-1' }),
];

export const serverBadge = (userId: string, name = 'Amina Benali') =>
  signBadge({ p: userId, n: name, t: 1_777_000_000 }, SERVER_KEY);
export const deviceBadge = (payload: Partial<Omit<BadgePayload, 'k'>> = {}) =>
  signBadge({ p: uid(), e: EVENT.id, n: 'Yacine Walk-in', t: 1_777_600_000, ...payload }, DEVICE_KEY);

export function participant(patch: Partial<ParticipantRecord> = {}): ParticipantRecord {
  const id = patch.id ?? uid();
  return {
    id,
    eventId: EVENT.id,
    seq: 1,
    rev: 1,
    createdAt: '2026-04-01T00:00:00.000Z',
    updatedAt: '2026-04-01T00:00:00.000Z',
    deleted: false,
    firstName: 'Someone',
    lastName: 'Else',
    email: '',
    phone: '',
    organization: '',
    category: '',
    allowedRoomIds: null,
    userId: null,
    userLegacyId: 0,
    legacyId: 0,
    badgeCode: `placeholder-${id}`,
    legacyBadgeId: '',
    source: 'admin',
    ...patch,
  };
}

/** Amina: an account (user id, legacy id 42) with a server-signed badge and a printed legacy badge. */
export const AMINA_USER_ID = uid();
export const AMINA = participant({
  firstName: 'Amina',
  lastName: 'Benali',
  userId: AMINA_USER_ID,
  userLegacyId: 42,
  legacyBadgeId: 'USER-42-A1B2C3D4',
  badgeCode: serverBadge(AMINA_USER_ID),
  organization: 'CHU Mustapha',
});
/** Karim: may only enter the hall. Legacy id 7. */
export const KARIM = participant({
  firstName: 'Karim',
  lastName: 'Haddad',
  userLegacyId: 7,
  allowedRoomIds: [HALL.id],
});
/** Sara: registered for another event only (legacy id 99). */
export const SARA_ELSEWHERE = participant({
  firstName: 'Sara',
  lastName: 'Other',
  userLegacyId: 99,
  eventId: OTHER_EVENT_ID,
});
/** Nadia: her registration was cancelled (soft-deleted). Legacy id 55. */
export const NADIA_CANCELLED = participant({ firstName: 'Nadia', lastName: 'Gone', userLegacyId: 55, deleted: true });

export const PARTICIPANTS = [AMINA, KARIM, SARA_ELSEWHERE, NADIA_CANCELLED];
export const INDEX = indexParticipants(PARTICIPANTS);
export const TRUST = buildTrustList(keyRecords);

export function entitlement(patch: Partial<EntitlementRecord>): EntitlementRecord {
  return {
    id: uid(),
    eventId: EVENT.id,
    seq: 1,
    rev: 1,
    createdAt: '2026-04-01T00:00:00.000Z',
    updatedAt: '2026-04-01T00:00:00.000Z',
    deleted: false,
    participantId: AMINA.id,
    payableItemId: null,
    sessionId: WORKSHOP.id,
    status: 'paid',
    amountMinor: 250_000,
    source: 'sale',
    transactionId: null,
    revoked: false,
    ...patch,
  };
}

export function scan(patch: Partial<ScanRecord>): ScanRecord {
  return {
    id: uid(),
    eventId: EVENT.id,
    seq: 0,
    rev: 0,
    createdAt: '2026-05-01T00:00:00.000Z',
    updatedAt: '2026-05-01T00:00:00.000Z',
    deleted: false,
    deviceId: 'door-1',
    occurredAt: at('09:30').toISOString(),
    receivedAt: null,
    participantId: AMINA.id,
    badgeCode: AMINA.badgeCode,
    roomId: HALL.id,
    sessionId: null,
    direction: 'in',
    granted: true,
    reason: 'granted',
    issuedOffline: false,
    operatorId: null,
    ...patch,
  };
}

export interface DecideOptions {
  direction?: ScanDirection;
  now?: Date;
  event?: VerdictEvent;
  room?: Room | null;
  trust?: TrustList;
  entitlements?: EntitlementRecord[];
  history?: ScanRecord[];
}

/** The door's whole flow, as the phone runs it: resolve, look up, decide. */
export function decide(code: string, o: DecideOptions = {}) {
  const badge: ResolvedBadge = resolveBadge(code, o.trust ?? TRUST);
  const lookups = badge.status === 'valid' || badge.status === 'revoked' ? badge.lookups : [];
  const input: ScanVerdictInput<ParticipantRecord> = {
    badge,
    direction: o.direction ?? 'in',
    now: o.now ?? at('09:30'),
    event: o.event ?? EVENT,
    room: o.room === undefined ? HALL : o.room,
    roomSessions: SESSIONS,
    participant: findParticipant(INDEX, lookups),
    entitlements: o.entitlements ?? [],
    history: o.history ?? [],
  };
  return scanVerdict(input);
}
