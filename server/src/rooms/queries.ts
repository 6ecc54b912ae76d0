import type { Executor } from '../sync/recordStore';

/** All SQL of the rooms & sessions domain. */
export function roomQueries(ex: Executor) {
  return {
    async countLiveSessions(eventId: string, roomId: string): Promise<number> {
      const row = await ex
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('eventId', '=', eventId)
        .where('roomId', '=', roomId)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
