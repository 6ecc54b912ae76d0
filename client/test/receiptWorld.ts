import {
  buildCancellation,
  buildSale,
  type CapacitySession,
  type CatalogueItem,
  type EntitlementRecord,
  type PaymentInput,
  type TransactionCancellationRecord,
  type TransactionRecord,
} from '@makeplus/shared';

/** Readable valid UUIDs: uid(1, 0x7) → 00000007-0000-4000-8000-000000000001. */
export const uid = (n: number, group = 0) =>
  `${group.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const EVENT = {
  id: uid(1, 0xe),
  name: 'Congrès national de cardiologie',
  venue: 'Centre international de conférences, Alger',
  startsAt: '2026-11-22T08:00:00.000+01:00',
  endsAt: '2026-11-24T18:00:00.000+01:00',
  timezone: 'Africa/Algiers',
  currency: 'DZD',
};
export const REGISTER = {
  id: uid(1, 0xa),
  eventId: EVENT.id,
  name: 'Caisse Hall A',
  receiptPrefix: 'HA',
  isActive: true,
};
export const SESSION = uid(1, 0x5);
export const sessions: CapacitySession[] = [
  { id: SESSION, eventId: EVENT.id, title: 'Échographie', capacity: 30, status: 'not_started', deleted: false },
];
export const ITEM = { workshop: uid(1, 0x1), dinner: uid(2, 0x1), kit: uid(3, 0x1) };
export const items: CatalogueItem[] = [
  {
    id: ITEM.workshop,
    eventId: EVENT.id,
    name: 'Atelier - Échographie cardiaque',
    kind: 'session',
    priceMinor: 200000,
    sessionId: SESSION,
    isActive: true,
    deleted: false,
  },
  {
    id: ITEM.dinner,
    eventId: EVENT.id,
    name: 'Dîner de gala',
    kind: 'dinner',
    priceMinor: 350000,
    sessionId: null,
    isActive: true,
    deleted: false,
  },
  {
    id: ITEM.kit,
    eventId: EVENT.id,
    name: 'Kit congressiste',
    kind: 'other',
    priceMinor: 12550,
    sessionId: null,
    isActive: true,
    deleted: false,
  },
];

export const participant = (n: number) => ({
  id: uid(n, 0xb),
  eventId: EVENT.id,
  deleted: false,
  firstName: n === 1 ? 'Yacine' : `Personne${n}`,
  lastName: n === 1 ? 'Benali' : 'Test',
  organization: n === 1 ? 'CHU Mustapha' : '',
  email: n === 1 ? 'yacine@example.dz' : '',
});

export class Desk {
  transactions: TransactionRecord[] = [];
  cancellations: TransactionCancellationRecord[] = [];
  entitlements: EntitlementRecord[] = [];
  private n = 0;

  sell(
    p: number,
    cart: { payableItemId: string; quantity?: number }[],
    payment: PaymentInput,
    at: string,
  ): TransactionRecord {
    this.n++;
    const out = buildSale({
      id: uid(this.n, 0x7),
      now: new Date(at),
      eventId: EVENT.id,
      currency: EVENT.currency,
      deviceId: 'tablet-hall-a',
      register: REGISTER,
      cashierName: 'Amina Cherif',
      participant: participant(p),
      cart,
      payment,
      items,
      sessions,
      transactions: this.transactions,
      cancellations: this.cancellations,
      entitlements: this.entitlements,
    });
    if (!out.ok) throw new Error(`${out.stage}: ${out.reason}`);
    this.transactions.push(out.transaction);
    this.entitlements.push(...out.entitlements);
    return out.transaction;
  }

  cancel(t: TransactionRecord, reason: string, at: string): TransactionCancellationRecord {
    const out = buildCancellation({
      id: uid(this.cancellations.length + 1, 0xc),
      now: new Date(at),
      eventId: EVENT.id,
      deviceId: 'tablet-hall-a',
      cashRegisterId: REGISTER.id,
      cancelledBy: 'Amina Cherif',
      reason,
      transactionId: t.id,
      transactions: this.transactions,
      cancellations: this.cancellations,
    });
    if (!out.ok) throw new Error(out.reason);
    this.cancellations.push(out.cancellation);
    return out.cancellation;
  }
}

/**
 * The text a PDF shows, read from its uncompressed content streams: every `(…) Tj` string,
 * unescaped, one per line, in drawing order (WinAnsi bytes read as Latin-1).
 */
export function pdfTextLines(pdf: ArrayBuffer): string[] {
  const raw = new TextDecoder('latin1').decode(pdf);
  const out: string[] = [];
  for (const m of raw.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
    out.push(
      (m[1] ?? '').replace(/\\([0-7]{1,3}|.)/g, (_, e: string) =>
        /^[0-7]+$/.test(e) ? String.fromCharCode(Number.parseInt(e, 8)) : e === 'n' ? '\n' : e,
      ),
    );
  }
  return out;
}

export const pdfRaw = (pdf: ArrayBuffer) => new TextDecoder('latin1').decode(pdf);

/** Page sizes in mm, from the MediaBoxes. */
export function pageSizesMm(pdf: ArrayBuffer): [number, number][] {
  const PT = 72 / 25.4;
  return [...pdfRaw(pdf).matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
    Math.round(Number(m[1]) / PT),
    Math.round(Number(m[2]) / PT),
  ]);
}
