import { newId } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World, writeState } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);
const rooms = (e: string) => `/api/v1/events/${e}/rooms`;
const sessions = (e: string) => `/api/v1/events/${e}/sessions`;
const as = (token: string) => ({
  get: (url: string) => t.request('GET', url, { token }),
  post: (url: string, body: unknown) => t.request('POST', url, { token, body }),
  patch: (url: string, body: unknown) => t.request('PATCH', url, { token, body }),
  del: (url: string) => t.request('DELETE', url, { token }),
});

describe('rooms', () => {
  it('creates a room with defaults and reads it back', async () => {
    const org = as(w.tokens.organizerA);
    const r = await org.post(rooms(w.A), { name: 'Salle C', capacity: 80 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'Salle C',
      capacity: 80,
      description: '',
      location: '',
      isActive: true,
      reentryPolicy: 'after_exit',
      eventId: w.A,
      rev: 1,
      deleted: false,
    });
    expect((await org.get(`${rooms(w.A)}/${r.body.id}`)).body).toEqual(r.body);
  });

  it('keeps names unique in an event, ignoring case, and says which field', async () => {
    const org = as(w.tokens.organizerA);
    const before = await writeState(t);
    const dup = await org.post(rooms(w.A), { name: 'auditorium a', capacity: 10 });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe('duplicate');
    expect(fieldsOf(dup.body)).toEqual(['body.name']);
    const rename = await org.patch(`${rooms(w.A)}/${w.a.roomId}`, { name: 'Salle B' });
    expect(rename.status).toBe(409);
    expect(await writeState(t)).toEqual(before);
    // Renaming to its own name (another case) is fine; another event may use the same name.
    expect((await org.patch(`${rooms(w.A)}/${w.a.roomId}`, { name: 'AUDITORIUM A' })).status).toBe(200);
    expect((await org.patch(`${rooms(w.A)}/${w.a.roomId}`, { name: 'Auditorium A' })).status).toBe(200);
    expect((await org.post(rooms(w.A), { name: 'Room of B', capacity: 10 })).status).toBe(201);
  });

  it('changes only the fields sent; a stale revision gets 409 and the current room', async () => {
    const org = as(w.tokens.organizerA);
    const room = (
      await org.post(rooms(w.A), {
        name: 'Salle D',
        capacity: 50,
        location: 'Niveau 3',
        reentryPolicy: 'reentry_allowed',
      })
    ).body;
    const r = await org.patch(`${rooms(w.A)}/${room.id}`, { capacity: 60, rev: 1 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ capacity: 60, location: 'Niveau 3', reentryPolicy: 'reentry_allowed', rev: 2 });
    const stale = await org.patch(`${rooms(w.A)}/${room.id}`, { capacity: 70, rev: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ id: room.id, capacity: 60, rev: 2 });
  });

  it('lists with search, filters, sort and pagination', async () => {
    const org = as(w.tokens.organizerA);
    await org.post(rooms(w.A), { name: 'Salle fermée', capacity: 5, isActive: false });
    const all = (await org.get(`${rooms(w.A)}?pageSize=100`)).body;
    const names = all.items.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b, 'en')));
    const inactive = (await org.get(`${rooms(w.A)}?isActive=false`)).body;
    expect(inactive.items.map((r: { name: string }) => r.name)).toEqual(['Salle fermée']);
    const search = (await org.get(`${rooms(w.A)}?q=niveau%201`)).body;
    expect(search.items.map((r: { name: string }) => r.name).sort()).toEqual(['Atelier 1', 'Salle B']);
    const byCapacity = (await org.get(`${rooms(w.A)}?sort=-capacity&pageSize=2`)).body;
    expect(byCapacity).toMatchObject({ total: all.total, pageSize: 2, pages: Math.ceil(all.total / 2) });
    expect(byCapacity.items.map((r: { capacity: number }) => r.capacity)).toEqual([1000, 500]);
    const page2 = (await org.get(`${rooms(w.A)}?sort=-capacity&pageSize=2&page=2`)).body;
    expect(page2.items[0].capacity).toBeLessThanOrEqual(500);
    expect((await org.get(`${rooms(w.A)}?page=999`)).body.items).toEqual([]);
    expect((await org.get(`${rooms(w.A)}?isActive=maybe`)).status).toBe(400);
    expect(fieldsOf((await org.get(`${rooms(w.A)}?sort=secret`)).body)).toEqual(['querystring.sort']);
    // Every staff role may read rooms.
    expect((await as(w.tokens.controllerA).get(rooms(w.A))).status).toBe(200);
  });

  it('refuses to delete a room that still has sessions; deletes an empty one', async () => {
    const org = as(w.tokens.organizerA);
    const before = await writeState(t);
    const busy = await org.del(`${rooms(w.A)}/${w.a.roomId}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error).toBe('has_sessions');
    expect(await writeState(t)).toEqual(before);

    const empty = (await org.post(rooms(w.A), { name: 'Temporaire', capacity: 3 })).body;
    expect((await org.del(`${rooms(w.A)}/${empty.id}`)).status).toBe(204);
    expect((await org.get(`${rooms(w.A)}/${empty.id}`)).status).toBe(404);
    expect((await org.del(`${rooms(w.A)}/${empty.id}`)).status).toBe(404);
    // The name is free again.
    expect((await org.post(rooms(w.A), { name: 'Temporaire', capacity: 3 })).status).toBe(201);
  });

  it('is written by organizers only', async () => {
    const before = await writeState(t);
    for (const token of [w.tokens.controllerA, w.tokens.managerA, w.tokens.cashierA, w.tokens.exhibitorA]) {
      expect((await as(token).post(rooms(w.A), { name: 'Nope', capacity: 1 })).status).toBe(403);
      expect((await as(token).patch(`${rooms(w.A)}/${w.a.roomId}`, { capacity: 1 })).status).toBe(403);
      expect((await as(token).del(`${rooms(w.A)}/${w.a.roomId}`)).status).toBe(403);
    }
    expect(await writeState(t)).toEqual(before);
  });
});

describe('sessions', () => {
  const slot = { startsAt: '2027-03-01T09:00:00.000Z', endsAt: '2027-03-01T11:00:00.000Z' };

  async function itemsOf(sessionId: string) {
    return t.services.db.selectFrom('payableItems').selectAll().where('sessionId', '=', sessionId).execute();
  }

  it('needs endsAt after startsAt, on create and against the stored date on update', async () => {
    const org = as(w.tokens.organizerA);
    const before = await writeState(t);
    const r = await org.post(sessions(w.A), {
      roomId: w.a.roomId,
      title: 'Backwards',
      startsAt: slot.endsAt,
      endsAt: slot.startsAt,
    });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(['body.endsAt']);
    const same = await org.post(sessions(w.A), { roomId: w.a.roomId, title: 'Zero', ...slot, endsAt: slot.startsAt });
    expect(same.status).toBe(400);
    const u = await org.patch(`${sessions(w.A)}/${w.a.sessionId}`, { endsAt: '2000-01-01T00:00:00.000Z' });
    expect(u.status).toBe(400);
    expect(fieldsOf(u.body)).toEqual(['body.endsAt']);
    expect(await writeState(t)).toEqual(before);
  });

  it('refuses a room of another event or an unknown room, writing nothing', async () => {
    const org = as(w.tokens.organizerA);
    const before = await writeState(t);
    for (const roomId of [w.b.roomId, newId()]) {
      const c = await org.post(sessions(w.A), { roomId, title: 'Elsewhere', ...slot });
      expect(c.status).toBe(400);
      expect(c.body.fields).toEqual([{ field: 'body.roomId', reason: 'no such room in this event' }]);
      const u = await org.patch(`${sessions(w.A)}/${w.a.sessionId}`, { roomId });
      expect(u.status).toBe(400);
      expect(fieldsOf(u.body)).toEqual(['body.roomId']);
    }
    expect(await writeState(t)).toEqual(before);
  });

  it('a paid session creates, renames, reprices and deactivates its payable item', async () => {
    const org = as(w.tokens.organizerA);
    const noPrice = await org.post(sessions(w.A), { roomId: w.a.roomId, title: 'Free lunch', ...slot, isPaid: true });
    expect(noPrice.status).toBe(400);
    expect(fieldsOf(noPrice.body)).toEqual(['body.priceMinor']);

    const s = await org.post(sessions(w.A), {
      roomId: w.a.roomId,
      title: 'Atelier suture',
      ...slot,
      sessionType: 'workshop',
      isPaid: true,
      priceMinor: 250_000,
      capacity: 20,
    });
    expect(s.status).toBe(201);
    let items = await itemsOf(s.body.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: 'Atelier - Atelier suture',
      kind: 'session',
      priceMinor: 250_000,
      isActive: true,
      eventId: w.A,
      deleted: false,
    });
    const itemId = items[0]?.id;

    // Renamed and repriced with the session; a PATCH of one field leaves the price alone.
    expect((await org.patch(`${sessions(w.A)}/${s.body.id}`, { title: 'Atelier sutures avancées' })).status).toBe(200);
    items = await itemsOf(s.body.id);
    expect(items[0]).toMatchObject({ id: itemId, name: 'Atelier - Atelier sutures avancées', priceMinor: 250_000 });
    const repriced = await org.patch(`${sessions(w.A)}/${s.body.id}`, { priceMinor: 300_000 });
    expect(repriced.body).toMatchObject({ isPaid: true, priceMinor: 300_000, capacity: 20, sessionType: 'workshop' });
    expect((await itemsOf(s.body.id))[0]).toMatchObject({ priceMinor: 300_000, isActive: true });

    // Free: deactivated, not deleted (sales may point at it). Paid again: the same item again.
    expect((await org.patch(`${sessions(w.A)}/${s.body.id}`, { isPaid: false })).status).toBe(200);
    expect((await itemsOf(s.body.id)).map((i) => [i.id, i.isActive])).toEqual([[itemId, false]]);
    expect((await org.patch(`${sessions(w.A)}/${s.body.id}`, { isPaid: true })).status).toBe(200);
    expect((await itemsOf(s.body.id)).map((i) => [i.id, i.isActive])).toEqual([[itemId, true]]);
    // Cancelled, then deleted: inactive.
    expect((await org.patch(`${sessions(w.A)}/${s.body.id}`, { status: 'cancelled' })).status).toBe(200);
    expect((await itemsOf(s.body.id))[0]?.isActive).toBe(false);
    expect((await org.patch(`${sessions(w.A)}/${s.body.id}`, { status: 'not_started' })).status).toBe(200);
    expect((await itemsOf(s.body.id))[0]?.isActive).toBe(true);
    expect((await org.del(`${sessions(w.A)}/${s.body.id}`)).status).toBe(204);
    expect((await itemsOf(s.body.id)).map((i) => [i.id, i.isActive])).toEqual([[itemId, false]]);

    // A paid session needs a price on update too.
    const free = (await org.post(sessions(w.A), { roomId: w.a.roomId, title: 'Gratuit', ...slot })).body;
    expect(await itemsOf(free.id)).toEqual([]);
    const bad = await org.patch(`${sessions(w.A)}/${free.id}`, { isPaid: true });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['body.priceMinor']);
    expect(await itemsOf(free.id)).toEqual([]);
  });

  it('rejects money that is not integer minor units', async () => {
    const org = as(w.tokens.organizerA);
    for (const priceMinor of [12.5, -1, '1000', 1e13]) {
      const r = await org.post(sessions(w.A), { roomId: w.a.roomId, title: 'Cher', ...slot, isPaid: true, priceMinor });
      expect(r.status, String(priceMinor)).toBe(400);
      expect(fieldsOf(r.body)).toContain('body.priceMinor');
    }
  });

  it('lists with filters, search and sort', async () => {
    const org = as(w.tokens.organizerA);
    const paid = (await org.get(`${sessions(w.A)}?isPaid=true&pageSize=100`)).body;
    expect(paid.total).toBeGreaterThanOrEqual(3);
    expect(paid.items.every((s: { isPaid: boolean }) => s.isPaid)).toBe(true);
    const workshops = (await org.get(`${sessions(w.A)}?sessionType=workshop&sort=-startsAt`)).body.items;
    const starts = workshops.map((s: { startsAt: string }) => s.startsAt);
    expect(starts).toEqual([...starts].sort().reverse());
    const inRoom = (await org.get(`${sessions(w.A)}?roomId=${w.a.roomId}`)).body.items;
    expect(inRoom.length).toBeGreaterThan(0);
    expect(inRoom.every((s: { roomId: string }) => s.roomId === w.a.roomId)).toBe(true);
    const found = (await org.get(`${sessions(w.A)}?q=échographie`)).body.items;
    expect(found.map((s: { title: string }) => s.title)).toEqual(['Atelier échographie cardiaque']);
    expect((await org.get(`${sessions(w.A)}?roomId=not-a-uuid`)).status).toBe(400);
  });

  it('is written by organizers only', async () => {
    const before = await writeState(t);
    for (const token of [w.tokens.managerA, w.tokens.controllerA, w.tokens.cashierA]) {
      const body = { roomId: w.a.roomId, title: 'Sneaky', ...slot };
      expect((await as(token).post(sessions(w.A), body)).status).toBe(403);
      expect((await as(token).patch(`${sessions(w.A)}/${w.a.sessionId}`, { title: 'x' })).status).toBe(403);
      expect((await as(token).del(`${sessions(w.A)}/${w.a.sessionId}`)).status).toBe(403);
    }
    expect(await writeState(t)).toEqual(before);
  });
});
