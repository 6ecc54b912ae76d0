import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSale,
  buildZReport,
  type CapacitySession,
  detectOversold,
  detectReceiptCollisions,
  type EntitlementRecord,
  entitlementsFromSales,
  MAX_MINOR_UNITS,
  missingReceiptSeqs,
  type PaymentMethod,
  planEntitlementWrites,
  type SaleFact,
  saleAmountIssues,
  settlePayment,
  summarizeRegister,
  type TransactionCancellationRecord,
  type TransactionRecord,
  transactionRecord,
  validateCart,
} from '../src';
import { EVENT, emptyWorld, ITEM, items, person, REG_A, REG_B, sessions, uid, type World } from './cashDeskFixtures';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** A deterministic permutation (Fisher–Yates over a small LCG), so fast-check can shrink the seed. */
function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const methodArb = fc.constantFrom<PaymentMethod>('cash', 'bank_transfer', 'mixed');

describe('payment always adds up', () => {
  it('cash + non-cash = total; received − change = cash; refused exactly when received < cash part', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_MINOR_UNITS }),
        methodArb,
        fc.integer({ min: 0, max: MAX_MINOR_UNITS }),
        fc.option(fc.integer({ min: 0, max: MAX_MINOR_UNITS }), { nil: undefined }),
        (total, method, cashPart, received) => {
          const r = settlePayment(total, { method, cashMinor: cashPart, amountReceivedMinor: received });
          const due = method === 'cash' ? total : method === 'bank_transfer' ? 0 : cashPart;
          const validMixed = method !== 'mixed' || (cashPart > 0 && cashPart < total);
          const validTransfer = method !== 'bank_transfer' || !received;
          const expectOk = validMixed && validTransfer && (received === undefined || received >= due);
          expect(r.ok).toBe(expectOk);
          if (!r.ok) return;
          const s = r.settlement;
          for (const v of Object.values(s)) if (typeof v === 'number') expect(Number.isSafeInteger(v)).toBe(true);
          expect(s.cashMinor + s.nonCashMinor).toBe(total);
          expect(s.amountReceivedMinor - s.changeMinor).toBe(s.cashMinor);
          expect(s.changeMinor).toBeGreaterThanOrEqual(0);
          expect(s.cashMinor).toBe(due);
        },
      ),
      { numRuns: 500 },
    );
  });
});

// A random cart over the fixture catalogue, with random prices.
const sellable = [ITEM.workshop, ITEM.echo, ITEM.dinner, ITEM.access, ITEM.kit, ITEM.free];
const cartArb = fc.record({
  picks: fc.uniqueArray(fc.constantFrom(...sellable), { minLength: 1, maxLength: sellable.length }),
  kitQuantity: fc.integer({ min: 1, max: 1000 }),
  prices: fc.array(fc.integer({ min: 0, max: 100_000_000 }), {
    minLength: sellable.length,
    maxLength: sellable.length,
  }),
  method: methodArb,
  cashSeed: fc.nat(),
  extra: fc.integer({ min: 0, max: 10_000_000 }),
});

describe('a built sale always adds up', () => {
  it('Σ lines = total, cash + non-cash = total, received − change = cash, entitlements = lines', () => {
    fc.assert(
      fc.property(cartArb, ({ picks, kitQuantity, prices, method, cashSeed, extra }) => {
        const priced = items.map((i) => {
          const k = sellable.indexOf(i.id);
          return k >= 0 && i.id !== ITEM.free ? { ...i, priceMinor: prices[k]! } : i;
        });
        const cart = picks.map((id) => ({ payableItemId: id, quantity: id === ITEM.kit ? kitQuantity : 1 }));
        const verdict = validateCart({
          eventId: EVENT,
          participant: person(1),
          lines: cart,
          items: priced,
          sessions,
          transactions: [],
          cancellations: [],
          entitlements: [],
        });
        expect(verdict.ok).toBe(true);
        const total = verdict.totalMinor;
        const cashPart = total >= 2 ? 1 + (cashSeed % (total - 1)) : 0;
        const m: PaymentMethod = method === 'mixed' && total < 2 ? 'cash' : method;
        const due = m === 'cash' ? total : m === 'mixed' ? cashPart : 0;
        const out = buildSale({
          id: uid(1, 0x7),
          now: new Date('2026-11-22T09:00:00.000Z'),
          eventId: EVENT,
          deviceId: 'tablet-1',
          register: REG_A,
          cashierName: 'Amina',
          participant: person(1),
          cart,
          payment: {
            method: m,
            cashMinor: cashPart,
            amountReceivedMinor: m === 'bank_transfer' ? undefined : due + extra,
          },
          items: priced,
          sessions,
          transactions: [],
          cancellations: [],
          entitlements: [],
        });
        if (!out.ok) throw new Error(`${out.stage}: ${out.reason}`);
        const t = out.transaction;
        expect(transactionRecord.safeParse(t).success).toBe(true);
        expect(sum(t.lines.map((l) => l.unitPriceMinor * l.quantity))).toBe(t.totalMinor);
        expect(t.totalMinor).toBe(total);
        expect(t.cashMinor + out.settlement.nonCashMinor).toBe(t.totalMinor);
        expect(t.amountReceivedMinor - t.changeMinor).toBe(t.cashMinor);
        expect(t.changeMinor).toBe(m === 'bank_transfer' ? 0 : extra);
        expect(saleAmountIssues(t)).toEqual([]);
        expect(out.entitlements).toHaveLength(t.lines.length);
        expect(sum(out.entitlements.map((e) => e.amountMinor))).toBe(t.totalMinor);
      }),
      { numRuns: 300 },
    );
  });
});

// Random consistent sales across two registers and two days, as the server would hold them.
const saleSpecArb = fc.record({
  register: fc.constantFrom(REG_A, REG_B),
  participant: fc.integer({ min: 1, max: 8 }),
  lines: fc.array(
    fc.record({
      item: fc.constantFrom(...items.filter((i) => i.eventId === EVENT)),
      unitPriceMinor: fc.integer({ min: 0, max: 100_000_000 }),
      quantity: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  method: methodArb,
  cashSeed: fc.nat(),
  extra: fc.integer({ min: 0, max: 1_000_000 }),
  minute: fc.integer({ min: 0, max: 2 * 24 * 60 - 1 }),
});
const worldArb = fc.record({
  specs: fc.array(saleSpecArb, { minLength: 0, maxLength: 25 }),
  cancelPicks: fc.array(fc.record({ index: fc.nat(), delay: fc.integer({ min: 1, max: 24 * 60 }) }), { maxLength: 12 }),
  seed: fc.nat(),
  opening: fc.integer({ min: 0, max: 10_000_000 }),
});

const DAY0 = Date.parse('2026-11-21T00:00:00.000Z');
const at = (minute: number) => new Date(DAY0 + minute * 60_000).toISOString();

type WorldSpec = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;
function materialize(w: WorldSpec): {
  sales: TransactionRecord[];
  cancels: TransactionCancellationRecord[];
} {
  const seqs = new Map<string, number>();
  const sales = w.specs.map((s, i): TransactionRecord => {
    const lines = s.lines.map((l) => ({
      payableItemId: l.item.id,
      name: l.item.name,
      kind: l.item.kind,
      sessionId: l.item.sessionId,
      unitPriceMinor: l.unitPriceMinor,
      quantity: l.quantity,
    }));
    const total = sum(lines.map((l) => l.unitPriceMinor * l.quantity));
    const method: PaymentMethod = s.method === 'mixed' && total < 2 ? 'cash' : s.method;
    const cashPart = total >= 2 ? 1 + (s.cashSeed % (total - 1)) : 0;
    const settled = settlePayment(total, {
      method,
      cashMinor: cashPart,
      amountReceivedMinor: method === 'bank_transfer' ? undefined : (method === 'cash' ? total : cashPart) + s.extra,
    });
    if (!settled.ok) throw new Error(settled.reason);
    const seq = (seqs.get(s.register.id) ?? 0) + 1;
    seqs.set(s.register.id, seq);
    const when = at(s.minute);
    return {
      id: uid(i + 1, 0x7),
      eventId: EVENT,
      seq: 0,
      rev: 0,
      createdAt: when,
      updatedAt: when,
      deleted: false,
      deviceId: s.register === REG_A ? 'tablet-1' : 'tablet-2',
      occurredAt: when,
      receivedAt: null,
      cashRegisterId: s.register.id,
      participantId: person(s.participant).id,
      receiptNumber: `${s.register.receiptPrefix}-${seq}`,
      receiptSeq: seq,
      lines,
      totalMinor: total,
      paymentMethod: method,
      cashMinor: settled.settlement.cashMinor,
      amountReceivedMinor: settled.settlement.amountReceivedMinor,
      changeMinor: settled.settlement.changeMinor,
      notes: '',
      cashierName: 'Amina',
      status: 'completed',
      cancelledAt: null,
      cancelReason: null,
      legacyId: 0,
    };
  });
  const cancels = sales.length
    ? w.cancelPicks.map((c, k): TransactionCancellationRecord => {
        const sale = sales[c.index % sales.length]!;
        const when = new Date(Date.parse(sale.occurredAt) + c.delay * 60_000).toISOString();
        return {
          id: uid(k + 1, 0xc),
          eventId: EVENT,
          seq: 0,
          rev: 0,
          createdAt: when,
          updatedAt: when,
          deleted: false,
          deviceId: sale.deviceId,
          occurredAt: when,
          receivedAt: null,
          transactionId: sale.id,
          cashRegisterId: sale.cashRegisterId,
          reason: `motif ${k}`,
          cancelledBy: 'Amina',
        };
      })
    : [];
  return { sales, cancels };
}

function checkSummary(s: ReturnType<typeof summarizeRegister>, opening: number) {
  const methods = Object.values(s.byMethod);
  expect(sum(methods.map((m) => m.totalMinor))).toBe(s.completedMinor);
  expect(sum(methods.map((m) => m.count))).toBe(s.completedCount);
  expect(sum(methods.map((m) => m.cashMinor))).toBe(s.cashMinor);
  for (const m of methods) expect(m.cashMinor + m.nonCashMinor).toBe(m.totalMinor);
  expect(s.cashMinor + s.nonCashMinor).toBe(s.completedMinor);
  expect(s.grossMinor).toBe(s.completedMinor + s.cancelledMinor);
  expect(s.salesCount).toBe(s.completedCount + s.cancelledCount);
  expect(sum(s.byItem.map((i) => i.totalMinor))).toBe(s.completedMinor);
  expect(s.amountReceivedMinor - s.changeMinor).toBe(s.cashMinor);
  expect(s.expectedCashMinor).toBe(opening + s.cashMinor);
  expect(s.byMethod.bank_transfer.cashMinor).toBe(0);
  expect(s.byMethod.cash.nonCashMinor).toBe(0);
}

describe('summaries always add up', () => {
  it('by method and by item sum to the total; cash = received − change', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { sales, cancels } = materialize(w);
        for (const reg of [REG_A, REG_B]) {
          const s = summarizeRegister(reg.id, sales, cancels, { openingFloatMinor: w.opening });
          checkSummary(s, w.opening);
          expect(s.salesCount).toBe(sales.filter((t) => t.cashRegisterId === reg.id).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a cancellation removes exactly its sale’s amounts', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), (w, pick) => {
        const { sales, cancels } = materialize(w);
        const cancelled = new Set(cancels.map((c) => c.transactionId));
        const standing = sales.filter((t) => !cancelled.has(t.id));
        fc.pre(standing.length > 0);
        const target = standing[pick % standing.length]!;
        const reg = target.cashRegisterId;
        const before = summarizeRegister(reg, sales, cancels);
        const cancellation: TransactionCancellationRecord = {
          id: uid(999, 0xc),
          eventId: EVENT,
          seq: 0,
          rev: 0,
          createdAt: target.occurredAt,
          updatedAt: target.occurredAt,
          deleted: false,
          deviceId: target.deviceId,
          occurredAt: target.occurredAt,
          receivedAt: null,
          transactionId: target.id,
          cashRegisterId: reg,
          reason: 'property',
          cancelledBy: 'Amina',
        };
        const after = summarizeRegister(reg, sales, [...cancels, cancellation]);
        expect(after.completedMinor).toBe(before.completedMinor - target.totalMinor);
        expect(after.cancelledMinor).toBe(before.cancelledMinor + target.totalMinor);
        expect(after.cashMinor).toBe(before.cashMinor - target.cashMinor);
        expect(after.grossMinor).toBe(before.grossMinor);
        expect(after.completedCount).toBe(before.completedCount - 1);
        expect(after.byMethod[target.paymentMethod].totalMinor).toBe(
          before.byMethod[target.paymentMethod].totalMinor - target.totalMinor,
        );
        checkSummary(after, 0);
      }),
      { numRuns: 300 },
    );
  });

  it('Z-report drawer: opening + cash sales − cash refunds = opening + completed cash − refunds of earlier days', () => {
    fc.assert(
      fc.property(
        worldArb,
        fc.integer({ min: 0, max: 2 * 24 * 60 }),
        fc.integer({ min: 1, max: 24 * 60 }),
        (w, start, length) => {
          const { sales, cancels } = materialize(w);
          const z = buildZReport({
            event: { id: EVENT, name: 'Congrès', currency: 'DZD' },
            register: REG_A,
            from: at(start),
            to: at(start + length),
            generatedAt: new Date(DAY0),
            openingFloatMinor: w.opening,
            transactions: sales,
            cancellations: cancels,
          });
          checkSummary(z.summary, w.opening);
          expect(z.drawer.expectedMinor).toBe(
            z.drawer.openingFloatMinor + z.drawer.cashSalesMinor - z.drawer.cashRefundsMinor,
          );
          expect(z.drawer.expectedMinor).toBe(w.opening + z.summary.cashMinor - z.refundsOfEarlierSales.cashMinor);
          expect(z.journal).toHaveLength(z.summary.salesCount);
          expect(sum(z.journal.filter((j) => !j.cancelled).map((j) => j.totalMinor))).toBe(z.summary.completedMinor);
          expect(z.receipts.collisions).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('entitlement derivation is idempotent and order-independent', () => {
  it('same facts in any order, duplicated, give the same records; revoked exactly for cancelled sales', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), fc.nat(), (w, s1, s2) => {
        const { sales, cancels } = materialize(w);
        const base = entitlementsFromSales(sales, cancels);
        const shuffled = entitlementsFromSales(
          shuffle([...sales, ...sales], s1),
          shuffle([...cancels, ...cancels], s2),
        );
        expect(shuffled).toEqual(base);
        expect(base).toHaveLength(sum(sales.map((t) => t.lines.length)));
        const cancelled = new Set(cancels.map((c) => c.transactionId));
        for (const e of base) expect(e.revoked).toBe(cancelled.has(e.transactionId!));
        expect(new Set(base.map((e) => e.id)).size).toBe(base.length);
      }),
      { numRuns: 300 },
    );
  });

  it('applying the plan, then planning again, leaves nothing to do (in any arrival order)', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), fc.nat(), (w, split, seed) => {
        const { sales, cancels } = materialize(w);
        // Facts arrive in two pushes, in some order; the server re-derives after each.
        const facts = shuffle([...sales.map((s) => ({ s })), ...cancels.map((c) => ({ c }))], seed);
        const cut = facts.length ? split % (facts.length + 1) : 0;
        let stored: EntitlementRecord[] = [];
        const apply = (known: typeof facts) => {
          const derived = entitlementsFromSales(
            known.flatMap((f) => ('s' in f ? [f.s] : [])),
            known.flatMap((f) => ('c' in f ? [f.c] : [])),
          );
          const plan = planEntitlementWrites(stored, derived);
          const byId = new Map(stored.map((e) => [e.id, e]));
          for (const e of plan.inserts) byId.set(e.id, { ...e, seq: byId.size + 1, rev: 1 });
          for (const u of plan.updates) byId.set(u.id, { ...byId.get(u.id)!, ...u.patch });
          stored = [...byId.values()];
        };
        apply(facts.slice(0, cut));
        apply(facts);
        const final = entitlementsFromSales(sales, cancels);
        expect(planEntitlementWrites(stored, final)).toEqual({ inserts: [], updates: [] });
        const strip = (e: EntitlementRecord) => ({ ...e, seq: 0, rev: 0, updatedAt: '', createdAt: '' });
        expect(stored.map(strip).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(final.map(strip));
      }),
      { numRuns: 200 },
    );
  });
});

describe('receipts and seats across devices', () => {
  const sessionsOf = (capacity: number): CapacitySession[] =>
    sessions.map((s) => (s.id === sessions[1]!.id ? { ...s, capacity } : s));

  it('one device: gapless numbers, never oversold; two offline devices: oversold exactly when holders exceed seats', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ device: fc.constantFrom(0, 1), participant: fc.integer({ min: 1, max: 10 }) }), {
          maxLength: 20,
        }),
        (capacity, attempts) => {
          const ss = sessionsOf(capacity);
          const single = emptyWorld();
          const split: [World, World] = [emptyWorld(), emptyWorld()];
          let n = 0;
          const attempt = (world: World, register: typeof REG_A, deviceId: string, participant: number) => {
            n++;
            const out = buildSale({
              id: uid(n, 0x7),
              now: new Date(DAY0 + n * 60_000),
              eventId: EVENT,
              deviceId,
              register,
              cashierName: 'Amina',
              participant: person(participant),
              cart: [{ payableItemId: ITEM.echo }, { payableItemId: ITEM.kit }],
              payment: { method: 'cash' },
              items,
              sessions: ss,
              transactions: world.transactions,
              cancellations: world.cancellations,
              entitlements: world.entitlements,
            });
            if (out.ok) {
              world.transactions.push(out.transaction);
              world.entitlements.push(...out.entitlements);
            }
          };
          for (const a of attempts) {
            attempt(single, REG_A, 'tablet-1', a.participant);
            if (a.device === 0) attempt(split[0], REG_A, 'tablet-1', a.participant);
            else attempt(split[1], REG_B, 'tablet-2', a.participant);
          }
          // One device knows every sale: never oversold, numbers 1..n.
          expect(detectOversold(ss, single.transactions, [])).toEqual([]);
          expect(missingReceiptSeqs(single.transactions, REG_A.id)).toEqual([]);
          expect(detectReceiptCollisions(single.transactions)).toEqual([]);
          // Two registers offline: each alone is fine; merged, flagged iff distinct holders > capacity.
          const merged: SaleFact[] = [...split[0].transactions, ...split[1].transactions];
          const holders = new Set(merged.map((t) => t.participantId));
          const incidents = detectOversold(ss, merged, []);
          expect(incidents.length).toBe(holders.size > capacity ? 1 : 0);
          if (incidents[0]) {
            expect(incidents[0].excess).toHaveLength(holders.size - capacity);
            expect(incidents[0].key).toBe(`oversold:${ss[1]!.id}`);
          }
          expect(detectReceiptCollisions(merged)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
