import type { SaleFact } from './cancellation';
import type { CashRegisterRecord } from './cashDesk';
import { type LocalizedText, text } from './localizedText';

/*
 * Receipt numbering, without the network.
 *
 * A receipt reads `<register prefix>-<n>`; n is the register's sequence, starting at 1:
 *   next n = highest receiptSeq among that register's sales known to the device + 1.
 *
 * Why it is unique and gapless: a register is one login, worked by one device at a time (one
 * register = one device session). Every sale of the register is then made on that device and is in
 * its local database before the next one is numbered, so the device's highest number is the
 * register's highest number, synced or not. Cancelling never removes a sale (it is another fact), so
 * no number is ever freed or skipped.
 *
 * What breaks it: two tablets logged into the same register while offline. Each sees only its own
 * sales and both issue the same next number; the server's unique index (cash_register_id,
 * receipt_seq) then refuses the second push. Hence two guards:
 * 1. Prevent (the device is part of the decision): the register is held by the device that issued
 *    its highest number. Another device may not number on it unless it takes the register over
 *    explicitly (`takeover`), which the UI offers only online, right after a pull, with the warning
 *    that the previous tablet must have synced and stopped selling. A takeover sale makes the new
 *    device the holder, so the old one, once it syncs, is refused in turn.
 * 2. Detect (what prevention cannot see: two tablets starting on a fresh register offline, or the
 *    old tablet selling offline after a takeover): `detectReceiptCollisions` lists every
 *    (register, n) issued to more than one sale, with a stable incident key. The printed receipts
 *    stay as they are (a customer holds them); the organizer resolves the duplicate numbers. The
 *    server should store such a sale and raise the incident instead of rejecting it (a sale that
 *    happened must not be lost).
 */

export function formatReceiptNumber(prefix: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`invalid receipt sequence: ${seq}`);
  return `${prefix}-${seq}`;
}

export function parseReceiptNumber(receiptNumber: string): { prefix: string; seq: number } | null {
  const m = /^([A-Z0-9]{1,8})-([1-9]\d{0,14})$/.exec(receiptNumber);
  if (!m) return null;
  const seq = Number(m[2]);
  return Number.isSafeInteger(seq) ? { prefix: m[1]!, seq } : null;
}

type NumberedSale = Pick<SaleFact, 'id' | 'cashRegisterId' | 'receiptSeq' | 'deviceId' | 'deleted'>;

/** The register's highest-numbered sale (ties, i.e. collisions, broken by id so every device agrees). */
function lastSaleOf<T extends NumberedSale>(sales: readonly T[], cashRegisterId: string): T | undefined {
  let last: T | undefined;
  for (const s of sales) {
    if (s.deleted || s.cashRegisterId !== cashRegisterId) continue;
    if (!last || s.receiptSeq > last.receiptSeq || (s.receiptSeq === last.receiptSeq && s.id < last.id)) last = s;
  }
  return last;
}

/** The device that holds a register: the one that issued its highest receipt number (null: never used). */
export function registerHolder(sales: readonly NumberedSale[], cashRegisterId: string): string | null {
  return lastSaleOf(sales, cashRegisterId)?.deviceId ?? null;
}

export const receiptRefusals = ['register_inactive', 'register_held_elsewhere'] as const;
export type ReceiptRefusal = (typeof receiptRefusals)[number];

export type ReceiptOutcome =
  | { ok: true; receiptSeq: number; receiptNumber: string; takeover: boolean }
  | { ok: false; reason: ReceiptRefusal; message: LocalizedText; heldBy: string | null };

export interface NextReceiptInput {
  register: Pick<CashRegisterRecord, 'id' | 'receiptPrefix' | 'isActive'>;
  deviceId: string;
  /** Every sale this device knows (other registers' are ignored). */
  sales: readonly NumberedSale[];
  /** Take over a register last used by another device (offered online only, after a pull). */
  takeover?: boolean;
}

/** The next receipt number of a register on this device, or why this device may not number on it. */
export function nextReceipt(input: NextReceiptInput): ReceiptOutcome {
  if (!input.register.isActive)
    return {
      ok: false,
      reason: 'register_inactive',
      heldBy: null,
      message: text(
        "Cette caisse est désactivée. Demandez à l'organisateur de la réactiver.",
        'This register is deactivated. Ask the organizer to reactivate it.',
      ),
    };
  const last = lastSaleOf(input.sales, input.register.id);
  const heldElsewhere = last !== undefined && last.deviceId !== input.deviceId;
  if (heldElsewhere && !input.takeover)
    return {
      ok: false,
      reason: 'register_held_elsewhere',
      heldBy: last.deviceId,
      message: text(
        `Cette caisse a été utilisée en dernier sur un autre appareil (${last.deviceId}). Pour éviter deux tickets au même numéro, terminez et synchronisez l'autre tablette, puis reprenez la caisse ici (en ligne).`,
        `This register was last used on another device (${last.deviceId}). To avoid two receipts with the same number, finish and sync the other tablet, then take the register over here (online).`,
      ),
    };
  const receiptSeq = (last?.receiptSeq ?? 0) + 1;
  return {
    ok: true,
    receiptSeq,
    receiptNumber: formatReceiptNumber(input.register.receiptPrefix, receiptSeq),
    takeover: heldElsewhere,
  };
}

export interface ReceiptCollision {
  /** Stable across re-detections: `receipt:<registerId>:<n>`. */
  key: string;
  cashRegisterId: string;
  receiptSeq: number;
  transactionIds: string[];
  deviceIds: string[];
}

/** Receipt numbers issued to more than one sale (two devices on one register offline). */
export function detectReceiptCollisions(sales: readonly NumberedSale[]): ReceiptCollision[] {
  const groups = new Map<string, NumberedSale[]>();
  for (const s of sales) {
    if (s.deleted) continue;
    const k = `${s.cashRegisterId}:${s.receiptSeq}`;
    const g = groups.get(k);
    if (g) {
      if (!g.some((x) => x.id === s.id)) g.push(s);
    } else groups.set(k, [s]);
  }
  const out: ReceiptCollision[] = [];
  for (const [k, g] of groups) {
    if (g.length < 2) continue;
    const first = g[0]!;
    out.push({
      key: `receipt:${k}`,
      cashRegisterId: first.cashRegisterId,
      receiptSeq: first.receiptSeq,
      transactionIds: g.map((s) => s.id).sort(),
      deviceIds: [...new Set(g.map((s) => s.deviceId))].sort(),
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Numbers missing between `fromSeq` (1: the register's whole life; a Z-report passes its first
 * number) and the highest one seen (empty when the numbering is gapless).
 */
export function missingReceiptSeqs(sales: readonly NumberedSale[], cashRegisterId: string, fromSeq = 1): number[] {
  const seen = new Set<number>();
  let max = 0;
  for (const s of sales) {
    if (s.deleted || s.cashRegisterId !== cashRegisterId) continue;
    seen.add(s.receiptSeq);
    if (s.receiptSeq > max) max = s.receiptSeq;
  }
  const missing: number[] = [];
  for (let n = Math.max(1, fromSeq); n <= max; n++) if (!seen.has(n)) missing.push(n);
  return missing;
}
