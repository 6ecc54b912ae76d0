import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DeviceDatabase } from '../sync/database';
import { DoorIndex } from './doorIndex';

/** The door's in-memory index over this device's database: built once, kept current. */
export function useDoorIndex(db: DeviceDatabase | undefined): DoorIndex | null {
  const [index, setIndex] = useState<DoorIndex | null>(null);
  useEffect(() => {
    if (!db) return;
    const created = new DoorIndex();
    setIndex(created);
    void created.open(db);
    return () => {
      created.close();
      setIndex(null);
    };
  }, [db]);
  return index;
}

const noop = () => () => {};

/** Re-render when the index changes (at most once a frame); returns its version. */
export function useDoorIndexVersion(index: DoorIndex | null): number {
  return useSyncExternalStore(
    index ? (cb) => index.subscribe(cb) : noop,
    () => (index ? index.version : -1),
    () => -1,
  );
}
