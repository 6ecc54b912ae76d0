import {
  adjustableRoles,
  defaultPermissionsByRole,
  type EventRole,
  eventRole,
  grantableByRole,
  organizerOnlyPermissions,
  overrideIssues,
  type Permission,
  permission,
  permissions,
  permissionsFor,
} from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { eventOverrides, requireAccess } from '../http/auth';
import { validationError } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { authenticate, component, guard, rejectNulCharacters, writeContextOf } from '../records/crud';
import { audit } from '../sync/recordStore';
import { permissionQueries } from './queries';

const rolePermissions = () =>
  z.object({
    role: eventRole,
    adjustable: z.boolean().describe('false for the organizer, who keeps every permission'),
    defaults: z.array(permission),
    grantable: z.array(permission).describe('the safe bounds: what this role may ever hold'),
    effective: z.array(permission).describe('what the role holds in this event now'),
    adjusted: z.boolean().describe('whether the event differs from the defaults'),
    updatedAt: z.string().nullable(),
  });
const matrixSchema = () =>
  z.object({
    permissions: z.array(permission),
    organizerOnly: z.array(permission),
    roles: z.array(component('RolePermissions', rolePermissions)),
  });

const params = z.object({ eventId: z.uuid() });
const roleParams = z.object({ eventId: z.uuid(), role: eventRole });
const body = z.object({
  permissions: z
    .array(permission)
    .max(permissions.length * 2)
    .describe("the role's whole permission list in this event"),
});

/**
 * The event's roles × permissions matrix and its adjustments (organizers only: `staff.manage`).
 * An adjustment replaces a role's whole list; anything outside the role's safe bounds, or an
 * adjustment of the organizer, is a 400 naming each refused permission. Adjustments are audited.
 */
export function permissionRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const q = permissionQueries(db);
  const order = (list: Iterable<Permission>) => permissions.filter((p) => new Set(list).has(p));

  async function matrix(eventId: string) {
    const [event, rows] = await Promise.all([q.event(eventId), q.rows(db, eventId)]);
    const overrides = eventOverrides(event?.settings ?? {}, rows);
    const updatedAt = new Map(rows.map((r) => [r.role, r.updatedAt]));
    return {
      permissions: [...permissions],
      organizerOnly: [...organizerOnlyPermissions],
      roles: eventRole.options.map((role: EventRole) => {
        const effective = order(permissionsFor(role, overrides));
        const defaults = order(defaultPermissionsByRole[role]);
        return {
          role,
          adjustable: adjustableRoles.includes(role),
          defaults,
          grantable: order(grantableByRole[role]),
          effective,
          adjusted: effective.join() !== defaults.join(),
          updatedAt: updatedAt.get(role) ?? null,
        };
      }),
    };
  }

  return async (app) => {
    const tags = ['permissions'];
    app.get(
      '/events/:eventId/permissions',
      {
        schema: {
          tags,
          summary: "Roles × permissions of the event, with the event's adjustments and the safe bounds",
          params,
          response: { ...errorResponses, 200: component('PermissionMatrix', matrixSchema) },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'staff.manage'),
      },
      async (req) => matrix(req.params.eventId),
    );

    app.put(
      '/events/:eventId/permissions/:role',
      {
        schema: {
          tags,
          summary: "Replace a role's permissions in this event (within its safe bounds; not the organizer)",
          params: roleParams,
          body,
          response: { ...errorResponses, 200: component('PermissionMatrix', matrixSchema) },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'staff.manage'),
        preHandler: rejectNulCharacters,
      },
      async (req) => {
        const access = requireAccess(req);
        const role = req.params.role;
        const wanted = order(req.body.permissions);
        const issues = overrideIssues(role, wanted);
        if (issues.length) {
          throw validationError(
            issues.map((i) => ({
              field: i.permission
                ? `body.permissions.${req.body.permissions.indexOf(i.permission as Permission)}`
                : 'params.role',
              reason: i.reason,
            })),
          );
        }
        const write = writeContextOf(access, req.ip);
        // What the role held before (defaults or an earlier adjustment), read before the transaction
        // opens (PGlite has one connection).
        const held = (await matrix(access.eventId)).roles.find((r) => r.role === role)?.effective ?? [];
        await db.transaction().execute(async (trx) => {
          const row = await q.lockRole(trx, access.eventId, role);
          const actorId = access.principal.kind === 'user' ? access.principal.userId : null;
          await q.upsert(trx, access.eventId, role, wanted, actorId);
          await audit(
            trx,
            'permissionOverrides',
            access.eventId,
            row ? 'update' : 'create',
            [{ id: role, before: { role, permissions: held }, after: { role, permissions: wanted } }],
            write,
          );
        });
        return matrix(access.eventId);
      },
    );
  };
}
