import {
  DEVICE_ID_HEADER,
  type EventRole,
  type Permission,
  type PermissionOverrides,
  permissions,
  permissionsFor,
} from '@makeplus/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { EventAccess, Principal } from '../accounts/principal';
import type { AccessClaims } from '../accounts/tokens';
import type { DB } from '../db/schema';
import { AppError, forbidden, notFound, unauthorized } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    authProblem: 'invalid' | 'expired' | null;
    eventAccess: EventAccess | null;
  }
}

/**
 * Authentication reads the bearer token on every request (without failing: some routes are public).
 * Authorization is decided here and only here: `resolveEventAccess` turns a principal and an event
 * into a role and its permissions, and every event-scoped REST route, mobile-API route and sync
 * request goes through it.
 */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('authProblem', null);
  app.decorateRequest('eventAccess', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match?.[1]) {
      request.authProblem = 'invalid';
      return;
    }
    try {
      const claims = app.jwt.verify<AccessClaims>(match[1]);
      if (claims.token_type !== 'access' || typeof claims.sub !== 'string') {
        request.authProblem = 'invalid';
        return;
      }
      request.principal =
        claims.kind === 'cash_register'
          ? {
              kind: 'cash_register',
              cashRegisterId: claims.sub,
              userLegacyId: 0,
              email: claims.email ?? '',
              displayName: claims.name ?? '',
              eventId: claims.event_id ?? '',
              tokenId: claims.jti,
              tokenExp: claims.exp ?? 0,
            }
          : {
              kind: 'user',
              userId: claims.sub,
              userLegacyId: claims.user_id,
              email: claims.email ?? '',
              displayName: claims.name ?? '',
              isPlatformAdmin: false,
              eventId: claims.event_id ?? null,
              tokenId: claims.jti,
              tokenExp: claims.exp ?? 0,
            };
    } catch (err) {
      request.authProblem = (err as { code?: string }).code === 'FAST_JWT_EXPIRED' ? 'expired' : 'invalid';
    }
  });
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal) return request.principal;
  if (request.authProblem === 'expired') throw unauthorized('Your session has expired, sign in again', 'token_expired');
  if (request.authProblem === 'invalid')
    throw unauthorized('Given token not valid for any token type', 'token_not_valid');
  throw unauthorized('Authentication credentials were not provided.');
}

export function requireUser(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  const p = requirePrincipal(request);
  if (p.kind !== 'user') throw forbidden('This needs a personal account, not a cash register login');
  return p;
}

/** The one place that decides what a caller may do in an event. */
export async function resolveEventAccess(db: Kysely<DB>, principal: Principal, eventId: string): Promise<EventAccess> {
  // A token is bound to the event selected at sign-in; another event needs switch-event first.
  if (principal.eventId && principal.eventId !== eventId) {
    throw forbidden('This token is for another event; switch event first');
  }
  // Everything the decision needs in ONE statement (one pool connection, one round trip): every
  // request resolves its access, and four separate queries made this the most frequent wait for a
  // connection under load. The event, its permission adjustments, and the caller's membership and
  // registration (for an account) or its register (for a cash register's login); each lookup is the
  // same as when they were separate queries (one row at most each: unique indexes).
  const userId = principal.kind === 'user' ? principal.userId : null;
  const registerId = principal.kind === 'cash_register' ? principal.cashRegisterId : null;
  const { rows } = await sql<AccessRow>`
    select e.settings,
      (select coalesce(json_agg(json_build_object('role', o.role, 'permissions', o.permissions)), '[]'::json)
         from permission_overrides o where o.event_id = e.id) as adjusted,
      m.id as membership_id, m.role as membership_role, m.exhibitor_id, m.assigned_room_id,
      (select p.id from participants p
         where p.user_id = ${userId}::uuid and p.event_id = e.id and not p.deleted limit 1) as participant_id,
      r.id as register_id, r.event_id as register_event_id, r.is_active as register_active
    from events e
    left join lateral (
      select id, role, exhibitor_id, assigned_room_id from memberships
      where user_id = ${userId}::uuid and event_id = e.id and not deleted and is_active limit 1
    ) m on true
    left join lateral (
      select id, event_id, is_active from cash_registers where id = ${registerId}::uuid and not deleted
    ) r on true
    where e.id = ${eventId} and not e.deleted`.execute(db);
  const found = rows[0];
  if (!found) throw notFound('Event');
  const overrides = eventOverrides(found.settings, found.adjusted);
  const base = {
    eventId,
    principal,
    membershipId: null,
    participantId: null,
    exhibitorId: null,
    assignedRoomId: null,
    cashRegisterId: null,
  };

  if (principal.kind === 'cash_register') {
    if (!found.registerId || found.registerEventId !== eventId)
      throw forbidden('This cash register belongs to another event');
    if (!found.registerActive) throw forbidden('This cash register is deactivated');
    return {
      ...base,
      role: 'cashier',
      permissions: permissionsFor('cashier', overrides),
      cashRegisterId: found.registerId,
    };
  }

  const role: EventRole | null = found.membershipRole ?? (found.participantId ? 'participant' : null);
  if (!role) throw forbidden('You do not have access to this event');
  return {
    ...base,
    role,
    permissions: permissionsFor(role, overrides),
    membershipId: found.membershipId,
    participantId: found.participantId,
    exhibitorId: found.exhibitorId,
    assignedRoomId: found.assignedRoomId,
  };
}

/** The row of `resolveEventAccess`'s statement (camelCase, as Kysely's CamelCasePlugin returns it). */
interface AccessRow {
  settings: unknown;
  adjusted: { role: string; permissions: readonly string[] }[];
  membershipId: string | null;
  membershipRole: EventRole | null;
  exhibitorId: string | null;
  assignedRoomId: string | null;
  participantId: string | null;
  registerId: string | null;
  registerEventId: string | null;
  registerActive: boolean | null;
}

/**
 * An event's permission adjustments: those of the Permissions API (table `permission_overrides`)
 * over those an event was created with (`settings.permissionOverrides`). `permissionsFor` clamps
 * both to the safe bounds, and the organizer's own permissions are never adjusted.
 */
export function eventOverrides(
  settings: unknown,
  rows: readonly { role: string; permissions: readonly string[] }[],
): PermissionOverrides {
  const fromSettings = ((settings as Record<string, unknown> | null)?.permissionOverrides ?? {}) as Record<
    string,
    unknown
  >;
  const out: Record<string, readonly Permission[]> = {};
  for (const [role, list] of [...Object.entries(fromSettings), ...rows.map((r) => [r.role, r.permissions] as const)]) {
    if (role === 'organizer' || !Array.isArray(list)) continue;
    out[role] = list.filter((p): p is Permission => permissions.includes(p as Permission));
  }
  return out as PermissionOverrides;
}

export function assertPermission(access: EventAccess, permission: Permission): void {
  if (!access.permissions.has(permission)) {
    throw new AppError(403, 'forbidden', `Your role (${access.role}) may not do this (${permission})`);
  }
}

/**
 * Route guard: resolve the caller's access to the event named in the path (`:eventId`) or, for
 * routes without one, the event of the token; then check a permission.
 */
export function eventGuard(db: Kysely<DB>, permission?: Permission) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = requirePrincipal(request);
    const params = request.params as { eventId?: string } | undefined;
    const eventId = params?.eventId ?? principal.eventId;
    if (!eventId) throw new AppError(400, 'event_required', 'Select an event first (no event in the token)');
    const access = await resolveEventAccess(db, principal, eventId);
    if (permission) assertPermission(access, permission);
    request.eventAccess = { ...access, deviceId: requestDeviceId(request) };
  };
}

/** The caller's device id (`x-makeplus-device`), when it sends a well-formed one; otherwise null. */
export function requestDeviceId(request: FastifyRequest): string | null {
  const raw = request.headers[DEVICE_ID_HEADER];
  return typeof raw === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(raw) ? raw : null;
}

export function requireAccess(request: FastifyRequest): EventAccess {
  if (!request.eventAccess) throw new Error('route is missing its eventGuard');
  return request.eventAccess;
}

export type GuardFactory = (permission?: Permission) => ReturnType<typeof eventGuard>;
export type { FastifyInstance };
