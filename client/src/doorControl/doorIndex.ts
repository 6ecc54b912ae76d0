import {
  BADGE_PREFIX,
  type BadgeTrustRecord,
  badgeLookups,
  buildTrustList,
  findParticipant,
  type ParticipantIndex,
  type ParticipantRecord,
  type ResolvedBadge,
  resolveBadge,
  type ScanRecord,
  type TrustList,
  type VerdictEntitlement,
} from '@makeplus/shared';
import type { RxChangeEvent, RxCollection } from 'rxdb';
import { fromDexieToStorage } from 'rxdb/plugins/storage-dexie';
import type { Subscription } from 'rxjs';
import type { DeviceDatabase, LocalDoc } from '../sync/database';
import { checkSignatureNatively, nativeKey } from './nativeSignature';

/**
 * What the door keeps in memory so a verdict never waits on IndexedDB: every participant of the
 * event indexed by each code that can name them, entitlements and scans by person, the trust list.
 * Built once from the local database when the screen opens, then kept current from the
 * collections' change streams (replication, other tabs and this screen's own writes alike).
 */

/** What the door needs of a participant (the verdict's fields, plus what it shows). */
export type DoorParticipant = Pick<
  ParticipantRecord,
  | 'id'
  | 'eventId'
  | 'deleted'
  | 'allowedRoomIds'
  | 'firstName'
  | 'lastName'
  | 'badgeCode'
  | 'userId'
  | 'userLegacyId'
  | 'legacyBadgeId'
  | 'organization'
  | 'category'
>;

/** What the door keeps of a scan fact (the verdict's history, the statistics). */
export type DoorScan = Pick<
  ScanRecord,
  | 'id'
  | 'participantId'
  | 'badgeCode'
  | 'roomId'
  | 'sessionId'
  | 'direction'
  | 'granted'
  | 'reason'
  | 'deviceId'
  | 'occurredAt'
  | 'deleted'
  | 'seq'
>;

type Entitlement = VerdictEntitlement & { id: string };

type Doc = Record<string, unknown>;

export function toDoorParticipant(d: Doc, deleted = false): DoorParticipant {
  return {
    id: d.id as string,
    eventId: d.eventId as string,
    deleted,
    allowedRoomIds: (d.allowedRoomIds as string[] | null | undefined) ?? null,
    firstName: (d.firstName as string) ?? '',
    lastName: (d.lastName as string) ?? '',
    badgeCode: (d.badgeCode as string) ?? '',
    userId: (d.userId as string | null) ?? null,
    userLegacyId: (d.userLegacyId as number) ?? 0,
    legacyBadgeId: (d.legacyBadgeId as string) ?? '',
    organization: (d.organization as string) ?? '',
    category: (d.category as string) ?? '',
  };
}

export function toDoorScan(d: Doc): DoorScan {
  return {
    id: d.id as string,
    participantId: (d.participantId as string | null) ?? null,
    badgeCode: d.badgeCode as string,
    roomId: (d.roomId as string | null) ?? null,
    sessionId: (d.sessionId as string | null) ?? null,
    direction: d.direction as DoorScan['direction'],
    granted: d.granted as boolean,
    reason: d.reason as DoorScan['reason'],
    deviceId: d.deviceId as string,
    occurredAt: d.occurredAt as string,
    deleted: false,
    seq: (d.seq as number) ?? 0,
  };
}

function toEntitlement(d: Doc): Entitlement {
  return {
    id: d.id as string,
    participantId: d.participantId as string,
    sessionId: (d.sessionId as string | null) ?? null,
    status: d.status as Entitlement['status'],
    revoked: d.revoked as boolean,
    deleted: false,
  };
}

function toTrust(d: Doc): BadgeTrustRecord {
  return { ...(d as unknown as BadgeTrustRecord), deleted: false };
}

const participantKeys = (p: DoorParticipant) => ({
  byId: p.id,
  byBadgeCode: p.badgeCode || null,
  byUserId: p.userId,
  byUserLegacyId: p.userLegacyId > 0 ? p.userLegacyId : null,
  byLegacyBadgeId: p.legacyBadgeId ? p.legacyBadgeId.toUpperCase() : null,
});

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function drop<K, V extends { id: string }>(map: Map<K, V[]>, key: K, id: string) {
  const list = map.get(key);
  if (!list) return;
  const i = list.findIndex((v) => v.id === id);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) map.delete(key);
}

export type DoorIndexState = 'loading' | 'ready' | 'failed';

export class DoorIndex {
  readonly participants: ParticipantIndex<DoorParticipant> = {
    byBadgeCode: new Map(),
    byId: new Map(),
    byUserId: new Map(),
    byUserLegacyId: new Map(),
    byLegacyBadgeId: new Map(),
  };
  trust: TrustList = buildTrustList([]);
  readonly #trustRecords = new Map<string, BadgeTrustRecord>();
  readonly #entitlements = new Map<string, Entitlement>();
  readonly #entitlementsByPerson = new Map<string, Entitlement[]>();
  readonly scans = new Map<string, DoorScan>();
  readonly #scansByParticipant = new Map<string, DoorScan[]>();
  readonly #scansByBadge = new Map<string, DoorScan[]>();
  readonly #subscriptions: Subscription[] = [];
  readonly #listeners = new Set<() => void>();
  /** Folded name of each participant record, computed on the first name search (records are replaced, never mutated). */
  readonly #folded = new WeakMap<DoorParticipant, string>();
  #notifyScheduled = false;
  state: DoorIndexState = 'loading';
  failure: string | null = null;
  /** Bumped on every change: what React compares to re-render statistics. */
  version = 0;
  /** How long the first load took (ms), for the performance page. */
  loadMs = 0;

  // --- participants ---------------------------------------------------------------------------

  putParticipant(p: DoorParticipant): void {
    const prev = this.participants.byId.get(p.id);
    if (prev) this.#unindexParticipant(prev);
    const keys = participantKeys(p);
    for (const [mapName, key] of Object.entries(keys) as [keyof typeof keys, string | number | null][]) {
      if (key === null) continue;
      const map = this.participants[mapName] as Map<string | number, DoorParticipant>;
      const holder = map.get(key);
      if (!holder || holder.id === p.id || (holder.deleted && !p.deleted)) map.set(key, p);
    }
  }

  #unindexParticipant(p: DoorParticipant): void {
    const keys = participantKeys(p);
    for (const [mapName, key] of Object.entries(keys) as [keyof typeof keys, string | number | null][]) {
      if (key === null) continue;
      const map = this.participants[mapName] as Map<string | number, DoorParticipant>;
      if (map.get(key)?.id === p.id) map.delete(key);
    }
  }

  /** A registration removed on the server: kept as deleted, so its badge says so (unless a live one shares it). */
  removeParticipant(d: Doc): void {
    this.putParticipant(toDoorParticipant(d, true));
  }

  // --- entitlements ---------------------------------------------------------------------------

  putEntitlement(e: Entitlement): void {
    this.removeEntitlement(e.id);
    this.#entitlements.set(e.id, e);
    push(this.#entitlementsByPerson, e.participantId, e);
  }

  removeEntitlement(id: string): void {
    const prev = this.#entitlements.get(id);
    if (!prev) return;
    this.#entitlements.delete(id);
    drop(this.#entitlementsByPerson, prev.participantId, id);
  }

  entitlementsOf(participantId: string | null): readonly Entitlement[] {
    return participantId ? (this.#entitlementsByPerson.get(participantId) ?? []) : [];
  }

  // --- scans ----------------------------------------------------------------------------------

  /** Add a scan (idempotent by id): from the database, or at once when this door records it. */
  putScan(s: DoorScan): void {
    const prev = this.scans.get(s.id);
    if (prev) {
      // A fact never changes; only its server position arrives later.
      prev.seq = s.seq;
      return;
    }
    this.scans.set(s.id, s);
    if (s.participantId) push(this.#scansByParticipant, s.participantId, s);
    push(this.#scansByBadge, s.badgeCode, s);
  }

  removeScan(id: string): void {
    const prev = this.scans.get(id);
    if (!prev) return;
    this.scans.delete(id);
    if (prev.participantId) drop(this.#scansByParticipant, prev.participantId, id);
    drop(this.#scansByBadge, prev.badgeCode, id);
  }

  /** The scans about one person: by participant id, and by the badge code when it is not yet linked. */
  historyOf(participantId: string | null, badgeCode: string): DoorScan[] {
    const byPerson = participantId ? (this.#scansByParticipant.get(participantId) ?? []) : [];
    const byBadge = this.#scansByBadge.get(badgeCode) ?? [];
    if (!byBadge.length) return byPerson;
    if (!byPerson.length) return byBadge;
    const seen = new Set(byPerson.map((s) => s.id));
    return [...byPerson, ...byBadge.filter((s) => !seen.has(s.id))];
  }

  // --- trust list -----------------------------------------------------------------------------

  #rebuildTrust(): void {
    this.trust = buildTrustList(this.#trustRecords.values());
    // Import the keys for native verification now, not on the first scan.
    for (const key of this.trust.keys.values()) if (key.usable) void nativeKey(key.publicKey);
  }

  /**
   * What must happen before this code's verdict can be decided from memory: null if nothing (the
   * door decides at once), or the native signature check of a badge not seen before (nativeSignature.ts).
   */
  prepare(code: string): Promise<void> | null {
    return checkSignatureNatively(code, this.trust);
  }

  // --- lookups --------------------------------------------------------------------------------

  resolve(code: string): { badge: ResolvedBadge; participant: DoorParticipant | null } {
    const badge = resolveBadge(code, this.trust);
    return { badge, participant: findParticipant(this.participants, badgeLookups(badge)) };
  }

  /** People whose name (or organization) contains every word of the query, for manual entry. */
  searchByName(query: string, limit = 8): DoorParticipant[] {
    // A signed badge code typed or delivered into the field is not a name: no search over everyone.
    if (query.trim().startsWith(`${BADGE_PREFIX}.`)) return [];
    const words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const out: DoorParticipant[] = [];
    for (const p of this.participants.byId.values()) {
      if (p.deleted) continue;
      let hay = this.#folded.get(p);
      if (hay === undefined) {
        hay = fold(`${p.firstName} ${p.lastName} ${p.organization}`);
        this.#folded.set(p, hay);
      }
      if (words.every((w) => hay.includes(w))) {
        out.push(p);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  // --- live updates ---------------------------------------------------------------------------

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Listeners hear about changes at most once per frame (replication brings thousands at a time). */
  changed(): void {
    this.version++;
    if (this.#notifyScheduled) return;
    this.#notifyScheduled = true;
    const run = () => {
      this.#notifyScheduled = false;
      for (const l of this.#listeners) l();
    };
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden)
      requestAnimationFrame(run);
    else setTimeout(run, 16);
  }

  /**
   * Load everything from the local database and follow its changes. The change streams are joined
   * first and their events held until the load is done, so nothing that lands meanwhile is missed.
   */
  async open(db: DeviceDatabase): Promise<void> {
    const started = performance.now();
    const held: (() => void)[] = [];
    let loaded = false;
    const follow = (name: keyof DeviceDatabase['collections'], apply: (ev: RxChangeEvent<LocalDoc>) => void) => {
      const collection = db.collections[name] as RxCollection<LocalDoc> | undefined;
      if (!collection) return;
      this.#subscriptions.push(
        collection.$.subscribe((ev: RxChangeEvent<LocalDoc>) => {
          if (loaded) {
            apply(ev);
            this.changed();
          } else held.push(() => apply(ev));
        }),
      );
    };
    follow('participants', (ev) => {
      if (ev.operation === 'DELETE') this.removeParticipant(ev.documentData);
      else this.putParticipant(toDoorParticipant(ev.documentData));
    });
    follow('entitlements', (ev) => {
      if (ev.operation === 'DELETE') this.removeEntitlement(ev.documentId);
      else this.putEntitlement(toEntitlement(ev.documentData));
    });
    follow('scans', (ev) => {
      if (ev.operation === 'DELETE') this.removeScan(ev.documentId);
      else this.putScan(toDoorScan(ev.documentData));
    });
    follow('badgeTrust', (ev) => {
      if (ev.operation === 'DELETE') this.#trustRecords.delete(ev.documentId);
      else this.#trustRecords.set(ev.documentId, toTrust(ev.documentData));
      this.#rebuildTrust();
    });

    try {
      const all = async (name: keyof DeviceDatabase['collections']) => {
        const collection = db.collections[name] as RxCollection<LocalDoc> | undefined;
        return collection ? readAll(collection) : ([] as Doc[]);
      };
      const [participants, entitlements, scans, trust] = await Promise.all([
        all('participants'),
        all('entitlements'),
        all('scans'),
        all('badgeTrust'),
      ]);
      for (const d of participants) this.putParticipant(toDoorParticipant(d));
      for (const d of entitlements) this.putEntitlement(toEntitlement(d));
      for (const d of scans) this.putScan(toDoorScan(d));
      for (const d of trust) this.#trustRecords.set(d.id as string, toTrust(d));
      this.#rebuildTrust();
      for (const apply of held) apply();
      held.length = 0;
      loaded = true;
      this.state = 'ready';
      this.loadMs = performance.now() - started;
      performance.measure('door:index-load', {
        start: started,
        duration: this.loadMs,
        detail: { participants: this.participants.byId.size, scans: this.scans.size },
      });
    } catch (err) {
      this.state = 'failed';
      this.failure = err instanceof Error ? err.message : String(err);
    }
    this.changed();
  }

  close(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#subscriptions.length = 0;
    this.#listeners.clear();
  }
}

/** What RxDB's Dexie storage keeps behind a collection (its `internals`). */
interface DexieInternals {
  dexieTable: { toArray(): Promise<Doc[]> };
  booleanIndexes: string[];
}

/**
 * Every live document of a collection, as plain data, in one read. On RxDB's Dexie storage (the
 * app's) this is one IndexedDB `getAll` on the collection's table: `find().exec()` walks a cursor
 * one document at a time and builds an RxDocument for each, which took ~17 s for 100,000
 * participants on the bench machine. Other storages (the unit tests' memory storage) use the query.
 */
export async function readAll(collection: RxCollection<LocalDoc>): Promise<Doc[]> {
  const internals = (await (collection.storageInstance as { internals?: unknown }).internals) as
    | Partial<DexieInternals>
    | undefined;
  if (internals?.dexieTable && Array.isArray(internals.booleanIndexes)) {
    const booleanIndexes = internals.booleanIndexes;
    const rows = await internals.dexieTable.toArray();
    const out: Doc[] = [];
    for (const row of rows) {
      const d = fromDexieToStorage(booleanIndexes, row) as Doc;
      if (!d._deleted) out.push(d);
    }
    return out;
  }
  const docs = await collection.find().exec();
  return docs.map((d) => d.toJSON() as Doc);
}

/** Lower case without accents, for name search. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
