import { z } from 'zod';
import { minorUnits } from '../money/money';
import { factShape, isoDateTime, recordId, syncMetaShape } from '../sync/record';
import { patchInput } from '../validation/patchInput';

export const payableItemKinds = ['session', 'dinner', 'access', 'other'] as const;
export const payableItemKind = z.enum(payableItemKinds);
export type PayableItemKind = z.infer<typeof payableItemKind>;

export const payableItemFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  kind: payableItemKind.default('other'),
  priceMinor: minorUnits,
  /** The paid session this item mirrors (kept in sync by the server). */
  sessionId: recordId.nullable().default(null),
  isActive: z.boolean().default(true),
};
export const payableItemRecord = z.object({
  ...syncMetaShape,
  ...payableItemFields,
  legacyId: z.int().min(0),
});
export type PayableItemRecord = z.infer<typeof payableItemRecord>;
export const payableItemCreateInput = z.object(payableItemFields);
export const payableItemUpdateInput = patchInput(payableItemFields).extend({ rev: z.int().min(1).optional() });

/** A cash register: its own login (email + password), its own transactions. */
export const cashRegisterRecord = z.object({
  ...syncMetaShape,
  name: z.string().trim().min(1).max(100),
  email: z.string().max(254),
  isActive: z.boolean(),
  /** Receipt numbers read `<prefix>-<n>`, unique without the network. */
  receiptPrefix: z.string().regex(/^[A-Z0-9]{1,8}$/),
  legacyId: z.int().min(0),
});
export type CashRegisterRecord = z.infer<typeof cashRegisterRecord>;

export const paymentMethod = z.enum(['cash', 'bank_transfer', 'mixed']);
export type PaymentMethod = z.infer<typeof paymentMethod>;

export const saleLine = z.object({
  payableItemId: recordId,
  name: z.string().max(200),
  kind: payableItemKind,
  sessionId: recordId.nullable(),
  unitPriceMinor: minorUnits,
  quantity: z.int().min(1).max(1000),
});
export type SaleLine = z.infer<typeof saleLine>;

/**
 * A completed sale: an append-only fact. Cancelling it is another fact (transactionCancellation);
 * `status`, `cancelledAt` and `cancelReason` are derived by the server from that fact.
 */
export const transactionRecord = z.object({
  ...syncMetaShape,
  ...factShape,
  cashRegisterId: recordId,
  participantId: recordId,
  receiptNumber: z.string().min(1).max(40),
  receiptSeq: z.int().min(1),
  lines: z.array(saleLine).min(1).max(100),
  totalMinor: minorUnits,
  paymentMethod,
  /** Part paid in cash (all of it for `cash`, none for `bank_transfer`). */
  cashMinor: minorUnits,
  amountReceivedMinor: minorUnits,
  changeMinor: minorUnits,
  notes: z.string().max(2000),
  cashierName: z.string().max(200),
  status: z.enum(['completed', 'cancelled']),
  cancelledAt: isoDateTime.nullable(),
  cancelReason: z.string().max(2000).nullable(),
  legacyId: z.int().min(0),
});
export type TransactionRecord = z.infer<typeof transactionRecord>;

export const transactionCancellationRecord = z.object({
  ...syncMetaShape,
  ...factShape,
  transactionId: recordId,
  cashRegisterId: recordId,
  reason: z.string().trim().min(1).max(2000),
  cancelledBy: z.string().max(200),
});
export type TransactionCancellationRecord = z.infer<typeof transactionCancellationRecord>;

/**
 * What a person may attend: derived by the server from completed sales (source `sale`),
 * or granted by an organizer (source `manual`). Doors read these.
 */
export const entitlementRecord = z.object({
  ...syncMetaShape,
  participantId: recordId,
  payableItemId: recordId.nullable(),
  sessionId: recordId.nullable(),
  status: z.enum(['paid', 'free', 'pending']),
  amountMinor: minorUnits,
  source: z.enum(['sale', 'manual']),
  transactionId: recordId.nullable(),
  revoked: z.boolean(),
});
export type EntitlementRecord = z.infer<typeof entitlementRecord>;
