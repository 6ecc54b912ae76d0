import { type CollectionName, type CollectionSpec, collections, newId, type RecordOf } from '@makeplus/shared';
import type { RxCollection, RxDocument } from 'rxdb';
import type { DeviceDatabase, LocalDoc } from './database';

/**
 * The only way screens write synced data. Each write is validated with the shared schema (what the
 * server will check too), lands in IndexedDB before the promise resolves (so the UI confirms only
 * what is stored), and is marked `seq: 0` (pending) until the server's copy comes back.
 */
type Fields<N extends CollectionName> = Omit<
  RecordOf<N>,
  'id' | 'eventId' | 'seq' | 'rev' | 'createdAt' | 'updatedAt' | 'deleted' | 'deviceId' | 'occurredAt' | 'receivedAt'
> &
  Partial<Pick<RecordOf<N>, Extract<'id' | 'occurredAt', keyof RecordOf<N>>>>;

/** Where a screen writes: the device database, its event and this device's id. */
export interface LocalStore {
  db: DeviceDatabase;
  eventId: string;
  deviceId: string;
}

function collectionOf(db: DeviceDatabase, name: CollectionName): RxCollection<LocalDoc> {
  const c = db.collections[name];
  if (!c) throw new Error(`this device does not keep ${name}`);
  return c as RxCollection<LocalDoc>;
}

function validated(name: CollectionName, doc: Record<string, unknown>): LocalDoc {
  const spec = collections[name] as CollectionSpec;
  const parsed = spec.schema.parse({ ...doc, deleted: false }) as Record<string, unknown>;
  const { deleted: _d, ...rest } = parsed;
  return rest as LocalDoc;
}

/** Record an append-only fact (a scan, a sale, a lead scan…) with this device's id and clock. */
export async function recordFact<N extends CollectionName>(
  { db, eventId, deviceId }: LocalStore,
  name: N,
  fields: Fields<N>,
): Promise<RecordOf<N>> {
  const now = new Date().toISOString();
  const doc = validated(name, {
    id: newId(),
    occurredAt: now,
    ...fields,
    eventId,
    seq: 0,
    rev: 1,
    createdAt: now,
    updatedAt: now,
    deviceId,
    receivedAt: null,
  });
  await collectionOf(db, name).insert(doc);
  return doc as unknown as RecordOf<N>;
}

/** Record several facts in one IndexedDB transaction. */
export async function recordFacts<N extends CollectionName>(
  { db, eventId, deviceId }: LocalStore,
  name: N,
  list: Fields<N>[],
): Promise<RecordOf<N>[]> {
  const now = new Date().toISOString();
  const docs = list.map((fields) =>
    validated(name, {
      id: newId(),
      occurredAt: now,
      ...fields,
      eventId,
      seq: 0,
      rev: 1,
      createdAt: now,
      updatedAt: now,
      deviceId,
      receivedAt: null,
    }),
  );
  const result = await collectionOf(db, name).bulkInsert(docs);
  if (result.error.length) throw new Error(`could not store ${result.error.length} of ${docs.length} records`);
  return docs as unknown as RecordOf<N>[];
}

/** Create an editable record (a walk-in participant, a lead, a question…). */
export async function createRecord<N extends CollectionName>(
  { db, eventId }: LocalStore,
  name: N,
  fields: Fields<N>,
): Promise<RecordOf<N>> {
  const now = new Date().toISOString();
  const doc = validated(name, { id: newId(), ...fields, eventId, seq: 0, rev: 1, createdAt: now, updatedAt: now });
  await collectionOf(db, name).insert(doc);
  return doc as unknown as RecordOf<N>;
}

/** Edit a record: its revision moves on (the server checks it) and it is pending again. */
export async function editRecord<N extends CollectionName>(
  { db }: LocalStore,
  name: N,
  doc: RxDocument<LocalDoc>,
  patch: Partial<RecordOf<N>>,
): Promise<RecordOf<N>> {
  const current = doc.getLatest().toMutableJSON() as LocalDoc;
  const next = validated(name, {
    ...current,
    ...patch,
    id: current.id,
    eventId: current.eventId,
    rev: current.rev + 1,
    seq: 0,
    updatedAt: new Date().toISOString(),
  });
  const {
    _meta: _m,
    _rev: _r,
    _attachments: _a,
    ...clean
  } = next as LocalDoc & { _meta?: unknown; _rev?: unknown; _attachments?: unknown };
  await collectionOf(db, name).upsert(clean as LocalDoc);
  return clean as unknown as RecordOf<N>;
}

/**
 * Delete a record (a soft delete that replicates). One write: the next revision, deleted. (Bumping
 * the revision in a write of its own pushed a change the server saw as a retry of what it held, so
 * the deletion that followed assumed a revision the server never had and came back as a conflict,
 * undeleted.)
 */
export async function removeRecord(doc: RxDocument<LocalDoc>): Promise<void> {
  await doc.getLatest().incrementalModify((data) => {
    const next = data as LocalDoc & { _deleted?: boolean };
    next.rev = (next.rev as number) + 1;
    next.seq = 0;
    next.updatedAt = new Date().toISOString();
    next._deleted = true;
    return next;
  });
}
