import {
  buildCancellation,
  buildSale,
  type CashRegisterRecord,
  newId,
  type ParticipantRecord,
  type PayableItemRecord,
  type PaymentInput,
  type SessionRecord,
  type TransactionRecord,
} from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let organizer: string;
let cashier: string;
const E = DEMO_EVENT_ID;
const registers = `/api/v1/events/${E}/cash-registers`;
const items = `/api/v1/events/${E}/payable-items`;

beforeAll(async () => {
  t = await startTestApp({ demo: true });
  organizer = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
  cashier = (await t.login(DEMO_ACCOUNTS.cashier)).accessToken;
});
afterAll(() => t?.close());

const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);

describe('cash registers (organizer REST)', () => {
  it('creates a register with its own login; the password is hashed and never returned', async () => {
    const r = await t.request('POST', registers, {
      token: organizer,
      body: { name: 'Caisse hall B', email: 'Caisse.B@Example.org', password: 'secret-caisse-b' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'Caisse hall B',
      email: 'caisse.b@example.org',
      isActive: true,
      receiptPrefix: 'C2',
      eventId: E,
    });
    expect(JSON.stringify(r.body)).not.toMatch(/password|argon2/i);
    const row = await t.services.db
      .selectFrom('cashRegisters')
      .select('passwordHash')
      .where('id', '=', r.body.id)
      .executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);

    const login = await t.login('caisse.b@example.org', 'secret-caisse-b');
    expect(login).toMatchObject({
      subject: 'cash_register',
      role: 'cashier',
      cashRegister: { id: r.body.id, name: 'Caisse hall B' },
    });
  });

  it('refuses an email already used to sign in (another register or a person) and a prefix in use', async () => {
    const dupRegister = await t.request('POST', registers, {
      token: organizer,
      body: { name: 'X', email: DEMO_ACCOUNTS.cashier.toUpperCase(), password: 'long-enough-1' },
    });
    expect(dupRegister.status).toBe(409);
    expect(fieldsOf(dupRegister.body)).toEqual(['body.email']);
    const dupUser = await t.request('POST', registers, {
      token: organizer,
      body: { name: 'X', email: DEMO_ACCOUNTS.participant, password: 'long-enough-1' },
    });
    expect(dupUser.status).toBe(409);
    const dupPrefix = await t.request('POST', registers, {
      token: organizer,
      body: { name: 'X', email: 'x.prefix@example.org', password: 'long-enough-1', receiptPrefix: 'C1' },
    });
    expect(dupPrefix.status).toBe(409);
    expect(fieldsOf(dupPrefix.body)).toEqual(['body.receiptPrefix']);
    const bad = await t.request('POST', registers, {
      token: organizer,
      body: { name: '', email: 'nope', password: 'short', receiptPrefix: 'c-1' },
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body).sort()).toEqual(['body.email', 'body.name', 'body.password', 'body.receiptPrefix']);
  });

  it('lists, renames, deactivates (login refused) and changes the password of a register', async () => {
    const created = await t.request('POST', registers, {
      token: organizer,
      body: { name: 'Caisse soir', email: 'soir@example.org', password: 'first-password', receiptPrefix: 'SOIR' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const list = await t.request('GET', `${registers}?q=soir`, { token: organizer });
    expect(list.body.items.map((x: CashRegisterRecord) => x.id)).toEqual([id]);

    const off = await t.request('PATCH', `${registers}/${id}`, { token: organizer, body: { isActive: false } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ name: 'Caisse soir', isActive: false, receiptPrefix: 'SOIR' });
    const refused = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'soir@example.org', password: 'first-password' },
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('account_disabled');

    const on = await t.request('PATCH', `${registers}/${id}`, {
      token: organizer,
      body: { isActive: true, password: 'second-password', name: 'Caisse du soir' },
    });
    expect(on.status).toBe(200);
    expect(on.body.name).toBe('Caisse du soir');
    const old = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'soir@example.org', password: 'first-password' },
    });
    expect(old.status).toBe(401);
    expect((await t.login('soir@example.org', 'second-password')).cashRegister.id).toBe(id);
  });

  it('is for organizers only: a cashier cannot read or manage registers', async () => {
    expect((await t.request('GET', registers, { token: cashier })).status).toBe(403);
    expect(
      (
        await t.request('POST', registers, {
          token: cashier,
          body: { name: 'X', email: 'x.cashier@example.org', password: 'long-enough-1' },
        })
      ).status,
    ).toBe(403);
    expect((await t.request('GET', `${registers}/statistics`, { token: cashier })).status).toBe(403);
  });
});

describe('payable items (organizer REST)', () => {
  it('creates and edits a dinner; a cashier may read the catalogue but not change it', async () => {
    const r = await t.request('POST', items, {
      token: organizer,
      body: { name: 'Déjeuner jour 1', kind: 'dinner', priceMinor: 180_000 },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Déjeuner jour 1', kind: 'dinner', priceMinor: 180_000, isActive: true });
    const p = await t.request('PATCH', `${items}/${r.body.id}`, { token: organizer, body: { priceMinor: 200_000 } });
    expect(p.status).toBe(200);
    // Only the field sent changes.
    expect(p.body).toMatchObject({ name: 'Déjeuner jour 1', kind: 'dinner', priceMinor: 200_000, isActive: true });
    expect((await t.request('GET', `${items}?kind=dinner`, { token: cashier })).body.items.length).toBeGreaterThan(0);
    expect(
      (await t.request('PATCH', `${items}/${r.body.id}`, { token: cashier, body: { priceMinor: 1 } })).status,
    ).toBe(403);
    const bad = await t.request('POST', items, { token: organizer, body: { name: 'X', priceMinor: 12.5 } });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['body.priceMinor']);
  });

  it('keeps workshop items in step with their session: not created, changed or deleted here', async () => {
    const sessions = await t.request('GET', `/api/v1/events/${E}/sessions?isPaid=true`, { token: organizer });
    const session = sessions.body.items[0] as SessionRecord;
    const created = await t.request('POST', items, {
      token: organizer,
      body: { name: 'Faux atelier', priceMinor: 100, sessionId: session.id },
    });
    expect(created.status).toBe(400);
    expect(fieldsOf(created.body)).toEqual(['body.sessionId']);
    const mirrored = (await t.request('GET', `${items}?sessionId=${session.id}`, { token: organizer })).body
      .items[0] as PayableItemRecord;
    expect(mirrored.priceMinor).toBe(session.priceMinor);
    const p = await t.request('PATCH', `${items}/${mirrored.id}`, { token: organizer, body: { priceMinor: 1 } });
    expect(p.status).toBe(409);
    expect(p.body.error).toBe('mirrored_item');
    const d = await t.request('PATCH', `${items}/${mirrored.id}`, {
      token: organizer,
      body: { description: 'Matériel fourni' },
    });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ description: 'Matériel fourni', priceMinor: session.priceMinor, isActive: true });
    expect((await t.request('DELETE', `${items}/${mirrored.id}`, { token: organizer })).status).toBe(409);
    // Repricing the session reprices its item.
    await t.request('PATCH', `/api/v1/events/${E}/sessions/${session.id}`, {
      token: organizer,
      body: { priceMinor: session.priceMinor + 10_000 },
    });
    const after = await t.request('GET', `${items}/${mirrored.id}`, { token: organizer });
    expect(after.body.priceMinor).toBe(session.priceMinor + 10_000);
  });
});

describe('register statistics', () => {
  it('adds up the sales pushed by a register: totals by method and item, cancellations, cash expected', async () => {
    const login = await t.login(DEMO_ACCOUNTS.cashier);
    const device = syncDevice(t, login.accessToken);
    const register = (await device.pullAll('cashRegisters')).docs[0] as unknown as CashRegisterRecord;
    const catalogue = (await device.pullAll('payableItems')).docs as unknown as PayableItemRecord[];
    const people = (await device.pullAll('participants')).docs as unknown as ParticipantRecord[];
    const sessions = (await device.pullAll('sessions')).docs as unknown as SessionRecord[];
    const dinner = catalogue.find((i) => i.kind === 'dinner' && i.name === 'Dîner de gala')!;
    const bag = catalogue.find((i) => i.kind === 'other')!;
    const sales: TransactionRecord[] = [];
    const sell = (
      participant: ParticipantRecord,
      cart: { payableItemId: string; quantity?: number }[],
      payment: PaymentInput,
    ) => {
      const out = buildSale({
        id: newId(),
        now: new Date(),
        eventId: E,
        deviceId: device.deviceId,
        register,
        cashierName: register.name,
        participant,
        cart,
        payment,
        items: catalogue,
        sessions,
        transactions: sales,
        cancellations: [],
        entitlements: [],
      });
      if (!out.ok) throw new Error(out.message.en);
      sales.push(out.transaction);
      return out.transaction;
    };
    const a = sell(people[0]!, [{ payableItemId: dinner.id }], { method: 'cash', amountReceivedMinor: 400_000 });
    const b = sell(people[1]!, [{ payableItemId: dinner.id }, { payableItemId: bag.id, quantity: 2 }], {
      method: 'mixed',
      cashMinor: 100_000,
    });
    const c = sell(people[2]!, [{ payableItemId: bag.id }], { method: 'bank_transfer' });
    const push = await device.push(
      'transactions',
      sales.map((s) => ({ newDocumentState: { ...s, rev: 1 } })),
    );
    expect(push.status, JSON.stringify(push.body)).toBe(200);
    const cancel = buildCancellation({
      id: newId(),
      now: new Date(),
      eventId: E,
      deviceId: device.deviceId,
      cashRegisterId: register.id,
      cancelledBy: register.name,
      reason: 'Erreur de saisie',
      transactionId: c.id,
      transactions: sales,
      cancellations: [],
    });
    if (!cancel.ok) throw new Error(cancel.message.en);
    expect(
      (await device.push('transactionCancellations', [{ newDocumentState: { ...cancel.cancellation, rev: 1 } }]))
        .status,
    ).toBe(200);

    const r = await t.request('GET', `${registers}/${register.id}/statistics`, { token: organizer });
    expect(r.status).toBe(200);
    const s = r.body.summary;
    expect(s).toMatchObject({
      salesCount: 3,
      completedCount: 2,
      cancelledCount: 1,
      completedMinor: a.totalMinor + b.totalMinor,
      cancelledMinor: c.totalMinor,
      cashMinor: 350_000 + 100_000,
      nonCashMinor: b.totalMinor - 100_000,
      changeMinor: 50_000,
      expectedCashMinor: 450_000,
    });
    expect(s.byMethod.cash).toMatchObject({ count: 1, totalMinor: 350_000 });
    expect(s.byMethod.mixed).toMatchObject({ count: 1, totalMinor: b.totalMinor, cashMinor: 100_000 });
    expect(s.byMethod.bank_transfer.count).toBe(0);
    expect(s.byItem).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ payableItemId: dinner.id, quantity: 2, totalMinor: 700_000 }),
        expect.objectContaining({ payableItemId: bag.id, quantity: 2, totalMinor: 2 * bag.priceMinor }),
      ]),
    );
    expect(r.body.missingReceipts).toEqual([]);
    expect(r.body.duplicateReceipts).toEqual([]);
    const all = await t.request('GET', `${registers}/statistics`, { token: organizer });
    expect(all.body.find((x: { cashRegisterId: string }) => x.cashRegisterId === register.id).summary).toEqual(s);

    // A register with sales cannot be deleted (its receipts stay on record): deactivate it instead.
    const del = await t.request('DELETE', `${registers}/${register.id}`, { token: organizer });
    expect(del.status).toBe(409);
    expect(del.body.error).toBe('has_sales');
  });
});
