import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { startServer } from './server';

/** Each run has its own folder under test-results/; drop those of runs over a day old. */
function pruneOldRuns(outputDir: string) {
  const parent = path.dirname(outputDir);
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  try {
    for (const name of readdirSync(parent)) {
      const dir = path.join(parent, name);
      if (dir !== outputDir && statSync(dir).mtimeMs < dayAgo) rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    // No test-results yet.
  }
}

/**
 * Start one real MakePlus server for the whole run. Its URL goes to MAKEPLUS_E2E_BASE_URL (the
 * config's baseURL in the workers); the teardown finds it through MAKEPLUS_E2E_SERVER_PID.
 */
export default async function globalSetup(config: FullConfig) {
  const outputDir = config.projects[0]?.outputDir;
  if (outputDir) pruneOldRuns(outputDir);
  const server = await startServer();
  process.env.MAKEPLUS_E2E_BASE_URL = server.baseURL;
  process.env.MAKEPLUS_E2E_SERVER_PID = String(server.process.pid);
  process.env.MAKEPLUS_E2E_DATA_DIR = server.dataDir;
  process.stdout.write(`[e2e] MakePlus server at ${server.baseURL} (data ${server.dataDir})\n`);
}
