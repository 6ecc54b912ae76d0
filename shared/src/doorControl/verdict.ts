import { type BadgePayload, type ParsedBadge, parseBadgeCode, verifyBadgeSignature } from '../badges/badgeCode';
import type { EntitlementRecord } from '../cashDesk/cashDesk';
import { dynamicEventStatus, type EventRecord, type EventStatus } from '../events/event';
import type { ParticipantRecord } from '../participants/participant';
import type { ReentryPolicy, RoomRecord } from '../rooms/room';
import { type SessionRecord, sessionRunningAt } from '../rooms/session';
import type { BadgeTrustRecord, ScanDirection, ScanReason, ScanRecord } from './scan';

/**
 * The door's decision, as pure functions over plain data: no storage, no clock, no network.
 * The phone runs it on its local copy the instant a badge is read; the server re-runs it on the
 * same facts (with `now` = the scan's `occurredAt`) to find admissions that should not have been.
 *
 * The flow, in three steps the caller glues together with its own storage:
 * 1. `resolveBadge(code, trust)`: parse the code, check the signature against the trust list,
 *    refuse revoked codes, and say what to look the person up by (`lookups`);
 * 2. the caller finds the participant (`findParticipant(index, lookups)` over an in-memory index,
 *    or a database query), that person's entitlements and earlier scans;
 * 3. `scanVerdict(input)`: walk every rule in a fixed order, the first refusal wins, each named:
 *    unreadable → forged → revoked → unknown_person → not_registered → event_not_running →
 *    room_not_allowed → payment_required → already_inside → granted (or `exit` on the way out).
 */

// ---------------------------------------------------------------------------------------------
// Trust list
// ---------------------------------------------------------------------------------------------

export interface TrustedKey {
  keyId: string;
  publicKey: string;
  owner: BadgeTrustRecord['keyOwner'];
  deviceId: string | null;
  /** Revoked, or published twice with different public keys: its signatures prove nothing. */
  usable: boolean;
  why: 'ok' | 'key_revoked' | 'key_conflict';
}

/**
 * The trust list, indexed once (rebuild it when a `badgeTrust` record changes), so each scan is
 * one map lookup and at most one signature check.
 */
export interface TrustList {
  keys: ReadonlyMap<string, TrustedKey>;
  /** Canonical revocation keys (see `revocationKeys`). */
  revoked: ReadonlySet<string>;
  /**
   * Memo of signature checks (`keyId` + code → valid). The trust list is immutable once built, so
   * the memo never goes stale; it saves the server ~1 ms per scan when it re-runs a day of scans.
   */
  verified: Map<string, boolean>;
}

type TrustInput = Pick<
  BadgeTrustRecord,
  'kind' | 'keyId' | 'keyOwner' | 'deviceId' | 'publicKey' | 'badgeCode' | 'revoked' | 'deleted'
>;

const VERIFIED_MEMO_MAX = 50_000;

/**
 * Index the synced `badgeTrust` records.
 * - `signing_key`: usable unless any live record for that key id says `revoked` (revocation wins
 *   over an older publication), or two live records give different public keys.
 * - `revoked_badge`: a live (not deleted) entry revokes its code; its `revoked` flag is not read,
 *   so a revocation can never be lost to a default value. Lift a revocation by deleting the entry.
 */
export function buildTrustList(records: Iterable<TrustInput>): TrustList {
  const keys = new Map<string, TrustedKey>();
  const revoked = new Set<string>();
  for (const r of records) {
    if (r.deleted) continue;
    if (r.kind === 'revoked_badge') {
      // An entry revokes its own canonical key: the first of the keys a scan of it would match.
      const own = revocationKeys(parseBadgeCode(r.badgeCode))[0];
      if (own) revoked.add(own);
      continue;
    }
    const prev = keys.get(r.keyId);
    if (!prev) {
      keys.set(r.keyId, {
        keyId: r.keyId,
        publicKey: r.publicKey,
        owner: r.keyOwner,
        deviceId: r.deviceId,
        usable: !r.revoked,
        why: r.revoked ? 'key_revoked' : 'ok',
      });
      continue;
    }
    if (r.revoked) {
      prev.usable = false;
      prev.why = 'key_revoked';
    } else if (prev.publicKey !== r.publicKey && prev.why !== 'key_revoked') {
      prev.usable = false;
      prev.why = 'key_conflict';
    }
  }
  return { keys, revoked, verified: new Map() };
}

/**
 * The revocation keys a scanned code is checked against; a revocation entry stores only the first
 * (its own canonical key).
 * A signed code is revoked by its exact text. Legacy codes carry no secret: revoking the plain
 * user id (`42`) refuses every legacy code of that person (`42`, `{"user_id":42}`,
 * `USER-42-…`); revoking a `USER-42-A1B2C3D4` badge id refuses that printed badge only.
 */
export function revocationKeys(parsed: ParsedBadge): string[] {
  switch (parsed.format) {
    case 'mkpl':
      return [`code:${parsed.code}`];
    case 'legacy_user_id':
    case 'legacy_json':
      return [`user:${parsed.userLegacyId}`];
    case 'legacy_badge_id':
      return [`badge:${parsed.badgeId}`, `user:${parsed.userLegacyId}`];
    case 'unreadable':
      return parsed.code ? [`raw:${parsed.code}`] : [];
  }
}

// ---------------------------------------------------------------------------------------------
// Step 1: resolve the code
// ---------------------------------------------------------------------------------------------

/** How to find the person behind a badge, best match first. */
export type BadgeLookup =
  | { by: 'badgeCode'; value: string }
  | { by: 'participantId'; value: string }
  | { by: 'userId'; value: string }
  | { by: 'userLegacyId'; value: number }
  | { by: 'legacyBadgeId'; value: string };

export type BadgeFormat = ParsedBadge['format'];

export type ForgedWhy = 'unknown_key' | 'bad_signature' | 'key_revoked' | 'key_conflict' | 'device_key_scope';

export type ResolvedBadge =
  | { status: 'unreadable'; code: string; format: 'unreadable'; why: string }
  | { status: 'forged'; code: string; format: 'mkpl'; why: ForgedWhy }
  | {
      status: 'revoked' | 'valid';
      code: string;
      format: Exclude<BadgeFormat, 'unreadable'>;
      /** The signed payload (MKPL1 codes only); trustworthy, since its signature was checked. */
      payload: BadgePayload | null;
      /** The key that signed it (MKPL1 codes only). */
      signer: TrustedKey | null;
      lookups: BadgeLookup[];
    };

/**
 * Parse a scanned code and check it against the trust list. Never throws.
 * - unreadable: not a badge format we know (`why` says what was wrong);
 * - forged: an MKPL1 code whose key id is unknown, whose key is revoked, whose signature does not
 *   verify, or signed by a device key without an event (a device may only issue walk-in badges of
 *   its own event, which always name it in `e`);
 * - revoked: the code is in the trust list's revoked badges;
 * - valid: genuine; `lookups` say how to find the person.
 */
export function resolveBadge(raw: string, trust: TrustList): ResolvedBadge {
  const parsed = parseBadgeCode(typeof raw === 'string' ? raw : '');
  if (parsed.format === 'unreadable')
    return { status: 'unreadable', code: parsed.code, format: 'unreadable', why: parsed.why };

  let payload: BadgePayload | null = null;
  let signer: TrustedKey | null = null;
  const lookups: BadgeLookup[] = [];

  if (parsed.format === 'mkpl') {
    const key = trust.keys.get(parsed.payload.k);
    if (!key) return forged(parsed.code, 'unknown_key');
    if (!key.usable) return forged(parsed.code, key.why === 'key_conflict' ? 'key_conflict' : 'key_revoked');
    if (!verified(parsed, key, trust)) return forged(parsed.code, 'bad_signature');
    if (key.owner === 'device' && !parsed.payload.e) return forged(parsed.code, 'device_key_scope');
    payload = parsed.payload;
    signer = key;
    lookups.push({ by: 'badgeCode', value: parsed.code });
    lookups.push(payload.e ? { by: 'participantId', value: payload.p } : { by: 'userId', value: payload.p });
  } else if (parsed.format === 'legacy_badge_id') {
    lookups.push({ by: 'legacyBadgeId', value: parsed.badgeId });
    lookups.push({ by: 'userLegacyId', value: parsed.userLegacyId });
  } else {
    lookups.push({ by: 'userLegacyId', value: parsed.userLegacyId });
  }

  const status = revocationKeys(parsed).some((k) => trust.revoked.has(k)) ? 'revoked' : 'valid';
  return { status, code: parsed.code, format: parsed.format, payload, signer, lookups };
}

function forged(code: string, why: ForgedWhy): ResolvedBadge {
  return { status: 'forged', code, format: 'mkpl', why };
}

/**
 * The Ed25519 check `resolveBadge` would run for this code, when it would run one (a signed code
 * under a usable key whose result is not yet remembered), so a caller with a faster verifier (the
 * browser's native WebCrypto) can run it first and hand the answer over with `rememberSignature`.
 */
export function pendingSignatureCheck(
  raw: string,
  trust: TrustList,
): { keyId: string; publicKey: string; signed: Uint8Array; signature: Uint8Array; code: string } | null {
  const parsed = parseBadgeCode(typeof raw === 'string' ? raw : '');
  if (parsed.format !== 'mkpl') return null;
  const key = trust.keys.get(parsed.payload.k);
  if (!key?.usable || trust.verified.has(signatureMemoKey(key.keyId, parsed.code))) return null;
  return {
    keyId: key.keyId,
    publicKey: key.publicKey,
    signed: parsed.signed,
    signature: parsed.signature,
    code: parsed.code,
  };
}

/** Record a signature check done elsewhere (see `pendingSignatureCheck`); `resolveBadge` then reuses it. */
export function rememberSignature(trust: TrustList, keyId: string, code: string, ok: boolean): void {
  if (trust.verified.size >= VERIFIED_MEMO_MAX) trust.verified.clear();
  trust.verified.set(signatureMemoKey(keyId, code), ok);
}

const signatureMemoKey = (keyId: string, code: string) => `${keyId}\u0000${code}`;

function verified(parsed: Extract<ParsedBadge, { format: 'mkpl' }>, key: TrustedKey, trust: TrustList): boolean {
  const memoKey = signatureMemoKey(key.keyId, parsed.code);
  const hit = trust.verified.get(memoKey);
  if (hit !== undefined) return hit;
  const ok = verifyBadgeSignature(parsed, key.publicKey);
  if (trust.verified.size >= VERIFIED_MEMO_MAX) trust.verified.clear();
  trust.verified.set(memoKey, ok);
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Step 2: find the person (in-memory index for the device; the server may query instead)
// ---------------------------------------------------------------------------------------------

/** What the verdict reads of a participant. */
export type VerdictParticipant = Pick<
  ParticipantRecord,
  'id' | 'eventId' | 'deleted' | 'allowedRoomIds' | 'firstName' | 'lastName'
>;
type IndexedParticipant = VerdictParticipant &
  Pick<ParticipantRecord, 'badgeCode' | 'userId' | 'userLegacyId' | 'legacyBadgeId'>;

export interface ParticipantIndex<P> {
  byBadgeCode: Map<string, P>;
  byId: Map<string, P>;
  byUserId: Map<string, P>;
  byUserLegacyId: Map<number, P>;
  byLegacyBadgeId: Map<string, P>;
}

/**
 * One pass over an event's participants (100,000 take a few tens of milliseconds), then every
 * lookup is O(1). A live registration wins over a deleted one sharing the same key.
 */
export function indexParticipants<P extends IndexedParticipant>(participants: Iterable<P>): ParticipantIndex<P> {
  const index: ParticipantIndex<P> = {
    byBadgeCode: new Map(),
    byId: new Map(),
    byUserId: new Map(),
    byUserLegacyId: new Map(),
    byLegacyBadgeId: new Map(),
  };
  const put = <K>(map: Map<K, P>, key: K, p: P) => {
    const prev = map.get(key);
    if (!prev || (prev.deleted && !p.deleted)) map.set(key, p);
  };
  for (const p of participants) {
    put(index.byId, p.id, p);
    if (p.badgeCode) put(index.byBadgeCode, p.badgeCode, p);
    if (p.userId) put(index.byUserId, p.userId, p);
    if (p.userLegacyId > 0) put(index.byUserLegacyId, p.userLegacyId, p);
    if (p.legacyBadgeId) put(index.byLegacyBadgeId, p.legacyBadgeId.toUpperCase(), p);
  }
  return index;
}

/** The first participant matching the lookups, in their order. */
export function findParticipant<P>(index: ParticipantIndex<P>, lookups: readonly BadgeLookup[]): P | null {
  for (const l of lookups) {
    const hit =
      l.by === 'badgeCode'
        ? index.byBadgeCode.get(l.value)
        : l.by === 'participantId'
          ? index.byId.get(l.value)
          : l.by === 'userId'
            ? index.byUserId.get(l.value)
            : l.by === 'userLegacyId'
              ? index.byUserLegacyId.get(l.value)
              : index.byLegacyBadgeId.get(l.value.toUpperCase());
    if (hit) return hit;
  }
  return null;
}

/** Lookups of a resolved badge (none for unreadable or forged codes, which must not be trusted). */
export function badgeLookups(badge: ResolvedBadge): readonly BadgeLookup[] {
  return badge.status === 'valid' || badge.status === 'revoked' ? badge.lookups : [];
}

// ---------------------------------------------------------------------------------------------
// Step 3: the verdict
// ---------------------------------------------------------------------------------------------

export type VerdictEvent = Pick<EventRecord, 'id' | 'status' | 'startsAt' | 'endsAt'>;
export type VerdictRoom = Pick<RoomRecord, 'id' | 'reentryPolicy'>;
export type VerdictSession = Pick<
  SessionRecord,
  'id' | 'roomId' | 'startsAt' | 'endsAt' | 'status' | 'deleted' | 'isPaid'
>;
export type VerdictEntitlement = Pick<
  EntitlementRecord,
  'participantId' | 'sessionId' | 'status' | 'revoked' | 'deleted'
>;
export type VerdictScan = Pick<
  ScanRecord,
  'participantId' | 'badgeCode' | 'roomId' | 'sessionId' | 'direction' | 'granted' | 'occurredAt' | 'deleted'
>;

export interface ScanVerdictInput<P extends VerdictParticipant = VerdictParticipant> {
  badge: ResolvedBadge;
  direction: ScanDirection;
  /** The moment of the scan: the device's clock, or the scan's `occurredAt` when re-run. */
  now: Date;
  event: VerdictEvent;
  /** The door's room; null for an event-level check (the venue entrance), which never refuses a return. */
  room: VerdictRoom | null;
  /** This room's sessions (others are ignored); the one running at `now` is the one that counts. */
  roomSessions: readonly VerdictSession[];
  /** The participant found through the badge's lookups, or null. */
  participant: P | null;
  /** This person's entitlements (others are ignored). */
  entitlements: readonly VerdictEntitlement[];
  /** This person's earlier scans (others, other rooms and scans at or after `now` are ignored). */
  history: readonly VerdictScan[];
}

export interface BilingualMessage {
  fr: string;
  en: string;
}

/** Refines a reason: why a code is unreadable or forged, the event's status, the room's policy. */
export type VerdictDetail =
  | ForgedWhy
  | EventStatus
  | ReentryPolicy
  | 'server_badge_unknown_person'
  | 'other_event'
  | 'registration_deleted'
  | 'offline_badge'
  | null;

export interface ScanVerdict<P extends VerdictParticipant = VerdictParticipant> {
  granted: boolean;
  reason: ScanReason;
  detail: VerdictDetail;
  direction: ScanDirection;
  /** The code as read (trimmed); what the scan fact records. */
  badgeCode: string;
  roomId: string | null;
  /** The session running in the room at `now`, whatever the outcome. */
  sessionId: string | null;
  /** The participant record, when the device knows the person. */
  participant: P | null;
  /** The participant's id, or the signed `p` of a walk-in badge not yet on this device (a UUID). */
  participantId: string | null;
  /** Name to greet: the participant's, or the one signed into the badge. */
  holderName: string | null;
  /** Part of the decision rested on the badge's signature alone: flag it for review after sync. */
  issuedOffline: boolean;
  message: BilingualMessage;
}

/** What each reason says at the door: what happened and what to do next. */
export const scanReasonMessages: Record<ScanReason, BilingualMessage> = {
  unreadable: {
    fr: 'Code illisible. Rescannez le badge ou saisissez le code à la main.',
    en: 'Unreadable code. Scan the badge again or type the code in.',
  },
  forged: {
    fr: "Badge non authentique (signature invalide ou clé inconnue). Refusez l'entrée ; si le badge vient d'être émis, synchronisez l'appareil, sinon orientez la personne vers l'accueil.",
    en: 'Badge not genuine (invalid signature or unknown key). Refuse entry; if the badge was just issued, sync this device, otherwise send the person to the registration desk.',
  },
  revoked: {
    fr: "Badge révoqué (perdu ou remplacé). Refusez l'entrée et orientez la personne vers l'accueil pour obtenir son badge actuel.",
    en: 'Badge revoked (lost or replaced). Refuse entry and send the person to the registration desk for their current badge.',
  },
  unknown_person: {
    fr: "Personne introuvable sur cet appareil. Synchronisez l'appareil, ou orientez la personne vers l'accueil.",
    en: 'Person not found on this device. Sync the device, or send the person to the registration desk.',
  },
  not_registered: {
    fr: "Badge valide, mais pas d'inscription à cet événement sur cet appareil. Si l'inscription est récente, synchronisez l'appareil ; sinon orientez la personne vers l'accueil.",
    en: 'Valid badge, but no registration for this event on this device. If they registered just now, sync the device; otherwise send them to the registration desk.',
  },
  event_not_running: {
    fr: "L'événement n'est pas en cours. Vérifiez la date et l'heure de l'appareil.",
    en: "The event is not running. Check the device's date and time.",
  },
  room_not_allowed: {
    fr: "Cette salle n'est pas ouverte à ce participant. Indiquez-lui ses salles, ou orientez-le vers l'accueil.",
    en: 'This room is not open to this participant. Point them to their rooms, or to the registration desk.',
  },
  payment_required: {
    fr: "Séance payante : aucun droit d'accès valide. Orientez la personne vers la caisse.",
    en: 'Paid session: no valid entitlement. Send the person to the cash desk.',
  },
  already_inside: {
    fr: "Déjà entré : aucune sortie n'a été enregistrée depuis la dernière entrée. Scannez la sortie d'abord, ou appelez un responsable.",
    en: 'Already inside: no exit was recorded since the last entry. Scan the exit first, or call a supervisor.',
  },
  granted: { fr: 'Entrée autorisée.', en: 'Entry granted.' },
  exit: { fr: 'Sortie enregistrée.', en: 'Exit recorded.' },
};

const detailMessages: Partial<Record<Exclude<VerdictDetail, null>, BilingualMessage>> = {
  key_revoked: {
    fr: "Badge signé par une clé révoquée. Refusez l'entrée et orientez la personne vers l'accueil.",
    en: 'Badge signed by a revoked key. Refuse entry and send the person to the registration desk.',
  },
  upcoming: {
    fr: "L'événement n'a pas encore commencé. Revenez à l'ouverture ; vérifiez aussi l'heure de l'appareil.",
    en: "The event has not started yet. Come back at opening time; also check the device's clock.",
  },
  completed: {
    fr: "L'événement est terminé. Plus aucune entrée n'est possible.",
    en: 'The event is over. No more entries are possible.',
  },
  cancelled: {
    fr: "L'événement est annulé. Aucune entrée n'est possible ; renseignez-vous auprès de l'organisateur.",
    en: 'The event is cancelled. No entry is possible; ask the organizer.',
  },
  once_per_session: {
    fr: 'Déjà entré pendant cette séance : une seule entrée par séance dans cette salle. Appelez un responsable si besoin.',
    en: 'Already entered during this session: one entry per session in this room. Call a supervisor if needed.',
  },
  other_event: {
    fr: "Badge d'un autre événement. Orientez la personne vers l'accueil pour s'inscrire.",
    en: 'Badge of another event. Send the person to the registration desk to register.',
  },
  registration_deleted: {
    fr: "Inscription annulée pour cet événement. Orientez la personne vers l'accueil.",
    en: 'Registration cancelled for this event. Send the person to the registration desk.',
  },
  offline_badge: {
    fr: 'Entrée autorisée sur la signature du badge (inscription pas encore reçue) ; à vérifier après synchronisation.',
    en: 'Entry granted on the badge signature (registration not yet received); to be reviewed after sync.',
  },
};

/** The message shown for a reason, refined by its detail when there is a more precise one. */
export function scanMessage(reason: ScanReason, detail: VerdictDetail = null): BilingualMessage {
  if (reason === 'granted' && detail !== 'offline_badge') return scanReasonMessages.granted;
  return (detail && detailMessages[detail]) || scanReasonMessages[reason];
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The scan verdict: every rule in a fixed order, the first refusal wins. Never throws.
 *
 * A signed badge whose person is not on this device:
 * - device-issued (`e` is this event): a walk-in registered offline at a cash desk. Admitted on
 *   the signature (every room, paid sessions only when listed in the signed grants `g`), with
 *   `issuedOffline: true`, so the server flags it for review once the facts meet.
 * - device-issued for another event: `not_registered`.
 * - server-issued (no `e`): `not_registered`. A person badge is permanent and valid in every event
 *   the person attends, and the server signs one for every account, so its signature proves who
 *   the person is but not that they registered here; admitting it would open every event to
 *   everyone who ever had an account. The message asks to sync the device or go to the desk.
 *
 * Exits walk the identity rules (code, person, registration) and then record `exit`, granted:
 * leaving is never refused for the event's schedule, a room list or a payment.
 */
export function scanVerdict<P extends VerdictParticipant>(input: ScanVerdictInput<P>): ScanVerdict<P> {
  const { badge, direction, now, event, room } = input;
  const nowMs = now.getTime();
  const roomId = room?.id ?? null;
  const session = room ? sessionRunningAt(input.roomSessions, room.id, now) : undefined;
  const sessionId = session?.id ?? null;

  let participant: P | null = null;
  let participantId: string | null = null;
  let holderName: string | null = null;
  let issuedOffline = false;

  const verdict = (reason: ScanReason, detail: VerdictDetail = null): ScanVerdict<P> => ({
    granted: reason === 'granted' || reason === 'exit',
    reason,
    detail,
    direction,
    badgeCode: badge.code,
    roomId,
    sessionId,
    participant,
    participantId,
    holderName,
    issuedOffline,
    message: scanMessage(reason, detail),
  });

  // 1. The code itself.
  if (badge.status === 'unreadable') return verdict('unreadable');
  if (badge.status === 'forged') return verdict('forged', badge.why);
  const payload = badge.payload;
  if (input.participant) {
    participant = input.participant;
    participantId = participant.id;
    holderName = `${participant.firstName} ${participant.lastName}`.trim();
  } else if (payload) {
    holderName = payload.n ?? null;
  }
  if (badge.status === 'revoked') return verdict('revoked');

  // 2. The person, 3. their registration for this event.
  let allowedRoomIds: readonly string[] | null = null;
  if (participant) {
    if (participant.eventId !== event.id) return verdict('not_registered', 'other_event');
    if (participant.deleted) return verdict('not_registered', 'registration_deleted');
    allowedRoomIds = participant.allowedRoomIds;
  } else if (payload) {
    if (!payload.e) return verdict('not_registered', 'server_badge_unknown_person');
    if (payload.e !== event.id) return verdict('not_registered', 'other_event');
    participantId = UUID_RE.test(payload.p) ? payload.p.toLowerCase() : null;
    issuedOffline = true;
  } else {
    return verdict('unknown_person');
  }

  const mine = (personCode: string | null, personId: string | null) =>
    (participantId !== null && personId === participantId) || personCode === badge.code;

  if (direction === 'out') return verdict('exit');

  // 4. The event is running (its dynamic status: upcoming, completed or cancelled refuse).
  const status = dynamicEventStatus(event, now);
  if (status !== 'active') return verdict('event_not_running', status);

  // 5. The room is open to this person.
  if (room && allowedRoomIds !== null && !allowedRoomIds.includes(room.id)) return verdict('room_not_allowed');

  // 6. A paid session needs a live entitlement (paid or free; revoked and pending do not count).
  if (session?.isPaid) {
    let live = false;
    let known = false;
    for (const e of input.entitlements) {
      if (e.deleted || e.sessionId !== session.id || !mine(null, e.participantId)) continue;
      known = true;
      if (!e.revoked && (e.status === 'paid' || e.status === 'free')) {
        live = true;
        break;
      }
    }
    if (!live) {
      // The signed grants stand in for entitlements the device has not received yet; any record
      // of that session (revoked, pending) is newer knowledge and wins over the badge.
      if (!known && payload?.g?.includes(session.id)) issuedOffline = true;
      else return verdict('payment_required');
    }
  }

  // 7. A second entry, per the room's policy.
  if (room && room.reentryPolicy !== 'reentry_allowed') {
    let inside = false;
    let enteredThisSession = false;
    let lastMs = -Infinity;
    // History may come in any order: take the latest granted scan, exits winning ties.
    for (const s of input.history) {
      if (s.deleted || !s.granted || s.roomId !== room.id || !mine(s.badgeCode, s.participantId)) continue;
      const t = Date.parse(s.occurredAt);
      if (!(t < nowMs)) continue;
      if (s.direction === 'in' && sessionId !== null && s.sessionId === sessionId) enteredThisSession = true;
      if (t > lastMs || (t === lastMs && s.direction === 'out')) {
        lastMs = t;
        inside = s.direction === 'in';
      }
    }
    if (room.reentryPolicy === 'once_per_session' && enteredThisSession)
      return verdict('already_inside', 'once_per_session');
    if (inside) return verdict('already_inside', room.reentryPolicy);
  }

  return verdict('granted', issuedOffline ? 'offline_badge' : null);
}

/** The fields of a scan fact (`ScanRecord`) a verdict decides. */
export function scanFactFields(
  v: ScanVerdict,
): Pick<
  ScanRecord,
  'participantId' | 'badgeCode' | 'roomId' | 'sessionId' | 'direction' | 'granted' | 'reason' | 'issuedOffline'
> {
  return {
    participantId: v.participantId,
    badgeCode: v.badgeCode.slice(0, 2048),
    roomId: v.roomId,
    sessionId: v.sessionId,
    direction: v.direction,
    granted: v.granted,
    reason: v.reason,
    issuedOffline: v.issuedOffline,
  };
}
