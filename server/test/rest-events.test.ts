import { newId } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EVENT_ID } from '../src/demo/seed';
import { insertRecord, systemContext } from '../src/sync/recordStore';
import { buildWorld, eventBody, register, selectEvent, type World, writeState } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);

describe('GET /events (mine)', () => {
  it('lists the events where I am staff, with my role, paginated', async () => {
    const a = await t.request('GET', '/api/v1/events', { token: w.tokens.organizerA });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ total: 1, page: 1, pageSize: 50, pages: 1 });
    expect(a.body.items[0]).toMatchObject({ id: DEMO_EVENT_ID, role: 'organizer' });
    expect(a.body.items[0]).not.toHaveProperty('createdBy');

    const b = await t.request('GET', '/api/v1/events', { token: w.tokens.organizerB });
    expect(b.body.items.map((e: { id: string }) => e.id)).toEqual([w.B]);

    const staff = await t.request('GET', '/api/v1/events', { token: w.tokens.controllerA });
    expect(staff.body.items[0].role).toBe('badge_controller');
    // A participant is no staff.
    const participant = await t.request('GET', '/api/v1/events', { token: w.tokens.participantA });
    expect(participant.body.total).toBe(0);
  });

  it('searches, filters by status, sorts and pages', async () => {
    // Two more events for organizer B (tokens bound to B still create events).
    for (const [name, status, startsAt] of [
      ['Zeta symposium', 'cancelled', '2027-05-01T08:00:00.000Z'],
      ['Alpha workshop day', 'upcoming', '2027-01-01T08:00:00.000Z'],
    ] as const) {
      const r = await t.request('POST', '/api/v1/events', {
        token: w.tokens.organizerB,
        body: eventBody({ name, status, startsAt, endsAt: startsAt.replace('T08', 'T18') }),
      });
      expect(r.status).toBe(201);
    }
    const list = (qs: string) => t.request('GET', `/api/v1/events?${qs}`, { token: w.tokens.organizerB });
    const all = await list('');
    expect(all.body.total).toBe(3);
    // Default order: newest start first.
    expect(all.body.items.map((e: { name: string }) => e.name)).toEqual([
      'Zeta symposium',
      'Second event',
      'Alpha workshop day',
    ]);
    expect((await list('sort=name')).body.items[0].name).toBe('Alpha workshop day');
    expect((await list('q=symposium')).body.items.map((e: { name: string }) => e.name)).toEqual(['Zeta symposium']);
    expect((await list('status=cancelled')).body.total).toBe(1);
    const p2 = await list('pageSize=2&page=2&sort=name');
    expect(p2.body).toMatchObject({ total: 3, page: 2, pageSize: 2, pages: 2 });
    expect(p2.body.items.map((e: { name: string }) => e.name)).toEqual(['Zeta symposium']);

    const badSort = await list('sort=password');
    expect(badSort.status).toBe(400);
    expect(fieldsOf(badSort.body)).toEqual(['querystring.sort']);
    const badStatus = await list('status=archived');
    expect(badStatus.status).toBe(400);
    expect(fieldsOf(badStatus.body)).toEqual(['querystring.status']);
    expect((await list('page=0')).status).toBe(400);
    expect((await list('pageSize=100000')).status).toBe(400);
  });

  it('needs a personal account', async () => {
    expect((await t.request('GET', '/api/v1/events')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/events', { token: w.tokens.cashierA })).status).toBe(403);
  });
});

describe('GET /events/:eventId', () => {
  it('returns the event to anyone with a role in it', async () => {
    for (const token of [w.tokens.organizerA, w.tokens.participantA, w.tokens.cashierA]) {
      const r = await t.request('GET', `/api/v1/events/${w.A}`, { token });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: w.A, eventId: w.A, status: 'active', currency: 'DZD' });
    }
  });

  it('refuses outsiders and tokens of another event', async () => {
    expect((await t.request('GET', `/api/v1/events/${w.A}`, { token: w.tokens.outsider })).status).toBe(403);
    const cross = await t.request('GET', `/api/v1/events/${w.B}`, { token: w.tokens.organizerA });
    expect(cross.status).toBe(403);
    expect(cross.body.message).toMatch(/another event/);
    expect((await t.request('GET', `/api/v1/events/${newId()}`, { token: w.tokens.outsider })).status).toBe(404);
  });
});

describe('POST /events', () => {
  it('makes the creator its organizer and publishes the server badge keys to it', async () => {
    const reg = await register(t, 'creator@example.org');
    // Not an organizer anywhere and not granted: refused, and nothing written.
    const before = await writeState(t);
    const refused = await t.request('POST', '/api/v1/events', { token: reg.accessToken, body: eventBody() });
    expect(refused.status).toBe(403);
    expect(await writeState(t)).toEqual(before);

    await t.services.db.updateTable('users').set({ isPlatformAdmin: true }).where('id', '=', reg.user.id).execute();
    const r = await t.request('POST', '/api/v1/events', {
      token: reg.accessToken,
      body: eventBody({
        name: 'Créée',
        themes: ['Cardio'],
        settings: { permissionOverrides: { cashier: ['event.read'] } },
      }),
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Créée', eventId: r.body.id, rev: 1, status: 'upcoming', themes: ['Cardio'] });

    const db = t.services.db;
    const memberships = await db.selectFrom('memberships').selectAll().where('eventId', '=', r.body.id).execute();
    expect(memberships).toHaveLength(1);
    expect(memberships[0]).toMatchObject({ userId: reg.user.id, role: 'organizer', isActive: true });
    const trust = await db.selectFrom('badgeTrust').selectAll().where('eventId', '=', r.body.id).execute();
    const keys = await db.selectFrom('serverKeys').selectAll().where('retiredAt', 'is', null).execute();
    expect(keys.length).toBeGreaterThan(0);
    expect(trust.map((k) => [k.kind, k.keyOwner, k.keyId, k.publicKey]).sort()).toEqual(
      keys.map((k) => ['signing_key', 'server', k.id, k.publicKey]).sort(),
    );

    // The creator now works in it after selecting it.
    const token = await selectEvent(t, reg.accessToken, r.body.id);
    const rooms = await t.request('GET', `/api/v1/events/${r.body.id}/rooms`, { token });
    expect(rooms.status).toBe(200);
    expect(rooms.body.total).toBe(0);
  });

  it('rejects bad bodies, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-01-02T00:00:00Z' }, 'body.name'],
      [eventBody({ startsAt: undefined }), 'body.startsAt'],
      [eventBody({ name: 42 }), 'body.name'],
      [eventBody({ startsAt: 'tomorrow' }), 'body.startsAt'],
      [eventBody({ endsAt: '2027-02-01T00:00:00Z' }), 'body.endsAt'],
      [eventBody({ currency: 'dinar' }), 'body.currency'],
      [eventBody({ primaryColor: 'purple' }), 'body.primaryColor'],
      [eventBody({ status: 'archived' }), 'body.status'],
      [
        eventBody({ settings: { permissionOverrides: { cashier: ['everything'] } } }),
        'body.settings.permissionOverrides.cashier.0',
      ],
      [eventBody({ settings: { permissionOverrides: { king: ['event.read'] } } }), 'body.settings.permissionOverrides'],
      [
        eventBody({ settings: { permissionOverrides: { organizer: [] } } }),
        'body.settings.permissionOverrides.organizer',
      ],
      [eventBody({ settings: { permissionOverrides: 'none' } }), 'body.settings.permissionOverrides'],
      [eventBody({ description: 'nul \u0000 inside' }), 'body.description'],
      [eventBody({ themes: ['ok', 'a\u0000b'] }), 'body.themes.1'],
    ];
    const before = await writeState(t);
    for (const [body, field] of cases) {
      const r = await t.request('POST', '/api/v1/events', { token: w.tokens.organizerA, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toBe('validation_failed');
      expect(fieldsOf(r.body)).toContain(field);
    }
    expect(await writeState(t)).toEqual(before);
  });

  it('refuses anonymous callers and cash registers', async () => {
    expect((await t.request('POST', '/api/v1/events', { body: eventBody() })).status).toBe(401);
    // 401 comes first, whatever the body.
    expect((await t.request('POST', '/api/v1/events', { body: { name: 1 } })).status).toBe(401);
    expect((await t.request('POST', '/api/v1/events', { token: w.tokens.cashierA, body: eventBody() })).status).toBe(
      403,
    );
  });
});

describe('PATCH /events/:eventId', () => {
  it('changes only the fields sent, and bumps the revision', async () => {
    const before = (await t.request('GET', `/api/v1/events/${w.B}`, { token: w.tokens.organizerB })).body;
    const r = await t.request('PATCH', `/api/v1/events/${w.B}`, {
      token: w.tokens.organizerB,
      body: { venue: 'Constantine' },
    });
    expect(r.status).toBe(200);
    expect(r.body.rev).toBe(before.rev + 1);
    expect(r.body.seq).toBeGreaterThan(before.seq);
    const { rev: _r, seq: _s, updatedAt: _u, venue: _v, ...rest } = before;
    expect(r.body).toMatchObject({ ...rest, venue: 'Constantine' });
  });

  it('applies a change to the revision it names, and answers 409 with the current event otherwise', async () => {
    const current = (await t.request('GET', `/api/v1/events/${w.B}`, { token: w.tokens.organizerB })).body;
    const ok = await t.request('PATCH', `/api/v1/events/${w.B}`, {
      token: w.tokens.organizerB,
      body: { name: 'Renamed', rev: current.rev },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.rev).toBe(current.rev + 1);

    const before = await writeState(t);
    const stale = await t.request('PATCH', `/api/v1/events/${w.B}`, {
      token: w.tokens.organizerB,
      body: { name: 'Lost update', rev: current.rev },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('conflict');
    expect(stale.body.current).toMatchObject({ id: w.B, name: 'Renamed', rev: current.rev + 1 });
    expect(await writeState(t)).toEqual(before);
  });

  it('checks one date against the stored other', async () => {
    const before = await writeState(t);
    const r = await t.request('PATCH', `/api/v1/events/${w.B}`, {
      token: w.tokens.organizerB,
      body: { endsAt: '2020-01-01T00:00:00.000Z' },
    });
    expect(r.status).toBe(400);
    expect(fieldsOf(r.body)).toEqual(['body.endsAt']);
    expect(await writeState(t)).toEqual(before);
  });

  it('needs event.manage', async () => {
    for (const token of [w.tokens.managerA, w.tokens.controllerA, w.tokens.cashierA, w.tokens.participantA]) {
      const r = await t.request('PATCH', `/api/v1/events/${w.A}`, { token, body: { name: 'Hijacked' } });
      expect(r.status).toBe(403);
    }
    expect((await t.request('GET', `/api/v1/events/${w.A}`, { token: w.tokens.organizerA })).body.name).not.toBe(
      'Hijacked',
    );
  });
});

describe('DELETE /events/:eventId', () => {
  async function eventWithSale() {
    const created = await t.request('POST', '/api/v1/events', {
      token: w.tokens.organizerB,
      body: eventBody({ name: 'With a sale', status: 'active' }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // A sale arrives from a cash desk (through the sync write path, as the cash desk does).
    await t.services.db.transaction().execute((trx) =>
      insertRecord(
        trx,
        'transactions',
        id,
        {
          deviceId: 'desk-1',
          occurredAt: new Date().toISOString(),
          cashRegisterId: newId(),
          participantId: newId(),
          receiptNumber: 'C1-1',
          receiptSeq: 1,
          lines: [],
          totalMinor: 150_000,
          paymentMethod: 'cash',
          cashMinor: 150_000,
          amountReceivedMinor: 150_000,
        },
        systemContext,
      ),
    );
    // Organizer B's token is bound to B: select the new event.
    const login = await t.login(w.organizerB.email, 'a-good-password-42');
    return { id, token: await selectEvent(t, login.accessToken, id) };
  }

  it('is refused while the event has sales, until it is completed or cancelled', async () => {
    const { id, token } = await eventWithSale();
    const before = await writeState(t);
    const refused = await t.request('DELETE', `/api/v1/events/${id}`, { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('has_sales');
    expect(await writeState(t)).toEqual(before);

    const done = await t.request('PATCH', `/api/v1/events/${id}`, { token, body: { status: 'completed' } });
    expect(done.status).toBe(200);
    const stale = await t.request('DELETE', `/api/v1/events/${id}?rev=1`, { token });
    expect(stale.status).toBe(409);
    expect(stale.body.current.rev).toBe(done.body.rev);
    expect((await t.request('DELETE', `/api/v1/events/${id}?rev=${done.body.rev}`, { token })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/events/${id}`, { token })).status).toBe(404);
    const row = await t.services.db.selectFrom('events').select('deleted').where('id', '=', id).executeTakeFirst();
    expect(row?.deleted).toBe(true);
  });

  it('deletes a cancelled event with sales, and an event without sales right away', async () => {
    const { id, token } = await eventWithSale();
    expect((await t.request('PATCH', `/api/v1/events/${id}`, { token, body: { status: 'cancelled' } })).status).toBe(
      200,
    );
    expect((await t.request('DELETE', `/api/v1/events/${id}`, { token })).status).toBe(204);

    const empty = await t.request('POST', '/api/v1/events', { token: w.tokens.organizerB, body: eventBody() });
    const login = await t.login(w.organizerB.email, 'a-good-password-42');
    const tok = await selectEvent(t, login.accessToken, empty.body.id);
    expect((await t.request('DELETE', `/api/v1/events/${empty.body.id}`, { token: tok })).status).toBe(204);
    // Its organizer no longer lists it.
    const mine = await t.request('GET', '/api/v1/events', { token: tok });
    expect(mine.body.items.map((e: { id: string }) => e.id)).not.toContain(empty.body.id);
  });

  it('needs event.manage and a token of that event', async () => {
    const before = await writeState(t);
    expect((await t.request('DELETE', `/api/v1/events/${w.A}`, { token: w.tokens.managerA })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/events/${w.A}`, { token: w.tokens.organizerB })).status).toBe(403);
    expect((await t.request('DELETE', `/api/v1/events/${w.A}`)).status).toBe(401);
    expect((await t.request('DELETE', `/api/v1/events/${w.A}?rev=abc`, { token: w.tokens.organizerA })).status).toBe(
      400,
    );
    expect(await writeState(t)).toEqual(before);
  });
});
