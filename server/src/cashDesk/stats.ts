import {
  type CashRegisterRecord,
  detectReceiptCollisions,
  missingReceiptSeqs,
  type RegisterStatistics,
  summarizeRegister,
} from '@makeplus/shared';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { notFound } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { authenticate, guard } from '../records/crud';
import { findRecord } from '../sync/recordStore';
import { cashDeskQueries } from './queries';

/** Figures of each register of an event from the sales the server holds (amounts in minor units). */
export function cashDeskStatistics(db: Kysely<DB>) {
  return {
    async forEvent(eventId: string, onlyRegisterId?: string): Promise<RegisterStatistics[]> {
      let rq = db.selectFrom('cashRegisters').selectAll().where('eventId', '=', eventId).where('deleted', '=', false);
      if (onlyRegisterId) rq = rq.where('id', '=', onlyRegisterId);
      const [registers, facts] = await Promise.all([
        rq.orderBy('name').execute(),
        cashDeskQueries(db).facts(eventId, onlyRegisterId),
      ]);
      return registers.map((r) => {
        const own = facts.sales.filter((s) => s.cashRegisterId === r.id && !s.deleted);
        const times = own.map((s) => s.occurredAt).sort();
        return {
          cashRegisterId: r.id,
          name: r.name,
          receiptPrefix: r.receiptPrefix,
          isActive: r.isActive,
          summary: summarizeRegister(r.id, own, facts.cancellations),
          firstSaleAt: times[0] ?? null,
          lastSaleAt: times.at(-1) ?? null,
          missingReceipts: missingReceiptSeqs(own, r.id),
          duplicateReceipts: detectReceiptCollisions(own).map((c) => c.receiptSeq),
        };
      });
    },
  };
}

const methodTotals = z.object({
  count: z.int(),
  totalMinor: z.int(),
  cashMinor: z.int(),
  nonCashMinor: z.int(),
});
const statisticsSchema = z.object({
  cashRegisterId: z.string(),
  name: z.string(),
  receiptPrefix: z.string(),
  isActive: z.boolean(),
  summary: z
    .object({
      cashRegisterId: z.string(),
      salesCount: z.int(),
      grossMinor: z.int(),
      completedCount: z.int(),
      completedMinor: z.int(),
      cancelledCount: z.int(),
      cancelledMinor: z.int(),
      cancelledCashMinor: z.int(),
      byMethod: z.object({ cash: methodTotals, bank_transfer: methodTotals, mixed: methodTotals }),
      byItem: z.array(
        z.object({
          payableItemId: z.string(),
          name: z.string(),
          kind: z.string(),
          quantity: z.int(),
          totalMinor: z.int(),
        }),
      ),
      cashMinor: z.int(),
      nonCashMinor: z.int(),
      amountReceivedMinor: z.int(),
      changeMinor: z.int(),
      expectedCashMinor: z.int(),
    })
    .describe('Amounts in minor units (centimes)'),
  firstSaleAt: z.string().nullable(),
  lastSaleAt: z.string().nullable(),
  missingReceipts: z.array(z.int()),
  duplicateReceipts: z.array(z.int()),
});

export function cashDeskStatisticsRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const stats = cashDeskStatistics(db);
  const tags = ['cash desk'];
  const read = { onRequest: authenticate, preValidation: guard(db, 'cashRegisters.manage') };
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/events/:eventId/cash-registers/statistics',
      {
        schema: {
          tags,
          summary: 'Figures of every register: totals by method and item, sales, cancellations, cash expected',
          params: z.object({ eventId: z.uuid() }),
          response: { ...errorResponses, 200: z.array(statisticsSchema) },
        },
        ...read,
      },
      async (req) => stats.forEvent(req.params.eventId),
    );
    r.get(
      '/events/:eventId/cash-registers/:id/statistics',
      {
        schema: {
          tags,
          summary: "One register's figures",
          params: z.object({ eventId: z.uuid(), id: z.uuid() }),
          response: { ...errorResponses, 200: statisticsSchema },
        },
        ...read,
      },
      async (req) => {
        const reg = await findRecord<CashRegisterRecord>(db, 'cashRegisters', req.params.eventId, req.params.id);
        if (!reg) throw notFound('Cash register');
        const [one] = await stats.forEvent(req.params.eventId, reg.id);
        if (!one) throw notFound('Cash register');
        return one;
      },
    );
  };
}
