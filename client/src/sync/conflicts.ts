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

/** Why the server refused a write for good (its status, machine code, message and fields at fault). */
export interface Refusal {
  status: number;
  code: string | null;
  message: string;
  fields: readonly { field: string; reason: string }[];
}

/**
 * Writes the server refused for good, noted by the push (engine.ts) just before it hands RxDB the
 * state to go back to; the conflict handler below then logs them as `refused_edit` instead of a
 * lost race. Keyed by device, collection and id (tests run several devices in one process).
 */
const refusals = new Map<string, Refusal>();
const refusalKey = (deviceId: string, collection: string, id: string) => `${deviceId}\u0000${collection}\u0000${id}`;

export function noteRefusal(deviceId: string, collection: CollectionName, id: string, refusal: Refusal): void {
  refusals.set(refusalKey(deviceId, collection, id), refusal);
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
      const { db, deviceId } = device();
      const key = refusalKey(deviceId, collection, String(local.id ?? server.id));
      const refusal = refusals.get(key);
      refusals.delete(key);
      // A refused edit is always logged; a lost race only when the contents differ.
      if (refusal || !sameContent(local, server))
        await logConflict(
          db,
          deviceId,
          collection,
          local,
          server,
          input.assumedMasterState as unknown as Record<string, unknown> | undefined,
          refusal,
        );
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
  refusal?: Refusal,
): Promise<void> {
  const now = new Date().toISOString();
  // A refused flag is not logged as a flag (it would be refused again): it stays in the device's log.
  const flags =
    collection === 'reconciliationFlags'
      ? undefined
      : (db?.collections.reconciliationFlags as RxCollection<LocalDoc> | undefined);
  // A refused new record: the server never held it, so every field the device set is what was refused.
  const base = refusal && !assumed ? {} : server;
  const changed = Object.keys(local).filter((k) => !META.has(k) && !deepEqual(local[k] ?? null, base[k] ?? null));
  const reason = refusal ? refusal.fields.map((f) => `${f.field}: ${f.reason}`).join('; ') || refusal.message : '';
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
    kind: refusal ? 'refused_edit' : 'conflicting_edit',
    status: 'open',
    subjectCollection: collection,
    subjectId: String(server.id ?? local.id),
    summary: refusal
      ? `Offline edit of ${collection} refused by the server (${reason})`.slice(0, 1000)
      : `Offline edit of ${collection} lost to a newer version (${changed.join(', ') || 'deleted'})`,
    details: {
      collection,
      changedFields: changed,
      local: strip(local),
      // What the device went back to: the version the server held before the edit (none for a new record).
      server: refusal && !assumed ? null : strip(server),
      assumed: assumed ? strip(assumed) : null,
      ...(refusal ? { refusal: { ...refusal, fields: [...refusal.fields] } } : {}),
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
