import { Readable } from 'node:stream';
import { type AuditEntry, auditAction, auditCsvColumns, auditCsvValues, auditVia, csvCell } from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { requireAccess } from '../http/auth';
import { errorResponses } from '../http/openapi';
import { authenticate, guard } from '../records/crud';
import { type AuditFilter, auditQueries } from './queries';

const instant = z.iso.datetime({ offset: true });
const filters = z.object({
  collection: z.string().max(64).optional().describe('record type, e.g. rooms, participants, permissionOverrides'),
  recordId: z.string().max(64).optional(),
  deviceId: z.string().max(64).optional(),
  actorId: z.uuid().optional().describe('the account or cash register that made the change'),
  via: auditVia.optional(),
  action: auditAction.optional(),
  from: instant.optional().describe('received by the server at or after this instant'),
  to: instant.optional().describe('received by the server before this instant'),
});
const listQuery = filters.extend({
  before: z.coerce.number().int().min(1).optional().describe('page backwards: entries with an id below this'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const params = z.object({ eventId: z.uuid() });

/** The CSV as text chunks, one per database page, so a long trail never sits in memory. */
async function* csvChunks(pages: AsyncGenerator<AuditEntry[]>) {
  yield `\uFEFF${auditCsvColumns.map((c) => csvCell(c.label)).join(',')}\r\n`;
  for await (const page of pages) {
    yield page.map((e) => `${auditCsvValues(e).map(csvCell).join(',')}\r\n`).join('');
  }
}

/**
 * The event's audit trail (organizers: `audit.read`), newest first: who changed what, from which
 * device and through which API, before and after, device time and arrival time. Read-only: no
 * route writes it, and the database refuses UPDATE, DELETE and TRUNCATE of it.
 */
export function auditRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const queries = auditQueries(db);
  const read = { onRequest: authenticate, preValidation: guard(db, 'audit.read') };
  return async (app) => {
    const tags = ['audit'];
    app.get(
      '/events/:eventId/audit',
      {
        schema: {
          tags,
          summary: 'Audit trail of the event (read-only), filtered by record type, actor, device, API and date',
          params,
          querystring: listQuery,
          response: errorResponses,
        },
        ...read,
      },
      async (req) => {
        const items = await queries.list(req.params.eventId, req.query as AuditFilter);
        return { items, next: items.length === req.query.limit ? items.at(-1)?.id : null };
      },
    );

    app.get(
      '/events/:eventId/audit/facets',
      {
        schema: {
          tags,
          summary: 'What the audit trail can be filtered by: its actors, record types and devices',
          params,
          response: errorResponses,
        },
        ...read,
      },
      async (req) => queries.facets(req.params.eventId),
    );

    app.get(
      '/events/:eventId/audit.csv',
      {
        schema: {
          tags,
          summary: 'The filtered audit trail as CSV (streamed; x-total-rows gives the row count)',
          params,
          querystring: filters,
          response: errorResponses,
        },
        ...read,
      },
      async (req, reply) => {
        const { eventId } = requireAccess(req);
        const total = await queries.count(eventId, req.query);
        const day = new Date().toISOString().slice(0, 10);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
          .header('x-total-rows', String(total))
          .header('access-control-expose-headers', 'x-total-rows, content-disposition')
          .header('cache-control', 'no-store')
          .send(Readable.from(csvChunks(queries.pages(eventId, req.query) as AsyncGenerator<AuditEntry[]>)));
      },
    );
  };
}
