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
    /** A live room of the event with this name, ignoring case (the `rooms_event_name` index). */
    findRoomNamed(eventId: string, name: string, exceptId?: string) {
      let q = ex
        .selectFrom('rooms')
        .select(['id', 'name'])
        .where('eventId', '=', eventId)
        .where('deleted', '=', false)
        .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
      if (exceptId) q = q.where('id', '!=', exceptId);
      return q.executeTakeFirst();
    },
  };
}
