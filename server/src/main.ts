import path from 'node:path';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { demoCredentialsTable, ensureDemo } from './demo/seed';

/** Start one MakePlus server: migrations, demo event (unless DEMO=off), HTTP, graceful shutdown. */
async function main() {
  const resetDemo = process.argv.includes('--reset-demo');
  const config = loadConfig();
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: path.join(config.dataDir, 'pglite'),
  });
  await migrateToLatest(database.db);
  const { app, services } = await buildApp({ config, database });

  if (config.demo !== 'off') {
    const outcome = await ensureDemo(services, { reset: resetDemo || config.demo === 'reset' });
    if (outcome !== 'kept') app.log.info(`demo event ${outcome}`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  const dbLabel =
    database.kind === 'postgres'
      ? 'PostgreSQL (DATABASE_URL)'
      : `embedded PGlite in ${path.join(config.dataDir, 'pglite')}`;
  process.stdout.write(
    `\nMakePlus is running at ${url}\n  database: ${dbLabel}\n  API docs: ${url}/docs\n\n${config.demo !== 'off' ? `${demoCredentialsTable()}\n\n` : ''}`,
  );
}

main().catch((err) => {
  process.stderr.write(
    `MakePlus failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
