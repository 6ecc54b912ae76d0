import { type CollectionName, newId } from '@makeplus/shared';
import { deepEqual, type RxCollection, type RxConflictHandler } from 'rxdb';
import type { DeviceDatabase, LocalDoc } from './database';

/** Fields that say nothing about what a person edited. */
const META = new Set([
  'seq',
  'rev',
  'createdAt',
  'updatedAt',
  'receivedAt',
  'legacyId',
  '_meta',
  '_rev',
  '_attachments',
]);

export function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !META.has(k)));
  for (const k of keys) if (!deepEqual(a[k] ?? null, b[k] ?? null)) return false;
  return true;
}

/**
 * When the server refuses a push because its copy changed meanwhile, the device keeps the server's
 * state (everyone converges on it) and records the losing local edit as a `conflicting_edit`
 * reconciliation flag, which syncs to the organizer's inbox to be looked at and re-applied. Nothing is
 * dropped silently. Roles without the flags collection keep the log on the device.
 */
export function conflictHandlerFor(
  collection: CollectionName,
  device: () => { db: DeviceDatabase | undefined; deviceId: string },
): RxConflictHandler<LocalDoc> {
  return {
    isEqual(a, b) {
      return deepEqual(a, b);
    },
    async resolve(input) {
      const local = input.newDocumentState as unknown as Record<string, unknown>;
      const server = input.realMasterState as unknown as Record<string, unknown>;
      if (!sameContent(local, server)) {
        const { db, deviceId } = device();
        await logConflict(
          db,
          deviceId,
          collection,
          local,
          server,
          input.assumedMasterState as unknown as Record<string, unknown> | undefined,
        );
      }
      return input.realMasterState;
    },
  };
}

async function logConflict(
  db: DeviceDatabase | undefined,
  deviceId: string,
  collection: CollectionName,
  local: Record<string, unknown>,
  server: Record<string, unknown>,
  assumed: Record<string, unknown> | undefined,
): Promise<void> {
  const now = new Date().toISOString();
  const flags = db?.collections.reconciliationFlags as RxCollection<LocalDoc> | undefined;
  const changed = Object.keys(local).filter((k) => !META.has(k) && !deepEqual(local[k] ?? null, server[k] ?? null));
  const entry = {
    id: newId(),
    eventId: String(server.eventId ?? local.eventId),
    seq: 0,
    rev: 1,
    createdAt: now,
    updatedAt: now,
    deviceId,
    occurredAt: String(local.updatedAt ?? now),
    receivedAt: null,
    kind: 'conflicting_edit',
    status: 'open',
    subjectCollection: collection,
    subjectId: String(server.id ?? local.id),
    summary: `Offline edit of ${collection} lost to a newer version (${changed.join(', ') || 'deleted'})`,
    details: {
      collection,
      changedFields: changed,
      local: strip(local),
      server: strip(server),
      assumed: assumed ? strip(assumed) : null,
    },
    resolution: null,
    resolvedBy: null,
    resolvedAt: null,
  };
  if (flags) {
    await flags.insert(entry as unknown as LocalDoc);
    return;
  }
  try {
    const key = 'makeplus.conflicts';
    const list = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown[];
    list.push(entry);
    localStorage.setItem(key, JSON.stringify(list.slice(-200)));
  } catch {}
}

function strip(doc: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _m, _rev: _r, _attachments: _a, ...rest } = doc;
  return rest;
}
