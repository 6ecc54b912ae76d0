import { type Kysely, sql } from 'kysely';

/**
 * Uploaded files of an event (logo, banner, programme PDF, guide PDF): the `files` table of the core
 * migration gets the checksum of each file (served as its ETag) and the index its look-ups use
 * (an event's current file for a purpose).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `ALTER TABLE files ADD COLUMN sha256 text NOT NULL DEFAULT ''`,
    'CREATE INDEX files_event_purpose ON files (event_id, purpose, created_at)',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS files_event_purpose').execute(db);
  await sql.raw('ALTER TABLE files DROP COLUMN IF EXISTS sha256').execute(db);
}
