import type { EventRecord, EventStatus } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Executor } from '../sync/recordStore';

export const eventSortable = ['startsAt', 'endsAt', 'name', 'createdAt', 'updatedAt'] as const;
export type EventSortKey = (typeof eventSortable)[number];

export interface EventListOptions {
  q?: string | undefined;
  status?: EventStatus | undefined;
  sort: EventSortKey;
  descending: boolean;
  limit: number;
  offset: number;
}

/** All SQL of the events domain. */
export function eventQueries(db: Kysely<DB>) {
  return {
    /** Events where the user is active staff, with their role there: one page, and the total. */
    async eventsOfUser(
      userId: string,
      o: EventListOptions,
    ): Promise<{ items: (EventRecord & { role: string })[]; total: number }> {
      let base = db
        .selectFrom('events')
        .innerJoin('memberships', 'memberships.eventId', 'events.id')
        .where('memberships.userId', '=', userId)
        .where('memberships.isActive', '=', true)
        .where('memberships.deleted', '=', false)
        .where('events.deleted', '=', false);
      if (o.status) base = base.where('events.status', '=', o.status);
      if (o.q) {
        const like = `%${o.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base = base.where((eb) =>
          eb.or([
            eb('events.name', 'ilike', like),
            eb('events.venue', 'ilike', like),
            eb('events.description', 'ilike', like),
          ]),
        );
      }
      const [rows, count] = await Promise.all([
        base
          .selectAll('events')
          .select('memberships.role')
          .orderBy(`events.${o.sort}`, o.descending ? 'desc' : 'asc')
          .orderBy('events.id')
          .limit(o.limit)
          .offset(o.offset)
          .execute(),
        base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
      ]);
      return {
        items: rows.map(({ createdBy: _c, ...e }) => e as unknown as EventRecord & { role: string }),
        total: Number(count?.n ?? 0),
      };
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
