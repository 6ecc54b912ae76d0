import {
  type ExhibitorRecord,
  type LeadExportTable,
  type LeadRecord,
  type LeadScanRecord,
  leadExportTable,
  toCsv,
} from '@makeplus/shared';
import ExcelJS from 'exceljs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { eventGuard, requireAccess } from '../http/auth';
import { AppError } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { toRecord } from '../sync/recordStore';

/** The leads a caller may export: an exhibitor its own stand's, an organizer every stand's. */
export function leadQueries(db: Kysely<DB>) {
  return {
    async exportInput(eventId: string, exhibitorId: string | null) {
      let ex = db.selectFrom('exhibitors').selectAll().where('eventId', '=', eventId).where('deleted', '=', false);
      let leads = db.selectFrom('leads').selectAll().where('eventId', '=', eventId).where('deleted', '=', false);
      let scans = db
        .selectFrom('leadScans')
        .select(['exhibitorId', 'participantId', 'occurredAt', 'deleted'])
        .where('eventId', '=', eventId)
        .where('deleted', '=', false);
      if (exhibitorId) {
        ex = ex.where('id', '=', exhibitorId);
        leads = leads.where('exhibitorId', '=', exhibitorId);
        scans = scans.where('exhibitorId', '=', exhibitorId);
      }
      const [exhibitorRows, leadRows, scanRows] = await Promise.all([ex.execute(), leads.execute(), scans.execute()]);
      const ids = [...new Set(leadRows.map((l) => l.participantId))];
      const visitors = ids.length
        ? await db
            .selectFrom('participants')
            .select(['id', 'firstName', 'lastName', 'organization'])
            .where('eventId', '=', eventId)
            .where('id', 'in', ids)
            .execute()
        : [];
      return {
        exhibitors: exhibitorRows.map((r) => toRecord<ExhibitorRecord>('exhibitors', r as Record<string, unknown>)),
        leads: leadRows.map((r) => toRecord<LeadRecord>('leads', r as Record<string, unknown>)),
        scans: scanRows as unknown as Pick<
          LeadScanRecord,
          'exhibitorId' | 'participantId' | 'occurredAt' | 'deleted'
        >[],
        visitors: new Map(visitors.map((v) => [v.id, v])),
      };
    },
  };
}

export async function leadsWorkbook(table: LeadExportTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MakePlus';
  wb.created = new Date();
  const sheet = wb.addWorksheet('Leads');
  sheet.addRow(table.header);
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((c, i) => {
    c.width = Math.min(60, Math.max(12, ...[table.header, ...table.rows].map((r) => String(r[i] ?? '').length + 2)));
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function leadRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const q = leadQueries(db);
  return async (app) => {
    app.get(
      '/events/:eventId/leads/export',
      {
        schema: {
          tags: ['leads'],
          summary: 'Export leads (CSV or Excel): an exhibitor its own stand, an organizer every stand',
          params: z.object({ eventId: z.uuid() }),
          querystring: z.object({ format: z.enum(['csv', 'xlsx']).default('csv') }),
          response: errorResponses,
        },
        preHandler: eventGuard(db),
      },
      async (req, reply) => {
        const access = requireAccess(req);
        let stand: string | null;
        if (access.role === 'organizer') stand = null;
        else if (access.permissions.has('leads.capture') && access.exhibitorId) stand = access.exhibitorId;
        else
          throw new AppError(
            403,
            'forbidden',
            'Seuls les exposants (leur stand) et les organisateurs exportent les contacts. / Only exhibitors (their own stand) and organizers may export leads.',
          );
        const input = await q.exportInput(access.eventId, stand);
        const table = leadExportTable(input);
        const day = new Date().toISOString().slice(0, 10);
        const base = stand ? `leads-${slug(input.exhibitors[0]?.name ?? 'stand')}-${day}` : `leads-${day}`;
        if (req.query.format === 'xlsx') {
          return reply
            .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
            .header('content-disposition', `attachment; filename="${base}.xlsx"`)
            .send(await leadsWorkbook(table));
        }
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${base}.csv"`)
          .send(toCsv(table));
      },
    );
  };
}

function slug(s: string): string {
  return (
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-zA-Z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'stand'
  );
}
