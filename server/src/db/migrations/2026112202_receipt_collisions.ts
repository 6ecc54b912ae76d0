import { type Kysely, sql } from 'kysely';

/**
 * Two tablets logged into one register while offline can give two sales the same receipt number.
 * Both sales are facts and must be kept: the unique index would have refused the second one (and
 * lost it). The server raises a `receipt_collision` flag instead (see server/src/sync/derivations.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS transactions_receipt`.execute(db);
  await sql`CREATE INDEX transactions_receipt ON transactions (cash_register_id, receipt_seq)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS transactions_receipt`.execute(db);
  await sql`CREATE UNIQUE INDEX transactions_receipt ON transactions (cash_register_id, receipt_seq)`.execute(db);
}
