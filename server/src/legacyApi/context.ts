import {
  type BadgeLookup,
  badgeLookups,
  buildTrustList,
  type EntitlementRecord,
  type EventRecord,
  isUuid,
  type ParticipantRecord,
  type Permission,
  type ResolvedBadge,
  resolveBadge,
} from '@makeplus/shared';
import type { FastifyRequest } from 'fastify';
import type { EventAccess, Principal } from '../accounts/principal';
import { actorOf } from '../accounts/principal';
import type { Services } from '../app';
import { requestDeviceId, resolveEventAccess } from '../http/auth';
import { AppError } from '../http/errors';
import type { WriteContext } from '../sync/recordStore';
import { detail, type LegacyError, legacyUser, NO_PERMISSION } from './http';
import type { LegacyQueries, UserRow } from './queries';
import { decimalFloat, fullName, legacyRole } from './serializers';

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface Scope {
  principal: UserPrincipal;
  access: EventAccess;
  event: EventRecord;
}

/** How a route words the refusals of the authorization layer (the original's bodies differ by view). */
export type RefusalWording = (status: 403 | 404, message: string) => LegacyError;
const drfWording: RefusalWording = (status, message) =>
  status === 404 ? detail(404, 'Not found.') : detail(403, message);

/**
 * The event a mobile request works in: the token's `event_id` (the original used the caller's
 * first staff assignment for scans, statistics, /auth/me/ and announcements; we always use the
 * event the person selected), or, for a token without one, the requested or first event.
 * Authorization is `resolveEventAccess`, the same single layer as the REST API and sync.
 */
export async function eventScope(
  request: FastifyRequest,
  services: Services,
  q: LegacyQueries,
  options: {
    requested?: string | null;
    permission?: Permission;
    wording?: RefusalWording;
    none?: () => LegacyError;
  } = {},
): Promise<Scope> {
  const principal = legacyUser(request);
  const wording = options.wording ?? drfWording;
  const requested = options.requested ?? null;
  const eventId = principal.eventId ?? requested ?? (await q.fallbackEventId(principal.userId));
  if (!eventId) throw options.none ? options.none() : wording(403, 'You do not have access to any event.');
  if (!isUuid(eventId)) throw wording(404, 'Event not found');
  let access: EventAccess;
  try {
    access = await resolveEventAccess(services.db, principal, eventId);
  } catch (err) {
    if (err instanceof AppError && (err.statusCode === 403 || err.statusCode === 404))
      throw wording(err.statusCode, err.message);
    throw err;
  }
  if (options.permission && !access.permissions.has(options.permission)) throw wording(403, NO_PERMISSION);
  const event = await q.event(eventId);
  if (!event) throw wording(404, 'Event not found');
  return { principal, access, event };
}

export function mobileWrite(scope: Pick<Scope, 'access'>, request: FastifyRequest): WriteContext {
  return { actor: actorOf(scope.access.principal), via: 'mobile', ip: request.ip, deviceId: requestDeviceId(request) };
}

// ---------------------------------------------------------------------------------------------
// Paid items: what the original's scan reply and qr_code listed, from our entitlements
// ---------------------------------------------------------------------------------------------

export interface PaidItem {
  type: string;
  id: string;
  title: string;
  is_paid: true;
  payment_status: 'paid';
  amount_paid: number;
  has_access: true;
  transaction_date: string;
  session_details?: { start_time: string; end_time: string; room: string; room_id: string };
}

/**
 * Each person's live entitlements (derived by the server from completed sales, revoked when a sale
 * is cancelled, or granted by an organizer), as the original's `paid_items`: one per session or
 * item, deduplicated.
 */
export async function paidItemsOf(
  q: LegacyQueries,
  event: EventRecord,
  participantIds: readonly string[],
): Promise<Map<string, { items: PaidItem[]; totalMinor: number; entitlements: EntitlementRecord[] }>> {
  const out = new Map<string, { items: PaidItem[]; totalMinor: number; entitlements: EntitlementRecord[] }>();
  for (const id of participantIds) out.set(id, { items: [], totalMinor: 0, entitlements: [] });
  const all = await q.entitlements(event.id, participantIds);
  const liveOnes = all.filter((e) => !e.revoked && (e.status === 'paid' || e.status === 'free'));
  if (!liveOnes.length) {
    for (const e of all) out.get(e.participantId)?.entitlements.push(e);
    return out;
  }
  const [items, sessions, rooms, txs] = await Promise.all([
    q.payableItems(event.id),
    q.sessions(event.id),
    q.rooms(event.id),
    q.transactionsByIds([...new Set(liveOnes.map((e) => e.transactionId).filter((t): t is string => !!t))]),
  ]);
  const itemById = new Map(items.map((i) => [i.id, i]));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const roomById = new Map(rooms.map((r) => [r.id, r]));
  const txById = new Map(txs.map((t) => [t.id, t]));
  for (const e of all) out.get(e.participantId)?.entitlements.push(e);
  for (const e of liveOnes) {
    const bucket = out.get(e.participantId);
    if (!bucket) continue;
    const item = e.payableItemId ? itemById.get(e.payableItemId) : undefined;
    const session = e.sessionId ? sessionById.get(e.sessionId) : undefined;
    const key = session ? session.id : String(item?.legacyId ?? e.id);
    if (bucket.items.some((i) => i.id === key)) continue;
    const room = session ? roomById.get(session.roomId) : undefined;
    bucket.totalMinor += e.amountMinor;
    bucket.items.push({
      type: session ? 'session' : (item?.kind ?? 'other'),
      id: key,
      title: item?.name ?? session?.title ?? '',
      is_paid: true,
      payment_status: 'paid',
      amount_paid: decimalFloat(e.amountMinor, event.currency),
      has_access: true,
      transaction_date: (e.transactionId && txById.get(e.transactionId)?.occurredAt) || e.createdAt,
      ...(session
        ? {
            session_details: {
              start_time: session.startsAt,
              end_time: session.endsAt,
              room: room?.name ?? '',
              room_id: session.roomId,
            },
          }
        : {}),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The qr_code payload (login, select/switch, signup verify, /auth/me/)
// ---------------------------------------------------------------------------------------------

/**
 * The original built it from the caller's first staff assignment; ours is about the event the
 * token is for (or the same fallback when the token has none). The badge QR the app draws from it
 * holds the user id, which every scanner of ours reads.
 */
export async function qrCodePayload(services: Services, q: LegacyQueries, user: UserRow, eventId: string | null) {
  const base = {
    user_id: user.legacyId,
    badge_id: user.legacyBadgeId,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    full_name: fullName(user),
  };
  const scopeId = eventId ?? (await q.fallbackEventId(user.id));
  if (!scopeId) return base;
  const event = await q.event(scopeId);
  if (!event) return base;
  const principal: UserPrincipal = {
    kind: 'user',
    userId: user.id,
    userLegacyId: user.legacyId,
    email: user.email,
    displayName: '',
    isPlatformAdmin: user.isPlatformAdmin,
    eventId: null,
    tokenId: '',
    tokenExp: 0,
  };
  let access: EventAccess;
  try {
    access = await resolveEventAccess(services.db, principal, scopeId);
  } catch {
    return base;
  }
  const withEvent = {
    ...base,
    role: legacyRole(access.role),
    event: { id: event.id, name: event.name, start_date: event.startsAt, end_date: event.endsAt },
  };
  if (!access.participantId) return withEvent;
  const participant = await q.participant(event.id, { id: access.participantId });
  if (!participant) return withEvent;
  return { ...withEvent, ...(await participantQrData(q, event, participant)) };
}

/** The participant part of the payload (also a Participant's `qr_code_data`). */
export async function participantQrData(q: LegacyQueries, event: EventRecord, participant: ParticipantRecord) {
  const [paid, scans] = await Promise.all([
    paidItemsOf(q, event, [participant.id]),
    q.scans(event.id, { participantId: participant.id }),
  ]);
  const mine = paid.get(participant.id) ?? { items: [], totalMinor: 0 };
  const firstIn = scans.filter((s) => s.granted && s.direction === 'in').at(-1);
  const sessions = mine.items.filter((i) => i.type === 'session');
  return {
    participant_id: String(participant.legacyId),
    badge_id: participant.legacyBadgeId,
    is_checked_in: !!firstIn,
    checked_in_at: firstIn?.occurredAt ?? null,
    paid_items: mine.items,
    total_paid_items: mine.items.length,
    access_summary: {
      total_sessions: sessions.length,
      paid_sessions: sessions.length,
      total_rooms: 0,
      has_any_paid_access: mine.items.length > 0,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Badges: the door's resolution, against the database
// ---------------------------------------------------------------------------------------------

/** The raw QR text: the app sends a string, older builds a JSON object; numbers are ids. */
export function qrText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value && typeof value === 'object') return JSON.stringify(value);
  return '';
}

/** Whether a QR text is JSON without a user id (the original's "user_id missing"). */
export function jsonWithoutUserId(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('{')) return false;
  try {
    const v = JSON.parse(t) as Record<string, unknown>;
    return v.user_id === undefined || v.user_id === null || v.user_id === '';
  } catch {
    return false;
  }
}

export interface BadgeHolder {
  badge: ResolvedBadge;
  /** The live registration in this event, or a deleted one, or null. */
  participant: ParticipantRecord | null;
  /** The account behind the badge, when the code names one. */
  user: UserRow | null;
}

/**
 * Resolve a scanned code with the door's rules (shared/doorControl: parse, signature against the
 * event's trust list, revocation) and find the person in the event, by each of the badge's lookups
 * in order (plain user id, `{"user_id":…}` JSON, `USER-<id>-<hex>` badge ids, MKPL1 codes).
 */
export async function findBadgeHolder(q: LegacyQueries, eventId: string, text: string): Promise<BadgeHolder> {
  const trust = buildTrustList((await q.badgeTrust(eventId)) as never);
  const badge = resolveBadge(text, trust);
  let participant: ParticipantRecord | null = null;
  for (const l of badgeLookups(badge)) {
    if ((l.by === 'participantId' || l.by === 'userId') && !isUuid(l.value)) continue;
    const rows = await q.participantsBy(eventId, byColumn(l), l.value);
    const hit = rows.find((r) => !r.deleted) ?? rows[0];
    if (hit) {
      participant = hit;
      break;
    }
  }
  let user: UserRow | null = null;
  if (participant?.userId) user = (await q.userById(participant.userId)) ?? null;
  if (!user) {
    for (const l of badgeLookups(badge)) {
      if (l.by === 'userLegacyId') user = (await q.userByLegacyId(l.value)) ?? null;
      else if (l.by === 'userId' && isUuid(l.value)) user = (await q.userById(l.value)) ?? null;
      if (user) break;
    }
  }
  return { badge, participant, user };
}

function byColumn(l: BadgeLookup): 'badgeCode' | 'id' | 'userId' | 'userLegacyId' | 'legacyBadgeId' {
  return l.by === 'participantId' ? 'id' : l.by;
}

export function forbiddenText(): string {
  return NO_PERMISSION;
}
