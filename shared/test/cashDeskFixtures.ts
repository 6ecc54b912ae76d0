import {
  buildSale,
  type CapacitySession,
  type CatalogueItem,
  type EntitlementRecord,
  type PaymentInput,
  type TransactionCancellationRecord,
  type TransactionRecord,
} from '../src';

/** Readable, valid UUIDs for tests: uid(1) → 00000000-0000-4000-8000-000000000001. */
export function uid(n: number, group = 0): string {
  return `${group.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export const EVENT = uid(1, 0xe);
export const OTHER_EVENT = uid(2, 0xe);
export const REG_A = { id: uid(1, 0xa), eventId: EVENT, receiptPrefix: 'A', isActive: true, name: 'Caisse A' };
export const REG_B = { id: uid(2, 0xa), eventId: EVENT, receiptPrefix: 'B', isActive: true, name: 'Caisse B' };
export const SESSION_WS = uid(1, 0x5);
export const SESSION_FULL = uid(2, 0x5);

export const sessions: CapacitySession[] = [
  { id: SESSION_WS, eventId: EVENT, title: 'Atelier IA', capacity: 2, status: 'not_started', deleted: false },
  { id: SESSION_FULL, eventId: EVENT, title: 'Atelier Echo', capacity: 1, status: 'not_started', deleted: false },
];

export const ITEM = {
  workshop: uid(1, 0x1),
  echo: uid(2, 0x1),
  dinner: uid(3, 0x1),
  access: uid(4, 0x1),
  kit: uid(5, 0x1),
  inactive: uid(6, 0x1),
  foreign: uid(7, 0x1),
  free: uid(8, 0x1),
};

export const items: CatalogueItem[] = [
  item(ITEM.workshop, 'Atelier - Atelier IA', 'session', 200000, SESSION_WS),
  item(ITEM.echo, 'Atelier - Atelier Echo', 'session', 150000, SESSION_FULL),
  item(ITEM.dinner, 'Dîner de gala', 'dinner', 350000),
  item(ITEM.access, 'Accès exposition', 'access', 50000),
  item(ITEM.kit, 'Kit congressiste', 'other', 12550),
  { ...item(ITEM.inactive, 'Ancien article', 'other', 1000), isActive: false },
  { ...item(ITEM.foreign, 'Autre événement', 'other', 1000), eventId: OTHER_EVENT },
  item(ITEM.free, 'Conférence plénière', 'access', 0),
];

function item(
  id: string,
  name: string,
  kind: CatalogueItem['kind'],
  priceMinor: number,
  sessionId: string | null = null,
): CatalogueItem {
  return { id, eventId: EVENT, name, kind, priceMinor, sessionId, isActive: true, deleted: false };
}

export const person = (n: number) => ({ id: uid(n, 0xb), eventId: EVENT, deleted: false });

export interface World {
  transactions: TransactionRecord[];
  cancellations: TransactionCancellationRecord[];
  entitlements: EntitlementRecord[];
}
export const emptyWorld = (): World => ({ transactions: [], cancellations: [], entitlements: [] });

let txCounter = 0;
/** Sell through buildSale and record the writes in `world` (as the device's local database would). */
export function sell(
  world: World,
  opts: {
    participant: number;
    cart: { payableItemId: string; quantity?: number }[];
    payment?: PaymentInput;
    register?: typeof REG_A;
    deviceId?: string;
    at?: string;
    takeover?: boolean;
  },
): TransactionRecord {
  txCounter++;
  const out = buildSale({
    id: uid(txCounter, 0x7),
    now: new Date(opts.at ?? '2026-11-22T09:00:00.000Z'),
    eventId: EVENT,
    deviceId: opts.deviceId ?? 'tablet-1',
    register: opts.register ?? REG_A,
    cashierName: 'Amina',
    participant: person(opts.participant),
    cart: opts.cart,
    payment: opts.payment ?? { method: 'cash' },
    takeover: opts.takeover,
    items,
    sessions,
    transactions: world.transactions,
    cancellations: world.cancellations,
    entitlements: world.entitlements,
  });
  if (!out.ok) throw new Error(`sale refused: ${out.stage} ${out.reason} ${out.message.en}`);
  world.transactions.push(out.transaction);
  world.entitlements.push(...out.entitlements);
  return out.transaction;
}
