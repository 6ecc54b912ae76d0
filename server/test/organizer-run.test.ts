import { checkInCurve, exportColumns } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';

import { buildWorld, type World } from './support/restWorld';
import { openSse } from './support/sse';
import { saleDoc, scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * Running an event from the organizer console: the live dashboard's figures, the change stream
 * that tells the console to refresh them, and the exports (CSV streamed, filtered as on screen).
 */
let t: TestApp;
let w: World;
let base: string;
const A = DEMO_EVENT_ID;
const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
let roomId: string;
let otherRoomId: string;
let people: { id: string; firstName: string; lastName: string }[];
let register: { id: string; name: string; receiptPrefix: string };
let item: { id: string; name: string; priceMinor: number };

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 12 });
  w = await buildWorld(t);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { db } = t.services;
  const rooms = await db.selectFrom('rooms').select(['id', 'name']).where('eventId', '=', A).orderBy('name').execute();
  roomId = rooms[0]!.id;
  otherRoomId = rooms[1]!.id;
  people = await db
    .selectFrom('participants')
    .select(['id', 'firstName', 'lastName'])
    .where('eventId', '=', A)
    .orderBy('legacyId')
    .execute();
  register = await db
    .selectFrom('cashRegisters')
    .select(['id', 'name', 'receiptPrefix'])
    .where('eventId', '=', A)
    .executeTakeFirstOrThrow();
  item = await db
    .selectFrom('payableItems')
    .select(['id', 'name', 'priceMinor'])
    .where('eventId', '=', A)
    .where('kind', '=', 'dinner')
    .executeTakeFirstOrThrow();

  // Three people admitted (one twice, once in each room), one refused, one exit; two sales.
  const door = syncDevice(t, w.tokens.controllerA, 'run-door');
  const scan = (i: number, extra: Record<string, unknown>) => ({
    newDocumentState: scanDoc(A, door.deviceId, people[i]!.id, { roomId, ...extra }),
  });
  const pushed = await door.push('scans', [
    scan(0, { occurredAt: at(120) }),
    scan(1, { occurredAt: at(90) }),
    scan(0, { occurredAt: at(60), roomId: otherRoomId }),
    scan(2, { occurredAt: at(30) }),
    scan(1, { occurredAt: at(20), direction: 'out', reason: 'exit' }),
    scan(3, { occurredAt: at(10), granted: false, reason: 'payment_required' }),
  ]);
  expect(pushed.status).toBe(200);
  const till = syncDevice(t, (await t.login(DEMO_ACCOUNTS.cashier)).accessToken, 'run-till');
  const sale = (i: number, seq: number) => ({
    newDocumentState: saleDoc(A, till.deviceId, register.id, people[i]!.id, seq, [item], {
      receiptNumber: `${register.receiptPrefix}-${seq}`,
    }),
  });
  const sold = await till.push('transactions', [sale(0, 901), sale(1, 902)]);
  expect(sold.status).toBe(200);
});
afterAll(() => t?.close());

describe('check-in curve', () => {
  it('counts each first admission once, in 15-minute buckets over a short span, with a running total', () => {
    const t0 = Date.parse('2027-03-01T08:00:00.000Z');
    const curve = checkInCurve([t0 + 20 * 60_000, t0, t0 + 5 * 60_000, t0 + 50 * 60_000]);
    expect(curve.bucketMinutes).toBe(15);
    expect(curve.points).toEqual([
      { at: '2027-03-01T08:00:00.000Z', count: 2, cumulative: 2 },
      { at: '2027-03-01T08:15:00.000Z', count: 1, cumulative: 3 },
      { at: '2027-03-01T08:30:00.000Z', count: 0, cumulative: 3 },
      { at: '2027-03-01T08:45:00.000Z', count: 1, cumulative: 4 },
    ]);
    expect(checkInCurve([t0, t0 + 30 * 3600_000]).bucketMinutes).toBe(60);
    expect(checkInCurve([t0, t0 + 5 * 24 * 3600_000]).bucketMinutes).toBe(1440);
    expect(checkInCurve([])).toEqual({ bucketMinutes: 15, timeZone: 'UTC', points: [] });
  });
});

describe('live dashboard', () => {
  it('derives registered vs present, rooms, scans, revenue by item and register, recent activity', async () => {
    const r = await t.request('GET', `/api/v1/events/${A}/statistics/dashboard`, { token: w.tokens.organizerA });
    expect(r.status).toBe(200);
    const d = r.body;
    expect(d.registered).toBe(12);
    expect(d.checkedIn).toBe(3);
    expect(d.scans).toEqual({
      granted: 5,
      denied: 1,
      deniedByReason: [{ reason: 'payment_required', count: 1 }],
    });
    expect(d.checkIns.points.at(-1).cumulative).toBe(3);
    const room = d.rooms.find((x: { roomId: string }) => x.roomId === roomId);
    // people[0] and [2] entered, [1] entered then left: two inside.
    expect(room).toMatchObject({ inside: 2, entries: 3, refused: 1 });
    expect(typeof room.capacity).toBe('number');
    expect(d.revenue.totalMinor).toBe(2 * item.priceMinor);
    expect(d.revenue.byItem).toEqual([
      { payableItemId: item.id, name: item.name, quantity: 2, totalMinor: 2 * item.priceMinor },
    ]);
    expect(d.revenue.byRegister.find((x: { cashRegisterId: string }) => x.cashRegisterId === register.id)).toEqual({
      cashRegisterId: register.id,
      name: register.name,
      salesCount: 2,
      totalMinor: 2 * item.priceMinor,
    });
    // Most recent first: the refused scan 10 minutes ago comes after the sales made just now.
    expect(d.recent[0].kind).toBe('sale');
    const refused = d.recent.find((x: { kind: string; granted: boolean }) => x.kind === 'scan' && !x.granted);
    expect(refused).toMatchObject({ what: 'payment_required', who: `${people[3]!.firstName} ${people[3]!.lastName}` });
  });

  it('is refused to roles without statistics, to other events and to bad ids', async () => {
    const url = `/api/v1/events/${A}/statistics/dashboard`;
    expect((await t.request('GET', url)).status).toBe(401);
    expect((await t.request('GET', url, { token: w.tokens.participantA })).status).toBe(403);
    expect((await t.request('GET', url, { token: w.tokens.exhibitorA })).status).toBe(403);
    expect([403, 404]).toContain((await t.request('GET', url, { token: w.tokens.organizerB })).status);
    const bad = await t.request('GET', '/api/v1/events/not-a-uuid/statistics/dashboard', {
      token: w.tokens.organizerA,
    });
    expect(bad.status).toBe(400);
    // Event B's dashboard holds only B's (empty) facts.
    const b = await t.request('GET', `/api/v1/events/${w.B}/statistics/dashboard`, { token: w.tokens.organizerB });
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ checkedIn: 0, scans: { granted: 0, denied: 0 }, revenue: { totalMinor: 0 } });
  });
});

describe('change stream', () => {
  it('tells the console which collections changed, without documents, and only for its event', async () => {
    const stream = await openSse(`${base}/api/v1/events/${A}/statistics/changes`, {
      authorization: `Bearer ${w.tokens.organizerA}`,
    });
    try {
      await stream.waitFor((e) => e.event === 'hello');
      const door = syncDevice(t, w.tokens.controllerA, 'run-door-2');
      await door.push('scans', [{ newDocumentState: scanDoc(A, door.deviceId, people[4]!.id, { roomId }) }]);
      const changed = await stream.waitFor((e) => e.event === 'changed' && e.data.collections.includes('scans'));
      expect(Object.keys(changed.data)).toEqual(['collections']);
    } finally {
      stream.close();
    }
    const refused = await fetch(`${base}/api/v1/events/${w.B}/statistics/changes`, {
      headers: { authorization: `Bearer ${w.tokens.organizerA}` },
    });
    expect([403, 404]).toContain(refused.status);
    const participant = await fetch(`${base}/api/v1/events/${A}/statistics/changes`, {
      headers: { authorization: `Bearer ${w.tokens.participantA}` },
    });
    expect(participant.status).toBe(403);
  });
});

/** RFC 4180 reader for the files under test (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      out.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell || row.length) out.push([...row, cell]);
  return out;
}

type Csv = { header: string[]; rows: Record<string, string>[]; total: number; disposition: string };
async function exportCsv(path: string, token = w.tokens.organizerA): Promise<Csv> {
  const r = await t.request('GET', `/api/v1/events/${A}/exports/${path}`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(String(r.headers['content-type'])).toMatch(/^text\/csv/);
  const text = String(r.body);
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header = [], ...lines] = parseCsv(text.slice(1));
  const rows = lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i] ?? ''])));
  return {
    header,
    rows,
    total: Number(r.headers['x-total-rows']),
    disposition: String(r.headers['content-disposition']),
  };
}

describe('exports', () => {
  it('participants: every registration with its first check-in, searchable like the screen', async () => {
    const all = await exportCsv('participants.csv');
    expect(all.header).toEqual(exportColumns.participants.map((c) => c.label));
    expect(all.rows).toHaveLength(12);
    expect(all.total).toBe(12);
    expect(all.disposition).toMatch(/attachment; filename="participants-\d{4}-\d{2}-\d{2}\.csv"/);
    const first = all.rows.find((r) => r['Prénom / First name'] === people[0]!.firstName);
    const checkedIn = Date.parse(first?.['Arrivé le / Checked in at'] ?? '');
    expect(Date.now() - checkedIn).toBeGreaterThan(110 * 60_000);
    const never = all.rows.find((r) => r['Prénom / First name'] === people[5]!.firstName);
    expect(never?.['Arrivé le / Checked in at']).toBe('');
    const one = await exportCsv(`participants.csv?q=${encodeURIComponent(people[1]!.lastName)}`);
    expect(one.rows.map((r) => r['Nom / Last name'])).toContain(people[1]!.lastName);
    expect(one.rows.length).toBeLessThan(12);
    expect(one.total).toBe(one.rows.length);
  });

  it('scans: filtered by room, verdict and time, with names and reasons', async () => {
    const all = await exportCsv('scans.csv');
    expect(all.rows.length).toBeGreaterThanOrEqual(6);
    const refused = await exportCsv('scans.csv?granted=false');
    expect(refused.rows).toHaveLength(1);
    expect(refused.rows[0]).toMatchObject({
      'Motif / Reason': 'payment_required',
      'Accordé / Granted': 'non / no',
      'Nom / Last name': people[3]!.lastName,
    });
    const other = await exportCsv(`scans.csv?roomId=${otherRoomId}`);
    expect(other.rows).toHaveLength(1);
    const window = await exportCsv(
      `scans.csv?roomId=${roomId}&from=${encodeURIComponent(at(100))}&to=${encodeURIComponent(at(25))}`,
    );
    // At 90 and 30 minutes ago; not at 120 (before) nor 20 and 10 (after).
    expect(window.rows).toHaveLength(2);
  });

  it('room attendance: one row per room and person with entries', async () => {
    const r = await exportCsv('attendance.csv');
    expect(r.header).toEqual(exportColumns.attendance.map((c) => c.label));
    const p0 = r.rows.filter((x) => x['Prénom / First name'] === people[0]!.firstName);
    expect(p0).toHaveLength(2);
    expect(p0.every((x) => x['Entrées / Entries'] === '1')).toBe(true);
    expect(r.total).toBe(r.rows.length);
    const inRoom = await exportCsv(`attendance.csv?roomId=${roomId}`);
    expect(inRoom.rows.map((x) => x['Prénom / First name']).sort()).toEqual(
      [people[0]!, people[1]!, people[2]!, people[4]!].map((p) => p.firstName).sort(),
    );
  });

  it('transactions: amounts as decimals of DZD, items, register', async () => {
    const r = await exportCsv(`transactions.csv?cashRegisterId=${register.id}`);
    expect(r.rows).toHaveLength(2);
    const expected = `${Math.floor(item.priceMinor / 100)}.${String(item.priceMinor % 100).padStart(2, '0')}`;
    expect(r.rows[0]).toMatchObject({
      'Reçu / Receipt': `${register.receiptPrefix}-901`,
      'Caisse / Register': register.name,
      'Articles / Items': item.name,
      'Total (DZD)': expected,
      'Statut / Status': 'completed',
    });
  });

  it('streams a large export in pages without losing or repeating a row', async () => {
    const door = syncDevice(t, w.tokens.controllerA, 'run-bulk-door');
    const docs = Array.from({ length: 2600 }, (_, i) => ({
      newDocumentState: scanDoc(A, door.deviceId, people[i % 12]!.id, {
        roomId: otherRoomId,
        granted: false,
        reason: 'room_not_allowed',
        occurredAt: at(200 + i),
      }),
    }));
    for (let i = 0; i < docs.length; i += 500) {
      expect((await door.push('scans', docs.slice(i, i + 500))).status).toBe(200);
    }
    const r = await exportCsv('scans.csv?reason=room_not_allowed');
    expect(r.total).toBe(2600);
    expect(r.rows).toHaveLength(2600);
  });

  it('answers 400 with the field for bad filters, 404 for an unknown dataset, 403 without the right', async () => {
    const bad = await t.request('GET', `/api/v1/events/${A}/exports/scans.csv?roomId=nope`, {
      token: w.tokens.organizerA,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('roomId');
    const order = await t.request(
      'GET',
      `/api/v1/events/${A}/exports/scans.csv?from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(60))}`,
      { token: w.tokens.organizerA },
    );
    expect(order.status).toBe(400);
    expect(JSON.stringify(order.body)).toContain('to');
    const unknown = await t.request('GET', `/api/v1/events/${A}/exports/secrets.csv`, { token: w.tokens.organizerA });
    expect(unknown.status).toBe(404);
    const noFormat = await t.request('GET', `/api/v1/events/${A}/exports/scans.pdf`, { token: w.tokens.organizerA });
    expect(noFormat.status).toBe(400);
    for (const token of [w.tokens.participantA, w.tokens.exhibitorA, w.tokens.controllerA]) {
      expect((await t.request('GET', `/api/v1/events/${A}/exports/scans.csv`, { token })).status).toBe(403);
    }
    expect([403, 404]).toContain(
      (await t.request('GET', `/api/v1/events/${A}/exports/participants.csv`, { token: w.tokens.organizerB })).status,
    );
    // B's organizer exports B's participants only.
    const b = await t.request('GET', `/api/v1/events/${w.B}/exports/participants.csv`, { token: w.tokens.organizerB });
    expect(b.status).toBe(200);
    expect(String(b.body)).not.toContain(people[0]!.lastName);
  });
});
