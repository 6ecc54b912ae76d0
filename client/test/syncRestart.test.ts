import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { expect, it } from 'vitest';
import { closeDeviceDatabase, openDeviceDatabase } from '../src/sync/database';
import { type SyncEngine, startSyncEngine } from '../src/sync/engine';
import { recordFacts } from '../src/sync/localWrites';
import type { SyncStatus } from '../src/sync/status';
import { until } from './support/device';
import { realServerForFile } from './support/realServer';

const server = realServerForFile();

/**
 * 1,000 writes made offline, the app closed and reopened, then online: every write reaches the
 * server and the device learns each one arrived (nothing stays "pending"). This caught a race where
 * the server's copy came back by the stream before RxDB noted the push, and RxDB skipped it.
 */
it('1,000 offline writes survive a restart and all reach the server', { timeout: 240_000 }, async () => {
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'controller@demo.makeplus.local', password: 'makeplus-demo' }),
  });
  const session = (await login.json()) as { accessToken: string; event: { id: string } };
  let online = true;
  const transport = {
    fetch(path: string, init?: RequestInit) {
      if (!online) return Promise.reject(new TypeError('Failed to fetch (offline)'));
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${session.accessToken}`);
      return fetch(`${server.baseUrl}${path}`, { ...init, headers });
    },
  };
  const options = {
    eventId: session.event.id,
    role: 'badge_controller' as const,
    owner: 'restart',
    deviceId: 'restart-device-1',
    storage: getRxStorageDexie({ indexedDB, IDBKeyRange }),
    multiInstance: false,
    exclusive: false,
    collections: ['scans', 'participants'] as const,
  };
  const status: Partial<SyncStatus> = {};
  const start = async (): Promise<{ engine: SyncEngine; db: Awaited<ReturnType<typeof openDeviceDatabase>> }> => {
    const db = await openDeviceDatabase({ ...options, collections: [...options.collections] });
    const engine = startSyncEngine({
      db,
      transport,
      deviceId: options.deviceId,
      role: options.role,
      waitForLeadership: false,
      retryTime: 500,
      onStatus: (p) => Object.assign(status, p),
    });
    await engine.ready;
    return { engine, db };
  };

  let { engine, db } = await start();
  await until('first sync done', () => status.initialSync === null, 60_000);
  online = false;
  const written = new Set<string>();
  for (let i = 0; i < 1000; i += 50) {
    const stored = await recordFacts(
      { db, eventId: session.event.id, deviceId: options.deviceId },
      'scans',
      Array.from({ length: 50 }, () => ({
        participantId: null,
        badgeCode: 'restart-test',
        roomId: null,
        sessionId: null,
        direction: 'in' as const,
        granted: true,
        reason: 'granted' as const,
        issuedOffline: false,
        operatorId: null,
      })),
    );
    for (const s of stored) written.add(s.id);
  }
  expect(await engine.pendingCount()).toBe(1000);

  // Closed and reopened while offline.
  await engine.stop();
  await closeDeviceDatabase(options);
  ({ engine, db } = await start());
  expect(await engine.pendingCount()).toBe(1000);

  online = true;
  await until('nothing pending', async () => (await engine.pendingCount()) === 0, 120_000);
  const res = await fetch(`${server.baseUrl}/sync/v1/scans/pull?after=0&limit=5000`, {
    headers: { authorization: `Bearer ${session.accessToken}`, 'x-makeplus-device': 'restart-checker' },
  });
  const onServer = ((await res.json()) as { documents: { id: string; badgeCode: string }[] }).documents.filter(
    (s) => s.badgeCode === 'restart-test',
  );
  expect(onServer).toHaveLength(1000);
  expect(new Set(onServer.map((s) => s.id))).toEqual(written);
  await engine.stop();
  await closeDeviceDatabase(options);
});
