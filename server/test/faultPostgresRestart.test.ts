import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EVENT_ID } from '../src/demo/seed';
import {
  faultDatabase,
  faultServerEnv,
  pushOutbox,
  pushScans,
  signInController,
  storedScans,
  syncHeaders,
  tcpProxy,
  viaPort,
  waitUntil,
} from './support/faultWorld';
import { type ServerProcess, serverProcess } from './support/serverProcess';
import { openSse } from './support/sse';
import { scanDoc } from './support/syncClient';
import { dbKind, postgresUrl } from './support/testApp';

/**
 * PostgreSQL goes away and comes back while 20 devices push. The machine's PostgreSQL cluster is
 * shared and may not be restarted, so the server reaches it through a loopback TCP proxy that we
 * cut: every open connection (the pool's and the LISTEN one) is closed at once and new ones are
 * refused for a while, which is what the server sees of a PostgreSQL restart. The server must
 * recover by itself (same process), devices retry, and every scan is stored exactly once; the live
 * stream learns it may have missed changes (resync) and carries new ones again.
 * PGlite is embedded in the server process: there is no connection to lose, so PostgreSQL only.
 */
const pgOnly = dbKind === 'postgres';
let server: ServerProcess;
let database: Awaited<ReturnType<typeof faultDatabase>>;
let proxy: Awaited<ReturnType<typeof tcpProxy>>;

beforeAll(async () => {
  if (!pgOnly) return;
  database = await faultDatabase();
  const target = new URL(postgresUrl);
  proxy = await tcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  server = await serverProcess(faultServerEnv(viaPort(database.url as string, proxy.port)));
}, 120_000);

afterAll(async () => {
  if (!pgOnly) return;
  await server?.kill('SIGTERM');
  server?.cleanup();
  await proxy?.close();
  await database?.drop();
});

const DEVICES = 20;
const BATCHES = 10;
const PER_BATCH = 50;

describe.skipIf(!pgOnly)('PostgreSQL restarted during a load of pushes (PostgreSQL only: PGlite is embedded)', () => {
  it('the server recovers without a restart of its own; retried pushes store every scan once', {
    timeout: 240_000,
  }, async () => {
    const token = await signInController(server.baseUrl);
    const pid = server.pid;
    const stream = await openSse(
      `${server.baseUrl}/sync/v1/stream?collections=scans`,
      syncHeaders(token, 'pg-restart-stream'),
    );
    await stream.waitFor((e) => e.event === 'hello');

    const outboxes = Array.from({ length: DEVICES }, (_, d) => {
      const deviceId = `pg-restart-device-${String(d).padStart(2, '0')}`;
      const batches = Array.from({ length: BATCHES }, () =>
        Array.from({ length: PER_BATCH }, () => scanDoc(DEMO_EVENT_ID, deviceId, null)),
      );
      return { deviceId, batches };
    });
    let acks = 0;
    let failures = 0;
    const deadline = Date.now() + 180_000;
    const pushing = outboxes.map((o) =>
      pushOutbox(server.baseUrl, () => token, o.deviceId, o.batches, {
        deadline,
        retryMs: 200,
        onAck: () => acks++,
        onFailure: () => failures++,
      }),
    );

    // "Restart" PostgreSQL once a fifth of the batches are in: down until pushes have failed, then up.
    await waitUntil('a fifth of the batches acknowledged', () => acks >= (DEVICES * BATCHES) / 5, 120_000);
    const streamEventsBeforeCut = stream.events.length;
    proxy.cut();
    await waitUntil('pushes refused while PostgreSQL is down', () => failures >= DEVICES, 60_000);
    proxy.restore();

    await Promise.all(pushing);
    expect(acks).toBe(DEVICES * BATCHES);
    expect(failures).toBeGreaterThanOrEqual(DEVICES);
    // Same process all along: it reconnected by itself.
    expect(server.pid).toBe(pid);
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);

    const seen = await storedScans(server.baseUrl, token, 'pg-restart-reader');
    const all = outboxes.flatMap((o) => o.batches.flat().map((d) => d.id));
    expect(all.filter((id) => seen.get(id) !== 1)).toEqual([]);
    expect(seen.size).toBe(all.length);

    // The live stream was told to resync after the outage, and carries new changes again
    // (the LISTEN connection came back).
    await stream.waitFor((e) => e.event === 'resync' && stream.events.indexOf(e) >= streamEventsBeforeCut, 30_000);
    const marker = scanDoc(DEMO_EVENT_ID, 'pg-restart-device-00', null);
    expect(await pushScans(server.baseUrl, token, 'pg-restart-device-00', [marker])).toBe(200);
    await stream.waitFor(
      (e) => e.event === 'changes' && (e.data.documents as { id: string }[]).some((d) => d.id === marker.id),
      30_000,
    );
    stream.close();
  });
});
