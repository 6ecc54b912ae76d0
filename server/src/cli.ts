#!/usr/bin/env -S npx tsx
import path from 'node:path';
import { buildApp } from './app';
import { DATABASE_COMMANDS, runAdminCommand } from './bin/adminCommands';
import { loadConfig } from './config';
import { createDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';

/**
 * The admin CLI: `pnpm --filter @makeplus/server admin <command>`. It opens the server's database
 * (DATABASE_URL, or the embedded one in DATA_DIR), brings its schema up to date, runs one command
 * from bin/adminCommands.ts and exits.
 */
async function main(argv: string[]): Promise<number> {
  const io = {
    out: (line: string) => process.stdout.write(`${line}\n`),
    err: (line: string) => process.stderr.write(`${line}\n`),
  };
  // Help and usage errors need no database.
  if (!DATABASE_COMMANDS.includes(argv[0] ?? '')) return runAdminCommand(argv, null, io);
  const config = loadConfig(process.env, { logLevel: 'silent' });
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: path.join(config.dataDir, 'pglite'),
    poolSize: 2,
  });
  try {
    await migrateToLatest(database.db);
    const { app, services } = await buildApp({ config, database });
    try {
      return await runAdminCommand(argv, services, io);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`admin: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
