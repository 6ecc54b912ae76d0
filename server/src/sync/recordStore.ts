import { type CollectionName, newId } from '@makeplus/shared';
import { type Kysely, sql, type Transaction } from 'kysely';
import { CHANGES_CHANNEL } from '../db/database';
import { type DB, generatedColumns, jsonColumns, serverOnlyColumns } from '../db/schema';
import { conflict, notFound } from '../http/errors';

/**
 * The one write path for synced records. Every insert, update and delete of a synced table goes
 * through here, so that each change:
 *  1. takes the next numbers of its event's change sequence, under that event's row lock, which
 *     makes sequence numbers visible in commit order (a pull never skips a committed change);
 *  2. is written to the audit trail in the same transaction;
 *  3. wakes every server instance's live streams at commit (pg_notify).
 */

export type Executor = Kysely<DB> | Transaction<DB>;
export type SyncedTable = CollectionName;

export interface WriteContext {
  actor: { kind: string; id: string | null; label: string };
  via: 'rest' | 'mobile' | 'sync' | 'system';
  deviceId?: string | null;
  ip?: string;
  /** When it happened on the device (offline writes); defaults to now. */
  occurredAt?: string;
}

export const systemContext: WriteContext = { actor: { kind: 'system', id: null, label: 'system' }, via: 'system' };

// Kysely cannot type a query over a table chosen at run time; the record shapes are checked by the
// shared zod schemas at the edges instead.
// biome-ignore lint/suspicious/noExplicitAny: dynamic table name, see above
type AnyDb = Kysely<any>;
const dyn = (ex: Executor) => ex as unknown as AnyDb;

/** Reserve `count` sequence numbers of an event; returns the first. Holds the event's lock until commit. */
export async function allocateSeq(trx: Executor, eventId: string, count = 1, table = '*'): Promise<number> {
  const row = await trx
    .updateTable('eventSyncState')
    .set((eb) => ({ lastSeq: eb('lastSeq', '+', count) }))
    .where('eventId', '=', eventId)
    .returning('lastSeq')
    .executeTakeFirst();
  if (!row) throw notFound('Event');
  await sql`select pg_notify(${CHANGES_CHANNEL}, ${`${eventId}:${row.lastSeq}:${table}`})`.execute(trx);
  return row.lastSeq - count + 1;
}

/** The event's last committed sequence number (what a snapshot is consistent with). */
export async function currentSeq(ex: Executor, eventId: string): Promise<number> {
  const row = await ex.selectFrom('eventSyncState').select('lastSeq').where('eventId', '=', eventId).executeTakeFirst();
  return row?.lastSeq ?? 0;
}

export function toRecord<T>(table: SyncedTable, row: Record<string, unknown>): T {
  const hidden = serverOnlyColumns[table];
  if (!hidden) return row as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!hidden.includes(k)) out[k] = v;
  return out as T;
}

function toColumns(table: SyncedTable, values: Record<string, unknown>): Record<string, unknown> {
  const json = jsonColumns[table] ?? [];
  const generated = generatedColumns[table] ?? [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || generated.includes(k)) continue;
    out[k] = json.includes(k) && v !== null ? JSON.stringify(v) : v;
  }
  return out;
}

/**
 * Append entries to the audit trail (in the caller's transaction). Synced records are audited by the
 * functions below; a write to a table that is not synced (device enrolment, permission adjustments)
 * calls this itself, with its table's name as `collection`.
 */
export async function audit(
  trx: Executor,
  table: string,
  eventId: string,
  action: 'create' | 'update' | 'delete',
  rows: { id: string; before: unknown; after: unknown }[],
  ctx: WriteContext,
): Promise<void> {
  if (rows.length === 0) return;
  const fallbackTime = ctx.occurredAt ?? new Date().toISOString();
  // A fact keeps its own device time; other changes take the context's.
  const timeOf = (r: { after: unknown }) =>
    ((r.after as { occurredAt?: unknown } | null)?.occurredAt as string | undefined) ?? fallbackTime;
  const CHUNK = 500;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('auditLog')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          eventId,
          actorKind: ctx.actor.kind,
          actorId: ctx.actor.id,
          actorLabel: ctx.actor.label,
          deviceId: ctx.deviceId ?? null,
          via: ctx.via,
          action,
          collection: table,
          recordId: r.id,
          before: r.before === null ? null : JSON.stringify(r.before),
          after: r.after === null ? null : JSON.stringify(r.after),
          occurredAt: timeOf(r),
          ip: ctx.ip ?? '',
        })),
      )
      .execute();
  }
}

/**
 * Insert new records of one event. Fields missing from `values` take the table's defaults.
 * With `onConflictDoNothing`, ids the server already holds are skipped (idempotent fact pushes);
 * only the rows actually inserted are returned.
 */
export async function insertRecords<T extends { id: string }>(
  trx: Executor,
  table: SyncedTable,
  eventId: string,
  values: readonly Record<string, unknown>[],
  ctx: WriteContext,
  options: { onConflictDoNothing?: boolean } = {},
): Promise<T[]> {
  if (values.length === 0) return [];
  const first = await allocateSeq(trx, eventId, values.length, table);
  const now = new Date().toISOString();
  const rows = values.map((v, i) =>
    toColumns(table, {
      ...v,
      id: (v.id as string | undefined) ?? newId(),
      eventId,
      seq: first + i,
      // A document created offline and edited there keeps its device revision.
      rev: typeof v.rev === 'number' && v.rev >= 1 ? v.rev : 1,
      createdAt: (v.createdAt as string | undefined) ?? now,
      updatedAt: now,
      deleted: v.deleted ?? false,
    }),
  );
  const inserted: T[] = [];
  const CHUNK = 500;
  for (let i = 0; i < rows.length; i += CHUNK) {
    let q = dyn(trx)
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK));
    if (options.onConflictDoNothing) q = q.onConflict((oc) => oc.column('id').doNothing());
    const out = (await q.returningAll().execute()) as Record<string, unknown>[];
    for (const r of out) inserted.push(toRecord<T>(table, r));
  }
  await audit(
    trx,
    table,
    eventId,
    'create',
    inserted.map((r) => ({ id: r.id, before: null, after: r })),
    ctx,
  );
  return inserted;
}

export async function insertRecord<T extends { id: string }>(
  trx: Executor,
  table: SyncedTable,
  eventId: string,
  values: Record<string, unknown>,
  ctx: WriteContext,
): Promise<T> {
  const [row] = await insertRecords<T>(trx, table, eventId, [values], ctx);
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function findRecord<T>(
  ex: Executor,
  table: SyncedTable,
  eventId: string,
  id: string,
  options: { includeDeleted?: boolean; forUpdate?: boolean } = {},
): Promise<T | undefined> {
  let q = dyn(ex).selectFrom(table).selectAll().where('eventId', '=', eventId).where('id', '=', id);
  if (!options.includeDeleted) q = q.where('deleted', '=', false);
  if (options.forUpdate) q = q.forUpdate();
  const row = (await q.executeTakeFirst()) as Record<string, unknown> | undefined;
  return row ? toRecord<T>(table, row) : undefined;
}

/**
 * Change an existing record. With `expectedRev`, the change applies only to that revision; otherwise
 * 409 with the server's current record (the caller edited a stale copy).
 */
export async function updateRecord<T extends { id: string; rev: number }>(
  trx: Executor,
  table: SyncedTable,
  eventId: string,
  id: string,
  patch: Record<string, unknown>,
  ctx: WriteContext,
  expectedRev?: number,
  options: { action?: 'update' | 'delete'; newRev?: number } = {},
): Promise<T> {
  const action = options.action ?? 'update';
  const before = await findRecord<T>(trx, table, eventId, id, { forUpdate: true, includeDeleted: action === 'update' });
  if (!before || (before as unknown as { deleted: boolean }).deleted) throw notFound(label(table));
  if (expectedRev !== undefined && before.rev !== expectedRev) {
    throw conflict(
      `This ${label(table).toLowerCase()} was changed by someone else (revision ${before.rev}, yours ${expectedRev})`,
      { current: before },
    );
  }
  const seq = await allocateSeq(trx, eventId, 1, table);
  const { id: _i, eventId: _e, seq: _s, rev: _r, createdAt: _c, ...fields } = patch;
  const row = (await dyn(trx)
    .updateTable(table)
    // A device that edited offline several times sends its own revision; keep it so its copy and
    // the server's agree without waiting for the next pull.
    .set({
      ...toColumns(table, fields),
      seq,
      rev: Math.max(before.rev + 1, options.newRev ?? 0),
      updatedAt: new Date().toISOString(),
    })
    .where('eventId', '=', eventId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as Record<string, unknown>;
  const after = toRecord<T>(table, row);
  await audit(trx, table, eventId, action, [{ id, before, after }], ctx);
  return after;
}

/** Soft delete: the deletion replicates like any other change. */
export function softDeleteRecord<T extends { id: string; rev: number }>(
  trx: Executor,
  table: SyncedTable,
  eventId: string,
  id: string,
  ctx: WriteContext,
  expectedRev?: number,
): Promise<T> {
  return updateRecord<T>(trx, table, eventId, id, { deleted: true }, ctx, expectedRev, { action: 'delete' });
}

function label(table: SyncedTable): string {
  const singular = table.replace(/ies$/, 'y').replace(/s$/, '');
  return (
    singular.charAt(0).toUpperCase() +
    singular
      .slice(1)
      .replace(/([A-Z])/g, ' $1')
      .toLowerCase()
  );
}
