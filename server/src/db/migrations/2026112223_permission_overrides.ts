import { type Kysely, sql } from 'kysely';

/**
 * Per-event adjustments of a role's permissions (see shared/src/permissions): one row per adjusted
 * role, holding the role's whole permission list in that event. The server clamps it to the safe
 * bounds when it reads it, and the Permissions API refuses anything outside them.
 *
 * Adjustments made before this table (`events.settings.permissionOverrides`) are copied in.
 *
 * The audit trail also refuses TRUNCATE (the row triggers of the core migration only see UPDATE and
 * DELETE), and gets the indexes its filters use.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE permission_overrides (
      event_id uuid NOT NULL,
      role text NOT NULL,
      permissions jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid,
      PRIMARY KEY (event_id, role)
    )`,
    `INSERT INTO permission_overrides (event_id, role, permissions)
     SELECT e.id, o.key, o.value
     FROM events e, jsonb_each(CASE WHEN jsonb_typeof(e.settings->'permissionOverrides') = 'object'
                                     THEN e.settings->'permissionOverrides' ELSE '{}'::jsonb END) AS o(key, value)
     WHERE jsonb_typeof(o.value) = 'array' AND o.key <> 'organizer'`,
    `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`,
    'CREATE INDEX audit_log_event_id ON audit_log (event_id, id)',
    'CREATE INDEX audit_log_event_actor ON audit_log (event_id, actor_id, id)',
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS audit_log_event_actor').execute(db);
  await sql.raw('DROP INDEX IF EXISTS audit_log_event_id').execute(db);
  await sql.raw('DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log').execute(db);
  await sql.raw('DROP TABLE IF EXISTS permission_overrides').execute(db);
}
