import { eventFileSlots, FILES_BASE_PATH } from '@makeplus/shared';
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
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
    /**
     * Files no one can reach any more, stored before `before`: session covers that no live session
     * of their event shows (replaced, removed, or uploaded and never used), and every file of a
     * deleted event (deleted before `before`). The grace period lets a cover uploaded by a console
     * that went offline before its session edit synced stay until that edit arrives.
     */
    async unused(sessionCoverPurpose: string, before: string, limit: number) {
      return db
        .selectFrom('files')
        .select(['files.id', 'files.storageKey'])
        .where((eb) =>
          eb.or([
            eb.and([
              eb('files.purpose', '=', sessionCoverPurpose),
              eb('files.createdAt', '<', before),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('sessions')
                    .select(sql`1`.as('one'))
                    .whereRef('sessions.eventId', '=', 'files.eventId')
                    .where('sessions.deleted', '=', false)
                    .where(
                      'sessions.coverImageUrl',
                      '=',
                      sql<string>`${sql.lit(`${FILES_BASE_PATH}/`)} || files.id::text`,
                    ),
                ),
              ),
            ]),
            eb.exists(
              eb
                .selectFrom('events')
                .select(sql`1`.as('one'))
                .whereRef('events.id', '=', 'files.eventId')
                .where('events.deleted', '=', true)
                .where('events.updatedAt', '<', before),
            ),
          ]),
        )
        .orderBy('files.createdAt')
        .limit(limit)
        .execute();
    },
    async remove(ex: Executor, ids: string[]) {
      if (ids.length) await ex.deleteFrom('files').where('id', 'in', ids).execute();
    },
  };
}
