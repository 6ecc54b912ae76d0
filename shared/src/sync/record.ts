import { z } from 'zod';

/** ISO-8601 timestamp with offset, as every record and API payload carries it. */
export const isoDateTime = z.iso.datetime({ offset: true });
export const recordId = z.uuid();

/**
 * Fields every synced record carries.
 * - `seq`: the event's change sequence at the record's last server write (0 until the server has it).
 * - `rev`: revision of an editable record; a push must name the revision it edited (conflict detection).
 * - `deleted`: soft delete, so a deletion replicates like any other change.
 */
export const syncMetaShape = {
  id: recordId,
  eventId: recordId,
  seq: z.int().min(0),
  rev: z.int().min(0),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  deleted: z.boolean(),
};

/** Append-only facts also keep the device's clock and the server's arrival time. */
export const factShape = {
  deviceId: z.string().min(1).max(64),
  occurredAt: isoDateTime,
  receivedAt: isoDateTime.nullable(),
};

export type SyncMeta = {
  id: string;
  eventId: string;
  seq: number;
  rev: number;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
};

export const SYNC_META_FIELDS = ['id', 'eventId', 'seq', 'rev', 'createdAt', 'updatedAt', 'deleted'] as const;
