import { type CancellationFact, deriveSaleStatus, effectiveCancellations, type SaleFact } from './cancellation';
import type { EntitlementRecord, SaleLine } from './cashDesk';
import { CASH_DESK_NAMESPACES, uuidV5 } from './deterministicId';
import { lineTotalMinor } from './payment';

/**
 * The id of the entitlement granted by line `lineIndex` of a sale: a UUID v5 of
 * `<transactionId>:<lineIndex>`. The device that makes the sale and the server that derives it
 * compute the same id, so the device's provisional entitlement is simply overwritten by the
 * server's, and re-deriving after every push is an idempotent upsert. (A sale's lines never change:
 * it is an append-only fact, so the index is stable.)
 */
export function entitlementId(transactionId: string, lineIndex: number): string {
  return uuidV5(CASH_DESK_NAMESPACES.entitlement, `${transactionId}:${lineIndex}`);
}

function lineEntitlement(sale: SaleFact, line: SaleLine, index: number, revokedAt: string | null): EntitlementRecord {
  const amountMinor = lineTotalMinor(line);
  return {
    id: entitlementId(sale.id, index),
    eventId: sale.eventId,
    seq: 0,
    rev: 0,
    createdAt: sale.occurredAt,
    updatedAt: revokedAt ?? sale.occurredAt,
    deleted: false,
    participantId: sale.participantId,
    payableItemId: line.payableItemId,
    sessionId: line.sessionId,
    status: amountMinor > 0 ? 'paid' : 'free',
    amountMinor,
    source: 'sale',
    transactionId: sale.id,
    revoked: revokedAt !== null,
  };
}

/**
 * Everything the sales grant, as the server derives it after every push: one entitlement per sale
 * line (a session line grants the seat the door checks; dinner, access and other lines are listed as
 * the person's paid items, as the original's scan reply did), revoked when the sale is cancelled
 * (the original left SessionAccess in place: we do not). A pure function of the facts: the same
 * facts in any order, given any number of times, give the same records, sorted by id. `seq` and
 * `rev` are left at 0 for the store to assign.
 */
export function entitlementsFromSales(
  transactions: readonly SaleFact[],
  cancellations: readonly CancellationFact[],
): EntitlementRecord[] {
  const eff = effectiveCancellations(cancellations);
  const byId = new Map<string, SaleFact>();
  for (const t of transactions) {
    if (t.deleted) continue;
    const seen = byId.get(t.id);
    // The same fact pushed twice is one sale; keep a deterministic copy if they ever differ.
    if (!seen || t.occurredAt < seen.occurredAt || (t.occurredAt === seen.occurredAt && t.deviceId < seen.deviceId))
      byId.set(t.id, t);
  }
  const out: EntitlementRecord[] = [];
  for (const sale of byId.values()) {
    const status = deriveSaleStatus(sale, eff);
    const revokedAt = status.status === 'cancelled' ? (status.cancelledAt ?? sale.occurredAt) : null;
    sale.lines.forEach((line, i) => {
      out.push(lineEntitlement(sale, line, i, revokedAt));
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The fields that carry meaning; `seq`, `rev`, `createdAt` and `updatedAt` belong to the store. */
const MEANINGFUL = [
  'eventId',
  'participantId',
  'payableItemId',
  'sessionId',
  'status',
  'amountMinor',
  'source',
  'transactionId',
  'revoked',
  'deleted',
] as const;

export interface EntitlementWrites {
  inserts: EntitlementRecord[];
  updates: { id: string; patch: Partial<EntitlementRecord> }[];
}

/**
 * What the server must write so that its stored entitlements match the derived ones: new ids are
 * inserted, changed ones (a revocation) patched, equal ones left alone. Manual entitlements and
 * sale entitlements that are no longer derived are never touched. Applying the plan and planning
 * again gives nothing to do.
 */
export function planEntitlementWrites(
  existing: readonly EntitlementRecord[],
  derived: readonly EntitlementRecord[],
): EntitlementWrites {
  const stored = new Map(existing.map((e) => [e.id, e]));
  const plan: EntitlementWrites = { inserts: [], updates: [] };
  for (const d of derived) {
    const s = stored.get(d.id);
    if (!s) {
      plan.inserts.push(d);
      continue;
    }
    const patch: Partial<EntitlementRecord> = {};
    for (const k of MEANINGFUL) {
      if (s[k] !== d[k]) (patch as Record<string, unknown>)[k] = d[k];
    }
    if (Object.keys(patch).length > 0) plan.updates.push({ id: d.id, patch: { ...patch, updatedAt: d.updatedAt } });
  }
  return plan;
}
