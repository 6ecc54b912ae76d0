import {
  type EntitlementRecord,
  isUuid,
  membershipCreateInput,
  membershipUpdateInput,
  type ParticipantRecord,
  parseDecimalToMinor,
  participantCreateInput,
  participantUpdateInput,
  type RoomAssignmentRecord,
  roleByLegacyRole,
  roomAssignmentCreateInput,
  roomAssignmentUpdateInput,
} from '@makeplus/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app';
import { AppError } from '../../http/errors';
import { participantResource } from '../../participants/resource';
import { resourceService } from '../../records/crud';
import type { InvitationDeps } from '../../staff/invitation';
import { membershipResource } from '../../staff/resource';
import { roomAssignmentResource } from '../../staff/roomAssignments';
import { findRecord, insertRecord, softDeleteRecord, updateRecord } from '../../sync/recordStore';
import { eventScope, mobileWrite, participantQrData, type Scope } from '../context';
import {
  detail,
  intParam,
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
  withFieldNames,
} from '../http';
import type { LegacyQueries } from '../queries';
import {
  decimalString,
  fullEvent,
  fullName,
  legacyRole,
  membershipShape,
  participantShape,
  roomAssignmentShape,
} from '../serializers';

const bool = z.enum(['true', 'false', 'True', 'False']).optional();

/** The event a write body names (`event` or `event_id`), read for authorization before the body is validated. */
function namedEvent(body: unknown): string | null {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return [raw.event, raw.event_id].find((v): v is string => isUuid(v)) ?? null;
}
const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

/**
 * Participants, staff assignments, room assignments and session access (contract §2.2). Staff added
 * here get the console's invitation mail (`invitation`: the app's mailer).
 */
export function peopleRoutes(services: Services, q: LegacyQueries, invitation?: InvitationDeps) {
  async function participantsOut(
    scope: Scope,
    ids: readonly string[] | null,
    filter: { userLegacyId?: number; search?: string },
  ) {
    const list = await q.participantsOfEvent(scope.event.id, { ...filter, ...(ids ? { ids } : {}) });
    const users = await q.usersByIds(list.map((p) => p.userId));
    const registrations = await q.registrationsOfUsers(list.map((p) => p.userId).filter((u): u is string => !!u));
    const eventsOf = new Map<string, { id: string; name: string }[]>();
    for (const r of registrations) {
      if (!r.userId) continue;
      eventsOf.set(r.userId, [...(eventsOf.get(r.userId) ?? []), { id: r.eventId, name: r.name }]);
    }
    const out = [];
    for (const p of list) {
      out.push(
        participantShape(p, {
          user: p.userId ? users.get(p.userId) : undefined,
          registeredEvents: (p.userId ? eventsOf.get(p.userId) : undefined) ?? [
            { id: scope.event.id, name: scope.event.name },
          ],
          // The full payload for one person; a list keeps it light.
          qrCodeData: list.length === 1 ? await participantQrData(q, scope.event, p) : { badge_id: p.legacyBadgeId },
        }),
      );
    }
    return out;
  }

  async function roomAssignmentOf(
    scope: Scope,
    userId: string,
    assignedRoomId: string | null,
    all: RoomAssignmentRecord[],
  ) {
    const rooms = new Map((await q.rooms(scope.event.id)).map((r) => [r.id, r.name]));
    if (assignedRoomId)
      return {
        id: null,
        room_id: assignedRoomId,
        room_name: rooms.get(assignedRoomId) ?? '',
        start_time: scope.event.startsAt,
        end_time: scope.event.endsAt,
      };
    const slot = all.find((a) => a.userId === userId && a.isActive);
    return slot
      ? {
          id: slot.legacyId,
          room_id: slot.roomId,
          room_name: rooms.get(slot.roomId) ?? '',
          start_time: slot.startsAt,
          end_time: slot.endsAt,
        }
      : null;
  }

  async function entitlementsOut(scope: Scope, list: EntitlementRecord[]) {
    const sessions = new Map((await q.sessions(scope.event.id)).map((s) => [s.id, s]));
    const participants = new Map(
      (await q.participantsOfEvent(scope.event.id, { ids: [...new Set(list.map((e) => e.participantId))] })).map(
        (p) => [p.id, p],
      ),
    );
    return list
      .filter((e) => e.sessionId)
      .map((e) => {
        const s = sessions.get(e.sessionId as string);
        const p = participants.get(e.participantId);
        return {
          id: e.id,
          participant: p?.legacyId ?? null,
          participant_name: p ? fullName(p) : '',
          session: e.sessionId,
          session_title: s?.title ?? '',
          session_type: s?.sessionType ?? '',
          // A revoked entitlement (its sale was cancelled) no longer gives access.
          has_access: !e.revoked && (e.status === 'paid' || e.status === 'free'),
          payment_status: e.status,
          paid_at: e.status === 'paid' ? e.createdAt : null,
          amount_paid: decimalString(e.amountMinor, scope.event.currency),
          created_at: e.createdAt,
        };
      });
  }

  return async (app: FastifyInstance) => {
    // ---- participants ------------------------------------------------------------------------
    app.get('/participants', async (request) => {
      const query = parseDrf(
        z
          .object({
            user_id: z.string().max(20).optional(),
            event_id: z.string().max(64).optional(),
            search: z.string().max(200).optional(),
            page: z.string().max(10).optional(),
          })
          .loose(),
        request.query,
      );
      const scope = await eventScope(request, services, q, { requested: query.event_id ?? null });
      const userLegacyId = query.user_id !== undefined ? Number(query.user_id.trim()) : undefined;
      if (userLegacyId !== undefined && !(Number.isSafeInteger(userLegacyId) && userLegacyId > 0))
        return paginate(request, []);
      const canRead = scope.access.permissions.has('participants.read');
      // An exhibitor may look up the one person whose badge is in front of them (the app shows
      // the name before recording the visit); reading the list needs `participants.read`.
      const lookup = userLegacyId !== undefined && scope.access.permissions.has('leads.capture');
      if (!canRead && !lookup) throw detail(403, NO_PERMISSION);
      return paginate(
        request,
        await participantsOut(scope, null, {
          ...(userLegacyId !== undefined ? { userLegacyId } : {}),
          ...(query.search && canRead ? { search: query.search } : {}),
        }),
      );
    });
    app.get('/participants/:id', async (request) => {
      const id = intParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, {});
      const p = await q.participant(scope.event.id, { legacyId: id });
      if (!p) throw detail(404, NOT_FOUND);
      const own = p.userId === scope.principal.userId;
      if (!own && !scope.access.permissions.has('participants.read')) throw detail(403, NO_PERMISSION);
      return (await participantsOut(scope, [p.id], {}))[0];
    });

    // Registrations written from the app (the original's ParticipantViewSet): through our
    // participant resource, the same rules as the console (one registration per person and event,
    // a linked registration keeps its account's email, the person's permanent badge).
    const registrations = resourceService(services.db, participantResource(services));
    const PARTICIPANT_NAMES = {
      firstName: 'first_name',
      lastName: 'last_name',
      allowedRoomIds: 'metadata.allowed_rooms',
    };
    const participantBody = z
      .object({
        user: legacyIntId.optional(),
        user_id: legacyIntId.optional(),
        event: z.uuid().optional(),
        event_id: z.uuid().optional(),
        email: z.string().max(254).nullish(),
        first_name: z.string().max(150).nullish(),
        last_name: z.string().max(150).nullish(),
        phone: z.string().max(40).nullish(),
        organization: z.string().max(200).nullish(),
        category: z.string().max(100).nullish(),
        metadata: z
          .object({ allowed_rooms: z.array(z.uuid()).max(500).nullish() })
          .loose()
          .nullish(),
      })
      .loose();
    type ParticipantBody = z.infer<typeof participantBody>;
    /** The contract's fields → ours, only those sent (a PATCH changes only what it names). */
    const participantFields = (b: ParticipantBody) => {
      const out: Record<string, unknown> = {};
      const texts = {
        email: b.email,
        firstName: b.first_name,
        lastName: b.last_name,
        phone: b.phone,
        organization: b.organization,
        category: b.category,
      };
      for (const [k, v] of Object.entries(texts)) if (v !== undefined) out[k] = v ?? '';
      if (b.metadata && 'allowed_rooms' in b.metadata)
        out.allowedRoomIds = b.metadata.allowed_rooms?.map((r) => r.toLowerCase()) ?? null;
      return out;
    };
    /** A duplicate registration is DRF's unique error on the field the app sent. */
    const registrationWrite = <T>(field: string, run: () => Promise<T>) =>
      withFieldNames(PARTICIPANT_NAMES, run).catch((err: unknown) => {
        if (err instanceof AppError && err.statusCode === 409 && err.code === 'duplicate')
          throw new LegacyError(400, { [field]: ['participant with this user already exists.'] });
        if (err instanceof AppError && err.statusCode === 409 && err.code === 'linked_account')
          throw new LegacyError(400, { email: [err.message] });
        throw err;
      });
    const oneParticipant = async (scope: Scope, p: ParticipantRecord) => (await participantsOut(scope, [p.id], {}))[0];
    const registrationScope = async (request: FastifyRequest, requested?: string | null) => {
      const scope = await eventScope(request, services, q, {
        requested: requested ?? null,
        permission: 'participants.manage',
      });
      if (requested && requested.toLowerCase() !== scope.event.id)
        throw detail(403, 'This token is for another event; switch event first.');
      return scope;
    };
    const registrationOf = async (scope: Scope, rawId: unknown) => {
      const p = await q.participant(scope.event.id, { legacyId: intParam(rawId) });
      if (!p) throw detail(404, NOT_FOUND);
      return p;
    };

    app.post('/participants', async (request, reply) => {
      // Who may register people (in the event named, which must be the token's) is settled before
      // the body is validated.
      const scope = await registrationScope(request, namedEvent(request.body));
      const body = parseDrf(participantBody, request.body);
      const userLegacyId = body.user_id ?? body.user;
      const fields = participantFields(body);
      if (userLegacyId !== undefined) {
        // The original's write: `user_id` of an existing account, registered in this event.
        const user = await q.userByLegacyId(userLegacyId);
        if (!user) throw invalidPk('user_id', userLegacyId);
        fields.email = user.email;
        fields.firstName = fields.firstName || user.firstName || user.email.split('@')[0];
        fields.lastName = fields.lastName || user.lastName;
      }
      const input = parseDrf(participantCreateInput, fields, PARTICIPANT_NAMES);
      const created = await registrationWrite(userLegacyId !== undefined ? 'user_id' : 'email', () =>
        registrations.create(scope.access, mobileWrite(scope, request), input),
      );
      return reply.status(201).send(await oneParticipant(scope, created as unknown as ParticipantRecord));
    });
    const updateParticipant = async (request: FastifyRequest) => {
      const scope = await registrationScope(request);
      const current = await registrationOf(scope, (request.params as { id: string }).id);
      const body = parseDrf(participantBody, request.body);
      const userLegacyId = body.user_id ?? body.user;
      if (userLegacyId !== undefined && userLegacyId !== current.userLegacyId)
        throw new LegacyError(400, {
          user_id: ['A registration stays with its person: delete it and register the other person instead.'],
        });
      const patch = parseDrf(participantUpdateInput, participantFields(body), PARTICIPANT_NAMES);
      const updated = await registrationWrite('email', () =>
        registrations.update(scope.access, mobileWrite(scope, request), current.id, patch),
      );
      return oneParticipant(scope, updated as unknown as ParticipantRecord);
    };
    app.patch('/participants/:id', updateParticipant);
    app.put('/participants/:id', updateParticipant);
    app.delete('/participants/:id', async (request, reply: FastifyReply) => {
      const scope = await registrationScope(request);
      const current = await registrationOf(scope, (request.params as { id: string }).id);
      await registrations.remove(scope.access, mobileWrite(scope, request), current.id);
      return reply.status(204).send();
    });

    // The people admitted at a room's door (granted scans), as a plain list, as the original.
    app.get('/rooms/:id/participants', async (request) => {
      const roomId = uuidParam((request.params as { id: string }).id);
      legacyUser(request);
      const eventId = await q.eventOf('rooms', roomId);
      if (!eventId) throw detail(404, NOT_FOUND);
      const scope = await eventScope(request, services, q, { requested: eventId, permission: 'participants.read' });
      if (scope.event.id !== eventId) throw detail(404, NOT_FOUND);
      const admitted = (await q.scans(eventId, { roomId })).filter((x) => x.granted && x.participantId);
      const ids = [...new Set(admitted.map((x) => x.participantId as string))];
      return ids.length ? participantsOut(scope, ids, {}) : [];
    });

    // ---- staff assignments (UserEventAssignment) ------------------------------------------
    const assignmentQuery = z
      .object({
        user: z.string().max(20).optional(),
        event: z.string().max(64).optional(),
        role: z.string().max(40).optional(),
        is_active: bool,
        page: z.string().max(10).optional(),
      })
      .loose();
    async function assignments(
      request: FastifyRequest,
      filter: (m: { legacyId: number; userId: string }) => boolean,
      requested: string | null,
    ) {
      const scope = await eventScope(request, services, q, { requested });
      const manager = scope.access.permissions.has('staff.manage');
      const [list, slots] = await Promise.all([q.memberships(scope.event.id), q.roomAssignments(scope.event.id)]);
      // Anyone reads their own assignment; the staff list is for those who manage staff.
      const visible = list.filter((m) => (manager || m.userId === scope.principal.userId) && filter(m));
      const users = await q.usersByIds(visible.flatMap((m) => [m.userId, m.assignedBy]));
      const event = fullEvent(scope.event, { counts: await q.eventCounts(scope.event.id) });
      const out = [];
      for (const m of visible) {
        out.push(
          membershipShape(m, {
            user: users.get(m.userId),
            event,
            assignedBy: m.assignedBy ? users.get(m.assignedBy) : undefined,
            roomAssignment: await roomAssignmentOf(scope, m.userId, m.assignedRoomId, slots),
          }),
        );
      }
      return { scope, out };
    }
    app.get('/user-assignments', async (request) => {
      const query = parseDrf(assignmentQuery, request.query);
      const wantedUser = query.user !== undefined ? Number(query.user) : undefined;
      const { out } = await assignments(request, () => true, query.event ?? null);
      const requestedEvent = query.event;
      const filtered = out.filter(
        (m) =>
          (wantedUser === undefined || m.user.id === wantedUser) &&
          (!query.role || m.role === query.role) &&
          (!query.is_active || m.is_active === isTrue(query.is_active)) &&
          (!requestedEvent || m.event.id === requestedEvent),
      );
      return paginate(request, filtered);
    });
    app.get('/user-assignments/:id', async (request) => {
      const id = intParam((request.params as { id: string }).id);
      const { out } = await assignments(request, (m) => m.legacyId === id, null);
      if (!out[0]) throw detail(404, NOT_FOUND);
      return out[0];
    });
    app.get('/my-events', async (request) => {
      const principal = legacyUser(request);
      const memberships = (await q.membershipsOfUser(principal.userId)).filter((m) => m.isActive);
      const events = new Map((await q.events(memberships.map((m) => m.eventId))).map((e) => [e.id, e]));
      const results = [];
      for (const m of memberships) {
        const e = events.get(m.eventId);
        if (!e) continue;
        results.push({
          assignment_id: String(m.legacyId),
          role: legacyRole(m.role),
          event: fullEvent(e, { counts: await q.eventCounts(e.id) }),
          assigned_at: m.createdAt,
        });
      }
      return { count: results.length, results };
    });

    // ---- room assignments -----------------------------------------------------------------
    const slotQuery = z
      .object({
        user: z.string().max(20).optional(),
        user_id: z.string().max(20).optional(),
        room: z.string().max(64).optional(),
        room_id: z.string().max(64).optional(),
        role: z.string().max(40).optional(),
        is_active: bool,
        current: bool,
        page: z.string().max(10).optional(),
      })
      .loose();
    async function slots(request: FastifyRequest) {
      const scope = await eventScope(request, services, q, {});
      const manager = scope.access.permissions.has('staff.manage');
      const [list, rooms] = await Promise.all([q.roomAssignments(scope.event.id), q.rooms(scope.event.id)]);
      const visible = list.filter((a) => manager || a.userId === scope.principal.userId);
      const users = await q.usersByIds(visible.map((a) => a.userId));
      const names = new Map(rooms.map((r) => [r.id, r.name]));
      return visible.map((a) => ({
        a,
        shape: roomAssignmentShape(a, { user: users.get(a.userId), roomName: names.get(a.roomId) ?? '' }),
      }));
    }
    app.get('/room-assignments', async (request) => {
      const query = parseDrf(slotQuery, request.query);
      const user = query.user ?? query.user_id;
      const room = query.room ?? query.room_id;
      const now = Date.now();
      const list = (await slots(request)).filter(
        ({ a, shape }) =>
          (!user || shape.user === Number(user)) &&
          (!room || a.roomId === room) &&
          (!query.role || shape.role === query.role) &&
          (!query.is_active || a.isActive === isTrue(query.is_active)) &&
          (!isTrue(query.current) || (a.isActive && Date.parse(a.startsAt) <= now && now <= Date.parse(a.endsAt))),
      );
      return paginate(
        request,
        list.map((x) => x.shape),
      );
    });
    app.get('/room-assignments/:id', async (request) => {
      const id = intParam((request.params as { id: string }).id);
      const one = (await slots(request)).find(({ a }) => a.legacyId === id);
      if (!one) throw detail(404, NOT_FOUND);
      return one.shape;
    });

    // ---- session access (our entitlements) -------------------------------------------------
    const accessQuery = z
      .object({
        participant: z.string().max(20).optional(),
        participant_id: z.string().max(20).optional(),
        session: z.string().max(64).optional(),
        session_id: z.string().max(64).optional(),
        payment_status: z.string().max(20).optional(),
        has_access: bool,
        page: z.string().max(10).optional(),
      })
      .loose();
    /** Cash desk and organizers read every entitlement; a participant reads their own. */
    async function accessList(request: FastifyRequest) {
      const scope = await eventScope(request, services, q, {});
      if (scope.access.permissions.has('sales.read') || scope.access.permissions.has('participants.manage'))
        return { scope, list: await entitlementsOut(scope, await q.allEntitlements(scope.event.id)) };
      if (!scope.access.participantId) throw detail(403, NO_PERMISSION);
      return {
        scope,
        list: await entitlementsOut(scope, await q.entitlements(scope.event.id, [scope.access.participantId])),
      };
    }
    app.get('/session-access', async (request) => {
      const query = parseDrf(accessQuery, request.query);
      const { list } = await accessList(request);
      const participant = query.participant ?? query.participant_id;
      const session = query.session ?? query.session_id;
      return paginate(
        request,
        list.filter(
          (e) =>
            (!participant || e.participant === Number(participant)) &&
            (!session || e.session === session) &&
            (!query.payment_status || e.payment_status === query.payment_status) &&
            (!query.has_access || e.has_access === isTrue(query.has_access)),
        ),
      );
    });
    app.get('/session-access/:id', async (request) => {
      const id = (request.params as { id: string }).id;
      const { list } = await accessList(request);
      const one = list.find((e) => e.id === id);
      if (!one) throw detail(404, NOT_FOUND);
      return one;
    });
    app.get('/my-ateliers', async (request) => {
      const scope = await eventScope(request, services, q, {});
      if (!scope.access.participantId) return { count: 0, results: [] };
      const list = (
        await entitlementsOut(scope, await q.entitlements(scope.event.id, [scope.access.participantId]))
      ).filter((e) => e.has_access);
      return { count: list.length, results: list };
    });
    // ---- writes (the original's ModelViewSets), through our own resources ---------------------
    const memberships = resourceService(services.db, membershipResource(services, invitation));
    const roomSlots = resourceService(services.db, roomAssignmentResource());
    const validChoice = (v: unknown) => new LegacyError(400, { role: [`"${String(v)}" is not a valid choice.`] });

    /** The event a write names must be the token's (a write never reaches another event). */
    async function writeScope(
      request: FastifyRequest,
      requested: string | null | undefined,
      permission: 'staff.manage',
    ) {
      const scope = await eventScope(request, services, q, { requested: requested ?? null, permission });
      if (requested && requested.toLowerCase() !== scope.event.id)
        throw detail(403, 'This token is for another event; switch event first.');
      return scope;
    }
    async function userByLegacy(field: string, id: number | undefined) {
      requireFields({ [field]: id });
      const user = await q.userByLegacyId(id as number);
      if (!user) throw invalidPk(field, id);
      return user;
    }
    const roomIdOf = (metadata: { assigned_room_id?: string | null } | undefined) =>
      metadata && 'assigned_room_id' in metadata ? { assignedRoomId: metadata.assigned_room_id ?? null } : {};

    const assignmentBody = z
      .object({
        user: legacyIntId.optional(),
        user_id: legacyIntId.optional(),
        event: z.uuid().optional(),
        event_id: z.uuid().optional(),
        role: z.string().max(40).optional(),
        is_active: z.boolean().optional(),
        metadata: z.object({ assigned_room_id: z.uuid().nullish() }).loose().optional(),
      })
      .loose();
    const ASSIGNMENT_NAMES = { userId: 'user_id', isActive: 'is_active', assignedRoomId: 'metadata.assigned_room_id' };
    const oneAssignment = async (request: FastifyRequest, legacyId: number) => {
      const { out } = await assignments(request, (m) => m.legacyId === legacyId, null);
      if (!out[0]) throw detail(404, NOT_FOUND);
      return out[0];
    };
    const assignmentRecord = async (scope: Scope, rawId: unknown) => {
      const id = intParam(rawId);
      const m = (await q.memberships(scope.event.id)).find((x) => x.legacyId === id);
      if (!m) throw detail(404, NOT_FOUND);
      return m;
    };
    app.post('/user-assignments', async (request, reply) => {
      // Authorization (in the event named, which must be the token's) before the body is validated.
      const scope = await writeScope(request, namedEvent(request.body), 'staff.manage');
      const body = parseDrf(assignmentBody, request.body);
      const user = await userByLegacy('user_id', body.user_id ?? body.user);
      requireFields({ role: body.role });
      const role = roleByLegacyRole[body.role as string];
      if (!role) throw validChoice(body.role);
      const input = parseDrf(
        membershipCreateInput,
        {
          userId: user.id,
          role,
          ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
          ...roomIdOf(body.metadata),
        },
        ASSIGNMENT_NAMES,
      );
      const created = await memberships.create(scope.access, mobileWrite(scope, request), input);
      return reply.status(201).send(await oneAssignment(request, Number(created.legacyId)));
    });
    const updateAssignment = async (request: FastifyRequest) => {
      const scope = await writeScope(request, null, 'staff.manage');
      const current = await assignmentRecord(scope, (request.params as { id: string }).id);
      const body = parseDrf(assignmentBody, request.body);
      let role: string | undefined;
      if (body.role !== undefined) {
        role = roleByLegacyRole[body.role];
        if (!role) throw validChoice(body.role);
      }
      const patch = parseDrf(
        membershipUpdateInput,
        {
          ...(role ? { role } : {}),
          ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
          ...roomIdOf(body.metadata),
        },
        ASSIGNMENT_NAMES,
      );
      await memberships.update(scope.access, mobileWrite(scope, request), current.id, patch);
      return oneAssignment(request, current.legacyId);
    };
    app.patch('/user-assignments/:id', updateAssignment);
    app.put('/user-assignments/:id', updateAssignment);
    app.delete('/user-assignments/:id', async (request, reply: FastifyReply) => {
      const scope = await writeScope(request, null, 'staff.manage');
      const current = await assignmentRecord(scope, (request.params as { id: string }).id);
      await memberships.remove(scope.access, mobileWrite(scope, request), current.id);
      return reply.status(204).send();
    });

    // Room assignments: a room manager's or badge controller's slot in a room.
    const slotBody = z
      .object({
        user: legacyIntId.optional(),
        user_id: legacyIntId.optional(),
        room: z.uuid().optional(),
        room_id: z.uuid().optional(),
        event: z.uuid().optional(),
        event_id: z.uuid().optional(),
        role: z.enum(['gestionnaire_des_salles', 'controlleur_des_badges']).optional(),
        start_time: z.string().max(64).optional(),
        end_time: z.string().max(64).optional(),
        is_active: z.boolean().optional(),
      })
      .loose();
    const SLOT_NAMES = {
      userId: 'user',
      roomId: 'room',
      startsAt: 'start_time',
      endsAt: 'end_time',
      isActive: 'is_active',
    };
    const slotFields = (body: z.infer<typeof slotBody>) => ({
      ...((body.room ?? body.room_id) ? { roomId: (body.room ?? body.room_id)?.toLowerCase() } : {}),
      ...(body.start_time !== undefined ? { startsAt: body.start_time } : {}),
      ...(body.end_time !== undefined ? { endsAt: body.end_time } : {}),
      ...(body.is_active !== undefined ? { isActive: body.is_active } : {}),
    });
    const oneSlot = async (request: FastifyRequest, legacyId: number) => {
      const one = (await slots(request)).find(({ a }) => a.legacyId === legacyId);
      if (!one) throw detail(404, NOT_FOUND);
      return one.shape;
    };
    const slotRecord = async (scope: Scope, rawId: unknown) => {
      const id = intParam(rawId);
      const a = (await q.roomAssignments(scope.event.id)).find((x) => x.legacyId === id);
      if (!a) throw detail(404, NOT_FOUND);
      return a;
    };
    app.post('/room-assignments', async (request, reply) => {
      const body = parseDrf(slotBody, request.body);
      const scope = await writeScope(request, body.event ?? body.event_id, 'staff.manage');
      const user = await userByLegacy('user', body.user ?? body.user_id);
      const input = parseDrf(
        roomAssignmentCreateInput,
        { userId: user.id, ...slotFields(body), ...(body.role ? { role: roleByLegacyRole[body.role] } : {}) },
        SLOT_NAMES,
      );
      const created = await roomSlots.create(scope.access, mobileWrite(scope, request), input);
      return reply.status(201).send(await oneSlot(request, Number(created.legacyId)));
    });
    const updateSlot = async (request: FastifyRequest) => {
      const scope = await writeScope(request, null, 'staff.manage');
      const current = await slotRecord(scope, (request.params as { id: string }).id);
      const body = parseDrf(slotBody, request.body);
      if (body.role && roleByLegacyRole[body.role] !== current.role)
        throw new LegacyError(400, {
          role: ["The role is the person's role in the event: change it on the assignment."],
        });
      const patch = parseDrf(roomAssignmentUpdateInput, slotFields(body), SLOT_NAMES);
      await roomSlots.update(scope.access, mobileWrite(scope, request), current.id, patch);
      return oneSlot(request, current.legacyId);
    };
    app.patch('/room-assignments/:id', updateSlot);
    app.put('/room-assignments/:id', updateSlot);
    app.delete('/room-assignments/:id', async (request, reply: FastifyReply) => {
      const scope = await writeScope(request, null, 'staff.manage');
      const current = await slotRecord(scope, (request.params as { id: string }).id);
      await roomSlots.remove(scope.access, mobileWrite(scope, request), current.id);
      return reply.status(204).send();
    });

    // Session access granted by hand: our manual entitlements. Those derived from a sale belong to
    // the sale (the cash desk cancels it), so they are read-only here.
    const accessBody = z
      .object({
        participant: legacyIntId.optional(),
        participant_id: legacyIntId.optional(),
        session: z.uuid().optional(),
        session_id: z.uuid().optional(),
        has_access: z.boolean().optional(),
        payment_status: z.enum(['pending', 'paid', 'free']).optional(),
        amount_paid: z.union([z.string().max(20), z.number()]).optional(),
      })
      .loose();
    const amountOf = (scope: Scope, raw: string | number | undefined) => {
      if (raw === undefined) return undefined;
      const minor = parseDecimalToMinor(raw, scope.event.currency);
      if (minor === null) throw new LegacyError(400, { amount_paid: ['A valid number is required.'] });
      return minor;
    };
    const grantScope = (request: FastifyRequest) => eventScope(request, services, q, { permission: 'event.manage' });
    const oneAccess = async (scope: Scope, id: string) => {
      const [one] = await entitlementsOut(
        scope,
        await q.allEntitlements(scope.event.id).then((l) => l.filter((e) => e.id === id)),
      );
      if (!one) throw detail(404, NOT_FOUND);
      return one;
    };
    const manualEntitlement = async (scope: Scope, rawId: unknown) => {
      const id = uuidParam(rawId);
      const e = await findRecord<EntitlementRecord>(services.db, 'entitlements', scope.event.id, id);
      if (!e) throw detail(404, NOT_FOUND);
      if (e.source !== 'manual')
        throw detail(403, 'This access comes from a sale: cancel the sale at the cash desk to withdraw it.');
      return e;
    };
    app.post('/session-access', async (request, reply) => {
      const body = parseDrf(accessBody, request.body);
      const scope = await grantScope(request);
      const participantId = body.participant ?? body.participant_id;
      const sessionId = (body.session ?? body.session_id)?.toLowerCase();
      requireFields({ participant: participantId, session: sessionId });
      const p = await q.participant(scope.event.id, { legacyId: participantId as number });
      if (!p) throw invalidPk('participant', participantId);
      const session = (await q.sessions(scope.event.id)).find((x) => x.id === sessionId);
      if (!session) throw invalidPk('session', sessionId);
      const held = (await q.entitlements(scope.event.id, [p.id])).some((e) => e.sessionId === session.id && !e.revoked);
      if (held)
        throw new LegacyError(400, { non_field_errors: ['The fields participant, session must make a unique set.'] });
      const created = await services.db.transaction().execute((trx) =>
        insertRecord<EntitlementRecord>(
          trx,
          'entitlements',
          scope.event.id,
          {
            participantId: p.id,
            payableItemId: null,
            sessionId: session.id,
            status: body.payment_status ?? 'pending',
            amountMinor: amountOf(scope, body.amount_paid) ?? 0,
            source: 'manual',
            transactionId: null,
            // As the original's default: no access until it is given.
            revoked: !(body.has_access ?? false),
          },
          mobileWrite(scope, request),
        ),
      );
      return reply.status(201).send(await oneAccess(scope, created.id));
    });
    const updateAccess = async (request: FastifyRequest) => {
      const scope = await grantScope(request);
      const current = await manualEntitlement(scope, (request.params as { id: string }).id);
      const body = parseDrf(accessBody, request.body);
      const patch: Record<string, unknown> = {};
      if (body.has_access !== undefined) patch.revoked = !body.has_access;
      if (body.payment_status !== undefined) patch.status = body.payment_status;
      const amount = amountOf(scope, body.amount_paid);
      if (amount !== undefined) patch.amountMinor = amount;
      if (Object.keys(patch).length)
        await services.db
          .transaction()
          .execute((trx) =>
            updateRecord(trx, 'entitlements', scope.event.id, current.id, patch, mobileWrite(scope, request)),
          );
      return oneAccess(scope, current.id);
    };
    app.patch('/session-access/:id', updateAccess);
    app.put('/session-access/:id', updateAccess);
    app.delete('/session-access/:id', async (request, reply: FastifyReply) => {
      const scope = await grantScope(request);
      const current = await manualEntitlement(scope, (request.params as { id: string }).id);
      await services.db
        .transaction()
        .execute((trx) =>
          softDeleteRecord(trx, 'entitlements', scope.event.id, current.id, mobileWrite(scope, request)),
        );
      return reply.status(204).send();
    });
  };
}
