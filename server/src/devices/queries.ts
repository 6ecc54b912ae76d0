import type { Executor } from '../sync/recordStore';

/** SQL of enrolled devices: the only place it lives. */
export function deviceQueries(ex: Executor) {
  return {
    find(eventId: string, deviceId: string, forUpdate = false) {
      let q = ex.selectFrom('devices').selectAll().where('id', '=', deviceRowId(eventId, deviceId));
      if (forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },
    list(eventId: string) {
      return ex.selectFrom('devices').selectAll().where('eventId', '=', eventId).orderBy('enrolledAt').execute();
    },
    /** The live trust records of a device's keys in an event. */
    trustRecords(eventId: string, deviceId: string) {
      return ex
        .selectFrom('badgeTrust')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('kind', '=', 'signing_key')
        .where('keyOwner', '=', 'device')
        .where('deviceId', '=', deviceId)
        .where('deleted', '=', false)
        .execute();
    },
  };
}

/**
 * A device is enrolled once per event: the same tablet may serve two events, each with its own
 * trust list, so the row's key is the pair.
 */
export function deviceRowId(eventId: string, deviceId: string): string {
  return `${eventId}/${deviceId}`;
}
