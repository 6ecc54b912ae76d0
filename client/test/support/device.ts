import type { CollectionName, EventRole } from '@makeplus/shared';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { closeDeviceDatabase, type DeviceDatabase, openDeviceDatabase } from '../../src/sync/database';
import { type SyncEngine, startSyncEngine } from '../../src/sync/engine';
import type { LocalStore } from '../../src/sync/localWrites';
import type { SyncStatus } from '../../src/sync/status';
import type { SyncTransport } from '../../src/sync/transport';

export interface SimulatedDevice extends LocalStore {
  engine: SyncEngine;
  status: Partial<SyncStatus>;
  role: EventRole;
  online: boolean;
  token: string;
  close(): Promise<void>;
}

let counter = 0;

/** A device as a browser would run it: RxDB on Dexie over an IndexedDB implementation, the real engine, the network switchable. */
export async function simulatedDevice(
  baseUrl: string,
  email: string,
  collections: readonly CollectionName[],
  owner = `dev${++counter}`,
  password = 'makeplus-demo',
): Promise<SimulatedDevice> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const session = (await login.json()) as { accessToken: string; event: { id: string }; role: EventRole };
  if (!login.ok) throw new Error(`login ${email}: ${JSON.stringify(session)}`);
  const deviceId = `test-device-${owner}-${Date.now().toString(36)}`;
  const device = { online: true, token: session.accessToken } as SimulatedDevice;
  const transport: SyncTransport = {
    fetch(p, init) {
      if (!device.online) return Promise.reject(new TypeError('Failed to fetch (offline)'));
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${device.token}`);
      return fetch(`${baseUrl}${p}`, { ...init, headers });
    },
  };
  const dbOptions = {
    eventId: session.event.id,
    role: session.role,
    owner: `${owner}${email.replace(/\W/g, '')}`,
    deviceId,
    storage: getRxStorageDexie({ indexedDB, IDBKeyRange }),
    multiInstance: false,
    exclusive: false,
    collections,
  };
  const db: DeviceDatabase = await openDeviceDatabase(dbOptions);
  const status: Partial<SyncStatus> = {};
  const engine = startSyncEngine({
    db,
    transport,
    deviceId,
    role: session.role,
    waitForLeadership: false,
    retryTime: 300,
    onStatus: (p) => Object.assign(status, p),
  });
  Object.assign(device, {
    db,
    eventId: session.event.id,
    deviceId,
    engine,
    status,
    role: session.role,
    async close() {
      await engine.stop();
      await closeDeviceDatabase(dbOptions);
    },
  });
  return device;
}

/** Wait for a condition with a bound, polling (the engine works asynchronously). */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for: ${what}`);
}
