import { Readable } from 'node:stream';
import {
  csvHeader,
  csvLine,
  type ExportDataset,
  type ExportFilters,
  type ExportRow,
  exportColumns,
  exportDataset,
  exportFilters,
  type Permission,
} from '@makeplus/shared';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { assertPermission, requireAccess } from '../http/auth';
import { AppError } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { authenticate, guard } from '../records/crud';
import { EXPORT_PAGE, exportQueries } from './queries';

const iso = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));

/** Besides `exports.read`, each dataset needs the right to read what it holds. */
const datasetPermission: Record<ExportDataset, Permission> = {
  participants: 'participants.read',
  scans: 'scans.read',
  attendance: 'scans.read',
  transactions: 'sales.read',
};

type Page = { seq: number; row: ExportRow }[];

/** The rows of a dataset, page after page (keyset on seq), as plain cells. */
async function* datasetRows(db: Kysely<DB>, dataset: ExportDataset, eventId: string, f: ExportFilters) {
  const q = exportQueries(db);
  if (dataset === 'attendance') {
    for (const r of await q.attendanceRows(eventId, f)) {
      yield {
        room: r.room,
        lastName: r.lastName,
        firstName: r.firstName,
        email: r.email,
        entries: Number(r.entries),
        firstEntryAt: iso(r.firstEntryAt),
        lastEntryAt: iso(r.lastEntryAt),
      } satisfies ExportRow;
    }
    return;
  }
  let after = 0;
  for (;;) {
    let page: Page;
    if (dataset === 'participants') {
      page = (await q.participantsPage(eventId, f, after)).map((r) => ({
        seq: r.seq,
        row: { ...r, registeredAt: iso(r.registeredAt), checkedInAt: iso(r.checkedInAt) },
      }));
    } else if (dataset === 'scans') {
      page = (await q.scansPage(eventId, f, after)).map((r) => ({
        seq: r.seq,
        row: { ...r, occurredAt: iso(r.occurredAt) },
      }));
    } else {
      page = (await q.transactionsPage(eventId, f, after)).map(({ lines, ...r }) => ({
        seq: r.seq,
        row: {
          ...r,
          occurredAt: iso(r.occurredAt),
          totalMinor: Number(r.totalMinor),
          cashMinor: Number(r.cashMinor),
          items: (lines as unknown as { name: string; quantity: number }[])
            .map((l) => (l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name))
            .join(', '),
        },
      }));
    }
    for (const p of page) yield p.row;
    if (page.length < EXPORT_PAGE) return;
    after = page.at(-1)?.seq ?? after;
  }
}

/** The CSV of a dataset as a stream of text chunks (one per database page). */
async function* csvChunks(rows: AsyncGenerator<ExportRow>, dataset: ExportDataset) {
  const columns = exportColumns[dataset];
  yield csvHeader(columns);
  let chunk = '';
  let n = 0;
  for await (const row of rows) {
    chunk += csvLine(columns, row);
    if (++n % 500 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * The organizer console's exports: `/events/:eventId/exports/:dataset.csv` streams the rows the
 * filters select (the count first, in `x-total-rows`, so the console shows real progress).
 * Leads have their own export (`/leads/export`), shared with exhibitors.
 */
export function exportRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/events/:eventId/exports/:dataset',
      {
        schema: {
          tags: ['exports'],
          summary:
            'Export participants, scans, room attendance or sales as CSV (streamed; x-total-rows gives the row count)',
          params: z.object({ eventId: z.uuid(), dataset: z.string().regex(/^[a-z]+\.csv$/) }),
          querystring: exportFilters,
          response: errorResponses,
        },
        onRequest: authenticate,
        preValidation: guard(db, 'exports.read'),
      },
      async (req, reply) => {
        const name = req.params.dataset.replace(/\.csv$/, '');
        const parsed = exportDataset.safeParse(name);
        if (!parsed.success)
          throw new AppError(
            404,
            'not_found',
            `No export named "${name}" (one of ${exportDataset.options.join(', ')})`,
          );
        const dataset = parsed.data;
        const access = requireAccess(req);
        assertPermission(access, datasetPermission[dataset]);
        const { eventId } = req.params;
        const q = exportQueries(db);
        const total =
          dataset === 'attendance'
            ? await q.attendanceCount(eventId, req.query)
            : await q.count(dataset, eventId, req.query);
        const day = new Date().toISOString().slice(0, 10);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${dataset}-${day}.csv"`)
          .header('x-total-rows', String(total))
          .header('access-control-expose-headers', 'x-total-rows, content-disposition')
          .header('cache-control', 'no-store')
          .send(Readable.from(csvChunks(datasetRows(db, dataset, eventId, req.query), dataset)));
      },
    );
  };
}
