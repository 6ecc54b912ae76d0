import type { FullConfig } from '@playwright/test';
import { startServer } from './server';

/**
 * Start one real MakePlus server for the whole run. Its URL goes to MAKEPLUS_E2E_BASE_URL (the
 * config's baseURL in the workers); the teardown finds it through MAKEPLUS_E2E_SERVER_PID.
 */
export default async function globalSetup(_config: FullConfig) {
  const server = await startServer();
  process.env.MAKEPLUS_E2E_BASE_URL = server.baseURL;
  process.env.MAKEPLUS_E2E_SERVER_PID = String(server.process.pid);
  process.env.MAKEPLUS_E2E_DATA_DIR = server.dataDir;
  process.stdout.write(`[e2e] MakePlus server at ${server.baseURL} (data ${server.dataDir})\n`);
}
