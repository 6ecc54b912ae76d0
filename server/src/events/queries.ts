import type { EventRecord } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Executor } from '../sync/recordStore';

/** All SQL of the events domain. */
export function eventQueries(db: Kysely<DB>) {
  return {
    async eventsOfUser(userId: string): Promise<(EventRecord & { role: string })[]> {
      const rows = await db
        .selectFrom('events')
        .innerJoin('memberships', 'memberships.eventId', 'events.id')
        .selectAll('events')
        .select('memberships.role')
        .where('memberships.userId', '=', userId)
        .where('memberships.isActive', '=', true)
        .where('memberships.deleted', '=', false)
        .where('events.deleted', '=', false)
        .orderBy('events.startsAt', 'desc')
        .execute();
      return rows.map(({ createdBy: _c, ...e }) => e as unknown as EventRecord & { role: string });
    },
    async isOrganizerSomewhere(userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('memberships')
        .select('id')
        .where('userId', '=', userId)
        .where('role', '=', 'organizer')
        .where('isActive', '=', true)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return !!row;
    },
    async countSales(eventId: string, ex: Executor = db): Promise<number> {
      const row = await ex
        .selectFrom('transactions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('eventId', '=', eventId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
