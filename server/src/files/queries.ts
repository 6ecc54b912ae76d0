import { eventFileSlots } from '@makeplus/shared';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, FilesTable } from '../db/schema';
import type { Executor } from '../sync/recordStore';

export type FileRow = Selectable<FilesTable>;

/** All SQL of the files domain. */
export function fileQueries(db: Kysely<DB>) {
  return {
    /** A file of a live event (files of deleted events are no longer served). */
    async servable(fileId: string) {
      return db
        .selectFrom('files')
        .innerJoin('events', 'events.id', 'files.eventId')
        .selectAll('files')
        .where('files.id', '=', fileId)
        .where('events.deleted', '=', false)
        .executeTakeFirst();
    },
    /** The files in the event's slots (session covers belong to their sessions). */
    async ofEvent(eventId: string) {
      return db
        .selectFrom('files')
        .selectAll()
        .where('eventId', '=', eventId)
        .where('purpose', 'in', eventFileSlots)
        .orderBy('purpose')
        .orderBy('createdAt', 'desc')
        .execute();
    },
    async ofSlot(ex: Executor, eventId: string, purpose: string) {
      return ex
        .selectFrom('files')
        .select(['id', 'storageKey'])
        .where('eventId', '=', eventId)
        .where('purpose', '=', purpose)
        .execute();
    },
    async insert(ex: Executor, row: Insertable<FilesTable>) {
      await ex.insertInto('files').values(row).execute();
    },
    async remove(ex: Executor, ids: string[]) {
      if (ids.length) await ex.deleteFrom('files').where('id', 'in', ids).execute();
    },
  };
}
