import { type CollectionName, newId } from '@makeplus/shared';
import { CompiledQuery, type Kysely, sql, type Transaction } from 'kysely';
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
  // One round trip: the counter's new value and its announcement (delivered at commit).
  const { rows } = await sql<{ lastSeq: number }>`
    update event_sync_state set last_seq = last_seq + ${count}::bigint where event_id = ${eventId}
    returning last_seq, pg_notify(${CHANGES_CHANNEL}, ${`${eventId}:`} || last_seq || ${`:${table}`})`.execute(trx);
  const row = rows[0];
  if (!row) throw notFound('Event');
  return Number(row.lastSeq) - count + 1;
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

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Per table, the SQL that turns an inserted row (`ins`) into the audit trail's `after`: the record as
 * the API returns it (camelCase keys, server-only columns left out, instants in ISO-8601 with
 * milliseconds and Z), so the trail reads the same whether it was written from SQL or from JS.
 * Read once per table from the catalogue.
 */
const auditAfterSql = new Map<string, Promise<{ after: string; occurredAt: string | null }>>();
function afterExpression(trx: Executor, table: SyncedTable): Promise<{ after: string; occurredAt: string | null }> {
  // Every database this process opens has run the same migrations: one cache per table.
  const perDb = auditAfterSql;
  let found = perDb.get(table);
  if (!found) {
    found = (async () => {
      const columns = (
        await sql<{ name: string; type: string }>`
          select column_name as name, data_type as type from information_schema.columns
          where table_schema = current_schema() and table_name = ${snake(table)} order by ordinal_position`.execute(trx)
      ).rows;
      if (columns.length === 0) throw new Error(`no columns for ${table}`);
      const hidden = serverOnlyColumns[table] ?? [];
      const pairs = columns
        .filter((c) => !hidden.includes(camel(c.name)))
        .map((c) => {
          const ref = `ins.${c.name}`;
          const value = c.type.startsWith('timestamp')
            ? `to_char(${c.type.includes('with time zone') ? `${ref} at time zone 'UTC'` : ref}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
            : ref;
          return `'${camel(c.name)}', ${value}`;
        });
      // jsonb_build_object takes at most 100 arguments: 40 columns per call, joined.
      const chunks: string[] = [];
      for (let i = 0; i < pairs.length; i += 40)
        chunks.push(`jsonb_build_object(${pairs.slice(i, i + 40).join(', ')})`);
      return {
        after: chunks.join(' || '),
        occurredAt: columns.some((c) => c.name === 'occurred_at') ? 'ins.occurred_at' : null,
      };
    })();
    found.catch(() => perDb?.delete(table));
    perDb.set(table, found);
  }
  return found;
}

/** Rows per insert statement (one statement per chunk; PostgreSQL takes at most 65,535 parameters). */
export const INSERT_CHUNK = 500;

/**
 * Insert new records of one event. Fields missing from `values` take the table's defaults.
 * With `onConflictDoNothing`, ids the server already holds are skipped (idempotent fact pushes);
 * only the rows actually inserted are returned.
 *
 * One statement per chunk of 500 does everything: it takes the chunk's sequence numbers (locking
 * the event's counter row until commit, see above), announces them (pg_notify, delivered at
 * commit), inserts the rows and writes one audit entry per row actually inserted. The lock is thus
 * taken by the last round trip before the caller's derivations and commit, not held across several.
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
  const audited = await afterExpression(trx, table);
  const now = new Date().toISOString();
  const fallbackTime = ctx.occurredAt ?? now;
  const rows = values.map((v) =>
    toColumns(table, {
      ...v,
      id: (v.id as string | undefined) ?? newId(),
      eventId,
      // A document created offline and edited there keeps its device revision.
      rev: typeof v.rev === 'number' && v.rev >= 1 ? v.rev : 1,
      createdAt: (v.createdAt as string | undefined) ?? now,
      updatedAt: now,
      deleted: v.deleted ?? false,
    }),
  );
  const inserted: T[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const columns = [...new Set(chunk.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'seq');
    // Written as text with numbered parameters: up to 500 × the table's columns values, too many to
    // build and transform as query nodes on every push.
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const tuples = chunk.map(
      (r, k) =>
        `(${columns.map((c) => (r[c] !== undefined ? p(r[c]) : 'default')).join(', ')}, (select last_seq from s) - ${chunk.length - 1 - k})`,
    );
    const occurredAt = audited.occurredAt
      ? `coalesce(${audited.occurredAt}, ${p(fallbackTime)}::timestamptz)`
      : `${p(fallbackTime)}::timestamptz`;
    const text = `
      with s as (
        update event_sync_state set last_seq = last_seq + ${chunk.length} where event_id = ${p(eventId)}
        returning last_seq, pg_notify(${p(CHANGES_CHANNEL)}, ${p(`${eventId}:`)} || last_seq || ${p(`:${table}`)})
      ),
      ins as (
        insert into "${snake(table)}" (${columns.map((c) => `"${snake(c)}"`).join(', ')}, seq)
        values ${tuples.join(', ')}${options.onConflictDoNothing ? ' on conflict (id) do nothing' : ''}
        returning *
      ),
      aud as (
        insert into audit_log (event_id, actor_kind, actor_id, actor_label, device_id, via, action, collection,
                               record_id, before, after, occurred_at, ip)
        select ins.event_id, ${p(ctx.actor.kind)}, ${p(ctx.actor.id)}::uuid, ${p(ctx.actor.label)}, ${p(ctx.deviceId ?? null)},
               ${p(ctx.via)}, 'create', ${p(table)}, ins.id::text, null, ${audited.after}, ${occurredAt}, ${p(ctx.ip ?? '')}
        from ins
      )
      select * from ins`;
    const statement = CompiledQuery.raw(text, params);
    let result: { rows: Record<string, unknown>[] };
    try {
      result = await trx.executeQuery<Record<string, unknown>>(statement);
    } catch (err) {
      // No counter row, so no sequence number: the event does not exist.
      if ((err as { code?: string; column?: string }).code === '23502' && /\bseq\b/.test(String(err)))
        throw notFound('Event');
      throw err;
    }
    for (const r of result.rows) inserted.push(toRecord<T>(table, r));
  }
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
