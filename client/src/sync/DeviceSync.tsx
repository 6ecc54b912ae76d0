import type { CollectionName, EventRole } from '@makeplus/shared';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import type { MangoQuery, RxCollection, RxDocument } from 'rxdb';
import { authorizedFetch, useSession } from '../auth/session';
import { closeDeviceDatabase, type DeviceDatabase, type LocalDoc, openDeviceDatabase } from './database';
import { deviceId } from './device';
import { type SyncEngine, startSyncEngine } from './engine';
import type { LocalStore } from './localWrites';
import { PacedQuery } from './pacedQuery';
import { updateSyncStatus } from './status';

export interface DeviceStore extends LocalStore {
  role: EventRole;
  engine: SyncEngine;
}

const DeviceContext = createContext<DeviceStore | null>(null);

/**
 * Opens this device's local database for the signed-in person, event and role, and keeps it
 * replicating for as long as the session lasts. Screens read and write through it, never the network.
 */
export function DeviceSyncProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const eventId = session?.event?.id;
  const role = session?.role ?? undefined;
  const owner = session?.user?.id ?? session?.cashRegister?.id;
  const [store, setStore] = useState<DeviceStore | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!eventId || !role || !owner) return;
    let cancelled = false;
    let engine: SyncEngine | undefined;
    const options = { eventId, role, owner, deviceId: deviceId() };
    openDeviceDatabase(options)
      .then((db: DeviceDatabase) => {
        if (cancelled) return;
        engine = startSyncEngine({ db, transport: { fetch: authorizedFetch }, deviceId: options.deviceId, role });
        setStore({ db, eventId, deviceId: options.deviceId, role, engine });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        const message = err instanceof Error ? err.message : String(err);
        setFailure(message);
        updateSyncStatus({ error: message });
      });
    return () => {
      cancelled = true;
      setStore(null);
      void engine?.stop();
      // The database itself stays on disk: pending writes survive a sign-out and reach the server later.
      void closeDeviceDatabase(options).catch(() => {});
    };
  }, [eventId, role, owner]);

  return (
    <DeviceContext.Provider value={store}>
      {failure && !store ? <DeviceFailure message={failure} /> : children}
    </DeviceContext.Provider>
  );
}

function DeviceFailure({ message }: { message: string }) {
  return (
    <div role="alert" className="device-failure">
      <p>
        Les données locales de cet appareil ne peuvent pas être ouvertes. / This device's local data cannot be opened.
      </p>
      <p>
        <code>{message}</code>
      </p>
      <button type="button" onClick={() => window.location.reload()}>
        Recharger / Reload
      </button>
    </div>
  );
}

/** The device store, or null while it opens (or outside an event). */
export function useDeviceStore(): DeviceStore | null {
  return useContext(DeviceContext);
}

/**
 * A live query over a local collection: re-renders when matching documents change, offline or not.
 * `undefined` while loading (or when the role does not keep that collection).
 */
export function useLiveQuery(
  name: CollectionName,
  query: MangoQuery<LocalDoc> | null,
  deps: readonly unknown[] = [],
  options: { hold?: boolean } = {},
): RxDocument<LocalDoc>[] | undefined {
  const store = useDeviceStore();
  const [docs, setDocs] = useState<RxDocument<LocalDoc>[] | undefined>(undefined);
  const key = useMemo(() => JSON.stringify(query), [query]);
  const hold = options.hold === true;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `query`; callers pass extra deps explicitly
  useEffect(() => {
    // Held: keep showing the last result and stop following changes (e.g. a list behind an import
    // that is writing thousands of its records); letting go re-reads once.
    if (hold) return;
    const collection = store?.db.collections[name] as RxCollection<LocalDoc> | undefined;
    if (!collection || !query) {
      setDocs(undefined);
      return;
    }
    const paced = new PacedQuery(() => collection.find(query).exec(), setDocs);
    const sub = collection.$.subscribe(() => paced.changed());
    paced.changed();
    return () => {
      sub.unsubscribe();
      paced.stop();
    };
  }, [store, name, key, hold, ...deps]);
  return docs;
}

/** A live count over a local collection (uses an index when the selector allows it). */
export function useLiveCount(
  name: CollectionName,
  selector: MangoQuery<LocalDoc>['selector'] | null,
): number | undefined {
  const store = useDeviceStore();
  const [n, setN] = useState<number | undefined>(undefined);
  const key = JSON.stringify(selector);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for `selector`
  useEffect(() => {
    const collection = store?.db.collections[name] as RxCollection<LocalDoc> | undefined;
    if (!collection || !selector) return;
    const sub = collection.count({ selector }).$.subscribe(setN);
    return () => sub.unsubscribe();
  }, [store, name, key]);
  return n;
}
