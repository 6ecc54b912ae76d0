import { type Kysely, sql } from 'kysely';

/**
 * Account security (issue #9): TOTP replay protection (the last accepted time step), when 2FA was
 * turned on, and the progressive lockout counters of sign-in (one row per account email and per
 * IP address; see server/src/accounts/lockout.ts). Login history reuses `login_attempts`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN totp_last_step integer`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz`.execute(db);
  await sql`CREATE TABLE login_lockouts (
    key text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    last_failure_at timestamptz NOT NULL,
    locked_until timestamptz
  )`.execute(db);
  await sql`CREATE INDEX login_attempts_email ON login_attempts (email, at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS login_attempts_email`.execute(db);
  await sql`DROP TABLE IF EXISTS login_lockouts`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN IF EXISTS totp_enabled_at`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN IF EXISTS totp_last_step`.execute(db);
}
