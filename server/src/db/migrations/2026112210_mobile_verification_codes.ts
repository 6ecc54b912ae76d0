import { type Kysely, sql } from 'kysely';

/**
 * Emailed 6-digit codes of the mobile app's signup and password reset (the original's
 * SignUpVerification / PasswordResetVerification). Only a SHA-256 of the code is kept; `payload`
 * holds what the verify step applies (names and the new password's hash, never the password).
 * One live code per (purpose, email): a new request replaces the previous one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE mobile_verification_codes (
    purpose text NOT NULL,
    email text NOT NULL,
    code_hash text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    attempts integer NOT NULL DEFAULT 0,
    sent_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (purpose, email)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS mobile_verification_codes`.execute(db);
}
