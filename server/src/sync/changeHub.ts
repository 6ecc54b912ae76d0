import type { Database } from '../db/database';

/** A change committed in an event: the event's sequence reached `seq`, touching `collection` ('*' if unknown). */
export interface ChangeNotice {
  eventId: string;
  seq: number;
  collection: string;
}

type Listener = (notice: ChangeNotice | 'resync') => void;

/**
 * Fans database change notifications (pg_notify, sent by every server instance at commit) out to
 * this instance's live streams, per event. With several instances on one PostgreSQL, a push to one
 * reaches streams on all of them, with no broker besides the database.
 */
export class ChangeHub {
  private listeners = new Map<string, Set<Listener>>();
  private stop: (() => Promise<void>) | undefined;

  async start(database: Database): Promise<void> {
    this.stop = await database.listen((payload) => {
      if (payload === '*') {
        // (Re)connected to the database: changes may have been missed meanwhile.
        for (const set of this.listeners.values()) for (const l of set) l('resync');
        return;
      }
      const [eventId, seq, collection] = payload.split(':');
      if (!eventId || !seq) return;
      const notice = { eventId, seq: Number(seq), collection: collection ?? '*' };
      for (const l of this.listeners.get(eventId) ?? []) l(notice);
    });
  }

  subscribe(eventId: string, listener: Listener): () => void {
    let set = this.listeners.get(eventId);
    if (!set) {
      set = new Set();
      this.listeners.set(eventId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(eventId);
    };
  }

  get connections(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.stop?.();
  }
}
