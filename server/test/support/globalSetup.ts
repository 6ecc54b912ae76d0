import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { CamelCasePlugin, Kysely, PGliteDialect } from 'kysely';
import { migrateToLatest } from '../../src/db/migrate';

export const TEMPLATE = path.resolve(import.meta.dirname, '../../.tmp/pglite-template.tar.gz');

/** Build one migrated PGlite and dump it: each test file starts from the dump (~10x faster than a fresh init). */
export default async function setup() {
  if ((process.env.TEST_DB ?? 'pglite') !== 'pglite') return;
  const pglite = await PGlite.create();
  const db = new Kysely({ dialect: new PGliteDialect({ pglite }), plugins: [new CamelCasePlugin()] });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('gzip');
  mkdirSync(path.dirname(TEMPLATE), { recursive: true });
  writeFileSync(TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
}
