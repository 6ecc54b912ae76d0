import type { CancellationFact, SaleFact } from './cancellation';
import {
  type CapacitySession,
  type CartLineInput,
  type CartParticipant,
  type CartVerdict,
  type CatalogueItem,
  type EntitlementFact,
  validateCart,
} from './cart';
import type { CashRegisterRecord, EntitlementRecord, TransactionRecord } from './cashDesk';
import { entitlementsFromSales } from './entitlements';
import type { LocalizedText } from './localizedText';
import { type PaymentInput, type PaymentRefusal, type Settlement, settlePayment } from './payment';
import { nextReceipt, type ReceiptRefusal } from './receiptNumber';

/**
 * The "present" mark. The original set `marked_present=true` on every transaction (never false,
 * never read elsewhere) and never checked anyone in. Here the sale itself is the mark: a sale is
 * made face to face at the desk, so the transaction fact (who, where, when, which device) proves the
 * person was present at that time. It is written with the sale, in the same record, so a sale
 * without its presence (or the reverse) cannot exist, and it needs no column of its own. A
 * cancellation does not undo it: the person still came. `presenceFromSales` gives the first
 * presence of each person.
 */
export interface PresenceMark {
  participantId: string;
  at: string;
  transactionId: string;
  cashRegisterId: string;
  deviceId: string;
}

export interface SaleInput {
  /** Id of the new transaction (`newId()`). */
  id: string;
  now: Date;
  eventId: string;
  currency?: string;
  deviceId: string;
  register: Pick<CashRegisterRecord, 'id' | 'eventId' | 'receiptPrefix' | 'isActive'>;
  cashierName: string;
  participant: CartParticipant | null | undefined;
  cart: readonly CartLineInput[];
  payment: PaymentInput;
  notes?: string;
  /** Number on a register last used by another device (see receiptNumber.ts). */
  takeover?: boolean;
  /** What this device knows of the event. */
  items: readonly CatalogueItem[];
  sessions: readonly CapacitySession[];
  transactions: readonly SaleFact[];
  cancellations: readonly CancellationFact[];
  entitlements: readonly EntitlementFact[];
}

export type SaleRefusal =
  | { ok: false; stage: 'register'; reason: 'other_event'; message: LocalizedText }
  | { ok: false; stage: 'cart'; reason: string; message: LocalizedText; cart: CartVerdict }
  | { ok: false; stage: 'payment'; reason: PaymentRefusal; message: LocalizedText; cart: CartVerdict }
  | {
      ok: false;
      stage: 'receipt';
      reason: ReceiptRefusal;
      message: LocalizedText;
      cart: CartVerdict;
      heldBy: string | null;
    };

export interface SaleWrites {
  ok: true;
  /** The one record the device writes (and pushes): the sale fact. */
  transaction: TransactionRecord;
  /** The entitlements it grants, written locally at once (the door next to the desk admits the person offline); the server derives the very same records (same ids) from the pushed sale. */
  entitlements: EntitlementRecord[];
  presence: PresenceMark;
  settlement: Settlement;
  cart: CartVerdict;
}

/**
 * Everything a sale writes, decided in one go, in a fixed order: the cart (items, already paid,
 * capacity), the payment (totals, cash part, received and change), the receipt number (register and
 * device), then the records: the transaction with today's unit prices, register, cashier, device and
 * time; the entitlements it grants; the presence mark. Nothing is written when any step refuses.
 */
export function buildSale(input: SaleInput): SaleWrites | SaleRefusal {
  if (input.register.eventId !== input.eventId)
    return {
      ok: false,
      stage: 'register',
      reason: 'other_event',
      message: {
        fr: "Cette caisse appartient à un autre événement. Reconnectez-vous à la caisse de l'événement.",
        en: "This register belongs to another event. Sign in to this event's register.",
      },
    };
  const cart = validateCart({
    eventId: input.eventId,
    participant: input.participant,
    lines: input.cart,
    items: input.items,
    sessions: input.sessions,
    transactions: input.transactions,
    cancellations: input.cancellations,
    entitlements: input.entitlements,
  });
  if (!cart.ok) {
    const firstLine = cart.lines.find((l) => l.reason !== null);
    return {
      ok: false,
      stage: 'cart',
      reason: cart.reason ?? firstLine?.reason ?? 'invalid_cart',
      message: cart.message ?? firstLine?.message ?? { fr: 'Panier invalide.', en: 'Invalid cart.' },
      cart,
    };
  }
  const paid = settlePayment(cart.totalMinor, input.payment, input.currency);
  if (!paid.ok) return { ok: false, stage: 'payment', reason: paid.reason, message: paid.message, cart };
  const receipt = nextReceipt({
    register: { id: input.register.id, receiptPrefix: input.register.receiptPrefix, isActive: input.register.isActive },
    deviceId: input.deviceId,
    sales: input.transactions,
    takeover: input.takeover,
  });
  if (!receipt.ok)
    return {
      ok: false,
      stage: 'receipt',
      reason: receipt.reason,
      message: receipt.message,
      cart,
      heldBy: receipt.heldBy,
    };

  const at = input.now.toISOString();
  const s = paid.settlement;
  const transaction: TransactionRecord = {
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
    cashRegisterId: input.register.id,
    participantId: input.participant!.id,
    receiptNumber: receipt.receiptNumber,
    receiptSeq: receipt.receiptSeq,
    lines: cart.saleLines.map((l) => ({ ...l })),
    totalMinor: s.totalMinor,
    paymentMethod: s.paymentMethod,
    cashMinor: s.cashMinor,
    amountReceivedMinor: s.amountReceivedMinor,
    changeMinor: s.changeMinor,
    notes: (input.notes ?? '').trim().slice(0, 2000),
    cashierName: input.cashierName.trim().slice(0, 200),
    status: 'completed',
    cancelledAt: null,
    cancelReason: null,
    legacyId: 0,
  };
  return {
    ok: true,
    transaction,
    entitlements: entitlementsFromSales([transaction], []),
    presence: presenceOf(transaction),
    settlement: s,
    cart,
  };
}

function presenceOf(
  t: Pick<SaleFact, 'participantId' | 'occurredAt' | 'id' | 'cashRegisterId' | 'deviceId'>,
): PresenceMark {
  return {
    participantId: t.participantId,
    at: t.occurredAt,
    transactionId: t.id,
    cashRegisterId: t.cashRegisterId,
    deviceId: t.deviceId,
  };
}

/** Each person's first presence at a cash desk (cancelled sales count: the person came). */
export function presenceFromSales(transactions: readonly SaleFact[]): Map<string, PresenceMark> {
  const out = new Map<string, PresenceMark>();
  for (const t of transactions) {
    if (t.deleted) continue;
    const cur = out.get(t.participantId);
    const earlier =
      !cur || Date.parse(t.occurredAt) < Date.parse(cur.at) || (t.occurredAt === cur.at && t.id < cur.transactionId);
    if (earlier) out.set(t.participantId, presenceOf(t));
  }
  return out;
}
