import { defineConfig } from '@playwright/test';

process.env.MAKEPLUS_E2E_RUN_ID ??= `bench-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;

/**
 * `pnpm bench`: browser-side figures measured in Chromium against the real server and the built PWA
 * (same harness as the e2e tests). Results are written to docs/performance.md.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  workers: 1,
  retries: 0,
  timeout: 30 * 60_000,
  reporter: [['list']],
  globalSetup: '../support/globalSetup.ts',
  globalTeardown: '../support/globalTeardown.ts',
  outputDir: `../test-results/${process.env.MAKEPLUS_E2E_RUN_ID}`,
  use: {
    baseURL: process.env.MAKEPLUS_E2E_BASE_URL,
    locale: 'fr-FR',
    timezoneId: 'Africa/Algiers',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
