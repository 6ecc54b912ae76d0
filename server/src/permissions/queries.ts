import type { EventRole, Permission } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { Executor } from '../sync/recordStore';

/** All SQL of the permissions domain: an event's adjustments, one row per adjusted role. */
export function permissionQueries(db: Kysely<DB>) {
  return {
    async event(eventId: string) {
      return db.selectFrom('events').select(['settings']).where('id', '=', eventId).executeTakeFirst();
    },
    async rows(ex: Executor, eventId: string) {
      return ex.selectFrom('permissionOverrides').selectAll().where('eventId', '=', eventId).orderBy('role').execute();
    },
    /** Lock the event's adjustments while one is replaced (two organizers saving at once). */
    async lockRole(ex: Executor, eventId: string, role: EventRole) {
      return ex
        .selectFrom('permissionOverrides')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('role', '=', role)
        .forUpdate()
        .executeTakeFirst();
    },
    async upsert(ex: Executor, eventId: string, role: EventRole, list: readonly Permission[], by: string | null) {
      return ex
        .insertInto('permissionOverrides')
        .values({ eventId, role, permissions: JSON.stringify(list), updatedBy: by })
        .onConflict((oc) =>
          oc.columns(['eventId', 'role']).doUpdateSet({
            permissions: JSON.stringify(list),
            updatedBy: by,
            updatedAt: new Date().toISOString(),
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
    },
  };
}
