import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** The SQL of the admin CLI: accounts as a platform operator sees them. */
export function adminQueries(db: Kysely<DB>) {
  return {
    /** Every account, with how many events it is staff of, optionally filtered by email or name. */
    listUsers(search?: string) {
      let q = db
        .selectFrom('users')
        .select((eb) => [
          'users.id',
          'users.legacyId',
          'users.email',
          'users.firstName',
          'users.lastName',
          'users.isActive',
          'users.isPlatformAdmin',
          'users.lastLoginAt',
          eb('users.passwordHash', 'is not', null).as('hasPassword'),
          eb
            .selectFrom('memberships')
            .select((m) => m.fn.countAll<number>().as('n'))
            .whereRef('memberships.userId', '=', 'users.id')
            .where('memberships.deleted', '=', false)
            .where('memberships.isActive', '=', true)
            .as('staffEvents'),
        ])
        .orderBy('users.email');
      if (search) {
        const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where((eb) =>
          eb.or([
            eb('users.email', 'ilike', like),
            eb('users.firstName', 'ilike', like),
            eb('users.lastName', 'ilike', like),
          ]),
        );
      }
      return q.execute();
    },
    setPlatformAdmin(userId: string, isPlatformAdmin: boolean) {
      return db
        .updateTable('users')
        .set({ isPlatformAdmin, updatedAt: new Date().toISOString() })
        .where('id', '=', userId)
        .execute();
    },
    countLiveEvents() {
      return db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('deleted', '=', false)
        .executeTakeFirstOrThrow();
    },
  };
}
