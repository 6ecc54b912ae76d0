import { type CancellationFact, deriveSaleStatus, effectiveCancellations, type SaleFact } from './cancellation';
import type { CashRegisterRecord, PayableItemKind, PaymentMethod } from './cashDesk';
import { paymentMethod } from './cashDesk';
import { isAmountMinor, lineTotalMinor } from './payment';
import { detectReceiptCollisions, missingReceiptSeqs, type ReceiptCollision } from './receiptNumber';

export interface MethodTotals {
  count: number;
  totalMinor: number;
  cashMinor: number;
  nonCashMinor: number;
}

export interface ItemTotals {
  payableItemId: string;
  /** The name on the most recent sale of the item. */
  name: string;
  kind: PayableItemKind;
  quantity: number;
  totalMinor: number;
}

/**
 * A register's figures over a set of sales, every amount in minor units. Completed figures exclude
 * cancelled sales; cancelled figures are what the cancellations removed, exactly:
 * grossMinor = completedMinor + cancelledMinor, and Σ byMethod.totalMinor = completedMinor.
 */
export interface RegisterSummary {
  cashRegisterId: string;
  salesCount: number;
  grossMinor: number;
  completedCount: number;
  completedMinor: number;
  cancelledCount: number;
  cancelledMinor: number;
  cancelledCashMinor: number;
  byMethod: Record<PaymentMethod, MethodTotals>;
  byItem: ItemTotals[];
  /** Cash kept from completed sales: Σ cashMinor = Σ (amountReceived − change). */
  cashMinor: number;
  /** Paid by bank transfer (the non-cash part of completed sales). */
  nonCashMinor: number;
  amountReceivedMinor: number;
  changeMinor: number;
  /** What the drawer should hold for these sales: opening float + cashMinor. */
  expectedCashMinor: number;
}

export interface SummaryOptions {
  /** Cash in the drawer when the register opened (the float), minor units. */
  openingFloatMinor?: number;
  /** Count only cancellations that happened before this instant (a Z-report's closing time). */
  asOf?: string;
}

function add(a: number, b: number): number {
  const s = a + b;
  if (!isAmountMinor(s)) throw new RangeError('summary amount out of range');
  return s;
}

function emptyMethods(): Record<PaymentMethod, MethodTotals> {
  const out = {} as Record<PaymentMethod, MethodTotals>;
  for (const m of paymentMethod.options) out[m] = { count: 0, totalMinor: 0, cashMinor: 0, nonCashMinor: 0 };
  return out;
}

/** When a sale was cancelled, if it was (before `asOf` when given). */
function cancelledAtOf(
  sale: SaleFact,
  eff: ReadonlyMap<string, CancellationFact>,
  asOf: number | null,
): string | null | undefined {
  const st = deriveSaleStatus(sale, eff);
  if (st.status !== 'cancelled') return undefined;
  const at = st.cancelledAt ?? sale.occurredAt;
  if (asOf !== null && Date.parse(at) >= asOf) return undefined;
  return at;
}

/** The figures of one register over the sales given (other registers' sales are ignored). */
export function summarizeRegister(
  cashRegisterId: string,
  transactions: readonly SaleFact[],
  cancellations: readonly CancellationFact[],
  options: SummaryOptions = {},
): RegisterSummary {
  const eff = effectiveCancellations(cancellations);
  const asOf = options.asOf ? Date.parse(options.asOf) : null;
  const opening = options.openingFloatMinor ?? 0;
  if (!isAmountMinor(opening)) throw new RangeError('invalid opening float');
  const s: RegisterSummary = {
    cashRegisterId,
    salesCount: 0,
    grossMinor: 0,
    completedCount: 0,
    completedMinor: 0,
    cancelledCount: 0,
    cancelledMinor: 0,
    cancelledCashMinor: 0,
    byMethod: emptyMethods(),
    byItem: [],
    cashMinor: 0,
    nonCashMinor: 0,
    amountReceivedMinor: 0,
    changeMinor: 0,
    expectedCashMinor: 0,
  };
  const items = new Map<string, ItemTotals & { lastAt: string }>();
  const seen = new Set<string>();
  for (const sale of transactions) {
    if (sale.deleted || sale.cashRegisterId !== cashRegisterId || seen.has(sale.id)) continue;
    seen.add(sale.id);
    s.salesCount++;
    s.grossMinor = add(s.grossMinor, sale.totalMinor);
    if (cancelledAtOf(sale, eff, asOf) !== undefined) {
      s.cancelledCount++;
      s.cancelledMinor = add(s.cancelledMinor, sale.totalMinor);
      s.cancelledCashMinor = add(s.cancelledCashMinor, sale.cashMinor);
      continue;
    }
    s.completedCount++;
    s.completedMinor = add(s.completedMinor, sale.totalMinor);
    const m = s.byMethod[sale.paymentMethod];
    m.count++;
    m.totalMinor = add(m.totalMinor, sale.totalMinor);
    m.cashMinor = add(m.cashMinor, sale.cashMinor);
    m.nonCashMinor = add(m.nonCashMinor, sale.totalMinor - sale.cashMinor);
    s.cashMinor = add(s.cashMinor, sale.cashMinor);
    s.nonCashMinor = add(s.nonCashMinor, sale.totalMinor - sale.cashMinor);
    s.amountReceivedMinor = add(s.amountReceivedMinor, sale.amountReceivedMinor);
    s.changeMinor = add(s.changeMinor, sale.changeMinor);
    for (const l of sale.lines) {
      let it = items.get(l.payableItemId);
      if (!it) {
        it = { payableItemId: l.payableItemId, name: l.name, kind: l.kind, quantity: 0, totalMinor: 0, lastAt: '' };
        items.set(l.payableItemId, it);
      }
      it.quantity += l.quantity;
      it.totalMinor = add(it.totalMinor, lineTotalMinor(l));
      if (sale.occurredAt >= it.lastAt) {
        it.lastAt = sale.occurredAt;
        it.name = l.name;
      }
    }
  }
  s.expectedCashMinor = add(opening, s.cashMinor);
  s.byItem = [...items.values()]
    .map(({ lastAt: _lastAt, ...rest }) => rest)
    .sort((a, b) => a.name.localeCompare(b.name, 'fr') || (a.payableItemId < b.payableItemId ? -1 : 1));
  return s;
}

// ---------------------------------------------------------------------------------------------
// Z-report: closing a register day
// ---------------------------------------------------------------------------------------------

export interface ZReportCancellation {
  transactionId: string;
  receiptNumber: string;
  saleOccurredAt: string;
  cancelledAt: string;
  reason: string;
  cancelledBy: string;
  paymentMethod: PaymentMethod;
  totalMinor: number;
  cashMinor: number;
  /** The sale was made in the same window (otherwise it is a refund of an earlier day's sale). */
  sameWindow: boolean;
}

export interface ZReportSale {
  transactionId: string;
  receiptNumber: string;
  receiptSeq: number;
  occurredAt: string;
  participantId: string;
  cashierName: string;
  deviceId: string;
  paymentMethod: PaymentMethod;
  totalMinor: number;
  cashMinor: number;
  /** Cancelled before the closing time. */
  cancelled: boolean;
}

/**
 * What a register hands over when it closes a day (the "Z" report): everything in minor units.
 * The drawer adds up as: expected = opening float + cash taken by the window's sales − cash given
 * back by the window's cancellations (of this window's sales or earlier ones).
 */
export interface ZReport {
  version: 1;
  eventId: string;
  eventName: string;
  currency: string;
  timezone: string;
  cashRegisterId: string;
  registerName: string;
  receiptPrefix: string;
  from: string;
  to: string;
  generatedAt: string;
  receipts: {
    first: string | null;
    last: string | null;
    count: number;
    /** Numbers missing between the first and the last (empty: gapless). */
    missing: number[];
    /** Numbers issued twice (two devices on the register offline). */
    collisions: ReceiptCollision[];
  };
  devices: string[];
  cashiers: string[];
  /** The window's sales, cancellations counted up to the closing time. */
  summary: RegisterSummary;
  /** Cancellations made during the window at this register, of any sale. */
  cancellations: ZReportCancellation[];
  refundsOfEarlierSales: { count: number; totalMinor: number; cashMinor: number };
  drawer: {
    openingFloatMinor: number;
    cashSalesMinor: number;
    cashRefundsMinor: number;
    expectedMinor: number;
    countedMinor: number | null;
    /** counted − expected (negative: cash missing). */
    differenceMinor: number | null;
  };
  journal: ZReportSale[];
}

export interface ZReportInput {
  event: { id: string; name: string; currency: string; timezone?: string };
  register: Pick<CashRegisterRecord, 'id' | 'name' | 'receiptPrefix'>;
  /** The window closed, [from, to): usually the register's day, `to` being the closing time. */
  from: string;
  to: string;
  generatedAt: Date;
  openingFloatMinor?: number;
  /** Cash counted in the drawer at closing, if counted. */
  countedCashMinor?: number | null;
  transactions: readonly SaleFact[];
  cancellations: readonly CancellationFact[];
}

export function buildZReport(input: ZReportInput): ZReport {
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  if (!(from < to)) throw new RangeError('the window must end after it starts');
  const regId = input.register.id;
  const inWindow = (iso: string) => {
    const t = Date.parse(iso);
    return from <= t && t < to;
  };
  const byId = new Map<string, SaleFact>();
  for (const t of input.transactions) {
    if (!t.deleted && t.cashRegisterId === regId && !byId.has(t.id)) byId.set(t.id, t);
  }
  const registerSales = [...byId.values()];
  const daySales = registerSales
    .filter((t) => inWindow(t.occurredAt))
    .sort((a, b) => a.receiptSeq - b.receiptSeq || (a.id < b.id ? -1 : 1));
  const opening = input.openingFloatMinor ?? 0;
  const summary = summarizeRegister(regId, daySales, input.cancellations, {
    openingFloatMinor: opening,
    asOf: input.to,
  });

  const eff = effectiveCancellations(input.cancellations);
  const cancellations: ZReportCancellation[] = [];
  for (const sale of registerSales) {
    const st = deriveSaleStatus(sale, eff);
    if (st.status !== 'cancelled') continue;
    const at = st.cancelledAt ?? sale.occurredAt;
    if (!inWindow(at)) continue;
    const c = st.cancellationId ? eff.get(sale.id) : undefined;
    cancellations.push({
      transactionId: sale.id,
      receiptNumber: sale.receiptNumber,
      saleOccurredAt: sale.occurredAt,
      cancelledAt: at,
      reason: c?.reason ?? st.cancelReason ?? '',
      cancelledBy: c?.cancelledBy ?? '',
      paymentMethod: sale.paymentMethod,
      totalMinor: sale.totalMinor,
      cashMinor: sale.cashMinor,
      sameWindow: inWindow(sale.occurredAt),
    });
  }
  cancellations.sort(
    (a, b) => Date.parse(a.cancelledAt) - Date.parse(b.cancelledAt) || (a.transactionId < b.transactionId ? -1 : 1),
  );
  const earlier = cancellations.filter((c) => !c.sameWindow);
  const refundsOfEarlierSales = {
    count: earlier.length,
    totalMinor: earlier.reduce((s, c) => add(s, c.totalMinor), 0),
    cashMinor: earlier.reduce((s, c) => add(s, c.cashMinor), 0),
  };
  const cashSalesMinor = daySales.reduce((s, t) => add(s, t.cashMinor), 0);
  const cashRefundsMinor = cancellations.reduce((s, c) => add(s, c.cashMinor), 0);
  const expectedMinor = opening + cashSalesMinor - cashRefundsMinor;
  const counted = input.countedCashMinor ?? null;
  if (counted !== null && !isAmountMinor(counted)) throw new RangeError('invalid counted cash');

  // daySales is sorted by receipt number.
  const first = daySales[0] ?? null;
  const firstSeq = first?.receiptSeq ?? null;
  const last = daySales.length ? daySales[daySales.length - 1]! : null;
  const cancelledIds = new Set(
    daySales
      .filter((t) => {
        const st = deriveSaleStatus(t, eff);
        return st.status === 'cancelled' && Date.parse(st.cancelledAt ?? t.occurredAt) < to;
      })
      .map((t) => t.id),
  );

  return {
    version: 1,
    eventId: input.event.id,
    eventName: input.event.name,
    currency: input.event.currency,
    timezone: input.event.timezone ?? 'Africa/Algiers',
    cashRegisterId: regId,
    registerName: input.register.name,
    receiptPrefix: input.register.receiptPrefix,
    from: input.from,
    to: input.to,
    generatedAt: input.generatedAt.toISOString(),
    receipts: {
      first: first?.receiptNumber ?? null,
      last: last?.receiptNumber ?? null,
      count: daySales.length,
      missing: firstSeq === null ? [] : missingReceiptSeqs(daySales, regId, firstSeq),
      collisions: detectReceiptCollisions(daySales),
    },
    devices: [...new Set(daySales.map((t) => t.deviceId))].sort(),
    cashiers: [...new Set(daySales.map((t) => t.cashierName ?? '').filter(Boolean))].sort(),
    summary,
    cancellations,
    refundsOfEarlierSales,
    drawer: {
      openingFloatMinor: opening,
      cashSalesMinor,
      cashRefundsMinor,
      expectedMinor,
      countedMinor: counted,
      differenceMinor: counted === null ? null : counted - expectedMinor,
    },
    journal: daySales.map((t) => ({
      transactionId: t.id,
      receiptNumber: t.receiptNumber,
      receiptSeq: t.receiptSeq,
      occurredAt: t.occurredAt,
      participantId: t.participantId,
      cashierName: t.cashierName ?? '',
      deviceId: t.deviceId,
      paymentMethod: t.paymentMethod,
      totalMinor: t.totalMinor,
      cashMinor: t.cashMinor,
      cancelled: cancelledIds.has(t.id),
    })),
  };
}

/** A register's figures as the server reports them (GET …/cash-registers/statistics). */
export interface RegisterStatistics {
  cashRegisterId: string;
  name: string;
  receiptPrefix: string;
  isActive: boolean;
  summary: RegisterSummary;
  firstSaleAt: string | null;
  lastSaleAt: string | null;
  /** Receipt numbers never seen between 1 and the highest (a sale not yet synced, or lost). */
  missingReceipts: number[];
  /** Numbers issued twice (two tablets on one register offline). */
  duplicateReceipts: number[];
}
