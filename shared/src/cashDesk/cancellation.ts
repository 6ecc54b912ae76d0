import type { TransactionCancellationRecord, TransactionRecord } from './cashDesk';
import { type LocalizedText, text } from './localizedText';

/** What the rules read of a sale: any transaction record (or a narrower object) will do. */
export type SaleFact = Pick<
  TransactionRecord,
  | 'id'
  | 'eventId'
  | 'cashRegisterId'
  | 'participantId'
  | 'receiptNumber'
  | 'receiptSeq'
  | 'lines'
  | 'totalMinor'
  | 'paymentMethod'
  | 'cashMinor'
  | 'amountReceivedMinor'
  | 'changeMinor'
  | 'deviceId'
  | 'occurredAt'
  | 'status'
  | 'deleted'
> &
  Partial<Pick<TransactionRecord, 'cancelledAt' | 'cancelReason' | 'cashierName'>>;

/** What the rules read of a cancellation. */
export type CancellationFact = Pick<
  TransactionCancellationRecord,
  'id' | 'transactionId' | 'cashRegisterId' | 'reason' | 'cancelledBy' | 'deviceId' | 'occurredAt' | 'deleted'
>;

function compareFacts(a: { occurredAt: string; id: string }, b: { occurredAt: string; id: string }): number {
  const ta = Date.parse(a.occurredAt);
  const tb = Date.parse(b.occurredAt);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The cancellation that counts for each sale. Two tablets may cancel the same sale offline: the
 * earliest (device time, then id) wins, whatever order they arrive in; the others change nothing.
 */
export function effectiveCancellations<C extends CancellationFact>(cancellations: readonly C[]): Map<string, C> {
  const byTx = new Map<string, C>();
  for (const c of cancellations) {
    if (c.deleted) continue;
    const current = byTx.get(c.transactionId);
    if (!current || compareFacts(c, current) < 0) byTx.set(c.transactionId, c);
  }
  return byTx;
}

/** Status and cancellation of one sale as derived from the facts (the stored `status` is only a cache of this). */
export interface DerivedSaleStatus {
  status: 'completed' | 'cancelled';
  cancelledAt: string | null;
  cancelReason: string | null;
  cancellationId: string | null;
}

export function deriveSaleStatus(
  sale: SaleFact,
  cancellations: ReadonlyMap<string, CancellationFact>,
): DerivedSaleStatus {
  const c = cancellations.get(sale.id);
  if (c) return { status: 'cancelled', cancelledAt: c.occurredAt, cancelReason: c.reason, cancellationId: c.id };
  if (sale.status === 'cancelled') {
    // The server already derived it; the cancellation fact itself has not reached this device yet.
    return {
      status: 'cancelled',
      cancelledAt: sale.cancelledAt ?? null,
      cancelReason: sale.cancelReason ?? null,
      cancellationId: null,
    };
  }
  return { status: 'completed', cancelledAt: null, cancelReason: null, cancellationId: null };
}

/** Sales that still stand: not deleted and not cancelled (by a fact or by the server's derived status). */
export function liveSales<T extends SaleFact>(sales: readonly T[], cancellations: readonly CancellationFact[]): T[] {
  const eff = effectiveCancellations(cancellations);
  return sales.filter((s) => !s.deleted && deriveSaleStatus(s, eff).status === 'completed');
}

// ---------------------------------------------------------------------------------------------
// Building a cancellation
// ---------------------------------------------------------------------------------------------

export const cancellationRefusals = [
  'reason_required',
  'unknown_sale',
  'other_event',
  'other_register',
  'already_cancelled',
] as const;
export type CancellationRefusal = (typeof cancellationRefusals)[number];

export interface CancellationInput {
  /** Id of the new cancellation fact (`newId()`). */
  id: string;
  now: Date;
  eventId: string;
  deviceId: string;
  /** The register doing the cancellation: a sale is cancelled at the register that made it (cash goes back from that drawer). */
  cashRegisterId: string;
  /** Who cancels (cashier's name, as on the sale). */
  cancelledBy: string;
  reason: string;
  transactionId: string;
  /** What this device knows. */
  transactions: readonly SaleFact[];
  cancellations: readonly CancellationFact[];
}

export type CancellationOutcome =
  | { ok: true; cancellation: TransactionCancellationRecord; sale: SaleFact }
  | { ok: false; reason: CancellationRefusal; message: LocalizedText };

const cancellationMessages: Record<CancellationRefusal, LocalizedText> = {
  reason_required: text(
    "Indiquez le motif de l'annulation (obligatoire).",
    'Enter the reason for the cancellation (required).',
  ),
  unknown_sale: text(
    'Vente introuvable sur cet appareil. Synchronisez puis réessayez.',
    'Sale not found on this device. Sync, then try again.',
  ),
  other_event: text('Cette vente appartient à un autre événement.', 'This sale belongs to another event.'),
  other_register: text(
    'Cette vente a été faite sur une autre caisse : annulez-la depuis cette caisse-là.',
    'This sale was made at another register: cancel it from that register.',
  ),
  already_cancelled: text('Cette vente est déjà annulée.', 'This sale is already cancelled.'),
};

/**
 * The cancellation fact for one sale. The reason is mandatory (the original defaulted to
 * "No reason provided"); only the register that made the sale may cancel it (the cash goes back
 * out of its drawer), as in the original. Entitlements are revoked by `entitlementsFromSales`.
 */
export function buildCancellation(input: CancellationInput): CancellationOutcome {
  const reason = input.reason.trim();
  if (reason.length === 0) return refuse('reason_required');
  const sale = input.transactions.find((t) => t.id === input.transactionId && !t.deleted);
  if (!sale) return refuse('unknown_sale');
  if (sale.eventId !== input.eventId) return refuse('other_event');
  if (sale.cashRegisterId !== input.cashRegisterId) return refuse('other_register');
  const status = deriveSaleStatus(sale, effectiveCancellations(input.cancellations));
  if (status.status === 'cancelled') return refuse('already_cancelled');
  const at = input.now.toISOString();
  return {
    ok: true,
    sale,
    cancellation: {
      id: input.id,
      eventId: input.eventId,
      seq: 0,
      rev: 0,
      createdAt: at,
      updatedAt: at,
      deleted: false,
      deviceId: input.deviceId,
      occurredAt: at,
      receivedAt: null,
      transactionId: sale.id,
      cashRegisterId: input.cashRegisterId,
      reason: reason.slice(0, 2000),
      cancelledBy: input.cancelledBy.trim().slice(0, 200),
    },
  };
}

function refuse(reason: CancellationRefusal): CancellationOutcome {
  return { ok: false, reason, message: cancellationMessages[reason] };
}
