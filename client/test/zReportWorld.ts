import { buildZReport, type ZReport } from '@makeplus/shared';
import { Desk, EVENT, ITEM, participant, REGISTER } from './receiptWorld';

/**
 * A register day through the real rules: a cash sale with change, a bank transfer, a mixed
 * payment, a cash sale cancelled the same day, and yesterday's sale refunded today.
 */
export function registerDay(options: { extraSales?: number; counted?: number | null } = {}): {
  desk: Desk;
  report: ZReport;
  names: Record<string, string>;
} {
  const desk = new Desk();
  const yesterday = desk.sell(5, [{ payableItemId: ITEM.kit }], { method: 'cash' }, '2026-11-21T16:00:00.000Z');
  desk.sell(
    1,
    [{ payableItemId: ITEM.workshop }, { payableItemId: ITEM.kit, quantity: 2 }],
    { method: 'cash', amountReceivedMinor: 230000 },
    '2026-11-22T08:10:00.000Z',
  );
  desk.sell(2, [{ payableItemId: ITEM.dinner }], { method: 'bank_transfer' }, '2026-11-22T09:00:00.000Z');
  desk.sell(
    3,
    [{ payableItemId: ITEM.dinner }, { payableItemId: ITEM.kit }],
    { method: 'mixed', cashMinor: 100000, amountReceivedMinor: 150000 },
    '2026-11-22T10:00:00.000Z',
  );
  const wrong = desk.sell(4, [{ payableItemId: ITEM.workshop }], { method: 'cash' }, '2026-11-22T11:00:00.000Z');
  desk.cancel(wrong, 'Mauvais atelier', '2026-11-22T11:05:00.000Z');
  desk.cancel(yesterday, '=Doublon de la veille', '2026-11-22T12:00:00.000Z');
  for (let i = 0; i < (options.extraSales ?? 0); i++)
    desk.sell(
      100 + i,
      [{ payableItemId: ITEM.kit }],
      { method: 'cash' },
      `2026-11-22T13:${String(i % 60).padStart(2, '0')}:00.000Z`,
    );
  const report = buildZReport({
    event: EVENT,
    register: REGISTER,
    from: '2026-11-22T00:00:00.000+01:00',
    to: '2026-11-22T19:00:00.000+01:00',
    generatedAt: new Date('2026-11-22T18:01:00.000Z'),
    openingFloatMinor: 500000,
    countedCashMinor: options.counted === undefined ? 500000 + 225100 + 100000 - 12550 - 1000 : options.counted,
    transactions: desk.transactions,
    cancellations: desk.cancellations,
  });
  const names: Record<string, string> = {};
  for (const t of desk.transactions) {
    const p = participant(Number.parseInt(t.participantId.slice(-12), 16));
    names[t.participantId] = `${p.firstName} ${p.lastName}`;
  }
  return { desk, report, names };
}
