import { gzipSync } from 'node:zlib';
import { expect, type Page, test } from '@playwright/test';
import { phoneViewport, signIn, waitForServiceWorkerControl } from '../support/app';
import { machineLine, writeSection } from './report';

/**
 * Client-side figures besides the door verdict (verdict.bench.ts), in Chromium against the built PWA:
 * - weight: the JavaScript the scanner route (/door) loads, gzip-compressed, and its time to
 *   interactive (door ready to scan) from the service-worker cache with the network off, against the
 *   same load online;
 * - the organizer's CSV import of 100,000 rows, to the end: wall time of the check (in a worker,
 *   progress bar) and of the send (batches to the server, progress bar), rows/s, and the longest
 *   main-thread task during each (PerformanceObserver longtask).
 * Runs before verdict.bench.ts (file order): the 100,000 imported participants are the ones the door
 * bench then syncs.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const rows: string[] = [];
/** The machine column: spelled out on the table's first row, "same" below. */
const machineCell = (page: Page) => (rows.length === 0 ? machineLine(page) : 'same');

/** Time from navigation to the door saying it is ready to scan. */
async function doorReady(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.goto('/door');
  await expect(page.getByTestId('door-verdict')).toContainText('Prêt', { timeout: 120_000 });
  return Date.now() - t0;
}

test('scanner route weight and time to interactive offline', async ({ page, context }) => {
  test.setTimeout(6 * 60_000);
  await page.setViewportSize(phoneViewport);
  await signIn(page, 'controller');
  await waitForServiceWorkerControl(page, 120_000);
  await expect(page.getByTestId('door-verdict')).toContainText('Prêt', { timeout: 120_000 });

  // Every script the route loads (entry, lazy chunks, workers), as fetched over the network.
  const scripts = new Map<string, Buffer>();
  const onResponse = async (r: import('@playwright/test').Response) => {
    const type = r.request().resourceType();
    if ((type === 'script' || r.url().endsWith('.js')) && r.ok()) {
      try {
        scripts.set(r.url(), await r.body());
      } catch {}
    }
  };
  // Fresh context without the service worker's cache, so every script really comes over the wire.
  const fresh = await context.browser()?.newContext({ viewport: phoneViewport, serviceWorkers: 'block' });
  if (!fresh) throw new Error('no browser');
  const freshPage = await fresh.newPage();
  freshPage.on('response', onResponse);
  await signIn(freshPage, 'controller');
  await expect(freshPage.getByTestId('door-verdict')).toContainText('Prêt', { timeout: 120_000 });
  // (Not 'networkidle': the live sync stream stays open.) Let lazy chunks and workers settle.
  await freshPage.waitForTimeout(3000);
  await fresh.close();
  const raw = [...scripts.values()].reduce((n, b) => n + b.length, 0);
  const gzip = [...scripts.values()].reduce((n, b) => n + gzipSync(b).length, 0);

  const online: number[] = [];
  const offline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await context.setOffline(false);
    online.push(await doorReady(page));
    await context.setOffline(true);
    offline.push(await doorReady(page));
  }
  await context.setOffline(false);
  process.stdout.write(`[bench] door ready online ${online.join(', ')} ms; offline ${offline.join(', ')} ms\n`);

  rows.push(
    `| JavaScript the scanner route (/door) loads: ${scripts.size} files | ${(gzip / 1024).toFixed(0)} kB gzip (${(raw / 1024).toFixed(0)} kB raw) | — | — | ${machineCell(page)} |`,
    `| time to interactive of /door (navigation → "Prêt", ready to scan) from the service-worker cache, network off — median of ${RUNS} | ${median(offline)} ms | the same navigation online (local server): ${median(online)} ms | ${(median(offline) / median(online)).toFixed(2)}× | same |`,
  );
});

test('organizer CSV import of 100,000 rows: off the main thread, with progress', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  await page.setViewportSize({ width: 1360, height: 900 });
  await signIn(page, 'organizer');
  // Long tasks on the main thread, from now on.
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
  });
  await page
    .getByRole('link', { name: /Participants/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Participants', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Importer un CSV' }).click();
  const lines = ['Prénom;Nom;Courriel;Organisme;Catégorie'];
  const tag = Date.now().toString(36);
  for (let i = 1; i <= IMPORT_ROWS; i++)
    lines.push(`Bench${i};Import ${tag};bench.${tag}.${i}@example.org;Bench;Médecin`);
  await page.getByLabel('Fichier CSV').setInputFiles({
    name: 'participants.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(lines.join('\n'), 'utf8'),
  });
  await expect(page.getByRole('cell', { name: 'Bench1', exact: true })).toBeVisible();

  const longest = (from: number, to: number) =>
    page.evaluate(
      ({ from, to }) =>
        Math.max(
          0,
          ...(window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks
            .filter((t) => t.start >= from && t.start <= to)
            .map((t) => t.duration),
        ),
      { from, to },
    );
  const now = () => page.evaluate(() => performance.now());

  // Check: parsed and validated in the worker, progress bar on screen.
  const checkStart = await now();
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  const importButton = page.getByRole('button', { name: /^Importer .* participants/ });
  await expect(importButton).toBeVisible({ timeout: 5 * 60_000 });
  const checkMs = Date.now() - t0;
  const checkEnd = await now();
  process.stdout.write(`[bench] import: ${IMPORT_ROWS} rows checked in ${checkMs} ms\n`);
  // Send: every batch to the server, the progress bar filling, until the dialog says it is done.
  const t1 = Date.now();
  await importButton.click();
  const progress = page.getByLabel('Progression de l’envoi');
  await expect(progress).toBeVisible();
  const sentNow = () => progress.evaluate((el) => (el as HTMLProgressElement).value);
  // The bar moves while the page sends (read at the bench's pace, not a timed assertion).
  await expect.poll(sentNow, { timeout: 2 * 60_000 }).toBeGreaterThan(0);
  const midway = await sentNow();
  // « 100 000 participants importés. » (the thousands separator is a narrow no-break space).
  const doneText = new RegExp(`^${String(IMPORT_ROWS).replace(/\B(?=(\d{3})+$)/g, '\\s?')} participants importés\\.`);
  await expect(page.getByText(doneText)).toBeVisible({
    timeout: 15 * 60_000,
  });
  const sendMs = Date.now() - t1;
  const sendEnd = await now();
  const longestCheck = await longest(checkStart, checkEnd);
  const longestSend = await longest(checkEnd, sendEnd);
  await page.getByRole('button', { name: 'Fermer' }).last().click();
  const totalMs = checkMs + sendMs;
  const rate = IMPORT_ROWS / (sendMs / 1000);
  process.stdout.write(
    `[bench] import: check ${checkMs} ms (longest task ${longestCheck} ms), send ${IMPORT_ROWS} rows in ${sendMs} ms (${Math.round(rate)} rows/s, longest task ${longestSend} ms; bar seen at ${midway}), total ${totalMs} ms\n`,
  );
  rows.push(
    `| organizer CSV import, ${IMPORT_ROWS.toLocaleString('en')} rows: check (parse + validate in a Web Worker, progress bar) — 1 run | ${(checkMs / 1000).toFixed(1)} s wall; longest main-thread task ${Math.round(longestCheck)} ms | — | — | ${machineCell(page)} |`,
    `| organizer CSV import: send of all ${IMPORT_ROWS.toLocaleString('en')} rows (batches of 500 to the server, each a new account and registration, progress bar) to « importés » — 1 run | ${(sendMs / 1000).toFixed(1)} s wall, ${Math.round(rate).toLocaleString('en')} rows/s; longest main-thread task ${Math.round(longestSend)} ms | — | — | same |`,
    `| organizer CSV import, whole (check + send), ${IMPORT_ROWS.toLocaleString('en')} rows — 1 run | ${(totalMs / 60_000).toFixed(1)} min wall, ${Math.round(IMPORT_ROWS / (totalMs / 1000)).toLocaleString('en')} rows/s; longest main-thread task ${Math.round(Math.max(longestCheck, longestSend))} ms | — | — | same |`,
  );
});

test.afterAll(() => {
  if (rows.length === 0) return;
  writeSection(
    'client-bench',
    [
      `Measured ${new Date().toISOString().slice(0, 10)} by \`pnpm bench\` (e2e/bench/client.bench.ts) in Chromium against the built PWA and the real server (embedded database).`,
      '',
      '| what | figure | baseline (same run) | ratio | machine |',
      '|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
});
