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
    /** Is this a live room of the event (a room manager's room must be)? */
    async roomExists(eventId: string, roomId: string): Promise<boolean> {
      const row = await ex
        .selectFrom('rooms')
        .select('id')
        .where('eventId', '=', eventId)
        .where('id', '=', roomId)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return row !== undefined;
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
    findMembershipDetails(eventId: string, userId: string) {
      return ex
        .selectFrom('memberships')
        .select(['id', 'role', 'isActive', 'userEmail', 'userFirstName', 'userLastName'])
        .where('eventId', '=', eventId)
        .where('userId', '=', userId)
        .where('deleted', '=', false)
        .executeTakeFirst();
    },
    /** A person's active room slots in an event (but one, when it is being changed). */
    activeAssignmentsOf(eventId: string, userId: string, exceptId?: string) {
      let q = ex
        .selectFrom('roomAssignments')
        .select(['id', 'startsAt', 'endsAt'])
        .where('eventId', '=', eventId)
        .where('userId', '=', userId)
        .where('isActive', '=', true)
        .where('deleted', '=', false);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return q.execute();
    },
    /** The active organizers of an event, their rows locked until the transaction ends. */
    lockActiveOrganizers(eventId: string) {
      return ex
        .selectFrom('memberships')
        .select('id')
        .where('eventId', '=', eventId)
        .where('role', '=', 'organizer')
        .where('isActive', '=', true)
        .where('deleted', '=', false)
        .forUpdate()
        .execute();
    },
  };
}
