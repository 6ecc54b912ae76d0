import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { eventGuard } from '../http/auth';
import { errorResponses } from '../http/openapi';
import { auditQueries } from './queries';

const query = z.object({
  collection: z.string().max(64).optional(),
  recordId: z.string().max(64).optional(),
  deviceId: z.string().max(64).optional(),
  via: z.enum(['rest', 'mobile', 'sync', 'system']).optional(),
  action: z.string().max(32).optional(),
  before: z.coerce.number().int().min(1).optional().describe('page backwards: entries with an id below this'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The event's audit trail, newest first: who changed what, from which device, before and after, device time and arrival time. */
export function auditRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const queries = auditQueries(db);
  return async (app) => {
    app.get(
      '/events/:eventId/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit trail of the event (read-only)',
          params: z.object({ eventId: z.uuid() }),
          querystring: query,
          response: errorResponses,
        },
        preHandler: eventGuard(db, 'audit.read'),
      },
      async (req) => {
        const items = await queries.list(req.params.eventId, req.query);
        return { items, next: items.length === req.query.limit ? items.at(-1)?.id : null };
      },
    );
  };
}
