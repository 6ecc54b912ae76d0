import type { Executor } from '../sync/recordStore';

/** All SQL of the participants domain. */
export function participantQueries(ex: Executor) {
  return {
    findUserByEmail(email: string) {
      return ex.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
    },
    findParticipantOfUser(eventId: string, userId: string) {
      return ex
        .selectFrom('participants')
        .select('id')
        .where('eventId', '=', eventId)
        .where('userId', '=', userId)
        .where('deleted', '=', false)
        .executeTakeFirst();
    },
  };
}
