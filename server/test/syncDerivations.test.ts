import type { FlagKind } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { cancellationDoc, saleDoc, scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let registerId: string;
let workshop: { id: string; sessionId: string; name: string; priceMinor: number };
let dinner: { id: string; name: string; priceMinor: number };
let people: string[];
let cashierToken: string;

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 20 });
  const { db } = t.services;
  registerId = (await db.selectFrom('cashRegisters').select('id').executeTakeFirstOrThrow()).id;
  const item = await db
    .selectFrom('payableItems')
    .selectAll()
    .where('name', 'like', '%IA pratique%')
    .executeTakeFirstOrThrow();
  workshop = { id: item.id, sessionId: item.sessionId as string, name: item.name, priceMinor: item.priceMinor };
  const d = await db.selectFrom('payableItems').selectAll().where('kind', '=', 'dinner').executeTakeFirstOrThrow();
  dinner = { id: d.id, name: d.name, priceMinor: d.priceMinor };
  people = (await db.selectFrom('participants').select('id').orderBy('legacyId').execute()).map((p) => p.id);
  cashierToken = (await t.login(DEMO_ACCOUNTS.cashier)).accessToken;
});
afterAll(() => t?.close());

function sale(
  deviceId: string,
  participantId: string,
  seq: number,
  lines: { id: string; name: string; priceMinor: number; sessionId?: string; kind?: string }[],
  extra: Record<string, unknown> = {},
) {
  const kinds = lines.map((l) => ({ ...l, kind: l.kind ?? (l.sessionId ? 'session' : 'dinner') }));
  return saleDoc(DEMO_EVENT_ID, deviceId, registerId, participantId, seq, kinds, {
    receiptNumber: `C1-${seq}`,
    ...extra,
  });
}
function cancellation(deviceId: string, transactionId: string, reason?: string) {
  return cancellationDoc(DEMO_EVENT_ID, deviceId, registerId, transactionId, reason);
}
const flagsOf = (kind: FlagKind) =>
  t.services.db.selectFrom('reconciliationFlags').selectAll().where('kind', '=', kind).execute();

describe('sales', () => {
  it('a pushed sale grants one entitlement per line, once however often it is pushed', async () => {
    const d = syncDevice(t, cashierToken, 'tablet-device-1');
    const s = sale(d.deviceId, people[0]!, 1, [{ ...workshop }, { ...dinner }]);
    for (let i = 0; i < 2; i++)
      expect((await d.push('transactions', [{ newDocumentState: s }])).body.map((x: { id: string }) => x.id)).toEqual([
        s.id,
      ]);
    const ents = await t.services.db.selectFrom('entitlements').selectAll().where('transactionId', '=', s.id).execute();
    expect(ents).toHaveLength(2);
    expect(ents.find((e) => e.sessionId === workshop.sessionId)).toMatchObject({
      status: 'paid',
      revoked: false,
      amountMinor: workshop.priceMinor,
      participantId: people[0],
    });
    // Doors receive it.
    const door = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken);
    const { docs } = await door.pullAll('entitlements');
    expect(docs.filter((e) => e.transactionId === s.id)).toHaveLength(2);
  });

  it('a cancellation marks the sale cancelled and revokes its entitlements, even when it arrives first', async () => {
    const d = syncDevice(t, cashierToken, 'tablet-device-2');
    const s = sale(d.deviceId, people[1]!, 2, [{ ...workshop }]);
    const c = cancellation(d.deviceId, s.id);
    expect((await d.push('transactionCancellations', [{ newDocumentState: c }])).status).toBe(200);
    expect((await d.push('transactions', [{ newDocumentState: s }])).status).toBe(200);
    const row = await t.services.db
      .selectFrom('transactions')
      .selectAll()
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(row.cancelReason).toBe('Erreur de saisie');
    const ents = await t.services.db.selectFrom('entitlements').selectAll().where('transactionId', '=', s.id).execute();
    expect(ents.every((e) => e.revoked)).toBe(true);

    const s2 = sale(d.deviceId, people[2]!, 3, [{ ...dinner }]);
    await d.push('transactions', [{ newDocumentState: s2 }]);
    await d.push('transactionCancellations', [{ newDocumentState: cancellation(d.deviceId, s2.id, 'Client parti') }]);
    expect(
      (
        await t.services.db
          .selectFrom('transactions')
          .select('status')
          .where('id', '=', s2.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('cancelled');
    expect(
      (
        await t.services.db
          .selectFrom('entitlements')
          .select('revoked')
          .where('transactionId', '=', s2.id)
          .executeTakeFirstOrThrow()
      ).revoked,
    ).toBe(true);
  });

  it('refuses a sale whose totals do not add up, writing nothing', async () => {
    const d = syncDevice(t, cashierToken, 'tablet-device-3');
    const s = { ...sale(d.deviceId, people[3]!, 4, [{ ...dinner }]), totalMinor: 1 };
    const r = await d.push('transactions', [{ newDocumentState: s }]);
    expect(r.status).toBe(400);
    expect(r.body.fields[0].field).toBe('documents[0].totalMinor');
    expect(
      await t.services.db.selectFrom('transactions').select('id').where('id', '=', s.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('two registers offline selling the last seat: both sales kept, one oversold flag', async () => {
    const { db } = t.services;
    await db.updateTable('sessions').set({ capacity: 1 }).where('id', '=', workshop.sessionId).execute();
    // people[0] already holds a seat from the first test: capacity 1 is already full; two more sales overflow it.
    const a = syncDevice(t, cashierToken, 'tablet-device-a');
    const b = syncDevice(t, cashierToken, 'tablet-device-b');
    const sa = sale(a.deviceId, people[4]!, 10, [{ ...workshop }]);
    const sb = sale(b.deviceId, people[5]!, 11, [{ ...workshop }]);
    await a.push('transactions', [{ newDocumentState: sa }]);
    await b.push('transactions', [{ newDocumentState: sb }]);
    await b.push('transactions', [{ newDocumentState: sb }]);
    expect(await db.selectFrom('transactions').select('id').where('id', 'in', [sa.id, sb.id]).execute()).toHaveLength(
      2,
    );
    const flags = await flagsOf('oversold');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.subjectId).toBe(workshop.sessionId);
    expect((flags[0]!.details as { seatsTaken: number }).seatsTaken).toBe(3);
  });

  it('one receipt number given to two sales by two tablets: both kept, one collision flag', async () => {
    const a = syncDevice(t, cashierToken, 'tablet-device-c');
    const b = syncDevice(t, cashierToken, 'tablet-device-d');
    const sa = sale(a.deviceId, people[6]!, 50, [{ ...dinner }]);
    const sb = sale(b.deviceId, people[7]!, 50, [{ ...dinner }]);
    await a.push('transactions', [{ newDocumentState: sa }]);
    await b.push('transactions', [{ newDocumentState: sb }]);
    const stored = await t.services.db.selectFrom('transactions').select('id').where('receiptSeq', '=', 50).execute();
    expect(stored).toHaveLength(2);
    const flags = await flagsOf('receipt_collision');
    expect(flags).toHaveLength(1);
    expect((flags[0]!.details as { transactionIds: string[] }).transactionIds.sort()).toEqual([sa.id, sb.id].sort());
  });
});

describe('doors', () => {
  it('the same badge admitted twice into a once-per-session room by two offline doors raises one flag', async () => {
    const { db } = t.services;
    const room = await db.selectFrom('rooms').selectAll().where('name', '=', 'Atelier 1').executeTakeFirstOrThrow();
    const session = await db
      .selectFrom('sessions')
      .selectAll()
      .where('roomId', '=', room.id)
      .where('title', 'like', '%échographie%')
      .executeTakeFirstOrThrow();
    const token = (await t.login(DEMO_ACCOUNTS.controller)).accessToken;
    const a = syncDevice(t, token, 'door-device-a');
    const b = syncDevice(t, token, 'door-device-b');
    const when = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const base = { roomId: room.id, sessionId: session.id, granted: true, reason: 'granted', direction: 'in' };
    const first = scanDoc(DEMO_EVENT_ID, a.deviceId, people[8]!, { ...base, occurredAt: when(5) });
    const second = scanDoc(DEMO_EVENT_ID, b.deviceId, people[8]!, { ...base, occurredAt: when(2) });
    await a.push('scans', [{ newDocumentState: first }]);
    expect(await flagsOf('double_admission')).toHaveLength(0);
    await b.push('scans', [{ newDocumentState: second }]);
    await b.push('scans', [{ newDocumentState: second }]);
    const flags = await flagsOf('double_admission');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.subjectId).toBe(second.id);
    // The organizer receives it by sync.
    const org = syncDevice(t, (await t.login(DEMO_ACCOUNTS.organizer)).accessToken);
    expect((await org.pullAll('reconciliationFlags')).docs.some((f) => f.kind === 'double_admission')).toBe(true);
  });

  it('a badge admitted on its signature alone is flagged for review', async () => {
    const token = (await t.login(DEMO_ACCOUNTS.controller)).accessToken;
    const d = syncDevice(t, token, 'door-device-c');
    const scan = scanDoc(DEMO_EVENT_ID, d.deviceId, null, { issuedOffline: true, badgeCode: 'MKPL1.x.y' });
    await d.push('scans', [{ newDocumentState: scan }]);
    const flags = await flagsOf('offline_badge');
    expect(flags.map((f) => f.subjectId)).toContain(scan.id);
  });
});
