import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EVENT_ID } from '../src/demo/seed';
import {
  faultDatabase,
  faultServerEnv,
  processMemory,
  pushScans,
  signInController,
  storedScans,
} from './support/faultWorld';
import { type ServerProcess, serverProcess } from './support/serverProcess';
import { scanDoc } from './support/syncClient';

/**
 * A door phone offline for a whole day comes back with 10,000 scans and sends them in one go, the
 * way the app's sync engine does (batches of 100, one after the other). Nothing may time out or be
 * refused, every scan must be stored once, and neither side's memory may balloon: the server's
 * peak resident memory (VmHWM, reported by the kernel) and the device's heap stay under a bound.
 */
let server: ServerProcess;
let database: Awaited<ReturnType<typeof faultDatabase>>;

beforeAll(async () => {
  database = await faultDatabase();
  server = await serverProcess(faultServerEnv(database.url));
}, 120_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  server?.cleanup();
  await database?.drop();
});

const SCANS = 10_000;
/** The client sync engine's push batch size (client/src/sync/engine.ts). */
const PUSH_BATCH = 100;
/** Growth allowed during the sync: far above what 10,000 scans weigh (~4 MB of JSON), far below a leak. */
const SERVER_PEAK_GROWTH = 128 * 2 ** 20;
const DEVICE_HEAP_GROWTH = 96 * 2 ** 20;

describe('a device offline for a day (10,000 scans) syncs in one go', () => {
  it('every scan accepted on the first try and stored once; memory bounded on both sides', {
    timeout: 300_000,
  }, async () => {
    const token = await signInController(server.baseUrl);
    const deviceId = 'offline-day-device';
    const pid = server.pid as number;
    // Warm the server's push path once so the baseline includes its code and caches.
    expect(await pushScans(server.baseUrl, token, deviceId, [scanDoc(DEMO_EVENT_ID, deviceId, null)])).toBe(200);

    global.gc?.();
    const deviceHeapBefore = process.memoryUsage().heapUsed;
    const serverBefore = processMemory(pid);
    const outbox = Array.from({ length: SCANS }, (_, i) =>
      scanDoc(DEMO_EVENT_ID, deviceId, null, {
        occurredAt: new Date(Date.now() - (SCANS - i) * 5000).toISOString(),
      }),
    );

    let maxDeviceHeap = 0;
    for (let i = 0; i < outbox.length; i += PUSH_BATCH) {
      const status = await pushScans(server.baseUrl, token, deviceId, outbox.slice(i, i + PUSH_BATCH));
      expect(status, `batch ${i / PUSH_BATCH + 1}`).toBe(200);
      maxDeviceHeap = Math.max(maxDeviceHeap, process.memoryUsage().heapUsed);
    }
    const serverAfter = processMemory(pid);

    const seen = await storedScans(server.baseUrl, token, 'offline-day-reader');
    expect(outbox.filter((d) => seen.get(d.id) !== 1)).toEqual([]);

    const report = {
      serverRssBeforeMiB: Math.round(serverBefore.rss / 2 ** 20),
      serverPeakBeforeMiB: Math.round(serverBefore.peak / 2 ** 20),
      serverPeakAfterMiB: Math.round(serverAfter.peak / 2 ** 20),
      deviceHeapGrowthMiB: Math.round((maxDeviceHeap - deviceHeapBefore) / 2 ** 20),
    };
    process.stdout.write(`[fault] offline device memory: ${JSON.stringify(report)}\n`);
    expect(serverAfter.peak - Math.max(serverBefore.rss, serverBefore.peak)).toBeLessThan(SERVER_PEAK_GROWTH);
    expect(maxDeviceHeap - deviceHeapBefore).toBeLessThan(DEVICE_HEAP_GROWTH);
  });
});
