import {
  type CollectionName,
  type CollectionSpec,
  collections,
  type EventRole,
  type PullCheckpoint,
  type PullResponse,
  type SnapshotInfo,
} from '@makeplus/shared';
import type { RxCollection, WithDeleted } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { merge, type Observable, type Subscription } from 'rxjs';
import { debounceTime } from 'rxjs/operators';
import { noteRefusal, type Refusal } from './conflicts';
import type { DeviceDatabase, LocalDoc } from './database';
import { type PullHandler, ServerCopy } from './serverCopy';
import { type SyncStatus, setSyncNowHandler, updateSyncStatus } from './status';
import { ChangeStream } from './stream';
import { isNetworkError, SyncHttpError, type SyncTransport, syncRequest } from './transport';

export interface SyncEngineOptions {
  db: DeviceDatabase;
  transport: SyncTransport;
  deviceId: string;
  /** The device database's role: collections it may not write are kept without RxDB's replication. */
  role: EventRole;
  /** Live stream and retries (off in some tests that drive cycles by hand). */
  live?: boolean;
  /** Only one browser tab replicates (RxDB leader election). */
  waitForLeadership?: boolean;
  retryTime?: number;
  onStatus?: (patch: Partial<SyncStatus>) => void;
}

/** What the engine needs of a collection's replication (RxDB's, or a ServerCopy). */
export interface CollectionReplication {
  active$: Observable<boolean>;
  awaitInSync(): Promise<true>;
  cancel(): Promise<unknown>;
}

export interface SyncEngine {
  replications: Map<CollectionName, CollectionReplication>;
  /** Resolves once replication runs (the first sync's position needs the network once). */
  ready: Promise<void>;
  /** Pull everything now and push what is pending; resolves when both sides are in sync (or fails). */
  syncNow(): Promise<void>;
  /** Local writes not yet acknowledged by the server. */
  pendingCount(): Promise<number>;
  stop(): Promise<void>;
}

const FIRST_SYNC_DOC = 'firstSync';
const SNAPSHOT_PAGE = 2000;
const PULL_BATCH = 500;

/**
 * Replicate every collection of the device database with the server (protocol in docs/sync-protocol.md):
 * - first sync: the server's position and counts (`/snapshot`), then each collection pages its live
 *   documents up to that position in large batches, with a progress bar; then the ordinary change feed;
 * - a collection the role writes goes through RxDB's replication (RxDB records what the server holds,
 *   pushes, detects conflicts); one it only reads is a ServerCopy (serverCopy.ts: one bulk write per
 *   page, no per-document replication state), with the same pull handler and stream;
 * - local writes are in IndexedDB before the UI confirms them; RxDB pushes them when it can, retries
 *   after failures and across restarts;
 * - conflicts keep the server's state and log the losing local edit (conflicts.ts).
 */
export function startSyncEngine(o: SyncEngineOptions): SyncEngine {
  const status = o.onStatus ?? updateSyncStatus;
  const names = Object.keys(o.db.collections) as CollectionName[];
  const request = <T>(path: string, init?: RequestInit) => syncRequest<T>(o.transport, o.deviceId, path, init);
  const subscriptions: Subscription[] = [];
  const replications = new Map<CollectionName, CollectionReplication>();
  const active = new Map<CollectionName, boolean>();
  /** First sync: the next snapshot page of each collection, already asked for. */
  const prefetched = new Map<CollectionName, { page: string; response: Promise<PullResponse<LocalDoc>> }>();
  let stopped = false;
  /** Edits refused for good during this run (the bar shows them until acknowledged). */
  let refusedCount = 0;

  // Errors are kept per collection: one collection's success must not hide another's failure.
  const errors = new Map<string, string>();
  const errorText = () => (errors.size ? [...errors.entries()].map(([c, m]) => `${c}: ${m}`).join(' · ') : null);
  const ok = (name: string) => {
    errors.delete(name);
    status({
      online: true,
      error: errorText(),
      lastSyncAt: new Date().toISOString(),
      outdated: false,
      needsSignIn: false,
    });
  };
  const failed = (name: string, err: unknown) => {
    if (err instanceof SyncHttpError && err.status === 426) status({ outdated: true, error: err.message });
    else if (err instanceof SyncHttpError && err.status === 401) status({ needsSignIn: true, error: err.message });
    else if (isNetworkError(err)) status({ online: false });
    else {
      errors.set(name, err instanceof Error ? err.message : String(err));
      status({ error: errorText() });
    }
  };

  const stream =
    o.live === false
      ? undefined
      : new ChangeStream(o.transport, o.deviceId, names, (connected, err) => {
          if (connected) status({ online: true });
          else if (err) failed('stream', err);
        });

  // Pending count: local writes carry seq 0 until the server's copy comes back (an indexed count).
  async function pendingCount(): Promise<number> {
    let n = 0;
    for (const name of names)
      n += await (o.db.collections[name] as RxCollection<LocalDoc>).count({ selector: { seq: 0 } }).exec();
    return n;
  }
  const refreshPending = () =>
    void pendingCount()
      .then((pending) => status({ pending }))
      .catch(() => {});
  subscriptions.push(
    merge(...names.map((n) => (o.db.collections[n] as RxCollection<LocalDoc>).$))
      .pipe(debounceTime(150))
      .subscribe(refreshPending),
  );
  refreshPending();

  /** Start replicating once the first-sync position is known (it needs the network once). */
  async function boot(): Promise<void> {
    let first: FirstSyncInfo | undefined;
    for (let wait = 1000; !stopped; wait = Math.min(wait * 2, 30_000)) {
      try {
        first = await firstSyncInfo(o.db, request, names);
        break;
      } catch (err) {
        failed('snapshot', err);
        if (err instanceof SyncHttpError && err.status === 426) return;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    if (!first || stopped) return;
    const info = first;
    const progress = { received: 0, total: info.done ? 0 : Object.values(info.counts).reduce((x, y) => x + y, 0) };
    // Collections whose snapshot was complete before an interruption are not paged again (their
    // checkpoint is past it), so the list is kept with the position.
    const finished = new Set<CollectionName>(
      info.done ? names : (info.finished ?? []).filter((n) => names.includes(n)),
    );
    if (!info.done) status({ initialSync: { received: 0, total: progress.total } });

    let saved = Promise.resolve();
    const collectionFinished = async (name: CollectionName) => {
      finished.add(name);
      const done = names.every((n) => finished.has(n));
      const state = { ...info, finished: [...finished], done };
      // One write after another, so the last one written holds every finished collection.
      saved = saved.catch(() => {}).then(() => o.db.upsertLocal(FIRST_SYNC_DOC, state).then(() => {}));
      await saved;
      if (done) status({ initialSync: null });
    };

    /**
     * One pull of a collection: during the first sync a page of the snapshot (the next one asked for
     * at once), then the change feed. Shared by RxDB's replication and by ServerCopy.
     */
    const pullHandler =
      (name: CollectionName): PullHandler =>
      async (checkpoint, batchSize) => {
        const cp: PullCheckpoint = checkpoint ?? { seq: 0 };
        try {
          if (cp.upTo === undefined) {
            const r = await request<PullResponse<LocalDoc>>(`/sync/v1/${name}/pull?after=${cp.seq}&limit=${batchSize}`);
            ok(name);
            return { documents: r.documents, checkpoint: r.checkpoint ?? cp };
          }
          // First sync: one page of the snapshot. The next page is asked for at once, so the
          // server reads it while the device writes this one (fetched and written in turn, the two
          // waited for each other; see docs/performance.md).
          const page = `/sync/v1/${name}/pull?after=${cp.seq}&limit=${SNAPSHOT_PAGE}&upTo=${cp.upTo}`;
          const ahead = prefetched.get(name);
          prefetched.delete(name);
          const r = await (ahead?.page === page ? ahead.response : request<PullResponse<LocalDoc>>(page));
          progress.received += r.documents.length;
          status({ initialSync: { received: progress.received, total: progress.total } });
          if (r.documents.length === SNAPSHOT_PAGE) {
            const nextPage = `/sync/v1/${name}/pull?after=${r.checkpoint?.seq ?? cp.seq}&limit=${SNAPSHOT_PAGE}&upTo=${cp.upTo}`;
            const response = request<PullResponse<LocalDoc>>(nextPage);
            response.catch(() => {}); // an error surfaces when the next call awaits it
            prefetched.set(name, { page: nextPage, response });
            return { documents: r.documents, checkpoint: { seq: r.checkpoint?.seq ?? cp.seq, upTo: cp.upTo } };
          }
          // This collection's snapshot is complete: carry on with the change feed from its position.
          const next = await request<PullResponse<LocalDoc>>(
            `/sync/v1/${name}/pull?after=${cp.upTo}&limit=${batchSize}`,
          );
          await collectionFinished(name);
          ok(name);
          return { documents: [...r.documents, ...next.documents], checkpoint: next.checkpoint ?? { seq: cp.upTo } };
        } catch (err) {
          prefetched.delete(name);
          failed(name, err);
          throw err;
        }
      };

    for (const name of names) {
      const collection = o.db.collections[name] as RxCollection<LocalDoc>;
      const spec = collections[name] as CollectionSpec;
      const initialCheckpoint = info.done ? undefined : { seq: 0, upTo: info.seq };
      const stream$ = stream?.streams.get(name)?.asObservable();
      let replication: CollectionReplication;
      if (!(o.role in spec.write)) {
        // This role never writes here: a plain copy of the server's, without RxDB's replication.
        replication = new ServerCopy({
          db: o.db,
          collection,
          identifier: `makeplus-v1-${name}`,
          initialCheckpoint,
          handler: pullHandler(name),
          batchSize: PULL_BATCH,
          stream$,
          retryTime: o.retryTime ?? 5000,
          waitForLeadership: o.waitForLeadership ?? true,
        });
      } else {
        const handler = pullHandler(name);
        replication = replicateRxCollection<LocalDoc, PullCheckpoint>({
          collection,
          replicationIdentifier: `makeplus-v1-${name}`,
          deletedField: 'deleted',
          live: o.live ?? true,
          retryTime: o.retryTime ?? 5000,
          waitForLeadership: o.waitForLeadership ?? true,
          autoStart: true,
          pull: {
            batchSize: PULL_BATCH,
            ...(initialCheckpoint ? { initialCheckpoint } : {}),
            ...(stream$ ? { stream$ } : {}),
            async handler(checkpoint, batchSize) {
              const r = await handler(checkpoint, batchSize);
              return { documents: asPulled(r.documents), checkpoint: r.checkpoint };
            },
          },
          push: {
            batchSize: 100,
            async handler(rows) {
              const send = (batch: typeof rows) =>
                request<WithDeleted<LocalDoc>[]>(`/sync/v1/${name}/push`, {
                  method: 'POST',
                  body: JSON.stringify(
                    batch.map((r) => ({
                      newDocumentState: r.newDocumentState,
                      assumedMasterState: r.assumedMasterState ?? null,
                    })),
                  ),
                });
              try {
                let conflicts: WithDeleted<LocalDoc>[];
                try {
                  conflicts = await send(rows);
                } catch (err) {
                  // Facts are never set aside: a refused fact stays pending and the error shows.
                  if (spec.policy !== 'editable' || !isRefusal(err)) throw err;
                  conflicts = await setAsideRefused(rows, send, (id, refusal) => {
                    noteRefusal(o.deviceId, name, id, refusal);
                    refusedCount += 1;
                    status({
                      refused: {
                        count: refusedCount,
                        lastReason: `${name}: ${refusal.fields[0] ? `${refusal.fields[0].field}: ${refusal.fields[0].reason}` : refusal.message}`,
                      },
                    });
                  });
                }
                ok(name);
                return conflicts as never;
              } catch (err) {
                failed(name, err);
                throw err;
              }
            },
          },
        });
      }
      replications.set(name, replication);
      subscriptions.push(
        replication.active$.subscribe((isActive) => {
          active.set(name, isActive);
          status({ syncing: [...active.values()].some(Boolean) });
          if (!isActive) {
            refreshPending();
            stream?.idle(name);
          }
        }),
      );
    }
    if (stream) {
      stream.isBusy = (name) => active.get(name) === true;
      stream.firstSyncDone = (name) => finished.has(name);
    }
    stream?.start();
  }

  const onOnline = () => stream?.resync();
  if (typeof window !== 'undefined') window.addEventListener('online', onOnline);
  const ready = boot();

  const engine: SyncEngine = {
    replications,
    ready,
    pendingCount,
    async syncNow() {
      await ready;
      status({ syncing: true, error: null });
      // Through the stream's resync, which waits for a busy collection to be idle (see stream.ts).
      stream?.resync();
      await Promise.all([...replications.values()].map((r) => r.awaitInSync()));
      status({ syncing: false });
      refreshPending();
    },
    async stop() {
      stopped = true;
      setSyncNowHandler(null);
      if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
      for (const s of subscriptions) s.unsubscribe();
      stream?.stop();
      await Promise.all([...replications.values()].map((r) => r.cancel()));
    },
  };
  setSyncNowHandler(() => engine.syncNow());
  return engine;
}

/**
 * A push the server refused for what it holds (400 a rule on a field, 409 e.g. the last organizer,
 * 403 `write_refused` outside the role's write scope, 413 too large), as opposed to a network failure
 * or an access problem (401, other 403s) that a retry or a new sign-in cures.
 */
function isRefusal(err: unknown): err is SyncHttpError {
  if (!(err instanceof SyncHttpError)) return false;
  return (
    err.status === 400 ||
    err.status === 409 ||
    err.status === 413 ||
    err.status === 422 ||
    (err.status === 403 && err.code === 'write_refused')
  );
}

type PushRow = { newDocumentState: WithDeleted<LocalDoc>; assumedMasterState?: WithDeleted<LocalDoc> };

/**
 * The server refused a batch of edits and stored none of it (it checks a whole batch before writing).
 * So that one refused edit does not hold back the others for good, each row is sent alone: accepted
 * ones are stored, and each refused one is handed back to RxDB as a conflict whose "server state" is
 * the version the device last had from the server (or, for a record the server never held, that
 * record deleted). The device goes back to it, and the conflict handler logs the edit with the
 * server's reason as a `refused_edit` flag (conflicts.ts): set aside, never silently dropped.
 */
async function setAsideRefused(
  rows: readonly PushRow[],
  send: (rows: PushRow[]) => Promise<WithDeleted<LocalDoc>[]>,
  note: (id: string, refusal: Refusal) => void,
): Promise<WithDeleted<LocalDoc>[]> {
  const conflicts: WithDeleted<LocalDoc>[] = [];
  for (const row of rows) {
    try {
      conflicts.push(...(await send([row])));
    } catch (err) {
      if (!isRefusal(err)) throw err; // offline meanwhile: RxDB retries the batch (accepted rows are idempotent)
      const doc = row.newDocumentState as unknown as Record<string, unknown>;
      note(String(doc.id), {
        status: err.status,
        code: err.code ?? null,
        message: err.message,
        // The row went alone, so the server's `documents[0].field` is this document's field.
        fields: (err.fields ?? []).map((f) => ({
          field: f.field.replace(/^documents\[\d+\]\.?/, '') || 'document',
          reason: f.reason,
        })),
      });
      conflicts.push(
        (row.assumedMasterState ?? { ...row.newDocumentState, deleted: true }) as unknown as WithDeleted<LocalDoc>,
      );
    }
  }
  return conflicts;
}

/** Pulled documents carry `deleted`; RxDB maps it to `_deleted` itself (deletedField). */
function asPulled(docs: LocalDoc[]): WithDeleted<LocalDoc>[] {
  return docs as unknown as WithDeleted<LocalDoc>[];
}

interface FirstSyncInfo extends SnapshotInfo {
  done: boolean;
  /** Collections whose snapshot is complete (an interrupted first sync resumes the others). */
  finished?: CollectionName[];
}

/** The first sync's position, taken once and kept with the database so an interrupted first sync resumes. */
async function firstSyncInfo(
  db: DeviceDatabase,
  request: <T>(path: string) => Promise<T>,
  names: readonly CollectionName[],
): Promise<FirstSyncInfo> {
  const existing = await db.getLocal<FirstSyncInfo>(FIRST_SYNC_DOC);
  if (existing) return existing.toJSON().data as FirstSyncInfo;
  const snapshot = await request<SnapshotInfo>(`/sync/v1/snapshot?collections=${names.join(',')}`);
  const info = { ...snapshot, done: false };
  await db.upsertLocal(FIRST_SYNC_DOC, info);
  return info;
}
