import type { PullCheckpoint } from '@makeplus/shared';
import type { BulkWriteRow, RxCollection, RxReplicationPullStreamItem, RxStorageWriteErrorConflict } from 'rxdb';
import { BehaviorSubject, filter, firstValueFrom, type Observable, type Subscription } from 'rxjs';
import type { DeviceDatabase, LocalDoc } from './database';

/** One pull: the documents after a checkpoint (as the server sends them, with `deleted`) and the new checkpoint. */
export type PullHandler = (
  checkpoint: PullCheckpoint | undefined,
  batchSize: number,
) => Promise<{ documents: LocalDoc[]; checkpoint: PullCheckpoint }>;

export interface ServerCopyOptions {
  db: DeviceDatabase;
  collection: RxCollection<LocalDoc>;
  /** Names the checkpoint's local document (one per collection). */
  identifier: string;
  /** Where to start when no checkpoint is stored (the first sync's snapshot bound). */
  initialCheckpoint?: PullCheckpoint;
  handler: PullHandler;
  batchSize: number;
  /** Live changes and RESYNC requests (the change stream's subject for this collection). */
  stream$?: Observable<RxReplicationPullStreamItem<LocalDoc, PullCheckpoint>>;
  /** Wait before pulling again after a failure. */
  retryTime: number;
  /** Only the leader tab pulls (another tab sees the writes through RxDB's multi-instance events). */
  waitForLeadership: boolean;
}

/**
 * A collection this device's role may not write, kept as a copy of the server's: nothing is ever
 * pushed, so none of RxDB's replication bookkeeping is needed (no conflicts to detect, no assumed
 * server state per document). Each page the server sends is written in one bulk write straight into
 * the collection (documents the server deleted are removed), then the checkpoint is stored in a
 * local document; after an interruption the last page is pulled again, and writing it twice changes
 * nothing. RxDB's replication costs four IndexedDB requests per pulled document (the device's copy
 * and its replication state, each read then written); this costs one read and one write per document
 * inside one bulk write (docs/performance.md, "First sync").
 *
 * It answers what the engine needs of a replication: `active$`, `awaitInSync()`, `cancel()`; pulls
 * and live changes run one at a time, in the order they came.
 */
export class ServerCopy {
  readonly active$ = new BehaviorSubject(false);
  private readonly inSync$ = new BehaviorSubject(false);
  private readonly checkpointId: string;
  private checkpoint: PullCheckpoint | undefined;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private passQueued = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private subscription: Subscription | undefined;
  private cancelled = false;
  private readonly onCancel: Promise<void>;
  private cancelNow: () => void = () => {};

  constructor(private readonly o: ServerCopyOptions) {
    this.checkpointId = `serverCopy-${o.identifier}`;
    this.onCancel = new Promise((resolve) => {
      this.cancelNow = resolve;
    });
    this.enqueue(async () => {
      if (o.waitForLeadership) await Promise.race([o.db.waitForLeadership(), this.onCancel]);
      if (this.cancelled) return;
      this.checkpoint = await this.storedCheckpoint();
    });
    this.subscription = o.stream$?.subscribe((item) => {
      if (item === 'RESYNC') this.requestPass();
      else this.enqueue(() => this.applyLive(item.documents as unknown as LocalDoc[], item.checkpoint));
    });
    this.requestPass();
  }

  /** Pull now (the engine's "sync now", the stream's resync). */
  reSync(): void {
    this.requestPass();
  }

  /** Resolves once every pull asked for so far has succeeded (it waits through retries). */
  async awaitInSync(): Promise<true> {
    if (!this.cancelled) await firstValueFrom(this.inSync$.pipe(filter((v) => v || this.cancelled)));
    return true;
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    this.cancelNow();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.subscription?.unsubscribe();
    this.inSync$.next(true);
    await this.tail.catch(() => {});
    this.active$.next(false);
  }

  /**
   * The stored checkpoint; without one (a fresh device, or one whose copy RxDB's replication kept
   * before), the highest `seq` among the documents already on the device: every document up to it
   * arrived (the feed is read in `seq` order), so nothing is pulled twice but the last page.
   */
  private async storedCheckpoint(): Promise<PullCheckpoint | undefined> {
    const stored = await this.o.db.getLocal<PullCheckpoint>(this.checkpointId);
    if (stored) return stored.toJSON().data as PullCheckpoint;
    const newest = await this.o.collection.findOne({ selector: { seq: { $gt: 0 } }, sort: [{ seq: 'desc' }] }).exec();
    const seq = (newest?.get('seq') as number | undefined) ?? 0;
    if (this.o.initialCheckpoint)
      return { ...this.o.initialCheckpoint, seq: Math.max(seq, this.o.initialCheckpoint.seq) };
    return { seq };
  }

  private requestPass(): void {
    if (this.cancelled || this.passQueued) return;
    this.passQueued = true;
    this.enqueue(async () => {
      this.passQueued = false;
      await this.pass();
    });
  }

  /** Tasks (pulls, live changes) run one at a time, in order. */
  private enqueue(task: () => Promise<void>): void {
    if (this.cancelled) return;
    this.queued += 1;
    this.inSync$.next(false);
    this.active$.next(true);
    this.tail = this.tail
      .then(async () => {
        if (this.cancelled) return;
        try {
          await task();
        } catch {
          // The handler has reported the failure (sync status); try again later. Until then the
          // copy stays active, as RxDB's replication does while it retries (no idle/busy flapping
          // every retry while the device is offline).
          if (!this.cancelled) {
            if (this.retryTimer) clearTimeout(this.retryTimer);
            this.retryTimer = setTimeout(() => this.requestPass(), this.o.retryTime);
          }
        }
        this.queued -= 1;
        // In sync (and idle) only when nothing is queued and no pull is owed after a failure.
        if (this.queued === 0 && !this.retryTimer) {
          this.inSync$.next(true);
          this.active$.next(false);
        }
      })
      .catch(() => {});
  }

  /** Pull pages until the server has nothing more (each page stored, then its checkpoint). */
  private async pass(): Promise<void> {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    for (;;) {
      if (this.cancelled) return;
      const r = await this.o.handler(this.checkpoint, this.o.batchSize);
      if (this.cancelled) return;
      await this.store(r.documents);
      await this.saveCheckpoint(r.checkpoint);
      if (r.checkpoint.upTo === undefined && r.documents.length < this.o.batchSize) return;
    }
  }

  /** Live changes: documents the device already has at that position or later are skipped. */
  private async applyLive(documents: LocalDoc[], checkpoint: PullCheckpoint): Promise<void> {
    const at = this.checkpoint;
    // During the first sync the stream asks for pulls instead (stream.ts); this is a safety net.
    if (!at || at.upTo !== undefined) return this.requestPass();
    if (checkpoint.seq <= at.seq) return;
    await this.store(documents.filter((d) => d.seq > at.seq));
    await this.saveCheckpoint({ seq: checkpoint.seq });
  }

  /**
   * One bulk write through the collection's storage: new documents are inserted as they are (on a
   * fresh device, every one); a document the device already holds comes back as a conflict carrying
   * the stored version, and is written again over it. RxDB's change events follow as for any write
   * (live queries, the door index, other tabs).
   */
  private async store(documents: LocalDoc[]): Promise<void> {
    if (documents.length === 0) return;
    let rows: BulkWriteRow<LocalDoc>[] = documents.map((doc) => {
      const { deleted, ...fields } = doc;
      return {
        document: { ...fields, _deleted: deleted === true, _attachments: {}, _meta: { lwt: 0 }, _rev: '' } as never,
      };
    });
    for (let attempt = 0; rows.length > 0; attempt++) {
      const { error } = await this.o.collection.storageInstance.bulkWrite(rows, 'makeplus-server-copy');
      if (error.length === 0) return;
      const conflicts = error.filter((e): e is RxStorageWriteErrorConflict<LocalDoc> => e.status === 409);
      if (attempt === 3 || conflicts.length < error.length) {
        throw new Error(`${this.o.collection.name}: ${error.length} documents not stored (${error[0]?.status})`);
      }
      rows = conflicts.map((e) => ({ previous: e.documentInDb, document: e.writeRow.document }));
    }
  }

  private async saveCheckpoint(checkpoint: PullCheckpoint): Promise<void> {
    this.checkpoint = checkpoint;
    await this.o.db.upsertLocal(this.checkpointId, checkpoint);
  }
}
