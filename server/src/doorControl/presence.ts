import { type OccupancyScan, occupancy, type ScanReason, scanPersonKey } from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { eventGuard } from '../http/auth';
import { errorResponses } from '../http/openapi';

/**
 * Check-in state and room occupancy, derived on the server from the scan facts with the same pure
 * function the door devices use (shared/doorControl/occupancy.ts): "checked in" and "inside" are
 * never stored, so they can never disagree with the scans.
 */
export function presenceQueries(db: Kysely<DB>) {
  return {
    /** The live scans of the event (or of one participant), with their reason for the statistics. */
    scans(eventId: string, participantId?: string): Promise<(OccupancyScan & { reason: ScanReason })[]> {
      let q = db
        .selectFrom('scans')
        .select([
          'id',
          'participantId',
          'badgeCode',
          'roomId',
          'sessionId',
          'direction',
          'granted',
          'reason',
          'occurredAt',
          'deviceId',
          'deleted',
        ])
        .where('eventId', '=', eventId)
        .where('deleted', '=', false);
      if (participantId) q = q.where('participantId', '=', participantId);
      return q.execute() as Promise<(OccupancyScan & { reason: ScanReason })[]>;
    },
    rooms(eventId: string) {
      return db
        .selectFrom('rooms')
        .select(['id', 'name', 'capacity'])
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .orderBy('name')
        .execute();
    },
    async registered(eventId: string): Promise<number> {
      const r = await db
        .selectFrom('participants')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}

export function presenceRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const q = presenceQueries(db);
  return async (app) => {
    app.get(
      '/events/:eventId/presence',
      {
        schema: {
          tags: ['door control'],
          summary: 'Who is checked in, and how full each room is now (derived from scans)',
          params: z.object({ eventId: z.uuid() }),
          querystring: z.object({ participantId: z.uuid().optional() }),
          response: errorResponses,
        },
        preHandler: eventGuard(db, 'scans.read'),
      },
      async (req) => {
        const { eventId } = req.params;
        const participantId = req.query.participantId;
        const [scans, rooms, registered] = await Promise.all([
          q.scans(eventId, participantId),
          q.rooms(eventId),
          q.registered(eventId),
        ]);
        const summary = occupancy(scans);
        if (participantId) {
          const key = `p:${participantId}`;
          const admitted = scans
            .filter((s) => s.granted && s.direction === 'in')
            .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
          return {
            participantId,
            checkedIn: admitted.length > 0,
            firstCheckInAt: admitted[0]?.occurredAt ?? null,
            insideRoomIds: summary.rooms.filter((r) => r.roomId && r.inside.includes(key)).map((r) => r.roomId),
          };
        }
        const byRoom = new Map(summary.rooms.map((r) => [r.roomId, r]));
        const checkedIn = new Set(scans.filter((s) => s.granted && s.direction === 'in').map(scanPersonKey)).size;
        return {
          registered,
          checkedIn,
          refusedScans: summary.refused,
          rooms: rooms.map((room) => {
            const r = byRoom.get(room.id);
            return {
              roomId: room.id,
              name: room.name,
              capacity: room.capacity,
              inside: r?.insideCount ?? 0,
              entries: r?.entries ?? 0,
              uniquePeople: r?.uniquePeople ?? 0,
              refused: r?.refused ?? 0,
            };
          }),
        };
      },
    );
  };
}
