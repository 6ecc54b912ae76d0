import { eventCreateInput, eventUpdateInput } from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../accounts/principal';
import type { Services } from '../app';
import { eventGuard, requireAccess, requirePrincipal, requireUser } from '../http/auth';
import { errorResponses } from '../http/openapi';
import { writeContextOf } from '../records/crud';

const eventParams = z.object({ eventId: z.uuid() });

export function eventRoutes(services: Services): FastifyPluginAsyncZod {
  const { db, events } = services;
  return async (app) => {
    const tags = ['events'];
    app.get(
      '/events',
      { schema: { tags, summary: 'Events where I am staff', response: errorResponses } },
      async (req) => {
        const user = requireUser(req);
        const items = await events.listForUser(user.userId);
        return { items, total: items.length };
      },
    );
    app.post(
      '/events',
      {
        schema: {
          tags,
          summary: 'Create an event (I become its organizer)',
          body: eventCreateInput,
          response: errorResponses,
        },
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
        schema: { tags, summary: 'One event', params: eventParams, response: errorResponses },
        preHandler: eventGuard(db, 'event.read'),
      },
      async (req) => events.get(req.params.eventId),
    );
    app.patch(
      '/events/:eventId',
      {
        schema: {
          tags,
          summary: 'Update an event (send `rev` to detect conflicts)',
          params: eventParams,
          body: eventUpdateInput,
          response: errorResponses,
        },
        preHandler: eventGuard(db, 'event.manage'),
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
          summary: 'Delete an event (refused while it has sales, unless archived)',
          params: eventParams,
          querystring: z.object({ rev: z.coerce.number().int().min(1).optional() }),
          response: errorResponses,
        },
        preHandler: eventGuard(db, 'event.manage'),
      },
      async (req, reply) => {
        const access = requireAccess(req);
        await events.remove(access, writeContextOf(access, req.ip), req.query.rev);
        return reply.status(204).send();
      },
    );
  };
}
