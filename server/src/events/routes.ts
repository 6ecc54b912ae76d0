import {
  eventCreateInput,
  eventRecord,
  eventRole,
  eventStatus,
  eventUpdateInput,
  permission,
  permissions,
} from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../accounts/principal';
import type { Services } from '../app';
import { requireAccess, requirePrincipal, requireUser } from '../http/auth';
import { invalidField } from '../http/errors';
import { errorResponses, pageQuery } from '../http/openapi';
import { authenticate, component, guard, pageOf, rejectNulCharacters, writeContextOf } from '../records/crud';
import { eventSortable } from './queries';

const eventParams = z.object({ eventId: z.uuid() });

/**
 * `settings.permissionOverrides` is read on every request to the event (see http/auth.ts): it must
 * be a map from role to a list of permissions, or one bad value would lock everybody out. The
 * organizer's own permissions cannot be narrowed: an organizer could lock every organizer out.
 */
const permissionOverrides = z.partialRecord(eventRole, z.array(permission).max(permissions.length));
function checkSettings(value: { settings?: Record<string, unknown> | undefined }, ctx: z.RefinementCtx) {
  const overrides = value.settings?.permissionOverrides;
  if (overrides === undefined) return;
  if (overrides && typeof overrides === 'object' && 'organizer' in overrides) {
    ctx.addIssue({
      code: 'custom',
      message: 'the organizer keeps every permission; adjust the other roles',
      path: ['settings', 'permissionOverrides', 'organizer'],
    });
    return;
  }
  const parsed = permissionOverrides.safeParse(overrides);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({
      code: 'custom',
      message: issue.message,
      path: ['settings', 'permissionOverrides', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    });
  }
}
const createBody = eventCreateInput.superRefine(checkSettings);
const updateBody = eventUpdateInput.superRefine(checkSettings);

const listQuery = pageQuery.extend({ status: eventStatus.optional() });
const event = component('Event', () => eventRecord);
const eventPage = component('EventPage', () =>
  pageOf(eventRecord.extend({ role: eventRole.describe('my role in this event') })),
);

export function eventRoutes(services: Services): FastifyPluginAsyncZod {
  const { db, events } = services;
  return async (app) => {
    const tags = ['events'];
    const one = { ...errorResponses, 200: event, 201: event };
    app.get(
      '/events',
      {
        schema: {
          tags,
          summary: 'Events where I am staff, with my role in each',
          description: `Search \`q\` in name, venue and description; filter by \`status\`; sort by ${eventSortable.join(', ')} (default -startsAt).`,
          querystring: listQuery,
          response: { ...errorResponses, 200: eventPage },
        },
        onRequest: authenticate,
      },
      async (req) => {
        const user = requireUser(req);
        const { page, pageSize, q, status } = req.query;
        const sortKey = req.query.sort ?? '-startsAt';
        const descending = sortKey.startsWith('-');
        const column = (descending ? sortKey.slice(1) : sortKey) as (typeof eventSortable)[number];
        if (!eventSortable.includes(column)) {
          throw invalidField('querystring.sort', `one of ${eventSortable.join(', ')} (prefix - for descending)`);
        }
        const { items, total } = await events.listForUser(user.userId, {
          q,
          status,
          sort: column,
          descending,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return { items, total, page, pageSize, pages: Math.max(1, Math.ceil(total / pageSize)) };
      },
    );
    app.post(
      '/events',
      {
        schema: {
          tags,
          summary: 'Create an event (I become its organizer)',
          description:
            'Allowed to platform admins (see the admin CLI `grant-organizer`) and to people who already organise an event. The server publishes its badge signing keys to the new event.',
          body: createBody,
          response: one,
        },
        onRequest: authenticate,
        preValidation: async (req) => {
          await events.assertMayCreate(requirePrincipal(req));
        },
        preHandler: rejectNulCharacters,
      },
      async (req, reply) => {
        const principal = requirePrincipal(req);
        const event = await events.create(principal, req.body, { actor: actorOf(principal), via: 'rest', ip: req.ip });
        return reply.status(201).send(event);
      },
    );
    app.get(
      '/events/:eventId',
      {
        schema: { tags, summary: 'One event', params: eventParams, response: one },
        onRequest: authenticate,
        preValidation: guard(db, 'event.read'),
      },
      async (req) => events.get(req.params.eventId),
    );
    app.patch(
      '/events/:eventId',
      {
        schema: {
          tags,
          summary: 'Update an event (send `rev` to detect conflicts)',
          description:
            'Only the fields sent change. With `rev`, the update applies only to that revision; otherwise 409 with the current event in `current`.',
          params: eventParams,
          body: updateBody,
          response: one,
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
        preHandler: rejectNulCharacters,
      },
      async (req) => {
        const access = requireAccess(req);
        return events.update(access, req.body, writeContextOf(access, req.ip));
      },
    );
    app.delete(
      '/events/:eventId',
      {
        schema: {
          tags,
          summary: 'Delete an event (refused while it has sales, unless completed or cancelled)',
          params: eventParams,
          querystring: z.object({ rev: z.coerce.number().int().min(1).optional() }),
          response: errorResponses,
        },
        onRequest: authenticate,
        preValidation: guard(db, 'event.manage'),
      },
      async (req, reply) => {
        const access = requireAccess(req);
        await events.remove(access, writeContextOf(access, req.ip), req.query.rev);
        return reply.status(204).send();
      },
    );
  };
}
