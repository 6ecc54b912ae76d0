import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { RxCollection } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { expect, it } from 'vitest';
import { closeDeviceDatabase, type LocalDoc, openDeviceDatabase } from '../src/sync/database';
import { type SyncEngine, startSyncEngine } from '../src/sync/engine';
import type { SyncStatus } from '../src/sync/status';
import { until } from './support/device';
import { realServerForFile } from './support/realServer';

const server = realServerForFile();

async function login(email: string) {
  const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'makeplus-demo' }),
  });
  return (await res.json()) as { accessToken: string; event: { id: string } };
}

/**
 * A door (badge controller) never writes participants or entitlements, so the engine keeps them as a
 * copy of the server's (ServerCopy) instead of RxDB's replication. Its first sync is interrupted
 * after the first snapshot page (the network drops, the app closes) and resumes from that page on
 * the next start; then a live edit arrives by the stream; a later restart pulls from the stored
 * checkpoint, not from the start; nothing is ever pushed.
 */
it('a door keeps participants as a copy of the server: an interrupted first sync resumes, live edits arrive, nothing is pushed', {
  timeout: 240_000,
}, async () => {
  const organizer = await login('organizer@demo.makeplus.local');
  const eventId = organizer.event.id;
  for (const [from, count] of [
    [0, 2000],
    [2000, 500],
  ] as const) {
    const res = await fetch(`${server.baseUrl}/api/v1/events/${eventId}/participants/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${organizer.accessToken}` },
      body: JSON.stringify({
        rows: Array.from({ length: count }, (_, i) => ({
          row: i + 1,
          values: { firstName: `Copy${from + i}`, lastName: `Participant ${from + i}`, organization: 'Test' },
        })),
      }),
    });
    expect(res.status, await res.text()).toBe(200);
  }
  const orgPull = async (after: number) => {
    const r = await fetch(`${server.baseUrl}/sync/v1/participants/pull?after=${after}&limit=5000`, {
      headers: { authorization: `Bearer ${organizer.accessToken}`, 'x-makeplus-device': 'copy-checker' },
    });
    return (await r.json()) as { documents: (LocalDoc & { lastName: string })[] };
  };
  const onServer = (await orgPull(0)).documents.filter((d) => !d.deleted);
  expect(onServer.length).toBeGreaterThan(2000);

  const door = await login('controller@demo.makeplus.local');
  const requests: string[] = [];
  let dropSecondPage = true;
  const transport = {
    fetch(path: string, init?: RequestInit) {
      requests.push(`${init?.method ?? 'GET'} ${path}`);
      // The network drops right after the first snapshot page of participants.
      if (dropSecondPage && /participants\/pull\?after=[1-9]\d*&limit=2000&upTo=/.test(path))
        return Promise.reject(new TypeError('Failed to fetch (offline)'));
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${door.accessToken}`);
      return fetch(`${server.baseUrl}${path}`, { ...init, headers });
    },
  };
  const options = {
    eventId,
    role: 'badge_controller' as const,
    owner: 'servercopy',
    deviceId: 'server-copy-device-1',
    storage: getRxStorageDexie({ indexedDB, IDBKeyRange }),
    multiInstance: false,
    exclusive: false,
    collections: ['participants', 'entitlements', 'scans'] as const,
  };
  const status: Partial<SyncStatus> = {};
  const start = async () => {
    const db = await openDeviceDatabase({ ...options, collections: [...options.collections] });
    const engine: SyncEngine = startSyncEngine({
      db,
      transport,
      deviceId: options.deviceId,
      role: options.role,
      waitForLeadership: false,
      retryTime: 300,
      onStatus: (p) => Object.assign(status, p),
    });
    await engine.ready;
    return { db, engine };
  };
  const participants = (db: Awaited<ReturnType<typeof openDeviceDatabase>>) =>
    db.collections.participants as RxCollection<LocalDoc>;

  // 1. First sync, interrupted after the first page of 2,000.
  let { db, engine } = await start();
  await until('first page stored', async () => (await participants(db).count().exec()) === 2000);
  await until('the second page failed', () => status.online === false);
  expect(status.initialSync).not.toBeNull();
  await engine.stop();
  await closeDeviceDatabase(options);

  // 2. Restarted online: resumes after the first page (no page from the start again) and finishes.
  dropSecondPage = false;
  requests.length = 0;
  ({ db, engine } = await start());
  await until('first sync done', async () => status.initialSync === null);
  await until('every participant', async () => (await participants(db).count().exec()) === onServer.length);
  const firstPages = requests.filter((r) => r.includes('participants/pull'));
  expect(firstPages[0]).toMatch(/after=[1-9]\d*&limit=2000&upTo=/);
  expect(firstPages.some((r) => /after=0&/.test(r))).toBe(false);
  const stored = new Map((await participants(db).find().exec()).map((d) => [d.id, d.toJSON() as LocalDoc]));
  for (const p of onServer) expect(stored.get(p.id)?.seq).toBe(p.seq);

  // 3. A live edit made on the organizer's console reaches the door by the stream.
  const target = onServer[0] as LocalDoc & { lastName: string };
  const push = await fetch(`${server.baseUrl}/sync/v1/participants/push`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${organizer.accessToken}`,
      'x-makeplus-device': 'copy-organizer',
    },
    body: JSON.stringify([
      {
        newDocumentState: { ...target, lastName: 'Édité en direct', updatedAt: new Date().toISOString() },
        assumedMasterState: target,
      },
    ]),
  });
  expect(push.status, await push.text()).toBe(200);
  await until('the edit reaches the door', async () => {
    const doc = await participants(db).findOne(target.id).exec();
    return doc?.get('lastName') === 'Édité en direct';
  });
  expect(await engine.pendingCount()).toBe(0);
  await engine.syncNow();
  await engine.stop();
  await closeDeviceDatabase(options);

  // 4. Restarted: pulls from its stored checkpoint, not from the start; nothing pushed, ever.
  requests.length = 0;
  ({ db, engine } = await start());
  await engine.syncNow();
  const pulls = requests.filter((r) => r.includes('participants/pull'));
  expect(pulls.length).toBeGreaterThan(0);
  expect(pulls.every((r) => !/after=0&/.test(r))).toBe(true);
  expect(await participants(db).count().exec()).toBe(onServer.length);
  expect(requests.some((r) => /participants\/push|entitlements\/push/.test(r))).toBe(false);
  await engine.stop();
  await closeDeviceDatabase(options);
});
