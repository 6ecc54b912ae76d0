import {
  type EventRecord,
  eventCreateInput,
  eventUpdateInput,
  occupancy,
  parseDecimalToMinor,
  type RoomRecord,
  roomCreateInput,
  roomUpdateInput,
  type SessionRecord,
  sessionCreateInput,
  sessionUpdateInput,
} from '@makeplus/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../accounts/principal';
import type { Services } from '../../app';
import { requestDeviceId } from '../../http/auth';
import { resourceService } from '../../records/crud';
import { roomResource, sessionResource } from '../../rooms/resources';
import { eventScope, mobileWrite, type Scope } from '../context';
import {
  detail,
  LegacyError,
  legacyUser,
  NO_PERMISSION,
  NOT_FOUND,
  paginate,
  parseDrf,
  uuidParam,
  withFieldNames,
} from '../http';
import type { LegacyQueries } from '../queries';
import {
  fullEvent,
  legacyRole,
  roomDetail,
  roomListItem,
  sessionShape,
  sessionStatusByLegacy,
  sessionTypeByLegacy,
} from '../serializers';

/** Our field names → the contract's, for validation errors. */
const SESSION_NAMES: Record<string, string> = {
  roomId: 'room',
  startsAt: 'start_time',
  endsAt: 'end_time',
  speakerName: 'speaker_name',
  speakerTitle: 'speaker_title',
  speakerBio: 'speaker_bio',
  speakerPhotoUrl: 'speaker_photo_url',
  coverImageUrl: 'cover_image_url',
  youtubeLiveUrl: 'youtube_live_url',
  sessionType: 'session_type',
  isPaid: 'is_paid',
  priceMinor: 'price',
  capacity: 'max_participants',
};
const ROOM_NAMES: Record<string, string> = { isActive: 'is_active' };

/** The app may send null for any text field; the original refused that, we read it as empty. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((v) => v ?? '');
const legacySessionBody = z
  .object({
    event: z.uuid().nullish(),
    event_id: z.uuid().nullish(),
    room: z.uuid().nullish(),
    room_id: z.uuid().nullish(),
    title: z.string().max(200).nullish(),
    description: text(20_000).optional(),
    start_time: z.string().max(64).nullish(),
    end_time: z.string().max(64).nullish(),
    speaker_name: text(100).optional(),
    speaker_title: text(100).optional(),
    speaker_bio: text(10_000).optional(),
    speaker_photo_url: text(1000).optional(),
    cover_image_url: text(1000).optional(),
    youtube_live_url: text(1000).optional(),
    theme: text(100).optional(),
    session_type: z.string().max(60).nullish(),
    status: z.string().max(60).nullish(),
    is_paid: z.boolean().nullish(),
    price: z.union([z.string().max(40), z.number()]).nullish(),
    max_participants: z.int().min(1).max(1_000_000).nullish(),
  })
  .loose();
type LegacySessionBody = z.infer<typeof legacySessionBody>;

/** The contract's session body → our session fields (only those sent, for partial updates). */
function sessionFields(b: LegacySessionBody, currency: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const bad: Record<string, string[]> = {};
  const room = b.room ?? b.room_id;
  if (room) out.roomId = room;
  if (b.title !== undefined && b.title !== null) out.title = b.title;
  if (b.start_time) out.startsAt = b.start_time;
  if (b.end_time) out.endsAt = b.end_time;
  const texts = {
    description: b.description,
    speakerName: b.speaker_name,
    speakerTitle: b.speaker_title,
    speakerBio: b.speaker_bio,
    speakerPhotoUrl: b.speaker_photo_url,
    coverImageUrl: b.cover_image_url,
    youtubeLiveUrl: b.youtube_live_url,
    theme: b.theme,
  };
  for (const [k, v] of Object.entries(texts)) if (v !== undefined) out[k] = v;
  if (b.session_type) {
    const t = sessionTypeByLegacy[b.session_type];
    if (t) out.sessionType = t;
    else bad.session_type = [`"${b.session_type}" is not a valid choice.`];
  }
  if (b.status) {
    const s = sessionStatusByLegacy[b.status];
    if (s) out.status = s;
    else bad.status = [`"${b.status}" is not a valid choice.`];
  }
  if (b.is_paid !== undefined && b.is_paid !== null) out.isPaid = b.is_paid;
  if (b.price !== undefined && b.price !== null && b.price !== '') {
    const minor = parseDecimalToMinor(b.price, currency);
    if (minor === null) bad.price = ['A valid number is required.'];
    else out.priceMinor = minor;
  }
  if (b.max_participants !== undefined) out.capacity = b.max_participants;
  if (Object.keys(bad).length) throw new LegacyError(400, bad);
  return out;
}

const legacyRoomBody = z
  .object({
    event: z.uuid().nullish(),
    event_id: z.uuid().nullish(),
    name: z.string().max(100).nullish(),
    capacity: z.union([z.int(), z.string().regex(/^\d{1,7}$/)]).nullish(),
    description: text(5000).optional(),
    location: text(200).optional(),
    is_active: z.boolean().nullish(),
  })
  .loose();
function roomFields(b: z.infer<typeof legacyRoomBody>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (b.name !== undefined && b.name !== null) out.name = b.name;
  if (b.capacity !== undefined && b.capacity !== null) out.capacity = Number(b.capacity);
  if (b.description !== undefined) out.description = b.description;
  // The app's create call sends no location: ours is optional (empty), the original's was required.
  if (b.location !== undefined) out.location = b.location;
  if (b.is_active !== undefined && b.is_active !== null) out.isActive = b.is_active;
  return out;
}

/** Our event fields → the contract's names (validation errors name what the app sent). */
const EVENT_NAMES: Record<string, string> = {
  startsAt: 'start_date',
  endsAt: 'end_date',
  venue: 'location',
  locationUrl: 'location_url',
  locationDetails: 'location_details',
  primaryColor: 'primary_color',
  registrationEnabled: 'registration_enabled',
};
/**
 * The contract's Event write body (§1.1). Files (logo, banner, programme, guide) are uploaded in
 * the console; `settings` holds our permission overrides and 2FA policy, which only the console
 * edits; `organizer_contact`, `payment_link` and the registration texts have no place in our
 * events: all of those are accepted and ignored, as DRF ignores unknown keys.
 */
const legacyEventBody = z
  .object({
    name: z.string().max(200).nullish(),
    description: text(20_000).optional(),
    start_date: z.string().max(64).nullish(),
    end_date: z.string().max(64).nullish(),
    location: text(200).optional(),
    location_url: z.string().max(1000).nullish(),
    location_details: text(5000).optional(),
    primary_color: z.string().max(20).nullish(),
    status: z.string().max(20).nullish(),
    registration_enabled: z.boolean().nullish(),
    themes: z.array(z.string().max(100)).max(200).nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
function eventFields(b: z.infer<typeof legacyEventBody>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (b.name !== undefined && b.name !== null) out.name = b.name;
  if (b.description !== undefined) out.description = b.description;
  if (b.start_date) out.startsAt = b.start_date;
  if (b.end_date) out.endsAt = b.end_date;
  if (b.location !== undefined) out.venue = b.location;
  if (b.location_url !== undefined) out.locationUrl = b.location_url || null;
  if (b.location_details !== undefined) out.locationDetails = b.location_details;
  if (b.primary_color) out.primaryColor = b.primary_color;
  if (b.status) out.status = b.status;
  if (b.registration_enabled !== undefined && b.registration_enabled !== null)
    out.registrationEnabled = b.registration_enabled;
  if (b.themes) out.themes = b.themes;
  if (b.metadata) out.metadata = b.metadata;
  return out;
}

const listQuery = z
  .object({
    event: z.string().max(64).optional(),
    event_id: z.string().max(64).optional(),
    room: z.string().max(64).optional(),
    room_id: z.string().max(64).optional(),
    status: z.string().max(60).optional(),
    theme: z.string().max(100).optional(),
    session_type: z.string().max(60).optional(),
    is_paid: z.enum(['true', 'false', 'True', 'False']).optional(),
    is_active: z.enum(['true', 'false', 'True', 'False']).optional(),
    search: z.string().max(200).optional(),
    ordering: z.string().max(60).optional(),
    page: z.string().max(10).optional(),
  })
  .loose();

const contains = (hay: string, needle: string) => hay.toLowerCase().includes(needle.toLowerCase());

function order<T>(items: T[], ordering: string | undefined, keys: Record<string, (t: T) => string | number>): T[] {
  if (!ordering) return items;
  const desc = ordering.startsWith('-');
  const key = keys[desc ? ordering.slice(1) : ordering];
  if (!key) return items;
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -c : c;
  });
}

/** Events, rooms and sessions (contract §2.1–2.2), over our records and the REST resources' rules. */
export function programmeRoutes(services: Services, q: LegacyQueries) {
  const rooms = resourceService(services.db, roomResource());
  const sessions = resourceService(services.db, sessionResource());

  async function insideByRoom(eventId: string): Promise<Map<string | null, number>> {
    const summary = occupancy(await q.roomScans(eventId));
    return new Map(summary.rooms.map((r) => [r.roomId, r.insideCount]));
  }

  async function sessionsOut(scope: Scope, list: SessionRecord[]) {
    const roomList = await q.rooms(scope.event.id);
    const names = new Map(roomList.map((r) => [r.id, r.name]));
    return list.map((s) => sessionShape(s, { roomName: names.get(s.roomId) ?? '', currency: scope.event.currency }));
  }
  async function oneSession(scope: Scope, s: SessionRecord) {
    const [out] = await sessionsOut(scope, [s]);
    return out;
  }

  /** The session of a URL, in the caller's event (a session of another event is not found). */
  async function sessionScope(
    request: FastifyRequest,
    id: unknown,
    permission: 'event.read' | 'sessions.manage' | 'sessions.run',
  ) {
    const sessionId = uuidParam(id);
    const eventId = await q.eventOf('sessions', sessionId);
    if (!eventId) throw detail(404, NOT_FOUND);
    const scope = await eventScope(request, services, q, { requested: eventId, permission });
    if (scope.event.id !== eventId) throw detail(404, NOT_FOUND);
    return { scope, sessionId };
  }
  async function roomScope(request: FastifyRequest, id: unknown, permission: 'event.read' | 'rooms.manage') {
    const roomId = uuidParam(id);
    const eventId = await q.eventOf('rooms', roomId);
    if (!eventId) throw detail(404, NOT_FOUND);
    const scope = await eventScope(request, services, q, { requested: eventId, permission });
    if (scope.event.id !== eventId) throw detail(404, NOT_FOUND);
    return { scope, roomId };
  }

  async function eventOut(e: EventRecord) {
    return fullEvent(e, { counts: await q.eventCounts(e.id) });
  }

  return async (app: FastifyInstance) => {
    // ---- events ----------------------------------------------------------------------------
    app.get('/events', async (request) => {
      const query = parseDrf(listQuery, request.query);
      const principal = legacyUser(request);
      const summaries = await services.accounts.eventSummaries(principal.userId);
      let events = await q.events(summaries.map((s) => s.id));
      if (query.status) events = events.filter((e) => e.status === query.status);
      if (query.search) events = events.filter((e) => contains(`${e.name} ${e.venue}`, query.search ?? ''));
      events.sort((a, b) => b.startsAt.localeCompare(a.startsAt));
      events = order(events, query.ordering, { start_date: (e) => e.startsAt, created_at: (e) => e.createdAt });
      return paginate(request, await Promise.all(events.map(eventOut)));
    });
    app.get('/events/:id', async (request) => {
      const id = uuidParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { requested: id, permission: 'event.read' });
      if (scope.event.id !== id) throw detail(404, NOT_FOUND);
      return eventOut(scope.event);
    });
    // Event writes (the original's EventViewSet): through our event service, the same rules as
    // the console (who may create, end after start, no deletion while sales exist unless archived).
    app.post('/events', async (request, reply) => {
      const principal = legacyUser(request);
      await services.events.assertMayCreate(principal);
      const input = parseDrf(eventCreateInput, eventFields(parseDrf(legacyEventBody, request.body)), EVENT_NAMES);
      const created = await services.events.create(principal, input, {
        actor: actorOf(principal),
        via: 'mobile',
        ip: request.ip,
        deviceId: requestDeviceId(request),
      });
      return reply.status(201).send(await eventOut(created));
    });
    /** The event of the URL, which must be the token's (another event is not found, as for reads). */
    async function eventWriteScope(request: FastifyRequest) {
      const id = uuidParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { requested: id, permission: 'event.manage' });
      if (scope.event.id !== id) throw detail(404, NOT_FOUND);
      return scope;
    }
    const updateEvent = async (request: FastifyRequest) => {
      const scope = await eventWriteScope(request);
      const patch = parseDrf(eventUpdateInput, eventFields(parseDrf(legacyEventBody, request.body)), EVENT_NAMES);
      const updated = await withFieldNames(EVENT_NAMES, () =>
        services.events.update(scope.access, patch, mobileWrite(scope, request)),
      );
      return eventOut(updated);
    };
    app.patch('/events/:id', updateEvent);
    app.put('/events/:id', updateEvent);
    // Refused while the event has sales, unless it is completed or cancelled (400 non_field_errors).
    app.delete('/events/:id', async (request, reply) => {
      const scope = await eventWriteScope(request);
      await services.events.remove(scope.access, mobileWrite(scope, request));
      return reply.status(204).send();
    });
    // Older builds' home screen figures. The original had branches for its room managers, badge
    // controllers and exhibitors (which never matched: they named roles that no longer existed),
    // and gave everyone the common figures. Ours answers those roles, and whoever may read the
    // event's statistics (organizers, the committee); a participant gets 403.
    const DASHBOARD_ROLES = new Set(['room_manager', 'badge_controller', 'exhibitor']);
    app.get('/dashboard/stats', async (request) => {
      const scope = await eventScope(request, services, q, { permission: 'event.read' });
      if (!DASHBOARD_ROLES.has(scope.access.role) && !scope.access.permissions.has('stats.read'))
        throw detail(403, NO_PERMISSION);
      const counts = await q.eventCounts(scope.event.id);
      return {
        role: legacyRole(scope.access.role),
        event: { id: scope.event.id, name: scope.event.name, status: scope.event.status },
        total_participants: counts.participants,
        total_rooms: counts.rooms,
      };
    });
    app.get('/events/:id/statistics', async (request) => {
      const id = uuidParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { requested: id, permission: 'stats.read' });
      if (scope.event.id !== id) throw detail(404, NOT_FOUND);
      const [roomList, sessionList, counts, scans] = await Promise.all([
        q.rooms(id),
        q.sessions(id),
        q.eventCounts(id),
        q.scans(id),
      ]);
      const checkedIn = new Set(
        scans.filter((s) => s.granted && s.direction === 'in' && s.participantId).map((s) => s.participantId),
      );
      return {
        total_rooms: roomList.filter((r) => r.isActive).length,
        total_sessions: sessionList.length,
        total_participants: counts.participants,
        checked_in_count: checkedIn.size,
        live_sessions: sessionList.filter((s) => s.status === 'live').length,
        completed_sessions: sessionList.filter((s) => s.status === 'finished').length,
      };
    });

    // ---- rooms -----------------------------------------------------------------------------
    app.get('/rooms', async (request) => {
      const query = parseDrf(listQuery, request.query);
      const scope = await eventScope(request, services, q, {
        requested: query.event ?? query.event_id ?? null,
        permission: 'event.read',
      });
      const requested = query.event ?? query.event_id;
      if (requested && requested !== scope.event.id) return paginate(request, []);
      const [roomList, sessionList, inside] = await Promise.all([
        q.rooms(scope.event.id),
        q.sessions(scope.event.id),
        insideByRoom(scope.event.id),
      ]);
      let list: RoomRecord[] = roomList;
      if (query.is_active) list = list.filter((r) => r.isActive === (query.is_active?.toLowerCase() === 'true'));
      if (query.search) list = list.filter((r) => contains(`${r.name} ${r.location}`, query.search ?? ''));
      list = order(list, query.ordering, {
        name: (r) => r.name,
        capacity: (r) => r.capacity,
        created_at: (r) => r.createdAt,
      });
      const now = new Date();
      return paginate(
        request,
        list.map((r) =>
          roomListItem(r, { eventName: scope.event.name, inside: inside.get(r.id) ?? 0, sessions: sessionList, now }),
        ),
      );
    });
    app.get('/rooms/:id', async (request) => {
      const { scope, roomId } = await roomScope(request, (request.params as { id: string }).id, 'event.read');
      const room = await rooms.get(scope.event.id, roomId);
      const inside = await insideByRoom(scope.event.id);
      return roomDetail(room as unknown as RoomRecord, {
        eventName: scope.event.name,
        inside: inside.get(roomId) ?? 0,
      });
    });
    app.get('/rooms/:id/sessions', async (request) => {
      const { scope, roomId } = await roomScope(request, (request.params as { id: string }).id, 'event.read');
      const list = (await q.sessions(scope.event.id)).filter((s) => s.roomId === roomId);
      return sessionsOut(scope, list);
    });
    app.post('/rooms', async (request, reply) => {
      const body = parseDrf(legacyRoomBody, request.body);
      const scope = await eventScope(request, services, q, {
        requested: body.event ?? body.event_id ?? null,
        permission: 'rooms.manage',
      });
      const input = parseDrf(roomCreateInput, roomFields(body), ROOM_NAMES);
      const room = await rooms.create(scope.access, mobileWrite(scope, request), input);
      return reply
        .status(201)
        .send(roomDetail(room as unknown as RoomRecord, { eventName: scope.event.name, inside: 0 }));
    });
    const updateRoom = async (request: FastifyRequest) => {
      const { scope, roomId } = await roomScope(request, (request.params as { id: string }).id, 'rooms.manage');
      const body = parseDrf(legacyRoomBody, request.body);
      const patch = parseDrf(roomUpdateInput, roomFields(body), ROOM_NAMES);
      const room = await rooms.update(scope.access, mobileWrite(scope, request), roomId, patch);
      const inside = await insideByRoom(scope.event.id);
      return roomDetail(room as unknown as RoomRecord, {
        eventName: scope.event.name,
        inside: inside.get(roomId) ?? 0,
      });
    };
    app.patch('/rooms/:id', updateRoom);
    app.put('/rooms/:id', updateRoom);
    app.delete('/rooms/:id', async (request, reply) => {
      const { scope, roomId } = await roomScope(request, (request.params as { id: string }).id, 'rooms.manage');
      await rooms.remove(scope.access, mobileWrite(scope, request), roomId);
      return reply.status(204).send();
    });

    // ---- sessions --------------------------------------------------------------------------
    app.get('/sessions', async (request) => {
      const query = parseDrf(listQuery, request.query);
      const scope = await eventScope(request, services, q, {
        requested: query.event ?? query.event_id ?? null,
        permission: 'event.read',
      });
      const requested = query.event ?? query.event_id;
      if (requested && requested !== scope.event.id) return paginate(request, []);
      let list = await q.sessions(scope.event.id);
      const room = query.room ?? query.room_id;
      if (room) list = list.filter((s) => s.roomId === room);
      if (query.status) {
        const wanted = sessionStatusByLegacy[query.status];
        list = list.filter((s) => s.status === wanted);
      }
      if (query.theme) list = list.filter((s) => s.theme === query.theme);
      if (query.session_type)
        list = list.filter((s) => s.sessionType === sessionTypeByLegacy[query.session_type ?? '']);
      if (query.is_paid) list = list.filter((s) => s.isPaid === (query.is_paid?.toLowerCase() === 'true'));
      if (query.search)
        list = list.filter((s) => contains(`${s.title} ${s.speakerName} ${s.description}`, query.search ?? ''));
      list = order(list, query.ordering, {
        start_time: (s) => s.startsAt,
        end_time: (s) => s.endsAt,
        title: (s) => s.title,
        created_at: (s) => s.createdAt,
      });
      return paginate(request, await sessionsOut(scope, list));
    });
    app.get('/sessions/:id', async (request) => {
      const { scope, sessionId } = await sessionScope(request, (request.params as { id: string }).id, 'event.read');
      return oneSession(scope, (await sessions.get(scope.event.id, sessionId)) as unknown as SessionRecord);
    });
    app.post('/sessions', async (request, reply) => {
      const body = parseDrf(legacySessionBody, request.body);
      const scope = await eventScope(request, services, q, {
        requested: body.event ?? body.event_id ?? null,
        permission: 'sessions.manage',
      });
      const input = parseDrf(sessionCreateInput, sessionFields(body, scope.event.currency), SESSION_NAMES);
      const created = await sessions.create(scope.access, mobileWrite(scope, request), input);
      return reply.status(201).send(await oneSession(scope, created as unknown as SessionRecord));
    });
    const updateSession = async (request: FastifyRequest) => {
      const { scope, sessionId } = await sessionScope(
        request,
        (request.params as { id: string }).id,
        'sessions.manage',
      );
      const body = parseDrf(legacySessionBody, request.body);
      const patch = parseDrf(sessionUpdateInput, sessionFields(body, scope.event.currency), SESSION_NAMES);
      const updated = await sessions.update(scope.access, mobileWrite(scope, request), sessionId, patch);
      return oneSession(scope, updated as unknown as SessionRecord);
    };
    app.patch('/sessions/:id', updateSession);
    app.put('/sessions/:id', updateSession);
    app.delete('/sessions/:id', async (request, reply) => {
      const { scope, sessionId } = await sessionScope(
        request,
        (request.params as { id: string }).id,
        'sessions.manage',
      );
      await sessions.remove(scope.access, mobileWrite(scope, request), sessionId);
      return reply.status(204).send();
    });

    // Running a session: start, end, and `cancel`, which (as in the original) puts it back to "not started".
    const transitions = {
      start: 'live',
      mark_live: 'live',
      end: 'finished',
      mark_completed: 'finished',
      cancel: 'not_started',
    } as const;
    for (const [action, status] of Object.entries(transitions)) {
      app.post(`/sessions/:id/${action}`, async (request) => {
        const { scope, sessionId } = await sessionScope(request, (request.params as { id: string }).id, 'sessions.run');
        const updated = await sessions.update(scope.access, mobileWrite(scope, request), sessionId, { status });
        return oneSession(scope, updated as unknown as SessionRecord);
      });
    }

    app.post('/sessions/swap-times', async (request) => {
      // Who may swap is settled before the body is looked at (403 whatever it holds).
      const scope = await eventScope(request, services, q, { permission: 'sessions.run' });
      const body = parseDrf(
        z.object({ session_1_id: z.unknown().optional(), session_2_id: z.unknown().optional() }).loose(),
        request.body,
      );
      const fail = (status: number, error: string, extra: Record<string, unknown> = {}) =>
        new LegacyError(status, { success: false, error, ...extra });
      if (!body.session_1_id || !body.session_2_id) throw fail(400, 'Both session_1_id and session_2_id are required');
      const ids = [body.session_1_id, body.session_2_id].map((v) => (typeof v === 'string' ? v.toLowerCase() : ''));
      const all = await q.sessions(scope.event.id);
      const [a, b] = ids.map((id) => all.find((s) => s.id === id));
      if (!a || !b) throw fail(404, 'One or both sessions not found');
      if (a.roomId !== b.roomId)
        throw fail(400, 'Sessions must be in the same room', { message: 'Cannot swap sessions from different rooms' });
      const write = mobileWrite(scope, request);
      // One transaction: the two sessions change together or not at all.
      const [newA, newB] = await sessions.updateTogether(scope.access, write, [
        { id: a.id, patch: { startsAt: b.startsAt, endsAt: b.endsAt } },
        { id: b.id, patch: { startsAt: a.startsAt, endsAt: a.endsAt } },
      ]);
      return {
        success: true,
        message: 'Session times swapped successfully',
        sessions: await sessionsOut(scope, [newA, newB] as unknown as SessionRecord[]),
      };
    });
  };
}
