import {
  type Checkpoint,
  type CollectionName,
  type CollectionSpec,
  collections,
  type PullResponse,
  type PushRow,
  type SnapshotInfo,
} from '@makeplus/shared';
import type { Kysely } from 'kysely';
import { actorOf } from '../accounts/principal';
import type { DB } from '../db/schema';
import { AppError, validationError, writeRefused, zodFieldErrors } from '../http/errors';
import { type SyncHooks, syncHooks } from './derivations';
import {
  currentSeq,
  findRecord,
  INSERT_CHUNK,
  insertRecord,
  insertRecords,
  toRecord,
  updateRecord,
  type WriteContext,
} from './recordStore';
import { isWritable, projectRow, readScope, type SyncCaller, scopedRows, writeScope } from './scope';

type Doc = Record<string, unknown> & { id: string; rev: number };

/** Fields that only the server sets; a pushed value is ignored (or checked). */
const SERVER_FIELDS = ['seq', 'legacyId', 'receivedAt'] as const;
/** Fields left out when deciding whether two versions of a document say the same thing. */
const META_FIELDS = new Set(['seq', 'rev', 'createdAt', 'updatedAt', 'receivedAt', 'legacyId']);

function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !META_FIELDS.has(k)));
  for (const k of keys) if (JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) return false;
  return true;
}

export const MAX_PULL = 5000;

/**
 * The generic replication of every synced collection (see docs/sync-protocol.md):
 * - pull: documents after a checkpoint, in change-sequence order, within the caller's scope;
 * - push: facts are inserted once whatever the retries; editable documents are revision-checked and
 *   a stale edit gets the server's state back as a conflict;
 * - snapshot: the whole scope for a device's first sync.
 */
export function syncService(db: Kysely<DB>, hooks: SyncHooks = syncHooks) {
  function spec(name: CollectionName): CollectionSpec {
    return collections[name] as CollectionSpec;
  }

  /** Validate a pushed document and set what only the server decides. */
  function normalize(
    name: CollectionName,
    caller: SyncCaller,
    raw: Record<string, unknown>,
    index: number,
    now: string,
  ): Doc {
    const s = spec(name);
    if (raw.eventId !== caller.access.eventId)
      throw writeRefused(`documents[${index}] belongs to another event`, `documents[${index}].eventId`);
    const doc: Record<string, unknown> = { ...raw, seq: 0 };
    if ('legacyId' in s.schema.shape) doc.legacyId = 0;
    // Arrival time is the server's to say (facts, and editable records that keep one, like flags).
    if ('receivedAt' in s.schema.shape) doc.receivedAt = now;
    const parsed = s.schema.safeParse(doc);
    if (!parsed.success) throw validationError(zodFieldErrors(parsed.error, `documents[${index}]`));
    const out = parsed.data as Doc;
    if (!isWritable(name, caller, out))
      throw writeRefused(`documents[${index}] is outside what your role may write`, `documents[${index}]`);
    const issues = hooks.validate?.[name]?.(out) ?? [];
    if (issues.length)
      throw validationError(issues.map((i) => ({ field: `documents[${index}].${i.field}`, reason: i.reason })));
    return out;
  }

  function writeContext(caller: SyncCaller, ip: string, occurredAt?: string): WriteContext {
    return {
      actor: actorOf(caller.access.principal),
      via: 'sync',
      deviceId: caller.deviceId,
      ip,
      ...(occurredAt ? { occurredAt } : {}),
    };
  }

  function withoutServerFields(doc: Doc): Record<string, unknown> {
    const out: Record<string, unknown> = { ...doc };
    for (const f of SERVER_FIELDS) if (f !== 'receivedAt') delete out[f];
    return out;
  }

  return {
    async pull(
      name: CollectionName,
      caller: SyncCaller,
      after: number,
      limit: number,
      upTo?: number,
    ): Promise<PullResponse<Record<string, unknown>>> {
      readScope(name, caller.access);
      let q = scopedRows(db, name, caller).where('seq', '>', after);
      // During a first sync: a fixed upper bound and no tombstones (see docs/sync-protocol.md).
      if (upTo !== undefined) q = q.where('seq', '<=', upTo).where('deleted', '=', false);
      const rows = (await q.orderBy('seq').limit(Math.min(limit, MAX_PULL)).execute()) as Record<string, unknown>[];
      const documents = rows.map((r) => projectRow(name, caller.access, stripHidden(name, r)));
      const last = documents.at(-1);
      const checkpoint: Checkpoint | null = last ? { seq: last.seq as number } : after > 0 ? { seq: after } : null;
      return { documents, checkpoint };
    },

    async push(
      name: CollectionName,
      caller: SyncCaller,
      rows: PushRow<Record<string, unknown>>[],
      ip: string,
    ): Promise<Record<string, unknown>[]> {
      writeScope(name, caller.access);
      const s = spec(name);
      const now = new Date().toISOString();
      // Everything is validated before anything is written: a bad batch writes nothing.
      const docs = rows.map((r, i) => normalize(name, caller, r.newDocumentState, i, now));
      const conflicts: Record<string, unknown>[] = [];
      if (docs.length === 0) return conflicts;
      let insertedFacts: Doc[] = [];

      const derive = hooks.afterFacts?.[name] && (hooks.factsDerive?.[name]?.(docs) ?? true);
      if (s.policy === 'fact' && !derive && docs.length <= INSERT_CHUNK) {
        // Nothing to derive: one autocommitted statement takes the sequence numbers, inserts what is
        // new and audits it; the event's lock lives only inside that statement and its commit.
        insertedFacts = await insertRecords<Doc>(
          db,
          name,
          caller.access.eventId,
          docs.map(withoutServerFields),
          writeContext(caller, ip),
          { onConflictDoNothing: true },
        );
      } else
        await db.transaction().execute(async (trx) => {
          if (s.policy === 'fact') {
            // One statement takes the batch's sequence numbers, inserts what is new and audits it.
            const inserted = await insertRecords<Doc>(
              trx,
              name,
              caller.access.eventId,
              docs.map(withoutServerFields),
              writeContext(caller, ip),
              {
                onConflictDoNothing: true,
              },
            );
            await hooks.afterFacts?.[name]?.(trx, inserted, caller, writeContext(caller, ip));
            insertedFacts = inserted;
            return;
          }
          const written: { record: Doc; before: Doc | null }[] = [];
          for (const [i, doc] of docs.entries()) {
            const assumed = rows[i]?.assumedMasterState as Doc | null | undefined;
            const current = await findRecord<Doc>(trx, name, caller.access.eventId, doc.id, {
              includeDeleted: true,
              forUpdate: true,
            });
            const ctx = writeContext(caller, ip, doc.updatedAt as string | undefined);
            const check = async (held: Doc | null) => {
              const issues = (await hooks.checkWrite?.[name]?.(trx, doc, held, caller)) ?? [];
              if (issues.length)
                throw validationError(issues.map((x) => ({ field: `documents[${i}].${x.field}`, reason: x.reason })));
            };
            if (!current) {
              await check(null);
              const values = withoutServerFields(doc);
              const prepared = (await hooks.beforeInsert?.[name]?.(trx, values, caller)) ?? values;
              const record = await insertRecord<Doc>(trx, name, caller.access.eventId, prepared, ctx);
              written.push({ record, before: null });
              continue;
            }
            if (!isWritable(name, caller, current))
              throw writeRefused(`documents[${i}] is outside what your role may write`, `documents[${i}]`);
            if (sameContent(current, doc)) continue; // a retry of a write the server already holds
            if (assumed && assumed.rev === current.rev) {
              await check(current);
              const record = await updateRecord<Doc>(
                trx,
                name,
                caller.access.eventId,
                doc.id,
                withoutServerFields(doc),
                ctx,
                current.rev,
                {
                  newRev: doc.rev,
                },
              );
              written.push({ record, before: current });
            } else {
              conflicts.push(projectRow(name, caller.access, current));
            }
          }
          if (written.length) await hooks.afterEdits?.[name]?.(trx, written, caller, writeContext(caller, ip));
        });
      if (s.policy !== 'fact') return conflicts;
      // Facts: the answer is the stored copy of every pushed fact (RxDB's contract: the master state
      // wherever it differs from what was sent; the server completed it with seq and arrival time).
      // Waiting for the stream instead races RxDB, which skips a server copy arriving before it has
      // noted the push, so the fact would stay "pending" on the device for good. Facts are never
      // edited, so answering them cannot overwrite a newer local change; editable records get only
      // their conflicts (an edit made while the push was in flight must not be replaced).
      // The rows just inserted come back from the insert itself; only the ids the server already held
      // (a retried batch) are read, so a replay answers exactly what the first push answered.
      const fresh = new Set(insertedFacts.map((d) => d.id));
      const held = [...new Set(docs.map((d) => d.id).filter((id) => !fresh.has(id)))];
      const stored: Record<string, unknown>[] = [...insertedFacts];
      if (held.length)
        stored.push(
          ...((await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
            .selectFrom(name)
            .selectAll()
            .where('eventId', '=', caller.access.eventId)
            .where('id', 'in', held)
            .execute()) as Record<string, unknown>[]),
        );
      return stored.map((r) => projectRow(name, caller.access, stripHidden(name, r)));
    },

    /**
     * First sync: the event's position now and the live documents per collection up to it. The device
     * then pulls each collection with `upTo` = this position; documents changed meanwhile carry a
     * higher sequence and arrive by the ordinary pulls that follow. No long transaction is held.
     */
    async snapshot(names: readonly CollectionName[], caller: SyncCaller): Promise<SnapshotInfo> {
      for (const n of names) readScope(n, caller.access);
      const seq = await currentSeq(db, caller.access.eventId);
      const counts: Record<string, number> = {};
      for (const n of names) {
        const row = (await scopedRows(db, n, caller)
          .clearSelect()
          .select((eb) => eb.fn.countAll().as('n'))
          .where('seq', '<=', seq)
          .where('deleted', '=', false)
          .executeTakeFirst()) as { n: unknown } | undefined;
        counts[n] = Number(row?.n ?? 0);
      }
      return { seq, counts };
    },

    currentSeq(eventId: string) {
      return currentSeq(db, eventId);
    },
  };
}
export type SyncService = ReturnType<typeof syncService>;

function stripHidden(name: CollectionName, row: Record<string, unknown>): Record<string, unknown> {
  return toRecord<Record<string, unknown>>(name, row);
}

export class UpgradeRequired extends AppError {
  constructor() {
    super(426, 'upgrade_required', 'This version of the app is too old for the server: update it (reload the page).');
  }
}
