import { newId } from '@makeplus/shared';
import { DEMO_EVENT_ID } from '../../src/demo/seed';

export interface SaleLineInput {
  id: string;
  name: string;
  priceMinor: number;
  sessionId?: string | null;
  kind?: string;
}

/** A completed cash sale as a cash-desk device pushes it (collection `transactions`). */
export function saleDoc(
  registerId: string,
  deviceId: string,
  participantId: string,
  seq: number,
  lines: SaleLineInput[],
  extra: Record<string, unknown> = {},
) {
  const now = new Date().toISOString();
  const total = lines.reduce((a, l) => a + l.priceMinor, 0);
  return {
    id: newId(),
    eventId: DEMO_EVENT_ID,
    seq: 0,
    rev: 1,
    createdAt: now,
    updatedAt: now,
    deleted: false,
    deviceId,
    occurredAt: now,
    receivedAt: null,
    cashRegisterId: registerId,
    participantId,
    receiptNumber: `C1-${seq}`,
    receiptSeq: seq,
    lines: lines.map((l) => ({
      payableItemId: l.id,
      name: l.name,
      kind: l.kind ?? (l.sessionId ? 'session' : 'dinner'),
      sessionId: l.sessionId ?? null,
      unitPriceMinor: l.priceMinor,
      quantity: 1,
    })),
    totalMinor: total,
    paymentMethod: 'cash',
    cashMinor: total,
    amountReceivedMinor: total,
    changeMinor: 0,
    notes: '',
    cashierName: 'Caisse',
    status: 'completed',
    cancelledAt: null,
    cancelReason: null,
    legacyId: 0,
    ...extra,
  };
}

/** The cancellation of a sale as a cash-desk device pushes it (collection `transactionCancellations`). */
export function cancellationDoc(
  registerId: string,
  deviceId: string,
  transactionId: string,
  reason = 'Erreur de saisie',
) {
  const now = new Date().toISOString();
  return {
    id: newId(),
    eventId: DEMO_EVENT_ID,
    seq: 0,
    rev: 1,
    createdAt: now,
    updatedAt: now,
    deleted: false,
    deviceId,
    occurredAt: now,
    receivedAt: null,
    transactionId,
    cashRegisterId: registerId,
    reason,
    cancelledBy: 'Caisse',
  };
}
