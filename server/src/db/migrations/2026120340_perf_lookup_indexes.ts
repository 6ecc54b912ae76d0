import { type Kysely, sql } from 'kysely';

/**
 * Indexes for look-ups that scanned a whole event's participants (issue #10, measured at 100,000):
 * - the mobile API's badge scan finds the holder by the account's legacy id in the QR code, or by
 *   the printed legacy badge id (case-insensitive);
 * - the REST participant list pages in its default order (last name, then id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    'CREATE INDEX participants_event_user_legacy ON participants (event_id, user_legacy_id)',
    'CREATE INDEX participants_event_legacy_badge ON participants (event_id, upper(legacy_badge_id))',
    'CREATE INDEX participants_event_last_name ON participants (event_id, last_name, id) WHERE NOT deleted',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'participants_event_last_name',
    'participants_event_legacy_badge',
    'participants_event_user_legacy',
  ])
    await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(db);
}
