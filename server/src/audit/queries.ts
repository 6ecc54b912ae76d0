import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export interface AuditFilter {
  collection?: string;
  recordId?: string;
  deviceId?: string;
  via?: string;
  action?: string;
  before?: number;
  limit: number;
}

/** All SQL of the audit domain. The trail is append-only (a database trigger refuses updates and deletes). */
export function auditQueries(db: Kysely<DB>) {
  return {
    async list(eventId: string, f: AuditFilter) {
      let q = db.selectFrom('auditLog').selectAll().where('eventId', '=', eventId);
      if (f.collection) q = q.where('collection', '=', f.collection);
      if (f.recordId) q = q.where('recordId', '=', f.recordId);
      if (f.deviceId) q = q.where('deviceId', '=', f.deviceId);
      if (f.via) q = q.where('via', '=', f.via as 'rest');
      if (f.action) q = q.where('action', '=', f.action);
      if (f.before) q = q.where('id', '<', f.before);
      return q.orderBy('id', 'desc').limit(f.limit).execute();
    },
  };
}
