import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { organizerSession, pullAll, type ServerParticipant, setDoor, typeCode } from '../fixtures/door';
import { phoneViewport, signIn, syncBar } from '../support/app';
import { repoRoot } from '../support/server';

/**
 * Door verdict time with 100,000 participants on the device, in Chromium:
 * 1. the organizer imports 100,000 participants (REST import, 2,000 per request);
 * 2. a badge controller signs in: the first sync brings them all into IndexedDB (RxDB on Dexie);
 * 3. through the real door screen, a code is typed and submitted; the screen marks the code and
 *    measures when the verdict is in the page (`door:verdict`) and after the next frame
 *    (`door:verdict-painted`); every scan is a different person (no signature memo);
 * 4. in the same page, a raw IndexedDB `get` by primary key on the same participants store;
 * each figure is the median over RUNS runs of SCANS scans.
 */
const TARGET = Number(process.env.BENCH_PARTICIPANTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCANS = Number(process.env.BENCH_SCANS ?? 100);
const BATCH = 2000;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? Number.NaN;
};
const median = (xs: number[]) => quantile(xs, 0.5);
const ms = (x: number) => (x < 1 ? x.toFixed(2) : x < 10 ? x.toFixed(1) : Math.round(x).toString());

test('door verdict with 100,000 participants in the local store', async ({ page }) => {
  const organizer = await organizerSession();
  const eventId = organizer.event.id;

  // The demo event opens at 07:00 UTC. Page clocks cannot be shifted here (Playwright's clock also
  // fakes the Performance API the screen measures with), so an early run opens the event earlier.
  const event = (await (await organizer.api.get(`/api/v1/events/${eventId}`)).json()) as { startsAt: string };
  if (Date.parse(event.startsAt) > Date.now() - 60_000) {
    const res = await organizer.api.patch(`/api/v1/events/${eventId}`, {
      data: { startsAt: new Date(Date.now() - 3600_000).toISOString() },
    });
    expect(res.status(), await res.text()).toBe(200);
  }

  // 1. Participants on the server.
  const existing = (await pullAll<ServerParticipant>(organizer, 'participants')).length;
  const toImport = Math.max(0, TARGET - existing);
  const importStarted = Date.now();
  for (let done = 0; done < toImport; done += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, toImport - done) }, (_, i) => ({
      row: done + i + 1,
      values: { firstName: `Bench${done + i}`, lastName: `Participant ${done + i}`, organization: 'Bench' },
    }));
    const res = await organizer.api.post(`/api/v1/events/${eventId}/participants/import`, { data: { rows } });
    expect(res.status(), await res.text()).toBe(200);
    if ((done / BATCH) % 10 === 0) process.stdout.write(`[bench] imported ${done + rows.length} / ${toImport}\n`);
  }
  const importSeconds = (Date.now() - importStarted) / 1000;
  const people = await pullAll<ServerParticipant>(organizer, 'participants');
  await organizer.api.dispose();
  expect(people.length).toBeGreaterThanOrEqual(TARGET);

  // 2. The door's first sync.
  await page.setViewportSize(phoneViewport);
  const syncStarted = Date.now();
  await signIn(page, 'controller');
  await expect(syncBar(page)).toContainText('Tout est envoyé', { timeout: 20 * 60_000 });
  await expect(page.getByTestId('door-verdict')).toContainText('Prêt', { timeout: 10 * 60_000 });
  const countLocal = () =>
    page.evaluate(async () => {
      const dbs = await indexedDB.databases();
      const name = dbs.map((d) => d.name ?? '').find((n) => /^rxdb-dexie-makeplus_.*--participants$/.test(n));
      if (!name) return { name: '', count: 0 };
      return new Promise<{ name: string; count: number }>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('docs').objectStore('docs').count();
          req.onsuccess = () => resolve({ name, count: req.result });
          open.result.close();
        };
      });
    });
  await expect
    .poll(async () => (await countLocal()).count, { timeout: 20 * 60_000, intervals: [1000] })
    .toBeGreaterThanOrEqual(people.length);
  const local = await countLocal();
  const firstSyncSeconds = (Date.now() - syncStarted) / 1000;
  // The index was loaded when the door opened; reload the screen to time a load over the full store.
  await page.reload();
  await expect(page.getByTestId('door-verdict')).toContainText('Prêt', { timeout: 5 * 60_000 });
  const indexLoadMs = await page.evaluate(
    () => (performance.getEntriesByName('door:index-load').at(-1) as PerformanceMeasure | undefined)?.duration ?? -1,
  );
  await setDoor(page, 'Auditorium A');

  // 3 and 4, RUNS times.
  const runs: {
    verdictP50: number;
    verdictP95: number;
    paintedP50: number;
    paintedP95: number;
    idbP50: number;
    idbP95: number;
  }[] = [];
  let next = 0;
  for (let run = 0; run < RUNS; run++) {
    await page.evaluate(() => {
      performance.clearMeasures('door:verdict');
      performance.clearMeasures('door:verdict-painted');
    });
    const ids: string[] = [];
    for (let i = 0; i < SCANS; i++) {
      const person = people[(next++ * 7919) % people.length] as ServerParticipant;
      ids.push(person.id);
      await typeCode(page, person.badgeCode);
      await expect(page.getByTestId('door-verdict')).toHaveAttribute('data-reason', 'granted');
    }
    await page.waitForTimeout(100);
    const [verdict, painted] = await page.evaluate(() => [
      performance.getEntriesByName('door:verdict').map((e) => e.duration),
      performance.getEntriesByName('door:verdict-painted').map((e) => e.duration),
    ]);
    const idb = await page.evaluate(
      async ({ name, ids }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const out: number[] = [];
        for (const id of ids) {
          const t0 = performance.now();
          await new Promise((resolve, reject) => {
            const req = db.transaction('docs').objectStore('docs').get(id);
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
          out.push(performance.now() - t0);
        }
        db.close();
        return out;
      },
      { name: local.name, ids },
    );
    expect(verdict.length).toBe(SCANS);
    runs.push({
      verdictP50: median(verdict),
      verdictP95: quantile(verdict, 0.95),
      paintedP50: median(painted),
      paintedP95: quantile(painted, 0.95),
      idbP50: median(idb),
      idbP95: quantile(idb, 0.95),
    });
    process.stdout.write(`[bench] run ${run + 1}: ${JSON.stringify(runs.at(-1))}\n`);
  }

  const m = (k: keyof (typeof runs)[number]) => median(runs.map((r) => r[k]));
  const figures = {
    verdictP50: m('verdictP50'),
    verdictP95: m('verdictP95'),
    paintedP50: m('paintedP50'),
    paintedP95: m('paintedP95'),
    idbP50: m('idbP50'),
    idbP95: m('idbP95'),
  };
  const browserVersion = page.context().browser()?.version() ?? 'Chromium';
  const machine = `${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Chromium ${browserVersion}, Node ${process.version}`;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a');
  const date = new Date().toISOString().slice(0, 10);
  const table = [
    `<!-- door-bench:start -->`,
    `Measured ${date} by \`pnpm bench\` (e2e/bench/verdict.bench.ts): ${people.length.toLocaleString('en')} participants in the device's store, ${RUNS} runs of ${SCANS} scans through the door screen (manual entry → verdict), each figure the median of the runs.`,
    '',
    '| what | figure | baseline | ratio | machine |',
    '|---|---|---|---|---|',
    `| door verdict p50 (code → verdict in the page) | ${ms(figures.verdictP50)} ms | raw IndexedDB get by key p50: ${ms(figures.idbP50)} ms | ${ratio(figures.verdictP50, figures.idbP50)} | ${machine} |`,
    `| door verdict p95 (code → verdict in the page) | ${ms(figures.verdictP95)} ms (target < 30 ms) | raw IndexedDB get by key p95: ${ms(figures.idbP95)} ms | ${ratio(figures.verdictP95, figures.idbP95)} | same |`,
    `| door verdict p50, painted (next frame) | ${ms(figures.paintedP50)} ms | raw IndexedDB get by key p50: ${ms(figures.idbP50)} ms | ${ratio(figures.paintedP50, figures.idbP50)} | same |`,
    `| door verdict p95, painted (next frame) | ${ms(figures.paintedP95)} ms | raw IndexedDB get by key p95: ${ms(figures.idbP95)} ms | ${ratio(figures.paintedP95, figures.idbP95)} | same |`,
    `| door index load (all participants, entitlements, scans from IndexedDB into memory) | ${ms(indexLoadMs)} ms | — | — | same |`,
    `| first sync of the door device (sign-in → everything received) | ${firstSyncSeconds.toFixed(1)} s | — | — | same |`,
    `| server import of ${toImport.toLocaleString('en')} participants (REST, ${BATCH} per request) | ${importSeconds.toFixed(1)} s | — | — | same |`,
    `<!-- door-bench:end -->`,
  ].join('\n');
  process.stdout.write(`\n${table}\n`);

  const file = path.join(repoRoot, 'docs', 'performance.md');
  const doc = readFileSync(file, 'utf8');
  const updated = doc.replace(/<!-- door-bench:start -->[\s\S]*<!-- door-bench:end -->/, table);
  writeFileSync(file, updated === doc && !doc.includes('door-bench:start') ? `${doc}\n${table}\n` : updated);
  expect(figures.verdictP95).toBeLessThan(30);
});
