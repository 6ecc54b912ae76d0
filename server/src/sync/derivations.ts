import {
  type CollectionName,
  deriveSaleStatus,
  detectOversold,
  detectReceiptCollisions,
  type EntitlementRecord,
  effectiveCancellations,
  entitlementsFromSales,
  findDoubleAdmissions,
  incidentFlagId,
  oversoldFlagFields,
  type ParticipantRecord,
  planEntitlementWrites,
  type ReconciliationFlagRecord,
  type RoomRecord,
  type ScanRecord,
  type SessionRecord,
  saleAmountIssues,
  type TransactionCancellationRecord,
  type TransactionRecord,
} from '@makeplus/shared';
import { sql, type Transaction } from 'kysely';
import { syncSessionItem } from '../cashDesk/sessionItems';
import { cashDeskSyncChecks } from '../cashDesk/syncChecks';
import type { DB } from '../db/schema';
import type { FieldError } from '../http/errors';
import { leadDerivations } from '../leads/derivations';
import { staffSyncChecks } from '../staff/syncChecks';
import { insertRecords, toRecord, updateRecord, type WriteContext } from './recordStore';
import type { SyncCaller } from './scope';

type Trx = Transaction<DB>;
type Doc = Record<string, unknown> & { id: string; rev: number };

/**
 * What the server derives when documents arrive from devices, inside the push's transaction (so a
 * push and its consequences commit together, in the event's change order):
 * - sales → entitlements (granted, or revoked when a cancellation arrives) and the sale's status;
 * - reconciliation flags for what only shows once offline devices meet: the same badge admitted
 *   twice into a room, a workshop sold beyond capacity, one receipt number given to two sales, a
 *   badge admitted on its signature alone;
 * - a paid session's payable item follows the session.
 * Every derivation is idempotent (stable ids), so a retried push derives nothing twice.
 */
export interface SyncHooks {
  /** Checks beyond the schema, before anything is written (a failing document fails the batch). */
  validate?: Partial<Record<CollectionName, (doc: Doc) => FieldError[]>>;
  /**
   * Rules on a write given what the server holds (`current`: null for a new record), inside the
   * push's transaction, before it is stored. Issues fail the batch with 400 naming each field; a
   * rule about the event's state may throw its own AppError (e.g. 409 last_organizer).
   */
  checkWrite?: Partial<
    Record<CollectionName, (trx: Trx, doc: Doc, current: Doc | null, caller: SyncCaller) => Promise<FieldError[]>>
  >;
  beforeInsert?: Partial<
    Record<
      CollectionName,
      (trx: Trx, doc: Record<string, unknown>, caller: SyncCaller) => Promise<Record<string, unknown>>
    >
  >;
  afterFacts?: Partial<
    Record<CollectionName, (trx: Trx, inserted: Doc[], caller: SyncCaller, ctx: WriteContext) => Promise<void>>
  >;
  /**
   * Whether `afterFacts` can derive anything from these facts (decided on the pushed documents, a
   * superset of what gets inserted). When it cannot, the batch is stored by one autocommitted
   * statement instead of a transaction, so the event's sequence lock is held only inside PostgreSQL.
   * Absent: every batch of a collection with an `afterFacts` hook goes through a transaction.
   */
  factsDerive?: Partial<Record<CollectionName, (docs: readonly Doc[]) => boolean>>;
  afterEdits?: Partial<
    Record<
      CollectionName,
      (trx: Trx, written: { record: Doc; before: Doc | null }[], caller: SyncCaller, ctx: WriteContext) => Promise<void>
    >
  >;
}

/** What the server writes on its own behalf is attributed to it, not to the pushing device. */
function serverContext(ctx: WriteContext): WriteContext {
  return { ...ctx, actor: { kind: 'system', id: null, label: 'derivation' }, deviceId: 'server' };
}

type FlagFields = Pick<
  ReconciliationFlagRecord,
  'id' | 'kind' | 'subjectCollection' | 'subjectId' | 'summary' | 'details'
> & {
  occurredAt: string;
};

/**
 * Raise flags: a new incident is inserted; a known one keeps its status (an organizer may have
 * resolved it) and only has its details refreshed when they changed.
 */
export async function raiseFlags(trx: Trx, eventId: string, flags: FlagFields[], ctx: WriteContext): Promise<void> {
  if (flags.length === 0) return;
  const server = serverContext(ctx);
  const now = new Date().toISOString();
  const existing = await trx
    .selectFrom('reconciliationFlags')
    .select(['id', 'details', 'summary'])
    .where('eventId', '=', eventId)
    .where(
      'id',
      'in',
      flags.map((f) => f.id),
    )
    .execute();
  const byId = new Map(existing.map((e) => [e.id, e]));
  const fresh = flags.filter((f) => !byId.has(f.id));
  await insertRecords(
    trx,
    'reconciliationFlags',
    eventId,
    fresh.map((f) => ({
      ...f,
      status: 'open',
      resolution: null,
      resolvedBy: null,
      resolvedAt: null,
      deviceId: 'server',
      receivedAt: now,
    })),
    server,
    { onConflictDoNothing: true },
  );
  for (const f of flags) {
    const known = byId.get(f.id);
    if (known && (JSON.stringify(known.details) !== JSON.stringify(f.details) || known.summary !== f.summary)) {
      await updateRecord(trx, 'reconciliationFlags', eventId, f.id, { details: f.details, summary: f.summary }, server);
    }
  }
}

export function flagId(key: string): string {
  return incidentFlagId(key);
}

// ── Cash desk ────────────────────────────────────────────────────────────────────────────────

async function transactionsByIds(trx: Trx, eventId: string, ids: readonly string[]): Promise<TransactionRecord[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .selectFrom('transactions')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => toRecord<TransactionRecord>('transactions', r as Record<string, unknown>));
}

async function cancellationsOf(
  trx: Trx,
  eventId: string,
  transactionIds: readonly string[],
): Promise<TransactionCancellationRecord[]> {
  if (transactionIds.length === 0) return [];
  const rows = await trx
    .selectFrom('transactionCancellations')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('transactionId', 'in', transactionIds)
    .execute();
  return rows as unknown as TransactionCancellationRecord[];
}

/** Entitlements of these sales, as the facts now say (granted, or revoked by a cancellation). */
async function deriveEntitlements(
  trx: Trx,
  eventId: string,
  sales: TransactionRecord[],
  cancellations: TransactionCancellationRecord[],
  ctx: WriteContext,
) {
  const derived = entitlementsFromSales(sales, cancellations);
  if (derived.length === 0) return;
  const existing = (await trx
    .selectFrom('entitlements')
    .selectAll()
    .where('eventId', '=', eventId)
    .where(
      'id',
      'in',
      derived.map((d) => d.id),
    )
    .execute()) as unknown as EntitlementRecord[];
  const plan = planEntitlementWrites(existing, derived);
  const server = serverContext(ctx);
  await insertRecords(
    trx,
    'entitlements',
    eventId,
    plan.inserts.map(({ seq: _s, rev: _r, createdAt: _c, updatedAt: _u, ...e }) => e),
    server,
    { onConflictDoNothing: true },
  );
  for (const u of plan.updates) {
    const { updatedAt: _u, ...patch } = u.patch;
    await updateRecord(trx, 'entitlements', eventId, u.id, patch, server);
  }
}

/** Keep each sale's derived status (completed / cancelled, when, why) in step with its cancellations. */
async function deriveSaleStatuses(
  trx: Trx,
  eventId: string,
  sales: TransactionRecord[],
  cancellations: TransactionCancellationRecord[],
  ctx: WriteContext,
) {
  const effective = effectiveCancellations(cancellations);
  for (const sale of sales) {
    const d = deriveSaleStatus(sale, effective);
    if (sale.status === d.status && sale.cancelledAt === d.cancelledAt && sale.cancelReason === d.cancelReason)
      continue;
    await updateRecord(
      trx,
      'transactions',
      eventId,
      sale.id,
      { status: d.status, cancelledAt: d.cancelledAt, cancelReason: d.cancelReason },
      serverContext(ctx),
    );
  }
}

/** Workshops touched by these sales that are now sold beyond capacity. */
async function flagOversold(trx: Trx, eventId: string, sales: TransactionRecord[], ctx: WriteContext) {
  const sessionIds = [
    ...new Set(sales.flatMap((s) => s.lines.map((l) => l.sessionId)).filter((x): x is string => !!x)),
  ];
  if (sessionIds.length === 0) return;
  const sessions = (await trx
    .selectFrom('sessions')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('id', 'in', sessionIds)
    .where('capacity', 'is not', null)
    .execute()) as unknown as SessionRecord[];
  if (sessions.length === 0) return;
  const holders: TransactionRecord[] = [];
  for (const s of sessions) {
    const rows = await trx
      .selectFrom('transactions')
      .selectAll()
      .where('eventId', '=', eventId)
      .where(sql<boolean>`lines @> ${JSON.stringify([{ sessionId: s.id }])}::jsonb`)
      .execute();
    for (const r of rows) holders.push(toRecord<TransactionRecord>('transactions', r as Record<string, unknown>));
  }
  const unique = [...new Map(holders.map((h) => [h.id, h])).values()];
  const cancellations = await cancellationsOf(
    trx,
    eventId,
    unique.map((t) => t.id),
  );
  const manual = (await trx
    .selectFrom('entitlements')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('sessionId', 'in', sessionIds)
    .where('source', '=', 'manual')
    .execute()) as unknown as EntitlementRecord[];
  const incidents = detectOversold(sessions, unique, cancellations, manual);
  await raiseFlags(
    trx,
    eventId,
    incidents.map((i) => ({
      ...oversoldFlagFields(i),
      occurredAt: i.excess.at(-1)?.occurredAt ?? new Date().toISOString(),
    })),
    ctx,
  );
}

/** One receipt number given to two sales (two tablets on one register offline): both kept, flagged. */
async function flagReceiptCollisions(trx: Trx, eventId: string, sales: TransactionRecord[], ctx: WriteContext) {
  const keys = sales.map((s) => ({ register: s.cashRegisterId, seq: s.receiptSeq }));
  if (keys.length === 0) return;
  const rows = await trx
    .selectFrom('transactions')
    .select(['id', 'cashRegisterId', 'receiptSeq', 'receiptNumber', 'deviceId', 'deleted', 'occurredAt'])
    .where('eventId', '=', eventId)
    .where((eb) =>
      eb.or(keys.map((k) => eb.and([eb('cashRegisterId', '=', k.register), eb('receiptSeq', '=', k.seq)]))),
    )
    .execute();
  const collisions = detectReceiptCollisions(rows);
  await raiseFlags(
    trx,
    eventId,
    collisions.map((c) => {
      const number = rows.find((r) => r.id === c.transactionIds[0])?.receiptNumber ?? String(c.receiptSeq);
      return {
        id: flagId(c.key),
        kind: 'receipt_collision',
        subjectCollection: 'transactions',
        subjectId: c.transactionIds[0] ?? '',
        summary: `Reçu ${number} émis ${c.transactionIds.length} fois (plusieurs appareils sur la même caisse). / Receipt ${number} issued ${c.transactionIds.length} times (several devices on one register).`,
        details: { incidentKey: c.key, ...c },
        occurredAt:
          rows
            .map((r) => r.occurredAt)
            .sort()
            .at(-1) ?? new Date().toISOString(),
      };
    }),
    ctx,
  );
}

// ── Door control ─────────────────────────────────────────────────────────────────────────────

/** A scan that may make a double admission: an entry granted at a room's door. */
const roomEntry = (s: Pick<ScanRecord, 'granted' | 'direction' | 'roomId'>) =>
  s.granted && s.direction === 'in' && !!s.roomId;
/** A scan admitted on its signature alone. */
const offlineAdmission = (s: Pick<ScanRecord, 'issuedOffline' | 'granted'>) => s.issuedOffline && s.granted;

/** The same badge admitted twice into a room by two doors that could not see each other. */
async function flagDoubleAdmissions(trx: Trx, eventId: string, scans: ScanRecord[], ctx: WriteContext) {
  const entries = scans.filter(roomEntry);
  if (entries.length === 0) return;
  const roomIds = [...new Set(entries.map((s) => s.roomId as string))];
  const participantIds = [...new Set(entries.map((s) => s.participantId).filter((x): x is string => !!x))];
  const badgeCodes = [...new Set(entries.filter((s) => !s.participantId).map((s) => s.badgeCode))];
  const history = (await trx
    .selectFrom('scans')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('roomId', 'in', roomIds)
    .where((eb) => {
      const ors = [];
      if (participantIds.length) ors.push(eb('participantId', 'in', participantIds));
      if (badgeCodes.length) ors.push(eb('badgeCode', 'in', badgeCodes));
      return eb.or(ors);
    })
    .execute()) as unknown as ScanRecord[];
  const rooms = (await trx
    .selectFrom('rooms')
    .select(['id', 'reentryPolicy'])
    .where('eventId', '=', eventId)
    .where('id', 'in', roomIds)
    .execute()) as Pick<RoomRecord, 'id' | 'reentryPolicy'>[];
  const sessions = (await trx
    .selectFrom('sessions')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('roomId', 'in', roomIds)
    .execute()) as unknown as SessionRecord[];
  const incidents = findDoubleAdmissions(history, rooms, sessions);
  await raiseFlags(
    trx,
    eventId,
    incidents.map((i) => ({
      id: flagId(i.key),
      kind: 'double_admission',
      subjectCollection: 'scans',
      subjectId: i.second.scanId,
      summary: `Badge admis deux fois dans la même salle par deux appareils hors ligne. / Badge admitted twice into the same room by two offline devices.`,
      details: { incidentKey: i.key, ...i },
      occurredAt: i.second.occurredAt,
    })),
    ctx,
  );
}

/** Admitted on a signature alone (the badge was not yet on the door): an organizer reviews it. */
async function flagOfflineBadges(trx: Trx, eventId: string, scans: ScanRecord[], ctx: WriteContext) {
  const offline = scans.filter(offlineAdmission);
  await raiseFlags(
    trx,
    eventId,
    offline.map((s) => ({
      id: flagId(`offline_badge:${s.id}`),
      kind: 'offline_badge',
      subjectCollection: 'scans',
      subjectId: s.id,
      summary:
        'Badge admis sur sa seule signature (inconnu de la porte), à vérifier. / Badge admitted on its signature alone (unknown to the door), to review.',
      details: {
        scanId: s.id,
        badgeCode: s.badgeCode,
        roomId: s.roomId,
        deviceId: s.deviceId,
        occurredAt: s.occurredAt,
      },
      occurredAt: s.occurredAt,
    })),
    ctx,
  );
}

export const syncHooks: SyncHooks = {
  validate: {
    // The device computed the totals; the server re-checks the arithmetic of every sale it stores.
    transactions(doc) {
      return saleAmountIssues(doc as unknown as TransactionRecord).map((reason) => ({ field: 'totalMinor', reason }));
    },
  },
  checkWrite: {
    payableItems: cashDeskSyncChecks.payableItems,
    cashRegisters: cashDeskSyncChecks.cashRegisters,
    memberships: staffSyncChecks.memberships,
  },
  beforeInsert: {
    leads: leadDerivations.beforeInsertLead,
    // A walk-in registered on a cash desk is linked to the person's account when the email is known
    // and that person is not yet registered here (otherwise it stays a separate registration).
    async participants(trx, doc) {
      const p = doc as Partial<ParticipantRecord>;
      if (p.userId || !p.email) return doc;
      const user = await trx
        .selectFrom('users')
        .select(['id', 'legacyId', 'legacyBadgeId'])
        .where('email', '=', p.email.toLowerCase())
        .executeTakeFirst();
      if (!user) return doc;
      const taken = await trx
        .selectFrom('participants')
        .select('id')
        .where('eventId', '=', p.eventId as string)
        .where('userId', '=', user.id)
        .where('deleted', '=', false)
        .executeTakeFirst();
      if (taken) return doc;
      return { ...doc, userId: user.id, userLegacyId: user.legacyId, legacyBadgeId: user.legacyBadgeId };
    },
  },
  afterFacts: {
    leadScans: leadDerivations.afterLeadScans,
    async transactions(trx, inserted, caller, ctx) {
      const eventId = caller.access.eventId;
      const sales = inserted as unknown as TransactionRecord[];
      const cancellations = await cancellationsOf(
        trx,
        eventId,
        sales.map((s) => s.id),
      );
      // A cancellation can arrive before its sale (two devices, out of order).
      await deriveSaleStatuses(trx, eventId, sales, cancellations, ctx);
      await deriveEntitlements(trx, eventId, sales, cancellations, ctx);
      await flagOversold(trx, eventId, sales, ctx);
      await flagReceiptCollisions(trx, eventId, sales, ctx);
    },
    async transactionCancellations(trx, inserted, caller, ctx) {
      const eventId = caller.access.eventId;
      const ids = [...new Set((inserted as unknown as TransactionCancellationRecord[]).map((c) => c.transactionId))];
      const sales = await transactionsByIds(trx, eventId, ids);
      const cancellations = await cancellationsOf(trx, eventId, ids);
      await deriveSaleStatuses(trx, eventId, sales, cancellations, ctx);
      await deriveEntitlements(trx, eventId, sales, cancellations, ctx);
    },
    async scans(trx, inserted, caller, ctx) {
      const scans = inserted as unknown as ScanRecord[];
      await flagOfflineBadges(trx, caller.access.eventId, scans, ctx);
      await flagDoubleAdmissions(trx, caller.access.eventId, scans, ctx);
    },
  },
  factsDerive: {
    // Entrance scans (no room) of known badges derive nothing: the common batch of a door.
    scans: (docs) => (docs as unknown as ScanRecord[]).some((s) => roomEntry(s) || offlineAdmission(s)),
  },
  afterEdits: {
    leads: leadDerivations.afterLeadEdits,
    async sessions(trx, written, _caller, ctx) {
      for (const w of written) await syncSessionItem(trx, w.record as unknown as SessionRecord, ctx);
    },
  },
};
