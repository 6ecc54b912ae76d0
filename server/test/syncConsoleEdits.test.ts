import type { CashRegisterRecord, MembershipRecord, PayableItemRecord } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * The organizer console edits items on sale, cash registers and staff roles on the device (offline
 * too); they reach the server by sync push. The server applies the same rules there as on the REST
 * path and refuses a bad write with 400 naming the field and the reason (the batch writes nothing).
 */
let t: TestApp;
let organizer: string;
const E = DEMO_EVENT_ID;

beforeAll(async () => {
  t = await startTestApp({ demo: true });
  organizer = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
});
afterAll(() => t?.close());

type Doc = Record<string, unknown> & { id: string; rev: number };
const edited = <T extends Doc>(doc: T, patch: Partial<T>): T => ({
  ...doc,
  ...patch,
  rev: doc.rev + 1,
  seq: 0,
  updatedAt: new Date().toISOString(),
});
const row = <T extends Doc>(before: T, patch: Partial<T>) => ({
  newDocumentState: edited(before, patch),
  assumedMasterState: before,
});
const fields = (body: { fields?: { field: string; reason: string }[] }) => (body.fields ?? []).map((f) => f.field);

async function fresh<T>(collection: string, token = organizer): Promise<T[]> {
  return (await syncDevice(t, token).pullAll(collection)).docs as unknown as T[];
}

describe('items on sale edited by sync', () => {
  it('stores a new price and a withdrawal pushed by the console', async () => {
    const device = syncDevice(t, organizer);
    const items = await fresh<PayableItemRecord & Doc>('payableItems');
    const dinner = items.find((i) => i.kind === 'dinner' && i.sessionId === null)!;
    const r = await device.push('payableItems', [row(dinner, { priceMinor: 432_100, isActive: false })]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual([]);
    const rest = await t.request('GET', `/api/v1/events/${E}/payable-items/${dinner.id}`, { token: organizer });
    expect(rest.body).toMatchObject({ priceMinor: 432_100, isActive: false, rev: dinner.rev + 1 });
  });

  it('refuses a negative or fractional price with the field and the reason, and writes nothing of the batch', async () => {
    const device = syncDevice(t, organizer);
    const items = (await fresh<PayableItemRecord & Doc>('payableItems')).filter((i) => i.sessionId === null);
    const [a, b] = items as [PayableItemRecord & Doc, PayableItemRecord & Doc];
    const negative = await device.push('payableItems', [
      row(a, { name: `${a.name} (renamed)` }),
      row(b, { priceMinor: -100 }),
    ]);
    expect(negative.status).toBe(400);
    expect(fields(negative.body)).toEqual(['documents[1].priceMinor']);
    const fractional = await device.push('payableItems', [row(b, { priceMinor: 10.5 })]);
    expect(fractional.status).toBe(400);
    expect(fields(fractional.body)).toEqual(['documents[0].priceMinor']);
    const after = await fresh<PayableItemRecord & Doc>('payableItems');
    expect(after.find((i) => i.id === a.id)).toMatchObject({ name: a.name, rev: a.rev });
    expect(after.find((i) => i.id === b.id)).toMatchObject({ priceMinor: b.priceMinor, rev: b.rev });
  });

  it('refuses an edit of a workshop item (it follows its session) and a new workshop item', async () => {
    const device = syncDevice(t, organizer);
    const items = await fresh<PayableItemRecord & Doc>('payableItems');
    const workshop = items.find((i) => i.sessionId !== null)!;
    const r = await device.push('payableItems', [row(workshop, { priceMinor: workshop.priceMinor + 100 })]);
    expect(r.status).toBe(400);
    expect(r.body.fields).toEqual([
      { field: 'documents[0].priceMinor', reason: expect.stringMatching(/follow their session/) },
    ]);
    const removed = await device.push('payableItems', [row(workshop, { deleted: true })]);
    expect(removed.status).toBe(400);
    expect(fields(removed.body)).toEqual(['documents[0].deleted']);
    const now = new Date().toISOString();
    const made = await device.push('payableItems', [
      {
        newDocumentState: {
          ...workshop,
          id: crypto.randomUUID(),
          rev: 1,
          seq: 0,
          createdAt: now,
          updatedAt: now,
          legacyId: 0,
        },
        assumedMasterState: null,
      },
    ]);
    expect(made.status).toBe(400);
    expect(fields(made.body)).toEqual(['documents[0].sessionId']);
  });

  it('stores an item created on the console', async () => {
    const device = syncDevice(t, organizer);
    const now = new Date().toISOString();
    const id = crypto.randomUUID();
    const r = await device.push('payableItems', [
      {
        newDocumentState: {
          id,
          eventId: E,
          seq: 0,
          rev: 1,
          createdAt: now,
          updatedAt: now,
          deleted: false,
          legacyId: 0,
          name: 'Parking (journée)',
          description: '',
          kind: 'access',
          priceMinor: 50_000,
          sessionId: null,
          isActive: true,
        },
        assumedMasterState: null,
      },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rest = await t.request('GET', `/api/v1/events/${E}/payable-items/${id}`, { token: organizer });
    expect(rest.body).toMatchObject({ name: 'Parking (journée)', priceMinor: 50_000 });
  });
});

describe('cash registers edited by sync', () => {
  it('stores a deactivation and a new name', async () => {
    const device = syncDevice(t, organizer);
    const [register] = await fresh<CashRegisterRecord & Doc>('cashRegisters');
    const r = await device.push('cashRegisters', [
      row(register!, { isActive: false, name: 'Caisse accueil (fermée)' }),
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const rest = await t.request('GET', `/api/v1/events/${E}/cash-registers/${register!.id}`, { token: organizer });
    expect(rest.body).toMatchObject({ isActive: false, name: 'Caisse accueil (fermée)' });
  });

  it('refuses a new register, an email change, a prefix change and a deletion (online only, or never)', async () => {
    const device = syncDevice(t, organizer);
    const [register] = (await fresh<CashRegisterRecord & Doc>('cashRegisters')) as [CashRegisterRecord & Doc];
    const email = await device.push('cashRegisters', [row(register, { email: 'other@example.org' })]);
    expect(email.status).toBe(400);
    expect(fields(email.body)).toEqual(['documents[0].email']);
    const prefix = await device.push('cashRegisters', [row(register, { receiptPrefix: 'ZZ' })]);
    expect(fields(prefix.body)).toEqual(['documents[0].receiptPrefix']);
    const gone = await device.push('cashRegisters', [row(register, { deleted: true })]);
    expect(gone.status).toBe(400);
    expect(fields(gone.body)).toEqual(['documents[0].deleted']);
    const made = await device.push('cashRegisters', [
      {
        newDocumentState: { ...register, id: crypto.randomUUID(), rev: 1, receiptPrefix: 'C9' },
        assumedMasterState: null,
      },
    ]);
    expect(made.status).toBe(400);
    expect(made.body.fields[0].reason).toMatch(/create it online/);
  });
});

describe('staff roles edited by sync', () => {
  it('stores a role change and a deactivation', async () => {
    const device = syncDevice(t, organizer);
    const members = await fresh<MembershipRecord & Doc>('memberships');
    const controller = members.find((m) => m.userEmail === DEMO_ACCOUNTS.controller)!;
    const r = await device.push('memberships', [row(controller, { role: 'room_manager' })]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const now = (await fresh<MembershipRecord & Doc>('memberships')).find((m) => m.id === controller.id)!;
    expect(now.role).toBe('room_manager');
    const off = await device.push('memberships', [row(now, { isActive: false, role: 'badge_controller' })]);
    expect(off.status).toBe(200);
    const rest = await t.request('GET', `/api/v1/events/${E}/memberships/${controller.id}`, { token: organizer });
    expect(rest.body).toMatchObject({ role: 'badge_controller', isActive: false });
  });

  it('refuses edits of the person’s copy, a new member by sync, and an unknown room', async () => {
    const device = syncDevice(t, organizer);
    const members = await fresh<MembershipRecord & Doc>('memberships');
    const manager = members.find((m) => m.userEmail === DEMO_ACCOUNTS.manager)!;
    const email = await device.push('memberships', [row(manager, { userEmail: 'someone@else.org' })]);
    expect(email.status).toBe(400);
    expect(fields(email.body)).toEqual(['documents[0].userEmail']);
    const room = await device.push('memberships', [row(manager, { assignedRoomId: crypto.randomUUID() })]);
    expect(room.status).toBe(400);
    expect(room.body.fields).toEqual([{ field: 'documents[0].assignedRoomId', reason: 'no such room in this event' }]);
    const made = await device.push('memberships', [
      { newDocumentState: { ...manager, id: crypto.randomUUID(), rev: 1 }, assumedMasterState: null },
    ]);
    expect(made.status).toBe(400);
    expect(made.body.fields[0].reason).toMatch(/invite people online/);
  });

  it('refuses to leave the event without an active organizer (409), as the REST path does', async () => {
    const device = syncDevice(t, organizer);
    const members = await fresh<MembershipRecord & Doc>('memberships');
    const organizers = members.filter((m) => m.role === 'organizer' && m.isActive);
    expect(organizers).toHaveLength(1);
    const r = await device.push('memberships', [row(organizers[0]!, { role: 'committee' })]);
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('last_organizer');
    const still = (await fresh<MembershipRecord & Doc>('memberships')).find((m) => m.id === organizers[0]!.id)!;
    expect(still).toMatchObject({ role: 'organizer', isActive: true });
  });
});
