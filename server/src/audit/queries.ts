import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema';

export interface AuditFilter {
  collection?: string | undefined;
  recordId?: string | undefined;
  deviceId?: string | undefined;
  actorId?: string | undefined;
  via?: string | undefined;
  action?: string | undefined;
  /** Arrival at the server, from (inclusive) and to (exclusive), ISO instants. */
  from?: string | undefined;
  to?: string | undefined;
  before?: number | undefined;
  limit: number;
}

/** All SQL of the audit domain. The trail is append-only (database triggers refuse UPDATE, DELETE and TRUNCATE). */
export function auditQueries(db: Kysely<DB>) {
  function filtered(eventId: string, f: Omit<AuditFilter, 'limit'>) {
    let q = db.selectFrom('auditLog').selectAll().where('eventId', '=', eventId);
    if (f.collection) q = q.where('collection', '=', f.collection);
    if (f.recordId) q = q.where('recordId', '=', f.recordId);
    if (f.deviceId) q = q.where('deviceId', '=', f.deviceId);
    if (f.actorId) q = q.where('actorId', '=', f.actorId);
    if (f.via) q = q.where('via', '=', f.via as 'rest');
    if (f.action) q = q.where('action', '=', f.action);
    if (f.from) q = q.where('receivedAt', '>=', f.from);
    if (f.to) q = q.where('receivedAt', '<', f.to);
    if (f.before) q = q.where('id', '<', f.before);
    return q;
  }
  return {
    async list(eventId: string, f: AuditFilter) {
      return filtered(eventId, f).orderBy('id', 'desc').limit(f.limit).execute();
    },
    async count(eventId: string, f: Omit<AuditFilter, 'limit'>) {
      const row = await filtered(eventId, f)
        .clearSelect()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    /** Newest first, page by page (for the CSV export), without holding a transaction open. */
    async *pages(eventId: string, f: Omit<AuditFilter, 'limit' | 'before'>, size = 1000) {
      let before: number | undefined;
      for (;;) {
        const page = await filtered(eventId, { ...f, before })
          .orderBy('id', 'desc')
          .limit(size)
          .execute();
        if (page.length) yield page;
        if (page.length < size) return;
        before = page.at(-1)?.id;
      }
    },
    /** The values the console offers as filters: who acted, on which record types, from which devices. */
    async facets(eventId: string) {
      const [actors, collections, devices] = await Promise.all([
        db
          .selectFrom('auditLog')
          .select(['actorKind', 'actorId', sql<string>`max(actor_label)`.as('actorLabel')])
          .where('eventId', '=', eventId)
          .groupBy(['actorKind', 'actorId'])
          .orderBy(sql`max(actor_label)`)
          .execute(),
        db
          .selectFrom('auditLog')
          .select('collection')
          .distinct()
          .where('eventId', '=', eventId)
          .orderBy('collection')
          .execute(),
        db
          .selectFrom('auditLog')
          .select('deviceId')
          .distinct()
          .where('eventId', '=', eventId)
          .where('deviceId', 'is not', null)
          .orderBy('deviceId')
          .execute(),
      ]);
      return {
        actors: actors.map((a) => ({ kind: a.actorKind, id: a.actorId, label: a.actorLabel })),
        collections: collections.map((c) => c.collection),
        devices: devices.map((d) => d.deviceId as string),
      };
    },
  };
}
