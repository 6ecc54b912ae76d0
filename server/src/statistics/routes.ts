import { dashboardSchema } from '@makeplus/shared';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { requirePrincipal } from '../http/auth';
import { errorResponses } from '../http/openapi';
import { authenticate, guard } from '../records/crud';
import type { ChangeHub } from '../sync/changeHub';
import { eventDashboard } from './dashboard';
import { statisticsQueries } from './queries';

/** Notices are gathered this long before one `changed` event goes out (a busy door sends many). */
const CHANGES_DEBOUNCE_MS = 300;
const HEARTBEAT_MS = 15_000;

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
export function statisticsRoutes(db: Kysely<DB>, hub: ChangeHub): FastifyPluginAsyncZod {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const statsRead = { onRequest: authenticate, preValidation: guard(db, 'stats.read') };
    r.get(
      '/events/:eventId/statistics/dashboard',
      {
        schema: {
          tags: ['statistics'],
          summary:
            'Live dashboard: registered vs checked in, check-ins over time, rooms against capacity, scans, revenue, recent activity',
          params: z.object({ eventId: z.uuid() }),
          response: { ...errorResponses, 200: dashboardSchema },
        },
        ...statsRead,
      },
      async (req) => eventDashboard(db, req.params.eventId),
    );

    r.get(
      '/events/:eventId/statistics/changes',
      {
        schema: {
          tags: ['statistics'],
          summary:
            'Server-sent events: `changed` with the collections touched (no documents) whenever the event changes; `hello` on connect',
          params: z.object({ eventId: z.uuid() }),
          response: errorResponses,
        },
        ...statsRead,
      },
      async (req, reply) => {
        const { eventId } = req.params;
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const touched = new Set<string>();
        let timer: NodeJS.Timeout | undefined;
        let closed = false;
        const send = (event: string, data: unknown) => {
          if (!closed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        };
        const flush = () => {
          timer = undefined;
          send('changed', { collections: [...touched].sort() });
          touched.clear();
        };
        const unsubscribe = hub.subscribe(eventId, (notice) => {
          touched.add(notice === 'resync' ? '*' : notice.collection);
          timer ??= setTimeout(flush, CHANGES_DEBOUNCE_MS);
        });
        const heartbeat = setInterval(() => {
          if (!closed) raw.write(': ping\n\n');
        }, HEARTBEAT_MS);
        // Like the sync stream, it ends with the access token; the console reconnects with a fresh one.
        const exp = requirePrincipal(req).tokenExp;
        const expiry = setTimeout(() => close(), exp ? Math.max(1000, exp * 1000 - Date.now()) : 15 * 60_000);
        const close = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat);
          clearTimeout(expiry);
          if (timer) clearTimeout(timer);
          raw.destroy();
        };
        raw.on('close', close);
        raw.on('error', close);
        send('hello', { eventId });
      },
    );

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
