import { z } from 'zod';

/** Bumped when the wire format changes; older clients get 426 Upgrade Required. */
export const SYNC_PROTOCOL_VERSION = 1;
export const SYNC_BASE_PATH = `/sync/v${SYNC_PROTOCOL_VERSION}`;

/** A position in an event's change feed: every change with a higher `seq` is newer. */
export const checkpoint = z.object({ seq: z.int().min(0) });
export type Checkpoint = z.infer<typeof checkpoint>;

export const pullQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * First sync: only documents up to this position, and no deletions. A device pages through its
   * scope up to the snapshot position taken at the start, then follows the change feed from there.
   */
  upTo: z.coerce.number().int().min(0).optional(),
});

/** A pull checkpoint: the position reached, and during a first sync the snapshot's upper bound. */
export interface PullCheckpoint {
  seq: number;
  upTo?: number;
}

export interface PullResponse<T> {
  documents: T[];
  checkpoint: Checkpoint | null;
}

export const pushRow = z.object({
  newDocumentState: z.record(z.string(), z.unknown()),
  assumedMasterState: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type PushRow<T> = { newDocumentState: T; assumedMasterState?: T | null };
export const pushBody = z.array(pushRow).max(1000);

/** The push reply: the server's current state of each conflicting document (empty when none). */
export type PushResponse<T> = T[];

/** One message on the live stream. */
export type StreamMessage =
  | { type: 'changes'; collection: string; documents: unknown[]; checkpoint: Checkpoint }
  | { type: 'resync' }
  | { type: 'hello'; seq: number };

/** First sync: where the event's feed stands now, and how many live documents each collection holds up to there. */
export interface SnapshotInfo {
  seq: number;
  counts: Record<string, number>;
}

export const CLIENT_VERSION_HEADER = 'x-makeplus-protocol';
export const DEVICE_ID_HEADER = 'x-makeplus-device';
