import type { EntitlementRecord, RoomAssignmentRecord } from '@makeplus/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app';
import { eventScope, participantQrData, type Scope } from '../context';
import { detail, intParam, legacyUser, NO_PERMISSION, NOT_FOUND, paginate, parseDrf } from '../http';
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
const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

/** Participants, staff assignments, room assignments and session access (contract §2.2). */
export function peopleRoutes(services: Services, q: LegacyQueries) {
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
  };
}
