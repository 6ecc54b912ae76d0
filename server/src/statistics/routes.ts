import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { errorResponses } from '../http/openapi';
import { authenticate, guard } from '../records/crud';
import { statisticsQueries } from './queries';

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

const activity = z.object({
  scans: z.array(
    z.object({
      id: z.string(),
      occurredAt: z.string(),
      roomId: z.string().nullable(),
      roomName: z.string(),
      direction: z.string(),
      granted: z.boolean(),
      reason: z.string(),
    }),
  ),
  transactions: z.array(
    z.object({
      id: z.string(),
      occurredAt: z.string(),
      receiptNumber: z.string(),
      totalMinor: z.number(),
      status: z.string(),
      items: z.string(),
    }),
  ),
  leads: z.array(
    z.object({ id: z.string(), exhibitorName: z.string(), firstCapturedAt: z.string(), rating: z.string().nullable() }),
  ),
});

/**
 * Read-only figures for the organizer console, computed from facts the console does not keep on the
 * device (scans, sales, leads): `/events/:eventId/statistics/...`.
 */
export function statisticsRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/events/:eventId/statistics/participants/:participantId/activity',
      {
        schema: {
          tags: ['statistics'],
          summary: "A participant's scans, purchases and leads (most recent first)",
          params: z.object({ eventId: z.uuid(), participantId: z.uuid() }),
          response: { ...errorResponses, 200: activity },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'participants.read'),
      },
      async (req) => {
        const { eventId, participantId } = req.params;
        const q = statisticsQueries(db);
        const [scans, transactions, leads] = await Promise.all([
          q.participantScans(eventId, participantId),
          q.participantTransactions(eventId, participantId),
          q.participantLeads(eventId, participantId),
        ]);
        return {
          scans: scans.map((s) => ({
            ...s,
            occurredAt: iso(s.occurredAt),
            roomName: s.roomName ?? '',
          })),
          transactions: transactions.map((x) => ({
            id: x.id,
            occurredAt: iso(x.occurredAt),
            receiptNumber: x.receiptNumber,
            totalMinor: Number(x.totalMinor),
            status: x.status,
            items: (x.lines as { name: string; quantity: number }[])
              .map((l) => (l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name))
              .join(', '),
          })),
          leads: leads.map((l) => ({ ...l, firstCapturedAt: iso(l.firstCapturedAt) })),
        };
      },
    );
  };
}
