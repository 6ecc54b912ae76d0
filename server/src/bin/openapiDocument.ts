import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';

/** Where the committed OpenAPI document lives. */
export const OPENAPI_PATH = path.resolve(import.meta.dirname, '../../../docs/api/openapi.json');
export const REGENERATE_COMMAND = 'pnpm --filter @makeplus/server openapi';

/** The document as committed: stable key order from the route order, two-space JSON, final newline. */
export function renderOpenApi(app: FastifyInstance): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}

/** Build the app on a throw-away in-memory database and render its OpenAPI document. */
export async function generateOpenApi(): Promise<string> {
  const database = await createDatabase({ dataDir: 'memory://' });
  try {
    await migrateToLatest(database.db);
    const config = loadConfig(
      {},
      {
        dataDir: path.join(os.tmpdir(), 'makeplus-openapi'),
        jwtSecret: 'openapi-generation-only-secret-not-used-for-anything',
        logLevel: 'silent',
        clientDist: '/nonexistent',
      },
    );
    const { app } = await buildApp({ config, database });
    try {
      await app.ready();
      return renderOpenApi(app);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}
