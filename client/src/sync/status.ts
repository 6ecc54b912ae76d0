import { useSyncExternalStore } from 'react';

/**
 * What the device knows about its sync, shown on every screen (online/offline, pending writes,
 * last successful sync, the last error and a retry). The replication engine (./replication.ts)
 * writes it; screens read it with `useSyncStatus()`.
 */
export interface SyncStatus {
  online: boolean;
  /** Local writes not yet acknowledged by the server. */
  pending: number;
  /** ISO time of the last pull+push that completed without error. */
  lastSyncAt: string | null;
  syncing: boolean;
  error: string | null;
  /** First sync of a device: records received so far and in all (null once done). */
  initialSync: { received: number; total: number } | null;
  /** The server refused this client version (426): the app must be updated. */
  outdated: boolean;
  /** The refresh token expired: pending writes are kept until the next sign-in. */
  needsSignIn: boolean;
  /** Edits the server refused for good since the person last acknowledged them (reverted here, logged as flags). */
  refused: { count: number; lastReason: string } | null;
}

const initial: SyncStatus = {
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  pending: 0,
  lastSyncAt: readLastSync(),
  syncing: false,
  error: null,
  initialSync: null,
  outdated: false,
  needsSignIn: false,
  refused: null,
};

let state = initial;
const listeners = new Set<() => void>();
let syncNowHandler: (() => Promise<void>) | null = null;

function readLastSync(): string | null {
  try {
    return globalThis.localStorage?.getItem('makeplus.lastSyncAt') ?? null;
  } catch {
    return null;
  }
}

export function getSyncStatus(): SyncStatus {
  return state;
}

export function updateSyncStatus(patch: Partial<SyncStatus>): void {
  state = { ...state, ...patch };
  if (patch.lastSyncAt) {
    try {
      localStorage.setItem('makeplus.lastSyncAt', patch.lastSyncAt);
    } catch {}
  }
  for (const l of listeners) l();
}

export function subscribeSyncStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSyncStatus(): SyncStatus {
  return useSyncExternalStore(subscribeSyncStatus, getSyncStatus, getSyncStatus);
}

/** Registered by the replication engine; the "sync now" button calls it. */
export function setSyncNowHandler(handler: (() => Promise<void>) | null): void {
  syncNowHandler = handler;
}
export async function syncNow(): Promise<void> {
  await syncNowHandler?.();
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => updateSyncStatus({ online: true }));
  window.addEventListener('offline', () => updateSyncStatus({ online: false }));
}
