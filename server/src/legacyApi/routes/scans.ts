import {
  type EventRecord,
  type ParticipantRecord,
  parseBadgeCode,
  type ScanRecord,
  type ScanVerdict,
  scanFactFields,
  scanMessage,
  scanVerdict,
} from '@makeplus/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app';
import { insertRecord } from '../../sync/recordStore';
import {
  type BadgeHolder,
  eventScope,
  findBadgeHolder,
  jsonWithoutUserId,
  mobileWrite,
  paidItemsOf,
  qrText,
  type Scope,
} from '../context';
import {
  detail,
  errorKey,
  invalidPk,
  LegacyError,
  legacyIntId,
  legacyUser,
  NO_PERMISSION,
  NOT_FOUND,
  paginate,
  parseDrf,
  requireFields,
  uuidParam,
} from '../http';
import type { LegacyQueries, UserRow } from '../queries';
import { decimalFloat, decimalString, fullName, legacyRole, roomAccessShape } from '../serializers';

/** The device id recorded on door facts written through the mobile API. */
const MOBILE_DEVICE = 'mobile-api';

const scanBody = z.object({ qr_data: z.unknown().optional(), session_id: z.unknown().optional() }).loose();

const startOfUtcDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

function person(p: ParticipantRecord | null, user: UserRow | null) {
  return {
    id: p ? String(p.legacyId) : null,
    name: p ? fullName(p) : user ? fullName(user) : '',
    email: p?.email || user?.email || '',
    badge_id: p?.legacyBadgeId || user?.legacyBadgeId || '',
  };
}

/**
 * Door control through the app (contract §4, §5.1): the controller's badge scan and statistics,
 * and the room door. Each scan runs the door's verdict (shared/doorControl/verdict.ts) and is
 * recorded as a scan fact, which syncs to the devices like a scan made on them.
 */
export function scanRoutes(services: Services, q: LegacyQueries) {
  async function judge(
    scope: Scope,
    text: string,
    room: { id: string; reentryPolicy: 'reentry_allowed' | 'after_exit' | 'once_per_session' } | null,
  ): Promise<{ holder: BadgeHolder; verdict: ScanVerdict<ParticipantRecord>; now: Date }> {
    const holder = await findBadgeHolder(q, scope.event.id, text);
    const now = new Date();
    const p = holder.participant;
    const [roomSessions, entitlements, history] = await Promise.all([
      room ? q.sessions(scope.event.id).then((l) => l.filter((s) => s.roomId === room.id)) : Promise.resolve([]),
      p ? q.entitlements(scope.event.id, [p.id]) : Promise.resolve([]),
      p && room ? q.scans(scope.event.id, { participantId: p.id, roomId: room.id }) : Promise.resolve([]),
    ]);
    const verdict = scanVerdict({
      badge: holder.badge,
      direction: 'in',
      now,
      event: scope.event,
      room,
      roomSessions,
      participant: p,
      entitlements,
      history,
    });
    // The door's device may not know the person; the server knows every account: a real account
    // without a registration here is `not_registered`, as the verdict says it of a signed badge.
    if (verdict.reason === 'unknown_person' && holder.user) {
      return {
        holder,
        verdict: { ...verdict, reason: 'not_registered', detail: null, message: scanMessage('not_registered') },
        now,
      };
    }
    return { holder, verdict, now };
  }

  /** One autocommitted statement: the sequence number, the fact and its audit entry (recordStore). */
  async function record(scope: Scope, request: FastifyRequest, verdict: ScanVerdict, now: Date): Promise<ScanRecord> {
    return insertRecord<ScanRecord>(
      services.db,
      'scans',
      scope.event.id,
      {
        ...scanFactFields(verdict),
        deviceId: MOBILE_DEVICE,
        occurredAt: now.toISOString(),
        receivedAt: now.toISOString(),
        operatorId: scope.principal.userId,
      },
      mobileWrite(scope, request),
    );
  }

  /** Who a recorded scan was about: the registration, else the account its code names. */
  async function peopleOfScans(event: EventRecord, scans: readonly ScanRecord[]) {
    const ids = [...new Set(scans.map((s) => s.participantId).filter((i): i is string => !!i))];
    const participants = new Map((await q.participantsOfEvent(event.id, { ids })).map((p) => [p.id, p]));
    const users = new Map<number, UserRow | null>();
    for (const s of scans) {
      if (s.participantId && participants.has(s.participantId)) continue;
      const parsed = parseBadgeCode(s.badgeCode);
      const legacyId = 'userLegacyId' in parsed ? parsed.userLegacyId : null;
      if (legacyId && !users.has(legacyId)) users.set(legacyId, (await q.userByLegacyId(legacyId)) ?? null);
    }
    return (s: ScanRecord) => {
      const p = s.participantId ? (participants.get(s.participantId) ?? null) : null;
      const parsed = parseBadgeCode(s.badgeCode);
      const u = !p && 'userLegacyId' in parsed ? (users.get(parsed.userLegacyId) ?? null) : null;
      return { participant: p, user: u };
    };
  }

  return async (app: FastifyInstance) => {
    // ---- the controller's badge scan (§4.1) --------------------------------------------------
    app.post('/participants/scan', async (request) => {
      const fail = (status: number, kind: 'invalid' | 'error', message: string, extra: Record<string, unknown> = {}) =>
        new LegacyError(status, { status: kind, message, ...extra });
      legacyUser(request);
      // Who may scan is settled before the body is read: a caller without the right gets 403 whatever it sends.
      const scope = await eventScope(request, services, q, {
        permission: 'scans.create',
        wording: (status, message) => fail(403, 'error', status === 404 ? 'Event not found' : message),
        none: () => fail(403, 'error', 'No active event assignment found for controller'),
      });
      const body = parseDrf(scanBody, request.body);
      const text = qrText(body.qr_data);
      if (!text.trim()) throw fail(400, 'invalid', 'QR data is required');
      if (jsonWithoutUserId(text)) throw fail(400, 'invalid', 'Invalid QR code format - user_id missing');
      const { holder, verdict, now } = await judge(scope, text, null);
      if (verdict.reason === 'unreadable') throw fail(400, 'invalid', 'Invalid QR code format');
      await record(scope, request, verdict, now);
      const event = { id: scope.event.id, name: scope.event.name };
      const who = person(holder.participant, holder.user);
      switch (verdict.reason) {
        case 'granted': {
          const p = holder.participant as ParticipantRecord;
          const paid = (await paidItemsOf(q, scope.event, [p.id])).get(p.id);
          return {
            status: 'success',
            participant: who,
            event,
            paid_items: paid?.items ?? [],
            total_paid_items: paid?.items.length ?? 0,
            total_amount: decimalFloat(paid?.totalMinor ?? 0, scope.event.currency),
            has_access: true,
          };
        }
        case 'unknown_person':
          if (!holder.user) throw fail(404, 'invalid', 'Invalid QR code - user not found');
          throw fail(403, 'error', 'Participant not registered for this event', { participant: who, event });
        case 'not_registered':
          throw fail(403, 'error', 'Participant not registered for this event', { participant: who, event });
        case 'forged':
          throw fail(400, 'invalid', 'Invalid QR code - badge not genuine', { reason: verdict.reason });
        default:
          throw fail(403, 'error', scanMessage(verdict.reason, verdict.detail).en, {
            reason: verdict.reason,
            participant: who,
            event,
          });
      }
    });

    // ---- the controller's statistics (§5.1) --------------------------------------------------
    app.get('/my-room/statistics', async (request) => {
      const none = () => errorKey(404, 'No active event assignment found');
      const scope = await eventScope(request, services, q, {
        wording: (status, message) => (status === 404 ? none() : errorKey(403, message)),
        none,
      });
      if (!scope.access.membershipId) throw none();
      if (!scope.access.permissions.has('scans.read')) throw errorKey(403, NO_PERMISSION);
      const now = new Date();
      const dayStart = startOfUtcDay(now);
      const today = (iso: string) => {
        const t = Date.parse(iso);
        return t >= dayStart && t < dayStart + 86_400_000;
      };
      const [roomList, sessionList, mine] = await Promise.all([
        q.rooms(scope.event.id),
        q.sessions(scope.event.id),
        q.scans(scope.event.id, { operatorId: scope.principal.userId, roomId: null }),
      ]);
      const activeRooms = new Set(roomList.filter((r) => r.isActive).map((r) => r.id));
      const mineToday = mine.filter((s) => today(s.occurredAt));
      const recent = mine.slice(0, 50);
      const who = await peopleOfScans(scope.event, recent);
      const paid = await paidItemsOf(q, scope.event, [
        ...new Set(recent.filter((s) => s.granted && s.participantId).map((s) => s.participantId as string)),
      ]);
      return {
        total_rooms: activeRooms.size,
        total_sessions_today: sessionList.filter((s) => activeRooms.has(s.roomId) && today(s.startsAt)).length,
        my_check_ins_today: mineToday.length,
        successful_scans_today: mineToday.filter((s) => s.granted).length,
        recent_scans: recent.map((s) => {
          const { participant, user } = who(s);
          const items = s.granted && s.participantId ? paid.get(s.participantId) : undefined;
          return {
            id: s.id,
            participant: {
              user_id: participant?.userLegacyId || user?.legacyId || null,
              name: participant ? fullName(participant) : user ? fullName(user) : '',
              email: participant?.email || user?.email || '',
              badge_id: participant?.legacyBadgeId || user?.legacyBadgeId || '',
            },
            scanned_at: s.occurredAt,
            status: s.granted ? 'success' : s.reason === 'not_registered' ? 'not_registered' : 'error',
            error_message: s.granted ? null : scanMessage(s.reason).en,
            total_paid_items: items?.items.length ?? 0,
            total_amount: decimalFloat(items?.totalMinor ?? 0, scope.event.currency),
          };
        }),
        role: legacyRole(scope.access.role),
        event: { id: scope.event.id, name: scope.event.name },
      };
    });

    // ---- a room's door (§4.3, the intended semantics, on our verdict) ------------------------
    app.post('/rooms/:id/verify_access', async (request, reply) => {
      const fail = (status: number, kind: 'invalid' | 'denied', message: string, extra: Record<string, unknown> = {}) =>
        new LegacyError(status, { status: kind, message, ...extra });
      const roomId = uuidParam((request.params as { id: string }).id);
      legacyUser(request);
      const eventId = await q.eventOf('rooms', roomId);
      if (!eventId) throw detail(404, NOT_FOUND);
      const scope = await eventScope(request, services, q, { requested: eventId, permission: 'scans.create' });
      if (scope.event.id !== eventId) throw detail(404, NOT_FOUND);
      const body = parseDrf(scanBody, request.body);
      const text = qrText(body.qr_data);
      if (!text.trim()) throw fail(400, 'invalid', 'QR data is required');
      const roomSessions = (await q.sessions(eventId)).filter((s) => s.roomId === roomId);
      if (body.session_id !== undefined && body.session_id !== null && body.session_id !== '') {
        const wanted = typeof body.session_id === 'string' ? body.session_id.toLowerCase() : '';
        const all = await q.sessions(eventId);
        if (!all.some((s) => s.id === wanted)) throw fail(404, 'invalid', 'Session not found');
        if (!roomSessions.some((s) => s.id === wanted)) throw fail(400, 'invalid', 'Session is not in this room');
      }
      if (jsonWithoutUserId(text)) throw fail(400, 'invalid', 'Invalid QR code format - user_id missing');
      const room = (await q.rooms(eventId)).find((r) => r.id === roomId);
      if (!room) throw detail(404, NOT_FOUND);
      const { holder, verdict, now } = await judge(scope, text, room);
      if (verdict.reason === 'unreadable') throw fail(400, 'invalid', 'Invalid QR code format');
      const scan = await record(scope, request, verdict, now);
      const who = person(holder.participant, holder.user);
      const session = roomSessions.find((s) => s.id === verdict.sessionId) ?? null;
      if (verdict.granted) {
        return reply.status(200).send({
          status: 'granted',
          message: 'Access granted successfully',
          participant: who,
          session: session ? { id: session.id, title: session.title, room: room.name } : null,
          access: { id: scan.id, accessed_at: scan.occurredAt },
        });
      }
      if (verdict.reason === 'payment_required')
        throw fail(402, 'denied', 'Payment required for this session', {
          participant: who,
          session: session
            ? {
                id: session.id,
                title: session.title,
                price: decimalString(session.priceMinor, scope.event.currency),
                start_time: session.startsAt,
              }
            : null,
        });
      if (verdict.reason === 'unknown_person' && !holder.user)
        throw fail(404, 'invalid', 'Invalid QR code - user not found');
      if (verdict.reason === 'not_registered' || verdict.reason === 'unknown_person')
        throw fail(403, 'denied', 'Participant not registered for this event', { participant: who });
      throw fail(403, 'denied', scanMessage(verdict.reason, verdict.detail).en, {
        reason: verdict.reason,
        participant: who,
      });
    });

    app.get('/rooms/:id/statistics', async (request) => {
      const roomId = uuidParam((request.params as { id: string }).id);
      legacyUser(request);
      const eventId = await q.eventOf('rooms', roomId);
      if (!eventId) throw detail(404, NOT_FOUND);
      const scope = await eventScope(request, services, q, {
        requested: eventId,
        permission: 'stats.read',
        wording: (status, message) =>
          status === 404
            ? detail(404, NOT_FOUND)
            : detail(
                403,
                message === NO_PERMISSION ? 'You do not have permission to view statistics for this room.' : message,
              ),
      });
      if (scope.event.id !== eventId) throw detail(404, NOT_FOUND);
      const room = (await q.rooms(eventId)).find((r) => r.id === roomId);
      if (!room) throw detail(404, NOT_FOUND);
      const scans = await q.scans(eventId, { roomId });
      const dayStart = startOfUtcDay(new Date());
      const todays = scans.filter((s) => Date.parse(s.occurredAt) >= dayStart);
      const uniq = (l: ScanRecord[]) =>
        new Set(l.filter((s) => s.granted && s.participantId).map((s) => s.participantId)).size;
      const recent = scans.slice(0, 20);
      const who = await peopleOfScans(scope.event, recent);
      const sessionsById = new Map((await q.sessions(eventId)).map((s) => [s.id, s]));
      const operators = await q.usersByIds(recent.map((s) => s.operatorId));
      return {
        room: { id: room.id, name: room.name, capacity: room.capacity },
        statistics: {
          total_scans: scans.length,
          today_scans: todays.length,
          granted: scans.filter((s) => s.granted).length,
          denied: scans.filter((s) => !s.granted).length,
          unique_participants: uniq(scans),
          unique_participants_today: uniq(todays),
        },
        recent_scans: recent.map((s) => {
          const { participant, user } = who(s);
          return {
            id: s.id,
            participant: person(participant, user),
            session: s.sessionId ? (sessionsById.get(s.sessionId)?.title ?? null) : null,
            status: s.granted ? 'granted' : 'denied',
            accessed_at: s.occurredAt,
            verified_by: s.operatorId ? (operators.get(s.operatorId)?.email ?? null) : null,
          };
        }),
      };
    });

    // ---- RoomAccess: the scans at room doors, read-only ------------------------------------
    const roomAccessQuery = z
      .object({
        room: z.uuid().optional(),
        room_id: z.uuid().optional(),
        participant: z.coerce.number().int().optional(),
        participant_id: z.coerce.number().int().optional(),
        status: z.enum(['granted', 'denied']).optional(),
        page: z.string().max(10).optional(),
      })
      .loose();
    async function roomAccessList(scope: Scope, filter: (s: ScanRecord) => boolean) {
      const scans = (await q.roomScans(scope.event.id)).filter(filter);
      const who = await peopleOfScans(scope.event, scans);
      const [roomList, sessionList, operators] = await Promise.all([
        q.rooms(scope.event.id),
        q.sessions(scope.event.id),
        q.usersByIds(scans.map((s) => s.operatorId)),
      ]);
      const roomNames = new Map(roomList.map((r) => [r.id, r.name]));
      const sessionTitles = new Map(sessionList.map((s) => [s.id, s.title]));
      return scans.map((s) =>
        roomAccessShape(s, {
          participant: who(s).participant ?? undefined,
          roomName: roomNames.get(s.roomId ?? '') ?? '',
          sessionTitle: s.sessionId ? (sessionTitles.get(s.sessionId) ?? null) : null,
          operator: s.operatorId ? operators.get(s.operatorId) : undefined,
          reason: scanMessage(s.reason).en,
        }),
      );
    }
    app.get('/room-access', async (request) => {
      const query = parseDrf(roomAccessQuery, request.query);
      const scope = await eventScope(request, services, q, { permission: 'scans.read' });
      const room = query.room ?? query.room_id;
      const participantLegacy = query.participant ?? query.participant_id;
      const participant =
        participantLegacy !== undefined
          ? await q.participant(scope.event.id, { legacyId: participantLegacy })
          : undefined;
      if (participantLegacy !== undefined && !participant) return paginate(request, []);
      const list = await roomAccessList(
        scope,
        (s) =>
          (!room || s.roomId === room) &&
          (!participant || s.participantId === participant.id) &&
          (!query.status || (query.status === 'granted') === s.granted),
      );
      return paginate(request, list);
    });
    app.get('/room-access/:id', async (request) => {
      const id = uuidParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { permission: 'scans.read' });
      const [one] = await roomAccessList(scope, (s) => s.id === id);
      if (!one) throw detail(404, NOT_FOUND);
      return one;
    });
    // A RoomAccess written through the API is a scan at that room's door by the caller: the door's
    // verdict decides granted or denied (a `status` sent by the client is not taken on trust).
    const roomAccessBody = z
      .object({
        participant: legacyIntId.optional(),
        participant_id: legacyIntId.optional(),
        room: z.uuid().optional(),
        room_id: z.uuid().optional(),
        session: z.uuid().nullish(),
      })
      .loose();
    app.post('/room-access', async (request, reply) => {
      const body = parseDrf(roomAccessBody, request.body);
      const scope = await eventScope(request, services, q, { permission: 'scans.create' });
      const legacyId = body.participant ?? body.participant_id;
      const roomId = (body.room ?? body.room_id)?.toLowerCase();
      requireFields({ participant: legacyId, room: roomId });
      const p = await q.participant(scope.event.id, { legacyId: legacyId as number });
      if (!p) throw invalidPk('participant', legacyId);
      const room = (await q.rooms(scope.event.id)).find((r) => r.id === roomId);
      if (!room) throw invalidPk('room', roomId);
      if (
        body.session &&
        !(await q.sessions(scope.event.id)).some((x) => x.id === body.session && x.roomId === room.id)
      )
        throw new LegacyError(400, { session: ['Session is not in this room'] });
      const { verdict, now } = await judge(scope, p.badgeCode, room);
      const scan = await record(scope, request, verdict, now);
      const [one] = await roomAccessList(scope, (x) => x.id === scan.id);
      return reply.status(201).send(one);
    });
    // Scans are facts: never edited, never deleted (a mistaken entry is answered by a new scan).
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      app.route({
        method,
        url: '/room-access/:id',
        handler: async (request) => {
          await eventScope(request, services, q, { permission: 'scans.read' });
          throw new LegacyError(405, { detail: `Method "${method}" not allowed.` });
        },
      });
    }

    // A room manager's lookup at the door (§4.4): who the badge is and what they paid; writes nothing.
    app.post('/rooms/:id/scan_participant', async (request) => {
      const fail = (status: number, kind: 'invalid' | 'error', message: string, extra: Record<string, unknown> = {}) =>
        new LegacyError(status, { status: kind, message, ...extra });
      const roomId = uuidParam((request.params as { id: string }).id);
      legacyUser(request);
      const eventId = await q.eventOf('rooms', roomId);
      if (!eventId) throw detail(404, NOT_FOUND);
      const scope = await eventScope(request, services, q, { requested: eventId, permission: 'scans.create' });
      if (scope.event.id !== eventId) throw detail(404, NOT_FOUND);
      const room = (await q.rooms(eventId)).find((r) => r.id === roomId);
      if (!room) throw detail(404, NOT_FOUND);
      const body = parseDrf(scanBody, request.body);
      const text = qrText(body.qr_data);
      if (!text.trim()) throw fail(400, 'invalid', 'QR data is required');
      if (jsonWithoutUserId(text)) throw fail(400, 'invalid', 'Invalid QR code format - user_id missing');
      const holder = await findBadgeHolder(q, eventId, text);
      if (holder.badge.status === 'unreadable') throw fail(400, 'invalid', 'Invalid QR code format');
      if (holder.badge.status === 'forged') throw fail(400, 'invalid', 'Invalid QR code - badge not genuine');
      const p = holder.participant && !holder.participant.deleted ? holder.participant : null;
      if (!p && !holder.user) throw fail(404, 'invalid', 'Invalid QR code - user not found');
      const who = person(p, holder.user);
      const event = { id: scope.event.id, name: scope.event.name };
      if (!p) throw fail(403, 'error', 'Participant not registered for this event', { participant: who, event });
      const paid = (await paidItemsOf(q, scope.event, [p.id])).get(p.id);
      const paidSessions = new Set(paid?.items.filter((i) => i.type === 'session').map((i) => i.id));
      const free = (await q.sessions(eventId))
        .filter((x) => x.roomId === roomId && !x.isPaid && !paidSessions.has(x.id))
        .map((x) => ({
          type: 'session',
          id: x.id,
          title: x.title,
          is_paid: false,
          payment_status: 'free',
          amount_paid: 0,
          has_access: true,
        }));
      return {
        status: 'success',
        participant: who,
        room: { id: room.id, name: room.name },
        event,
        paid_items: paid?.items ?? [],
        free_items: free,
        total_paid_items: paid?.items.length ?? 0,
        total_free_items: free.length,
        has_access: true,
      };
    });
  };
}
