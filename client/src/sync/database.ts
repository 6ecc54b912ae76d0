import {
  type CollectionName,
  type CollectionSpec,
  collections,
  deviceCollections,
  type EventRole,
} from '@makeplus/shared';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBQueryBuilderPlugin } from 'rxdb/plugins/query-builder';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { RxDBUpdatePlugin } from 'rxdb/plugins/update';
import { conflictHandlerFor } from './conflicts';
import { toRxSchema } from './rxSchema';

addRxPlugin(RxDBLeaderElectionPlugin);
addRxPlugin(RxDBUpdatePlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBQueryBuilderPlugin);

export type LocalDoc = Record<string, unknown> & { id: string; eventId: string; seq: number; rev: number };
export type LocalCollections = Partial<Record<CollectionName, RxCollection<LocalDoc>>>;
export type DeviceDatabase = RxDatabase<LocalCollections>;

export interface DeviceDatabaseOptions {
  eventId: string;
  role: EventRole;
  /** Whose data this is: a user id or a cash register id. */
  owner: string;
  /** This device's id (stamped on the conflict log). */
  deviceId: string;
  /** Tests pass an IndexedDB implementation for Node. */
  storage?: RxStorage<unknown, unknown>;
  multiInstance?: boolean;
  /** Tests simulating several devices in one process open fewer collections (RxDB's limit is per process). */
  collections?: readonly CollectionName[];
  /** Close any other device database first (the app); tests keep several open. */
  exclusive?: boolean;
}

/** One local database per person (or register), event and role: switching event never mixes data. */
export function deviceDatabaseName(o: Pick<DeviceDatabaseOptions, 'eventId' | 'role' | 'owner'>): string {
  const short = (s: string) =>
    s
      .replace(/[^a-z0-9]/gi, '')
      .slice(0, 12)
      .toLowerCase();
  return `makeplus_${short(o.eventId)}_${o.role}_${short(o.owner)}`;
}

const open = new Map<string, Promise<DeviceDatabase>>();

/**
 * Open (once: React's strict mode renders twice) the device database with the collections its role
 * keeps (see deviceCollections in shared/; free RxDB allows few collections per process).
 */
export function openDeviceDatabase(o: DeviceDatabaseOptions): Promise<DeviceDatabase> {
  const name = deviceDatabaseName(o);
  let db = open.get(name);
  if (!db) {
    db = create(name, o);
    open.set(name, db);
    db.catch(() => open.delete(name));
  }
  return db;
}

async function create(name: string, o: DeviceDatabaseOptions): Promise<DeviceDatabase> {
  // Only one device database is open at a time: close the others first (collection limit).
  if (o.exclusive ?? true) {
    for (const [other, p] of open) {
      if (other === name) continue;
      open.delete(other);
      await p.then((d) => d.close()).catch(() => {});
    }
  }
  const db = await createRxDatabase<LocalCollections>({
    name,
    storage: (o.storage ?? getRxStorageDexie()) as RxStorage<unknown, unknown>,
    multiInstance: o.multiInstance ?? true,
    eventReduce: true,
    closeDuplicates: true,
    localDocuments: true,
  });
  const wanted: Record<
    string,
    { schema: ReturnType<typeof toRxSchema>; conflictHandler: ReturnType<typeof conflictHandlerFor> }
  > = {};
  for (const n of o.collections ?? deviceCollections[o.role]) {
    wanted[n] = {
      schema: toRxSchema(collections[n] as CollectionSpec),
      conflictHandler: conflictHandlerFor(n, () => ({ db, deviceId: o.deviceId })),
    };
  }
  await db.addCollections(wanted);
  return db;
}

export async function closeDeviceDatabase(o: Pick<DeviceDatabaseOptions, 'eventId' | 'role' | 'owner'>): Promise<void> {
  const name = deviceDatabaseName(o);
  const p = open.get(name);
  open.delete(name);
  if (p) await (await p).close();
}
