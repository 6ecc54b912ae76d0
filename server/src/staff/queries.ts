import type { Executor } from '../sync/recordStore';

/** All SQL of the staff domain. */
export function staffQueries(ex: Executor) {
  return {
    findUserById(id: string) {
      return ex.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    },
    findUserByEmail(email: string) {
      return ex.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },
    findMembership(eventId: string, userId: string) {
      return ex
        .selectFrom('memberships')
        .select('id')
        .where('eventId', '=', eventId)
        .where('userId', '=', userId)
        .where('deleted', '=', false)
        .executeTakeFirst();
    },
    async countOrganizers(eventId: string): Promise<number> {
      const row = await ex
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('eventId', '=', eventId)
        .where('role', '=', 'organizer')
        .where('isActive', '=', true)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
