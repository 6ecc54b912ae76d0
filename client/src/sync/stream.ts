import type { CollectionName, PullCheckpoint } from '@makeplus/shared';
import type { RxReplicationPullStreamItem } from 'rxdb';
import { Subject } from 'rxjs';
import type { LocalDoc } from './database';
import { SyncHttpError, type SyncTransport, syncHeaders } from './transport';

type StreamItem = RxReplicationPullStreamItem<LocalDoc, PullCheckpoint>;

/**
 * One live connection per device, multiplexed into one RxDB pull stream per collection. Server-sent
 * events are read with fetch (EventSource cannot send the Authorization header). On every
 * (re)connection the server says `resync`, so whatever happened meanwhile is pulled.
 */
export class ChangeStream {
  readonly streams = new Map<CollectionName, Subject<StreamItem>>();
  private abort: AbortController | undefined;
  private stopped = false;
  private backoff = 1000;

  constructor(
    private readonly transport: SyncTransport,
    private readonly deviceId: string,
    readonly collections: readonly CollectionName[],
    private readonly onConnection: (connected: boolean, error?: unknown) => void,
  ) {
    for (const c of collections) this.streams.set(c, new Subject<StreamItem>());
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    for (const s of this.streams.values()) s.complete();
  }

  private readonly deferred = new Set<CollectionName>();
  /** Tells whether a collection's replication is busy (then a resync waits until it is idle). */
  isBusy: (name: CollectionName) => boolean = () => false;
  /** Whether a collection finished its first sync (until then, changes are pulled, not streamed). */
  firstSyncDone: (name: CollectionName) => boolean = () => true;

  /**
   * Ask every collection to pull again (after (re)connecting, coming back online, or by hand).
   * A collection whose replication is busy gets it once idle: RxDB answers RESYNC by restarting its
   * upstream pass from the stored checkpoint, and restarting it while a pass is still pushing can
   * skip writes that were not sent yet (seen with 1,000 pending writes after a restart).
   */
  resync(): void {
    for (const [name, s] of this.streams) {
      if (this.isBusy(name)) this.deferred.add(name);
      else s.next('RESYNC');
    }
  }

  /** The engine calls this when a collection's replication becomes idle. */
  idle(name: CollectionName): void {
    if (this.deferred.delete(name)) this.streams.get(name)?.next('RESYNC');
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.connectOnce();
        this.backoff = 1000;
      } catch (err) {
        if (this.stopped) return;
        this.onConnection(false, err);
        if (err instanceof SyncHttpError && err.status === 426) return;
      }
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, this.backoff));
      this.backoff = Math.min(this.backoff * 2, 30_000);
    }
  }

  private async connectOnce(): Promise<void> {
    this.abort = new AbortController();
    const path = `/sync/v1/stream?collections=${this.collections.join(',')}`;
    const res = await this.transport.fetch(path, {
      headers: syncHeaders(this.deviceId, { accept: 'text/event-stream' }),
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) throw new SyncHttpError(res.status, `stream refused (${res.status})`);
    this.onConnection(true);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let idx = buffer.indexOf('\n\n');
      while (idx >= 0) {
        this.dispatch(buffer.slice(0, idx));
        buffer = buffer.slice(idx + 2);
        idx = buffer.indexOf('\n\n');
      }
    }
    this.onConnection(false);
  }

  private dispatch(block: string): void {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (!event || !data) return;
    if (event === 'resync') {
      this.resync();
      return;
    }
    if (event === 'changes') {
      const msg = JSON.parse(data) as { collection: CollectionName; documents: LocalDoc[]; checkpoint: PullCheckpoint };
      // During a collection's first sync its checkpoint carries the snapshot bound: a streamed
      // checkpoint would end the first sync early. Pull instead (the first-sync pages come first).
      if (!this.firstSyncDone(msg.collection)) {
        this.streams.get(msg.collection)?.next('RESYNC');
        return;
      }
      this.streams.get(msg.collection)?.next({ documents: msg.documents as never, checkpoint: msg.checkpoint });
    }
  }
}
