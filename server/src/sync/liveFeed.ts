import type { CollectionName } from '@makeplus/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { ChangeHub, ChangeNotice } from './changeHub';
import { toRecord } from './recordStore';
import { inScope, projectionOf, projectRow, type SyncCaller } from './scope';

/** Rows read per collection and round; a longer backlog takes several rounds. */
export const FEED_BATCH = 500;
/**
 * Largest `changes` message, in bytes of JSON: a bigger change set is split into several messages,
 * each with its own checkpoint (a device applies them in order). Well under the stream's buffer
 * limit, so one message never looks like a reader that stopped reading.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** One device's live stream, as the feed sees it. */
export interface LiveStream {
  caller: SyncCaller;
  names: readonly CollectionName[];
  /** Per collection, the last sequence number this stream has been given (set once it said hello). */
  cursors: Map<CollectionName, number>;
  dirty: Set<CollectionName>;
  /** Writes one server-sent event (`data` is JSON already); returns false once the stream is closed. */
  send(event: 'changes' | 'resync', data: string): boolean;
  /** Writes one whole server-sent event already encoded (`changeFrame`); false once the stream is closed. */
  sendFrame(frame: Buffer): boolean;
  /** Whether the connection takes more now (its send buffer is below the high-water mark). */
  canWrite(): boolean;
  /** Wait for the buffer to drain, then ask the feed again (the stream drops a reader that never drains). */
  defer(): void;
  readonly closed: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: the collection is chosen at run time (see recordStore.ts)
type AnyDb = Kysely<any>;

/**
 * Split the documents of one change set into messages of at most `maxBytes` of JSON (a single larger
 * document goes alone). Each message's checkpoint is its last document's sequence number.
 */
export function changeMessages(
  collection: CollectionName,
  documents: readonly Record<string, unknown>[],
  maxBytes = MAX_MESSAGE_BYTES,
): { json: string; lastSeq: number }[] {
  return messagesOfJson(
    collection,
    documents.map((d) => ({ json: JSON.stringify(d), seq: d.seq as number })),
    maxBytes,
  );
}

/** `changeMessages` over documents already in JSON (each with its sequence number). */
function messagesOfJson(
  collection: CollectionName,
  documents: readonly { json: string; seq: number }[],
  maxBytes = MAX_MESSAGE_BYTES,
): { json: string; lastSeq: number }[] {
  const out: { json: string; lastSeq: number }[] = [];
  let parts: string[] = [];
  let size = 0;
  let lastSeq = 0;
  const flush = () => {
    if (!parts.length) return;
    out.push({
      json: `{"collection":${JSON.stringify(collection)},"documents":[${parts.join(',')}],"checkpoint":{"seq":${lastSeq}}}`,
      lastSeq,
    });
    parts = [];
    size = 0;
  };
  for (const d of documents) {
    if (parts.length && size + d.json.length + 1 > maxBytes) flush();
    parts.push(d.json);
    size += d.json.length + 1;
    lastSeq = d.seq;
  }
  flush();
  return out;
}

/** One server-sent event, encoded once: the same bytes can go to every stream that gets them. */
export function changeFrame(json: string): Buffer {
  return Buffer.from(`event: changes\ndata: ${json}\n\n`);
}

/**
 * The live streams of one server instance. A commit notice (pg_notify, from any instance) marks the
 * collection dirty on every stream of the event that follows it; shortly after, each dirty
 * collection is read ONCE from the lowest cursor of its streams, and every stream gets the rows of
 * its own scope, filtered in memory (`inScope`, the predicate of `scopedRows`) and projected for its
 * role. The database cost of a change is one query per collection, whatever the number of streams.
 */
export class LiveFeed {
  private readonly events = new Map<string, { streams: Set<LiveStream>; timer?: NodeJS.Timeout; flushing: boolean }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly hub: ChangeHub,
    private readonly log: { warn: (obj: unknown, msg: string) => void } = console,
  ) {}

  /** Follow an event's changes for this stream; returns the function that stops following. */
  add(stream: LiveStream): () => void {
    const eventId = stream.caller.access.eventId;
    let feed = this.events.get(eventId);
    if (!feed) {
      feed = { streams: new Set<LiveStream>(), flushing: false };
      this.events.set(eventId, feed);
    }
    feed.streams.add(stream);
    // A notice costs no query here: it marks the stream's collections, the flush reads once for all.
    const unsubscribe = this.hub.subscribe(eventId, (notice) => this.onNotice(stream, notice));
    return () => {
      unsubscribe();
      const f = this.events.get(eventId);
      if (!f) return;
      f.streams.delete(stream);
      if (f.streams.size === 0) {
        if (f.timer) clearTimeout(f.timer);
        this.events.delete(eventId);
      }
    };
  }

  /** Schedule a flush of the stream's event (e.g. after it said hello with changes already noticed). */
  touch(stream: LiveStream): void {
    this.schedule(stream.caller.access.eventId);
  }

  private onNotice(stream: LiveStream, notice: ChangeNotice | 'resync'): void {
    if (notice === 'resync') {
      stream.send('resync', '{}');
      return;
    }
    for (const n of stream.names) if (notice.collection === '*' || notice.collection === n) stream.dirty.add(n);
    this.schedule(stream.caller.access.eventId);
  }

  private schedule(eventId: string): void {
    const feed = this.events.get(eventId);
    if (!feed || feed.timer) return;
    feed.timer = setTimeout(() => void this.flush(eventId), 25);
  }

  private async flush(eventId: string): Promise<void> {
    const feed = this.events.get(eventId);
    if (!feed) return;
    feed.timer = undefined;
    if (feed.flushing) return;
    feed.flushing = true;
    try {
      for (;;) {
        // Streams that have said hello (their cursors are set) and wait for a collection.
        const waiting = new Map<CollectionName, LiveStream[]>();
        for (const s of feed.streams) {
          // A stream whose reader is behind waits for its drain (then it is touched again).
          if (s.closed) continue;
          if (!s.canWrite()) {
            if (s.dirty.size) s.defer();
            continue;
          }
          for (const n of s.dirty) {
            if (!s.cursors.has(n)) continue;
            s.dirty.delete(n);
            const list = waiting.get(n) ?? [];
            list.push(s);
            waiting.set(n, list);
          }
        }
        if (waiting.size === 0) break;
        for (const [name, streams] of waiting) await this.deliver(eventId, name, streams);
      }
    } finally {
      feed.flushing = false;
      const again = [...feed.streams].some(
        (s) => !s.closed && s.canWrite() && [...s.dirty].some((n) => s.cursors.has(n)),
      );
      if (again) this.schedule(eventId);
    }
  }

  /** One read of a collection's new rows, handed to every waiting stream in its scope. */
  private async deliver(eventId: string, name: CollectionName, streams: LiveStream[]): Promise<void> {
    const from = Math.min(...streams.map((s) => s.cursors.get(name) as number));
    let rows: Record<string, unknown>[];
    try {
      rows = (await (this.db as unknown as AnyDb)
        .selectFrom(name)
        .selectAll()
        .where('eventId', '=', eventId)
        .where('seq', '>', from)
        .orderBy('seq')
        .limit(FEED_BATCH)
        .execute()) as Record<string, unknown>[];
    } catch (err) {
      this.log.warn({ err }, 'stream flush failed; asking the devices to resync');
      for (const s of streams) s.send('resync', '{}');
      return;
    }
    if (rows.length === 0) return;
    const records = rows.map((r) => toRecord<Record<string, unknown>>(name, r));
    const last = records.at(-1)?.seq as number;
    // Streams that get the same documents (same projection, same rows past their cursor, usually all
    // of them) get the same messages: each document is turned into JSON once per projection and each
    // message encoded once, then its bytes are written to every such stream. (Building them per
    // stream, 200 streams × every changed row, held the event loop for tens of ms per flush.)
    const documentJson = new Map<string, string[]>();
    const framesOf = new Map<string, { frame: Buffer; lastSeq: number }[]>();
    for (const s of streams) {
      if (s.closed) continue;
      const cursor = s.cursors.get(name) as number;
      const picked: number[] = [];
      for (const [i, r] of records.entries())
        if ((r.seq as number) > cursor && inScope(name, s.caller, r)) picked.push(i);
      const projection = projectionOf(name, s.caller.access);
      const key = `${projection}:${picked.join(',')}`;
      let frames = framesOf.get(key);
      if (!frames) {
        let json = documentJson.get(projection);
        if (!json) {
          json = [];
          documentJson.set(projection, json);
        }
        const documents: { json: string; seq: number }[] = [];
        for (const i of picked) {
          const r = records[i] as Record<string, unknown>;
          json[i] ??= JSON.stringify(projectRow(name, s.caller.access, r));
          documents.push({ json: json[i], seq: r.seq as number });
        }
        frames = messagesOfJson(name, documents).map((m) => ({ frame: changeFrame(m.json), lastSeq: m.lastSeq }));
        framesOf.set(key, frames);
      }
      // Messages go out while the connection takes them; the rest waits for its drain (the cursor
      // stays at the last message sent, so nothing is skipped and nothing piles up in memory).
      let sent = true;
      for (const m of frames) {
        if (!s.canWrite() || !s.sendFrame(m.frame)) {
          sent = false;
          break;
        }
        s.cursors.set(name, m.lastSeq);
      }
      if (!sent) {
        s.dirty.add(name);
        s.defer();
        continue;
      }
      if (last > (s.cursors.get(name) as number)) s.cursors.set(name, last);
      if (rows.length === FEED_BATCH) s.dirty.add(name);
    }
  }
}
