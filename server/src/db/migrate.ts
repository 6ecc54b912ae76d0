import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import * as core from './migrations/2026112201_core';
import * as receiptCollisions from './migrations/2026112202_receipt_collisions';
import * as mobileVerificationCodes from './migrations/2026112210_mobile_verification_codes';
import * as eventFiles from './migrations/2026112220_event_files';
import * as accountSecurity from './migrations/2026112222_account_security';
import * as permissionOverrides from './migrations/2026112223_permission_overrides';
import * as perfLookupIndexes from './migrations/2026120340_perf_lookup_indexes';

/**
 * Migrations are imported statically (not read from disk) so they run the same under tsx, in tests
 * and in a bundle. Names sort in the order they apply; add new ones at the end of this list.
 */
const migrations: Record<string, Migration> = {
  '2026112201_core': core,
  '2026112202_receipt_collisions': receiptCollisions,
  '2026112210_mobile_verification_codes': mobileVerificationCodes,
  '2026112220_event_files': eventFiles,
  '2026112222_account_security': accountSecurity,
  '2026112223_permission_overrides': permissionOverrides,
  '2026120340_perf_lookup_indexes': perfLookupIndexes,
};

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Name the schema: otherwise Kysely takes a `kysely_migration` table of ANY schema of the
  // database as this one's (e.g. a concurrent test run's) and then fails to read it.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    // Engineers add migrations in parallel with numbers between existing ones: a database that
    // already ran a later one must still take an earlier-numbered newcomer (they are independent).
    allowUnorderedMigrations: true,
    ...(rows[0]?.schema ? { migrationTableSchema: rows[0].schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
