import { type CartContext, validateCart } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { demoEventRunning, mobile } from './support/legacyFixtures';
import { cancellationDoc, saleDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * Acceptance cases of the contract (§7.1, §7.4) not replayed elsewhere, one test per case, named by
 * its number. The others: legacy-auth.test.ts (#1, #3, #7-18, #23-31, #59-61) and
 * legacy-roles.test.ts (#19-22, #62, #65, #66). Out of scope: #2 and #6 (the public web
 * registration forms), #32-58 (the original's web cash desk and its bloc pricing).
 */
let t: TestApp;
let m: ReturnType<typeof mobile>;
let organizerToken: string;
let registerId: string;
let workshop: { id: string; sessionId: string; name: string; priceMinor: number };
let buyer: { participantId: string; userLegacyId: number; email: string };
let other: { participantId: string; userLegacyId: number };

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 6 });
  m = mobile(t);
  await demoEventRunning(t);
  const { db } = t.services;
  organizerToken = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
  registerId = (await db.selectFrom('cashRegisters').select('id').executeTakeFirstOrThrow()).id;
  const item = await db
    .selectFrom('payableItems')
    .selectAll()
    .where('eventId', '=', DEMO_EVENT_ID)
    .where('kind', '=', 'session')
    .executeTakeFirstOrThrow();
  workshop = { id: item.id, sessionId: item.sessionId as string, name: item.name, priceMinor: item.priceMinor };
  const people = await db
    .selectFrom('participants')
    .innerJoin('users', 'users.id', 'participants.userId')
    .select(['participants.id', 'users.legacyId', 'users.email'])
    .where('participants.eventId', '=', DEMO_EVENT_ID)
    .orderBy('participants.legacyId')
    .execute();
  const mine = people.find((p) => p.email === DEMO_ACCOUNTS.participant);
  const someone = people.find((p) => p.email !== DEMO_ACCOUNTS.participant);
  if (!mine || !someone) throw new Error('demo participants missing');
  buyer = { participantId: mine.id, userLegacyId: mine.legacyId, email: mine.email };
  other = { participantId: someone.id, userLegacyId: someone.legacyId };
});
afterAll(() => t?.close());

describe('§7.1 placeholder accounts (staff invited by email)', () => {
  it('#4: an unknown email creates a user with that email and first name and an unusable password', async () => {
    const r = await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/memberships`, {
      token: organizerToken,
      body: { email: 'placeholder.staff@example.com', firstName: 'Karim', role: 'badge_controller' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const user = await t.services.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'placeholder.staff@example.com')
      .executeTakeFirstOrThrow();
    expect(user.firstName).toBe('Karim');
    expect(user.passwordHash).toBeNull();
    // Unusable: no password signs in.
    const login = await m.post('/api/auth/token/', { email: 'placeholder.staff@example.com', password: '' });
    expect(login.status).toBe(400);
    const guess = await m.post('/api/auth/token/', { email: 'placeholder.staff@example.com', password: 'anything-1' });
    expect(guess.body).toEqual({ non_field_errors: ['No active account found with the given credentials'] });
  });

  it('#5: an existing email gives the same user, whose password stays usable', async () => {
    const before = await t.services.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', DEMO_ACCOUNTS.exhibitor)
      .executeTakeFirstOrThrow();
    const eventB = await t.request('POST', '/api/v1/events', {
      token: organizerToken,
      body: {
        name: 'Journées placeholder',
        startsAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 41 * 86_400_000).toISOString(),
        venue: 'Alger',
      },
    });
    expect(eventB.status, JSON.stringify(eventB.body)).toBe(201);
    const organizerB = (
      await t.request('POST', '/api/v1/auth/select-event', { token: organizerToken, body: { eventId: eventB.body.id } })
    ).body.accessToken;
    const r = await t.request('POST', `/api/v1/events/${eventB.body.id}/memberships`, {
      token: organizerB,
      body: { email: DEMO_ACCOUNTS.exhibitor, firstName: 'Autre', role: 'badge_controller' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.userId).toBe(before.id);
    const users = await t.services.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', DEMO_ACCOUNTS.exhibitor)
      .execute();
    expect(users).toHaveLength(1);
    expect(users[0]?.passwordHash).toBe(before.passwordHash);
    expect(users[0]?.firstName).toBe(before.firstName);
    expect((await t.login(DEMO_ACCOUNTS.exhibitor)).accessToken).toEqual(expect.any(String));
  });
});

describe('§7.4 a real sale at the cash desk, then its cancellation', () => {
  it('#63: a sale of a workshop grants access (my-ateliers, session-access, scans, qr_code); its cancellation revokes it (§10.7)', async () => {
    const cashier = syncDevice(t, (await t.login(DEMO_ACCOUNTS.cashier)).accessToken);
    const sale = saleDoc(DEMO_EVENT_ID, cashier.deviceId, registerId, buyer.participantId, 9001, [
      { id: workshop.id, name: workshop.name, priceMinor: workshop.priceMinor, sessionId: workshop.sessionId },
    ]);
    expect((await cashier.push('transactions', [{ newDocumentState: sale }])).status).toBe(200);

    const p = await m.login(DEMO_ACCOUNTS.participant);
    const amount = (workshop.priceMinor / 100).toFixed(2);
    const ateliers = await m.get('/api/my-ateliers/', p.access);
    expect(ateliers.body.count).toBe(1);
    expect(ateliers.body.results[0]).toMatchObject({
      session: workshop.sessionId,
      payment_status: 'paid',
      amount_paid: amount,
      has_access: true,
    });
    const access = await m.get(`/api/session-access/?session=${workshop.sessionId}`, p.access);
    expect(access.body.results).toEqual([expect.objectContaining({ has_access: true, payment_status: 'paid' })]);
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    const scanned = await m.post('/api/participants/scan/', { qr_data: String(buyer.userLegacyId) }, controller.access);
    expect(scanned.body.paid_items).toEqual([
      expect.objectContaining({ type: 'session', id: workshop.sessionId, amount_paid: workshop.priceMinor / 100 }),
    ]);
    expect((await m.get('/api/auth/me/', p.access)).body.qr_code.paid_items).toHaveLength(1);

    const cancel = cancellationDoc(DEMO_EVENT_ID, cashier.deviceId, registerId, sale.id, 'Atelier annulé');
    expect((await cashier.push('transactionCancellations', [{ newDocumentState: cancel }])).status).toBe(200);
    expect((await m.get('/api/my-ateliers/', p.access)).body.count).toBe(0);
    const after = await m.get(`/api/session-access/?session=${workshop.sessionId}`, p.access);
    expect(after.body.results).toEqual([expect.objectContaining({ has_access: false })]);
    const rescanned = await m.post(
      '/api/participants/scan/',
      { qr_data: String(buyer.userLegacyId) },
      controller.access,
    );
    expect(rescanned.body.status).toBe('success');
    expect(rescanned.body.paid_items).toEqual([]);
    expect(rescanned.body.total_amount).toBe(0);
    expect((await m.get('/api/auth/me/', p.access)).body.qr_code.paid_items).toEqual([]);
  });

  it('#64: capacity 1, one seat sold: the desk refuses a second buyer ("is full (0/1 spots available)"); a sale made offline anyway is flagged', async () => {
    const organizer = await m.login(DEMO_ACCOUNTS.organizer);
    const set = await m.patch(`/api/sessions/${workshop.sessionId}/`, { max_participants: 1 }, organizer.access);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const cashier = syncDevice(t, (await t.login(DEMO_ACCOUNTS.cashier)).accessToken);
    const first = saleDoc(DEMO_EVENT_ID, cashier.deviceId, registerId, buyer.participantId, 9002, [
      { id: workshop.id, name: workshop.name, priceMinor: workshop.priceMinor, sessionId: workshop.sessionId },
    ]);
    expect((await cashier.push('transactions', [{ newDocumentState: first }])).status).toBe(200);

    // The desk checks the cart against what it synced.
    const pull = async (c: string) => (await cashier.pullAll(c)).docs as never[];
    const ctx: CartContext = {
      eventId: DEMO_EVENT_ID,
      participant: (await pull('participants')).find((x: { id: string }) => x.id === other.participantId),
      lines: [{ payableItemId: workshop.id }],
      items: await pull('payableItems'),
      sessions: await pull('sessions'),
      transactions: await pull('transactions'),
      cancellations: await pull('transactionCancellations'),
      entitlements: await pull('entitlements'),
    };
    const verdict = validateCart(ctx);
    expect(verdict.ok).toBe(false);
    expect(verdict.lines[0]?.reason).toBe('session_full');
    expect(verdict.lines[0]?.message?.en).toContain(`${workshop.name} is full (0/1 spots available)`);

    // A second tablet, offline since before the first sale, sells the seat anyway: kept, and flagged.
    const offline = syncDevice(t, (await t.login(DEMO_ACCOUNTS.cashier)).accessToken);
    const second = saleDoc(DEMO_EVENT_ID, offline.deviceId, registerId, other.participantId, 9003, [
      { id: workshop.id, name: workshop.name, priceMinor: workshop.priceMinor, sessionId: workshop.sessionId },
    ]);
    expect((await offline.push('transactions', [{ newDocumentState: second }])).status).toBe(200);
    const flags = await t.services.db
      .selectFrom('reconciliationFlags')
      .selectAll()
      .where('eventId', '=', DEMO_EVENT_ID)
      .where('kind', '=', 'oversold')
      .execute();
    expect(flags.length).toBeGreaterThan(0);
  });
});
