import { defineConfig, type ReporterDescription } from '@playwright/test';

const jsonOutput = process.env.PLAYWRIGHT_JSON_OUTPUT_NAME;
// Several people run the suite at once in this working tree: each run writes to its own folder
// (Playwright empties its output folder when a run starts). Workers inherit the id from the runner.
process.env.MAKEPLUS_E2E_RUN_ID ??= `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
const reporter: ReporterDescription[] = [['list']];
if (jsonOutput) reporter.push(['json', { outputFile: jsonOutput }]);

/**
 * Browser tests against the real server (embedded PGlite, demo event) serving the built PWA.
 * The global setup starts it on a free port and publishes its URL in MAKEPLUS_E2E_BASE_URL, which
 * the workers (started after it) read here as baseURL.
 */
export default defineConfig({
  testDir: './tests',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter,
  globalSetup: './support/globalSetup.ts',
  globalTeardown: './support/globalTeardown.ts',
  outputDir: `./test-results/${process.env.MAKEPLUS_E2E_RUN_ID}`,
  use: {
    baseURL: process.env.MAKEPLUS_E2E_BASE_URL,
    locale: 'fr-FR',
    timezoneId: 'Africa/Algiers',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
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
