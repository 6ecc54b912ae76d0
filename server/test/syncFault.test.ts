import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EVENT_ID } from '../src/demo/seed';
import { faultDatabase, faultServerEnv, pushOutbox, signInController, storedScans } from './support/faultWorld';
import { type ServerProcess, serverProcess } from './support/serverProcess';
import { scanDoc } from './support/syncClient';

/**
 * The server dies (SIGKILL: no graceful shutdown, as on power loss) while 20 devices push their
 * outboxes; each device retries whatever was not acknowledged, the server is started again on the
 * same database: every fact is stored exactly once.
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

const DEVICES = 20;
const BATCHES = 5;
const PER_BATCH = 100;

describe('server killed while 20 devices push', () => {
  it('after restart and retries, every fact is stored exactly once', { timeout: 240_000 }, async () => {
    let token = await signInController(server.baseUrl);
    const outboxes = Array.from({ length: DEVICES }, (_, d) => {
      const deviceId = `crash-device-${String(d).padStart(2, '0')}`;
      const batches = Array.from({ length: BATCHES }, () =>
        Array.from({ length: PER_BATCH }, () => scanDoc(DEMO_EVENT_ID, deviceId, null)),
      );
      return { deviceId, batches };
    });
    let acks = 0;
    let killedAfterAcks = -1;
    const deadline = Date.now() + 180_000;
    const pushing = outboxes.map((o) =>
      pushOutbox(server.baseUrl, () => token, o.deviceId, o.batches, { deadline, onAck: () => acks++ }),
    );
    // Kill once some batches are acknowledged and others are in flight.
    while (acks < DEVICES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const pidBefore = server.pid;
    killedAfterAcks = acks;
    await server.kill('SIGKILL');
    await server.start();
    expect(server.pid).not.toBe(pidBefore);
    token = await signInController(server.baseUrl);
    const results = await Promise.all(pushing);

    // The kill happened mid-way: some batches had been acknowledged, some were refused and retried.
    expect(killedAfterAcks).toBeGreaterThan(0);
    expect(killedAfterAcks).toBeLessThan(DEVICES * BATCHES);
    expect(results.reduce((n, r) => n + r.failures, 0)).toBeGreaterThan(0);

    const seen = await storedScans(server.baseUrl, token, 'crash-reader-01');
    const all = outboxes.flatMap((o) => o.batches.flat().map((d) => d.id));
    const notOnce = all.filter((id) => seen.get(id) !== 1);
    expect(notOnce).toEqual([]);
    expect(seen.size).toBe(all.length);
  });
});
