import { describe, expect, it } from 'vitest';
import {
  buildCancellation,
  buildSale,
  buildZReport,
  detectOversold,
  detectReceiptCollisions,
  type EntitlementRecord,
  entitlementId,
  entitlementRecord,
  entitlementsFromSales,
  formatReceiptNumber,
  MAX_MINOR_UNITS,
  missingReceiptSeqs,
  nextReceipt,
  oversoldFlagFields,
  parseReceiptNumber,
  planEntitlementWrites,
  presenceFromSales,
  reconciliationFlagRecord,
  registerHolder,
  saleAmountIssues,
  settlePayment,
  summarizeRegister,
  transactionCancellationRecord,
  transactionRecord,
  uuidV5,
  validateCart,
} from '../src';
import {
  EVENT,
  emptyWorld,
  ITEM,
  items,
  OTHER_EVENT,
  person,
  REG_A,
  REG_B,
  SESSION_FULL,
  SESSION_WS,
  sell,
  sessions,
  uid,
  type World,
} from './cashDeskFixtures';

function cart(world: World, participant: number, lines: { payableItemId: string; quantity?: number }[]) {
  return validateCart({
    eventId: EVENT,
    participant: person(participant),
    lines,
    items,
    sessions,
    transactions: world.transactions,
    cancellations: world.cancellations,
    entitlements: world.entitlements,
  });
}

function cancel(
  world: World,
  transactionId: string,
  at = '2026-11-22T10:00:00.000Z',
  id = uid(world.cancellations.length + 1, 0xc),
) {
  const out = buildCancellation({
    id,
    now: new Date(at),
    eventId: EVENT,
    deviceId: 'tablet-1',
    cashRegisterId: REG_A.id,
    cancelledBy: 'Amina',
    reason: 'Erreur de saisie',
    transactionId,
    transactions: world.transactions,
    cancellations: world.cancellations,
  });
  if (!out.ok) throw new Error(out.reason);
  world.cancellations.push(out.cancellation);
  return out.cancellation;
}

describe('cart validation', () => {
  it('accepts active items of the event at today’s price', () => {
    const v = cart(emptyWorld(), 1, [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.kit, quantity: 3 }]);
    expect(v.ok).toBe(true);
    expect(v.saleLines).toEqual([
      {
        payableItemId: ITEM.workshop,
        name: 'Atelier - Atelier IA',
        kind: 'session',
        sessionId: SESSION_WS,
        unitPriceMinor: 200000,
        quantity: 1,
      },
      {
        payableItemId: ITEM.kit,
        name: 'Kit congressiste',
        kind: 'other',
        sessionId: null,
        unitPriceMinor: 12550,
        quantity: 3,
      },
    ]);
    expect(v.totalMinor).toBe(200000 + 3 * 12550);
    expect(v.lines[0]!.seatsLeft).toBe(2);
  });

  it('names the reason of every refused line, in French and English', () => {
    const v = cart(emptyWorld(), 1, [
      { payableItemId: uid(99, 0x1) },
      { payableItemId: ITEM.foreign },
      { payableItemId: ITEM.inactive },
      { payableItemId: ITEM.dinner, quantity: 2 },
      { payableItemId: ITEM.kit, quantity: 0 },
      { payableItemId: ITEM.access },
      { payableItemId: ITEM.access },
    ]);
    expect(v.ok).toBe(false);
    expect(v.lines.map((l) => l.reason)).toEqual([
      'unknown_item',
      'other_event',
      'inactive_item',
      'invalid_quantity',
      'invalid_quantity',
      null,
      'duplicate_in_cart',
    ]);
    expect(v.lines[2]!.message).toEqual({
      fr: 'Ancien article n’est plus en vente.'.replace('’', "'"),
      en: 'Ancien article is no longer on sale.',
    });
    // Only the accepted lines are priced.
    expect(v.saleLines.map((l) => l.payableItemId)).toEqual([ITEM.access]);
    expect(v.totalMinor).toBe(50000);
  });

  it('refuses the whole cart for an unknown participant or an empty cart', () => {
    const base = { eventId: EVENT, items, sessions, transactions: [], cancellations: [], entitlements: [] };
    expect(validateCart({ ...base, participant: null, lines: [{ payableItemId: ITEM.kit }] }).reason).toBe(
      'unknown_participant',
    );
    expect(
      validateCart({
        ...base,
        participant: { ...person(1), eventId: OTHER_EVENT },
        lines: [{ payableItemId: ITEM.kit }],
      }).reason,
    ).toBe('unknown_participant');
    const empty = validateCart({ ...base, participant: person(1), lines: [] });
    expect(empty.reason).toBe('empty_cart');
    expect(empty.message?.en).toBe('Select at least one item.');
  });

  it('does not sell twice what a person already paid (unlike the original)', () => {
    const w = emptyWorld();
    sell(w, { participant: 1, cart: [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.kit }] });
    const again = cart(w, 1, [
      { payableItemId: ITEM.workshop },
      { payableItemId: ITEM.kit },
      { payableItemId: ITEM.dinner },
    ]);
    expect(again.lines.map((l) => l.reason)).toEqual(['already_paid', 'already_paid', null]);
    // Another person may buy them.
    expect(cart(w, 2, [{ payableItemId: ITEM.workshop }]).ok).toBe(true);
  });

  it('counts a live manual entitlement as paid, but not a pending reservation or a revoked one', () => {
    const ent = {
      participantId: person(1).id,
      payableItemId: null,
      sessionId: SESSION_WS,
      status: 'free' as const,
      revoked: false,
      deleted: false,
    };
    const ctx = (entitlements: (typeof ent)[]) =>
      validateCart({
        eventId: EVENT,
        participant: person(1),
        lines: [{ payableItemId: ITEM.workshop }],
        items,
        sessions,
        transactions: [],
        cancellations: [],
        entitlements,
      });
    expect(ctx([ent]).lines[0]!.reason).toBe('already_paid');
    expect(ctx([{ ...ent, status: 'pending' as never }]).ok).toBe(true);
    expect(ctx([{ ...ent, revoked: true }]).ok).toBe(true);
  });

  it('a cancelled sale makes the item sellable again and frees the seat', () => {
    const w = emptyWorld();
    const t = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.echo }] });
    expect(cart(w, 2, [{ payableItemId: ITEM.echo }]).lines[0]!.reason).toBe('session_full');
    expect(cart(w, 1, [{ payableItemId: ITEM.echo }]).lines[0]!.reason).toBe('already_paid');
    cancel(w, t.id);
    // The device keeps its provisional entitlement until the server's revoked copy arrives: apply it.
    w.entitlements = entitlementsFromSales(w.transactions, w.cancellations);
    expect(cart(w, 1, [{ payableItemId: ITEM.echo }]).ok).toBe(true);
    expect(cart(w, 2, [{ payableItemId: ITEM.echo }]).ok).toBe(true);
  });

  it('enforces workshop capacity from distinct seat holders', () => {
    const w = emptyWorld();
    sell(w, { participant: 1, cart: [{ payableItemId: ITEM.workshop }] });
    expect(cart(w, 2, [{ payableItemId: ITEM.workshop }]).lines[0]!.seatsLeft).toBe(1);
    // A manual grant to a third person takes a seat too.
    w.entitlements.push({
      ...w.entitlements[0]!,
      id: uid(50, 0xd),
      participantId: person(3).id,
      source: 'manual',
      status: 'free',
      transactionId: null,
    });
    const full = cart(w, 2, [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.dinner }]);
    expect(full.ok).toBe(false);
    expect(full.lines[0]).toMatchObject({ reason: 'session_full', seatsLeft: 0 });
    expect(full.lines[0]!.message!.en).toBe(
      'Atelier - Atelier IA is full (0/2 spots available). Offer another session.',
    );
    expect(full.lines[1]!.reason).toBeNull();
  });

  it('refuses a cart whose total leaves the range of amounts, without throwing', () => {
    const huge = items.map((i) =>
      i.id === ITEM.dinner || i.id === ITEM.access ? { ...i, priceMinor: MAX_MINOR_UNITS } : i,
    );
    const v = validateCart({
      eventId: EVENT,
      participant: person(1),
      lines: [{ payableItemId: ITEM.dinner }, { payableItemId: ITEM.access }],
      items: huge,
      sessions,
      transactions: [],
      cancellations: [],
      entitlements: [],
    });
    expect(v).toMatchObject({ ok: false, reason: 'total_out_of_range' });
  });

  it('refuses items of a cancelled session', () => {
    const v = validateCart({
      eventId: EVENT,
      participant: person(1),
      lines: [{ payableItemId: ITEM.workshop }],
      items,
      sessions: sessions.map((s) => (s.id === SESSION_WS ? { ...s, status: 'cancelled' as const } : s)),
      transactions: [],
      cancellations: [],
      entitlements: [],
    });
    expect(v.lines[0]!.reason).toBe('session_unavailable');
  });
});

describe('payment', () => {
  it('cash: change is what is received beyond the total', () => {
    expect(settlePayment(350000, { method: 'cash', amountReceivedMinor: 400000 })).toEqual({
      ok: true,
      settlement: {
        paymentMethod: 'cash',
        totalMinor: 350000,
        cashMinor: 350000,
        nonCashMinor: 0,
        amountReceivedMinor: 400000,
        changeMinor: 50000,
      },
    });
    const exact = settlePayment(350000, { method: 'cash' });
    expect(exact.ok && exact.settlement.changeMinor).toBe(0);
  });

  it('cash: refuses less than due, with the amounts in words people read', () => {
    const r = settlePayment(350000, { method: 'cash', amountReceivedMinor: 300000 });
    expect(r).toMatchObject({ ok: false, reason: 'insufficient_cash' });
    if (!r.ok) {
      expect(r.message.fr).toBe(
        'Somme reçue insuffisante : 3\u202f000,00 DZD reçus pour 3\u202f500,00 DZD dus. Demandez le complément.',
      );
      expect(r.message.en).toContain('3,000.00 DZD received for 3,500.00 DZD due');
    }
  });

  it('bank transfer: no cash, no change', () => {
    const r = settlePayment(120000, { method: 'bank_transfer' });
    expect(r.ok && r.settlement).toMatchObject({
      cashMinor: 0,
      nonCashMinor: 120000,
      amountReceivedMinor: 0,
      changeMinor: 0,
    });
    expect(settlePayment(120000, { method: 'bank_transfer', amountReceivedMinor: 100 })).toMatchObject({
      reason: 'cash_not_expected',
    });
  });

  it('mixed: a cash part strictly inside the total; received and change on the cash part', () => {
    const r = settlePayment(140000, { method: 'mixed', cashMinor: 20000, amountReceivedMinor: 50000 });
    expect(r.ok && r.settlement).toMatchObject({
      cashMinor: 20000,
      nonCashMinor: 120000,
      amountReceivedMinor: 50000,
      changeMinor: 30000,
    });
    expect(settlePayment(140000, { method: 'mixed' })).toMatchObject({ reason: 'cash_part_required' });
    expect(settlePayment(140000, { method: 'mixed', cashMinor: 0 })).toMatchObject({
      reason: 'cash_part_out_of_range',
    });
    expect(settlePayment(140000, { method: 'mixed', cashMinor: 140000 })).toMatchObject({
      reason: 'cash_part_out_of_range',
    });
    expect(settlePayment(140000, { method: 'mixed', cashMinor: 20000, amountReceivedMinor: 19999 })).toMatchObject({
      reason: 'insufficient_cash',
    });
  });

  it('refuses anything that is not a safe integer amount', () => {
    expect(settlePayment(100.5, { method: 'cash' })).toMatchObject({ reason: 'invalid_amount' });
    expect(settlePayment(100, { method: 'cash', amountReceivedMinor: 0.1 + 0.2 })).toMatchObject({
      reason: 'invalid_amount',
    });
    expect(settlePayment(2 ** 53, { method: 'cash' })).toMatchObject({ reason: 'invalid_amount' });
    expect(settlePayment(100, { method: 'cash', amountReceivedMinor: -1 })).toMatchObject({ reason: 'invalid_amount' });
  });

  it('saleAmountIssues catches a device whose arithmetic is wrong', () => {
    const ok = {
      lines: [{ unitPriceMinor: 1000, quantity: 2 }],
      totalMinor: 2000,
      paymentMethod: 'cash' as const,
      cashMinor: 2000,
      amountReceivedMinor: 5000,
      changeMinor: 3000,
    };
    expect(saleAmountIssues(ok)).toEqual([]);
    expect(saleAmountIssues({ ...ok, totalMinor: 2001 })).toContain('lines add up to 2000, total says 2001');
    expect(saleAmountIssues({ ...ok, changeMinor: 2999 })).toContain('received − change ≠ cash part');
    expect(saleAmountIssues({ ...ok, paymentMethod: 'bank_transfer' })).toContain('bank transfer with a cash part');
    expect(saleAmountIssues({ ...ok, cashMinor: 20.5 })).toContain('cashMinor is not a valid integer amount');
  });
});

describe('receipt numbering', () => {
  it('formats and parses <prefix>-<n>', () => {
    expect(formatReceiptNumber('A', 12)).toBe('A-12');
    expect(parseReceiptNumber('CAISSE2-407')).toEqual({ prefix: 'CAISSE2', seq: 407 });
    expect(parseReceiptNumber('A-0')).toBeNull();
    expect(parseReceiptNumber('a-1')).toBeNull();
    expect(() => formatReceiptNumber('A', 0)).toThrow();
  });

  it('numbers 1, 2, 3 per register, gapless, whatever order the device lists its sales in', () => {
    const w = emptyWorld();
    const a1 = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.kit }] });
    const b1 = sell(w, { participant: 2, cart: [{ payableItemId: ITEM.kit }], register: REG_B, deviceId: 'tablet-2' });
    const a2 = sell(w, { participant: 3, cart: [{ payableItemId: ITEM.kit }] });
    cancel(w, a2.id);
    const a3 = sell(w, { participant: 4, cart: [{ payableItemId: ITEM.kit }] });
    expect([a1, a2, a3, b1].map((t) => t.receiptNumber)).toEqual(['A-1', 'A-2', 'A-3', 'B-1']);
    const shuffled = [...w.transactions].reverse();
    expect(nextReceipt({ register: REG_A, deviceId: 'tablet-1', sales: shuffled })).toMatchObject({
      ok: true,
      receiptSeq: 4,
      receiptNumber: 'A-4',
    });
    expect(missingReceiptSeqs(w.transactions, REG_A.id)).toEqual([]);
  });

  it('a second device on the same register is refused unless it takes the register over', () => {
    const w = emptyWorld();
    sell(w, { participant: 1, cart: [{ payableItemId: ITEM.kit }] });
    const refused = nextReceipt({ register: REG_A, deviceId: 'tablet-9', sales: w.transactions });
    expect(refused).toMatchObject({ ok: false, reason: 'register_held_elsewhere', heldBy: 'tablet-1' });
    expect(() => sell(w, { participant: 2, cart: [{ payableItemId: ITEM.kit }], deviceId: 'tablet-9' })).toThrow(
      /register_held_elsewhere/,
    );
    const t = sell(w, { participant: 2, cart: [{ payableItemId: ITEM.kit }], deviceId: 'tablet-9', takeover: true });
    expect(t.receiptNumber).toBe('A-2');
    expect(registerHolder(w.transactions, REG_A.id)).toBe('tablet-9');
    // The old tablet, once it has synced, is refused in turn.
    expect(nextReceipt({ register: REG_A, deviceId: 'tablet-1', sales: w.transactions })).toMatchObject({
      ok: false,
      heldBy: 'tablet-9',
    });
    expect(nextReceipt({ register: { ...REG_A, isActive: false }, deviceId: 'tablet-9', sales: [] })).toMatchObject({
      reason: 'register_inactive',
    });
  });

  it('detects the same number issued by two offline tablets', () => {
    const a = emptyWorld();
    const b = emptyWorld();
    const t1 = sell(a, { participant: 1, cart: [{ payableItemId: ITEM.kit }], deviceId: 'tablet-1' });
    const t2 = sell(b, { participant: 2, cart: [{ payableItemId: ITEM.kit }], deviceId: 'tablet-2' });
    expect(t1.receiptNumber).toBe(t2.receiptNumber);
    const merged = [t1, t2, t1];
    const collisions = detectReceiptCollisions(merged);
    expect(collisions).toEqual([
      {
        key: `receipt:${REG_A.id}:1`,
        cashRegisterId: REG_A.id,
        receiptSeq: 1,
        transactionIds: [t1.id, t2.id].sort(),
        deviceIds: ['tablet-1', 'tablet-2'],
      },
    ]);
    expect(detectReceiptCollisions([t2, t1])).toEqual(collisions);
  });
});

describe('buildSale', () => {
  const base = () => ({
    id: uid(900, 0x7),
    now: new Date('2026-11-22T09:30:00.000Z'),
    eventId: EVENT,
    deviceId: 'tablet-1',
    register: REG_A,
    cashierName: ' Amina ',
    participant: person(1),
    cart: [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.dinner }, { payableItemId: ITEM.kit, quantity: 2 }],
    payment: { method: 'mixed' as const, cashMinor: 100000, amountReceivedMinor: 100000 },
    notes: 'Reçu demandé',
    items,
    sessions,
    transactions: [],
    cancellations: [],
    entitlements: [],
  });

  it('writes the sale, its entitlements and the presence in one go', () => {
    const out = buildSale(base());
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const t = out.transaction;
    expect(transactionRecord.parse(t)).toEqual(t);
    expect(t).toMatchObject({
      id: uid(900, 0x7),
      eventId: EVENT,
      cashRegisterId: REG_A.id,
      participantId: person(1).id,
      deviceId: 'tablet-1',
      occurredAt: '2026-11-22T09:30:00.000Z',
      receivedAt: null,
      receiptNumber: 'A-1',
      receiptSeq: 1,
      totalMinor: 200000 + 350000 + 2 * 12550,
      paymentMethod: 'mixed',
      cashMinor: 100000,
      amountReceivedMinor: 100000,
      changeMinor: 0,
      cashierName: 'Amina',
      notes: 'Reçu demandé',
      status: 'completed',
      cancelledAt: null,
      cancelReason: null,
      seq: 0,
    });
    expect(saleAmountIssues(t)).toEqual([]);
    expect(out.entitlements).toHaveLength(3);
    for (const e of out.entitlements) expect(entitlementRecord.parse(e)).toEqual(e);
    const seat = out.entitlements.find((e) => e.sessionId === SESSION_WS)!;
    expect(seat).toMatchObject({
      id: entitlementId(t.id, 0),
      participantId: person(1).id,
      payableItemId: ITEM.workshop,
      status: 'paid',
      amountMinor: 200000,
      source: 'sale',
      transactionId: t.id,
      revoked: false,
    });
    // What the server derives from the pushed sale is the same records (same ids).
    expect(entitlementsFromSales([t], [])).toEqual(out.entitlements);
    expect(out.presence).toEqual({
      participantId: person(1).id,
      at: '2026-11-22T09:30:00.000Z',
      transactionId: t.id,
      cashRegisterId: REG_A.id,
      deviceId: 'tablet-1',
    });
  });

  it('keeps the unit price of the sale even if the catalogue changes later', () => {
    const out = buildSale(base());
    if (!out.ok) throw new Error('refused');
    const later = items.map((i) => (i.id === ITEM.dinner ? { ...i, priceMinor: 999900 } : i));
    expect(later.find((i) => i.id === ITEM.dinner)!.priceMinor).toBe(999900);
    expect(out.transaction.lines.find((l) => l.payableItemId === ITEM.dinner)!.unitPriceMinor).toBe(350000);
  });

  it('writes nothing and says which step refused', () => {
    const cartRefused = buildSale({ ...base(), cart: [{ payableItemId: ITEM.inactive }] });
    expect(cartRefused).toMatchObject({ ok: false, stage: 'cart', reason: 'inactive_item' });
    const payRefused = buildSale({ ...base(), payment: { method: 'cash', amountReceivedMinor: 1 } });
    expect(payRefused).toMatchObject({ ok: false, stage: 'payment', reason: 'insufficient_cash' });
    const regRefused = buildSale({ ...base(), register: { ...REG_A, eventId: OTHER_EVENT } });
    expect(regRefused).toMatchObject({ ok: false, stage: 'register' });
    const w = emptyWorld();
    sell(w, { participant: 5, cart: [{ payableItemId: ITEM.kit }], deviceId: 'tablet-2' });
    const held = buildSale({ ...base(), transactions: w.transactions });
    expect(held).toMatchObject({ ok: false, stage: 'receipt', reason: 'register_held_elsewhere', heldBy: 'tablet-2' });
    for (const r of [cartRefused, payRefused, regRefused, held]) {
      expect(r).not.toHaveProperty('transaction');
      expect(r).not.toHaveProperty('entitlements');
    }
  });

  it('presence: first sale of each person, cancelled ones included', () => {
    const w = emptyWorld();
    const first = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.kit }], at: '2026-11-22T08:00:00.000Z' });
    sell(w, { participant: 1, cart: [{ payableItemId: ITEM.dinner }], at: '2026-11-22T11:00:00.000Z' });
    cancel(w, first.id);
    const p = presenceFromSales([...w.transactions].reverse());
    expect(p.get(person(1).id)?.transactionId).toBe(first.id);
    expect(p.get(person(2).id)).toBeUndefined();
  });
});

describe('cancellation', () => {
  it('requires a reason and builds a valid fact', () => {
    const w = emptyWorld();
    const t = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.workshop }] });
    const input = {
      id: uid(1, 0xc),
      now: new Date('2026-11-22T12:00:00.000Z'),
      eventId: EVENT,
      deviceId: 'tablet-1',
      cashRegisterId: REG_A.id,
      cancelledBy: 'Amina',
      reason: '   ',
      transactionId: t.id,
      transactions: w.transactions,
      cancellations: w.cancellations,
    };
    const refused = buildCancellation(input);
    expect(refused).toMatchObject({ ok: false, reason: 'reason_required' });
    if (!refused.ok) expect(refused.message.fr).toContain('motif');
    const ok = buildCancellation({ ...input, reason: ' Doublon ' });
    if (!ok.ok) throw new Error(ok.reason);
    expect(transactionCancellationRecord.parse(ok.cancellation)).toEqual(ok.cancellation);
    expect(ok.cancellation).toMatchObject({
      reason: 'Doublon',
      transactionId: t.id,
      occurredAt: '2026-11-22T12:00:00.000Z',
    });
    w.cancellations.push(ok.cancellation);
    expect(buildCancellation({ ...input, id: uid(2, 0xc), reason: 'encore' })).toMatchObject({
      reason: 'already_cancelled',
    });
    expect(buildCancellation({ ...input, reason: 'x', cashRegisterId: REG_B.id })).toMatchObject({
      reason: 'other_register',
    });
    expect(buildCancellation({ ...input, reason: 'x', transactionId: uid(404, 0x7) })).toMatchObject({
      reason: 'unknown_sale',
    });
  });

  it('revokes the entitlements of the sale (the original did not)', () => {
    const w = emptyWorld();
    const t = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.dinner }] });
    const kept = sell(w, { participant: 2, cart: [{ payableItemId: ITEM.workshop }] });
    const c = cancel(w, t.id, '2026-11-22T15:00:00.000Z');
    const derived = entitlementsFromSales(w.transactions, w.cancellations);
    const ofT = derived.filter((e) => e.transactionId === t.id);
    expect(ofT.map((e) => e.id).sort()).toEqual([entitlementId(t.id, 0), entitlementId(t.id, 1)].sort());
    expect(ofT.every((e) => e.revoked && e.updatedAt === c.occurredAt)).toBe(true);
    expect(derived.filter((e) => e.transactionId === kept.id).every((e) => !e.revoked)).toBe(true);
  });

  it('two tablets cancelling the same sale: the earliest counts', () => {
    const w = emptyWorld();
    const t = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.kit }] });
    const late = { ...cancel(w, t.id, '2026-11-22T16:00:00.000Z', uid(2, 0xc)), reason: 'late' };
    const early = { ...late, id: uid(1, 0xc), occurredAt: '2026-11-22T13:00:00.000Z', reason: 'early' };
    for (const order of [
      [late, early],
      [early, late],
    ]) {
      const [e] = entitlementsFromSales(w.transactions, order);
      expect(e!.updatedAt).toBe('2026-11-22T13:00:00.000Z');
    }
  });
});

describe('entitlement derivation on the server', () => {
  it('ids are UUID v5 (RFC 9562 vector) and stable', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
    expect(entitlementId(uid(1, 0x7), 0)).toBe(entitlementId(uid(1, 0x7), 0));
    expect(entitlementId(uid(1, 0x7), 0)).not.toBe(entitlementId(uid(1, 0x7), 1));
  });

  it('a status already derived as cancelled revokes even before the cancellation fact arrives', () => {
    const w = emptyWorld();
    const t = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.kit }] });
    const [e] = entitlementsFromSales([{ ...t, status: 'cancelled', cancelledAt: '2026-11-22T17:00:00.000Z' }], []);
    expect(e).toMatchObject({ revoked: true, updatedAt: '2026-11-22T17:00:00.000Z' });
  });

  it('plans inserts then revocations, then nothing; manual grants are left alone', () => {
    const w = emptyWorld();
    const t = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.free }] });
    const manual = { ...w.entitlements[0]!, id: uid(77, 0xd), source: 'manual' as const, transactionId: null };
    let stored: EntitlementRecord[] = [manual];
    const first = planEntitlementWrites(stored, entitlementsFromSales(w.transactions, w.cancellations));
    expect(first.inserts.map((e) => e.status)).toEqual(
      entitlementsFromSales(w.transactions, []).map((e) => (e.amountMinor > 0 ? 'paid' : 'free')),
    );
    expect(first.updates).toEqual([]);
    stored = [...stored, ...first.inserts.map((e) => ({ ...e, seq: 10, rev: 1 }))];
    expect(planEntitlementWrites(stored, entitlementsFromSales(w.transactions, w.cancellations))).toEqual({
      inserts: [],
      updates: [],
    });
    cancel(w, t.id, '2026-11-22T18:00:00.000Z');
    const second = planEntitlementWrites(stored, entitlementsFromSales(w.transactions, w.cancellations));
    expect(second.inserts).toEqual([]);
    expect(second.updates).toEqual(
      [entitlementId(t.id, 0), entitlementId(t.id, 1)]
        .sort()
        .map((id) => ({ id, patch: { revoked: true, updatedAt: '2026-11-22T18:00:00.000Z' } })),
    );
    expect(stored.find((e) => e.id === manual.id)!.revoked).toBe(false);
  });
});

describe('oversold workshops', () => {
  it('two registers offline sell the last seat: flagged once devices meet', () => {
    const a = emptyWorld();
    const b = emptyWorld();
    const ta = sell(a, { participant: 1, cart: [{ payableItemId: ITEM.echo }], at: '2026-11-22T09:00:00.000Z' });
    const tb = sell(b, {
      participant: 2,
      cart: [{ payableItemId: ITEM.echo }],
      register: REG_B,
      deviceId: 'tablet-2',
      at: '2026-11-22T09:05:00.000Z',
    });
    expect(detectOversold(sessions, a.transactions, [])).toEqual([]);
    const incidents = detectOversold(sessions, [tb, ta], []);
    expect(incidents).toHaveLength(1);
    const inc = incidents[0]!;
    expect(inc).toMatchObject({ key: `oversold:${SESSION_FULL}`, sessionId: SESSION_FULL, capacity: 1, seatsTaken: 2 });
    expect(inc.excess).toEqual([
      {
        participantId: person(2).id,
        transactionId: tb.id,
        cashRegisterId: REG_B.id,
        deviceId: 'tablet-2',
        receiptNumber: 'B-1',
        occurredAt: '2026-11-22T09:05:00.000Z',
      },
    ]);
    // Same key and flag id whatever the order, and after more sales.
    expect(detectOversold(sessions, [ta, tb], [])[0]!.flagId).toBe(inc.flagId);
    const flag = oversoldFlagFields(inc);
    expect(
      reconciliationFlagRecord
        .pick({ id: true, kind: true, subjectCollection: true, subjectId: true, summary: true, details: true })
        .parse(flag),
    ).toEqual(flag);
    expect(flag.summary).toContain('2 seats sold for 1');
    // Cancelling one sale resolves it.
    const w: World = { transactions: [ta, tb], cancellations: [], entitlements: [] };
    cancel(w, ta.id);
    expect(detectOversold(sessions, w.transactions, w.cancellations)).toEqual([]);
  });

  it('one person counted once; manual grants count and come first', () => {
    const w = emptyWorld();
    const t1 = sell(w, { participant: 1, cart: [{ payableItemId: ITEM.workshop }] });
    const t1bis = { ...t1, id: uid(500, 0x7), receiptSeq: 2, receiptNumber: 'A-2' };
    expect(detectOversold(sessions, [t1, t1bis], [])).toEqual([]);
    const manual = ['b', 'c'].map((_, i) => ({
      participantId: person(20 + i).id,
      payableItemId: null,
      sessionId: SESSION_WS,
      status: 'free' as const,
      revoked: false,
      deleted: false,
    }));
    const [inc] = detectOversold(sessions, [t1], [], manual);
    expect(inc).toMatchObject({ seatsTaken: 3, capacity: 2 });
    expect(inc!.excess.map((s) => s.transactionId)).toEqual([t1.id]);
  });
});

describe('register summary and Z-report', () => {
  function day(): { w: World; sales: ReturnType<typeof sell>[] } {
    const w = emptyWorld();
    const sales = [
      sell(w, {
        participant: 1,
        cart: [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.kit, quantity: 2 }],
        payment: { method: 'cash', amountReceivedMinor: 230000 },
        at: '2026-11-22T08:10:00.000Z',
      }),
      sell(w, {
        participant: 2,
        cart: [{ payableItemId: ITEM.dinner }],
        payment: { method: 'bank_transfer' },
        at: '2026-11-22T09:00:00.000Z',
      }),
      sell(w, {
        participant: 3,
        cart: [{ payableItemId: ITEM.dinner }, { payableItemId: ITEM.access }],
        payment: { method: 'mixed', cashMinor: 100000, amountReceivedMinor: 150000 },
        at: '2026-11-22T10:00:00.000Z',
      }),
      sell(w, { participant: 4, cart: [{ payableItemId: ITEM.access }], at: '2026-11-22T11:00:00.000Z' }),
    ];
    return { w, sales };
  }

  it('adds up by method, by item, cash and cancellations', () => {
    const { w, sales } = day();
    cancel(w, sales[3]!.id, '2026-11-22T11:30:00.000Z');
    sell(w, { participant: 9, cart: [{ payableItemId: ITEM.kit }], register: REG_B, deviceId: 'tablet-2' });
    const s = summarizeRegister(REG_A.id, w.transactions, w.cancellations, { openingFloatMinor: 1000000 });
    expect(s).toMatchObject({
      salesCount: 4,
      grossMinor: 225100 + 350000 + 400000 + 50000,
      completedCount: 3,
      completedMinor: 225100 + 350000 + 400000,
      cancelledCount: 1,
      cancelledMinor: 50000,
      cancelledCashMinor: 50000,
      cashMinor: 225100 + 100000,
      nonCashMinor: 350000 + 300000,
      amountReceivedMinor: 230000 + 150000,
      changeMinor: 4900 + 50000,
      expectedCashMinor: 1000000 + 325100,
    });
    expect(s.byMethod).toEqual({
      cash: { count: 1, totalMinor: 225100, cashMinor: 225100, nonCashMinor: 0 },
      bank_transfer: { count: 1, totalMinor: 350000, cashMinor: 0, nonCashMinor: 350000 },
      mixed: { count: 1, totalMinor: 400000, cashMinor: 100000, nonCashMinor: 300000 },
    });
    expect(s.byItem.map((i) => [i.name, i.quantity, i.totalMinor])).toEqual([
      ['Accès exposition', 1, 50000],
      ['Atelier - Atelier IA', 1, 200000],
      ['Dîner de gala', 2, 700000],
      ['Kit congressiste', 2, 25100],
    ]);
  });

  it('closes a day: drawer, receipts range, refunds of earlier days', () => {
    const { w, sales } = day();
    // Yesterday's sale, refunded today.
    const yesterday = sales[0]!;
    const tx = w.transactions.map((t) =>
      t.id === yesterday.id ? { ...t, occurredAt: '2026-11-21T16:00:00.000Z' } : t,
    );
    const world: World = { ...w, transactions: tx };
    cancel(world, yesterday.id, '2026-11-22T12:00:00.000Z');
    cancel(world, sales[1]!.id, '2026-11-22T12:30:00.000Z');
    // A cancellation after closing does not belong to this report.
    cancel(world, sales[3]!.id, '2026-11-22T20:00:00.000Z');
    const z = buildZReport({
      event: { id: EVENT, name: 'Congrès', currency: 'DZD' },
      register: REG_A,
      from: '2026-11-22T00:00:00.000+01:00',
      to: '2026-11-22T19:00:00.000+01:00',
      generatedAt: new Date('2026-11-22T18:05:00.000Z'),
      openingFloatMinor: 500000,
      countedCashMinor: 500000 + 150000 - 225100,
      transactions: world.transactions,
      cancellations: world.cancellations,
    });
    expect(z.receipts).toEqual({ first: 'A-2', last: 'A-4', count: 3, missing: [], collisions: [] });
    expect(z.summary).toMatchObject({ salesCount: 3, completedCount: 2, cancelledCount: 1, cancelledMinor: 350000 });
    expect(z.refundsOfEarlierSales).toEqual({ count: 1, totalMinor: 225100, cashMinor: 225100 });
    expect(z.cancellations.map((c) => [c.receiptNumber, c.sameWindow, c.reason])).toEqual([
      ['A-1', false, 'Erreur de saisie'],
      ['A-2', true, 'Erreur de saisie'],
    ]);
    expect(z.drawer).toEqual({
      openingFloatMinor: 500000,
      cashSalesMinor: 100000 + 50000,
      cashRefundsMinor: 225100,
      expectedMinor: 500000 + 150000 - 225100,
      countedMinor: 424900,
      differenceMinor: 0,
    });
    expect(z.drawer.expectedMinor).toBe(
      z.drawer.openingFloatMinor + z.summary.cashMinor - z.refundsOfEarlierSales.cashMinor,
    );
    expect(z.journal.map((j) => [j.receiptNumber, j.cancelled])).toEqual([
      ['A-2', true],
      ['A-3', false],
      ['A-4', false],
    ]);
    expect(z.cashiers).toEqual(['Amina']);
    expect(z.devices).toEqual(['tablet-1']);
  });

  it('shows missing numbers and collisions', () => {
    const { w } = day();
    const dup = { ...w.transactions[2]!, id: uid(600, 0x7), deviceId: 'tablet-2' };
    const z = buildZReport({
      event: { id: EVENT, name: 'Congrès', currency: 'DZD' },
      register: REG_A,
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
      generatedAt: new Date('2026-11-22T18:05:00.000Z'),
      transactions: [...w.transactions.filter((t) => t.receiptSeq !== 2), dup],
      cancellations: [],
    });
    expect(z.receipts.missing).toEqual([2]);
    expect(z.receipts.collisions.map((c) => c.receiptSeq)).toEqual([3]);
  });
});
