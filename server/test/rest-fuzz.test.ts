import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nasty } from './support/fuzzValues';
import { buildWorld, type World } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * Random bodies, query strings and headers for every route are in openapi-fuzz.test.ts (driven by the
 * OpenAPI document). Here: valid bodies of the main organizer writes with fields replaced by odd
 * values.
 *
 * Property: whatever a client sends to the organizer API, the answer is a success or a 4xx with a
 * reason, never a 500 or a hang; and afterwards the data still holds together (sessions in rooms
 * of their event, paid sessions with their payable item, an organizer in every event).
 */

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);

interface Target {
  name: string;
  method: 'POST' | 'PATCH';
  url: (w: World) => string;
  token: (w: World) => string;
  valid: (w: World) => Record<string, unknown>;
  keys: string[];
}

const slot = { startsAt: '2027-03-01T09:00:00.000Z', endsAt: '2027-03-01T10:00:00.000Z' };
const TARGETS: Target[] = [
  {
    name: 'POST rooms',
    method: 'POST',
    url: (w) => `/api/v1/events/${w.A}/rooms`,
    token: (w) => w.tokens.organizerA,
    valid: () => ({ name: 'Fuzz room', capacity: 10 }),
    keys: ['name', 'capacity', 'description', 'location', 'isActive', 'reentryPolicy'],
  },
  {
    name: 'PATCH rooms',
    method: 'PATCH',
    url: (w) => `/api/v1/events/${w.A}/rooms/${w.a.roomId}`,
    token: (w) => w.tokens.organizerA,
    valid: () => ({ capacity: 500 }),
    keys: ['name', 'capacity', 'isActive', 'reentryPolicy', 'rev'],
  },
  {
    name: 'POST sessions',
    method: 'POST',
    url: (w) => `/api/v1/events/${w.A}/sessions`,
    token: (w) => w.tokens.organizerA,
    valid: (w) => ({ roomId: w.a.roomId, title: 'Fuzz', ...slot, isPaid: true, priceMinor: 1000 }),
    keys: ['roomId', 'title', 'startsAt', 'endsAt', 'isPaid', 'priceMinor', 'capacity', 'status', 'sessionType'],
  },
  {
    name: 'PATCH sessions',
    method: 'PATCH',
    url: (w) => `/api/v1/events/${w.A}/sessions/${w.a.sessionId}`,
    token: (w) => w.tokens.organizerA,
    valid: () => ({ title: 'Fuzzed' }),
    keys: ['roomId', 'title', 'startsAt', 'endsAt', 'isPaid', 'priceMinor', 'status', 'rev'],
  },
  {
    name: 'POST participants',
    method: 'POST',
    url: (w) => `/api/v1/events/${w.A}/participants`,
    token: (w) => w.tokens.organizerA,
    valid: () => ({ firstName: 'Fuzz', lastName: 'Person' }),
    keys: ['firstName', 'lastName', 'email', 'phone', 'allowedRoomIds', 'id'],
  },
  {
    name: 'PATCH participants',
    method: 'PATCH',
    url: (w) => `/api/v1/events/${w.A}/participants/${w.a.participantId}`,
    token: (w) => w.tokens.organizerA,
    valid: () => ({ organization: 'Fuzz' }),
    keys: ['firstName', 'email', 'allowedRoomIds', 'category', 'rev'],
  },
  {
    name: 'POST memberships',
    method: 'POST',
    url: (w) => `/api/v1/events/${w.B}/memberships`,
    token: (w) => w.tokens.organizerB,
    valid: () => ({ email: 'fuzz.staff@example.org', role: 'cashier' }),
    keys: ['email', 'userId', 'role', 'isActive', 'assignedRoomId', 'exhibitorId'],
  },
  {
    name: 'PATCH memberships',
    method: 'PATCH',
    url: (w) => `/api/v1/events/${w.B}/memberships/${w.b.membershipId}`,
    token: (w) => w.tokens.organizerB,
    valid: () => ({ role: 'cashier' }),
    keys: ['role', 'isActive', 'assignedRoomId', 'rev'],
  },
  {
    name: 'POST events',
    method: 'POST',
    url: () => '/api/v1/events',
    token: (w) => w.tokens.organizerB,
    valid: () => ({ name: 'Fuzz event', ...slot }),
    keys: ['name', 'startsAt', 'endsAt', 'currency', 'themes', 'settings', 'primaryColor', 'locationUrl'],
  },
  {
    name: 'PATCH events',
    method: 'PATCH',
    url: (w) => `/api/v1/events/${w.B}`,
    token: (w) => w.tokens.organizerB,
    valid: () => ({ venue: 'Fuzz' }),
    keys: ['name', 'startsAt', 'endsAt', 'settings', 'themes', 'status', 'rev'],
  },
];

// biome-ignore lint/suspicious/noExplicitAny: JSON replies under test
function expectClean(res: { status: number; body: any }, sent: unknown) {
  const ctx = `${res.status} ${JSON.stringify(res.body)?.slice(0, 300)} for ${JSON.stringify(sent)?.slice(0, 300)}`;
  expect(res.status, ctx).toBeLessThan(500);
  if (res.status >= 400) {
    expect(typeof res.body?.error, ctx).toBe('string');
    expect(typeof res.body?.message, ctx).toBe('string');
    if (res.body.error === 'validation_failed') {
      expect(res.body.fields.length, ctx).toBeGreaterThan(0);
      for (const f of res.body.fields) expect(f.field, ctx).toMatch(/^(body|querystring|params)(\.|$)/);
    }
  }
}

describe('random bodies never break the API', () => {
  for (const target of TARGETS) {
    it(`${target.name}: a valid body with fields replaced by odd values`, async () => {
      const keys = [...target.keys, 'eventId', 'seq', 'deleted', '__proto__', 'constructor', 'extra'];
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), nasty, { maxKeys: 3 }), async (patch) => {
          const body = { ...target.valid(w), ...patch };
          const res = await t.request(target.method, target.url(w), { token: target.token(w), body });
          expectClean(res, body);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('server-managed fields in a body are ignored', async () => {
    const before = (await t.request('GET', `/api/v1/events/${w.A}/rooms/${w.a.roomId}`, { token: w.tokens.organizerA }))
      .body;
    const r = await t.request('PATCH', `/api/v1/events/${w.A}/rooms/${w.a.roomId}`, {
      token: w.tokens.organizerA,
      body: { eventId: w.B, id: w.b.roomId, seq: 0, deleted: true, createdAt: '2000-01-01T00:00:00Z', location: 'Ici' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: w.a.roomId,
      eventId: w.A,
      deleted: false,
      createdAt: before.createdAt,
      location: 'Ici',
    });
    expect(r.body.seq).toBeGreaterThan(before.seq);
  });
});

describe('afterwards, the data still holds together', () => {
  it('sessions sit in live rooms of their event; allowed rooms are rooms of the event', async () => {
    const orphans = await sql<{ id: string }>`
      select s.id from sessions s
      where not s.deleted and not exists (
        select 1 from rooms r where r.id = s.room_id and r.event_id = s.event_id and not r.deleted)`.execute(
      t.services.db,
    );
    expect(orphans.rows).toEqual([]);
    const strays = await sql<{ id: string }>`
      select p.id from participants p, jsonb_array_elements_text(coalesce(p.allowed_room_ids, '[]')) as a(room_id)
      where not exists (select 1 from rooms r where r.id::text = a.room_id and r.event_id = p.event_id)`.execute(
      t.services.db,
    );
    expect(strays.rows).toEqual([]);
  });

  it('each paid session has exactly one active payable item at its price; others none active', async () => {
    // (CamelCasePlugin: price_ok comes back as priceOk.)
    const rows = await sql<{ id: string; wanted: boolean; active: number; priceOk: boolean }>`
      select s.id,
        (s.is_paid and s.price_minor > 0 and not s.deleted and s.status <> 'cancelled') as wanted,
        count(i.id) filter (where i.is_active and not i.deleted)::int as active,
        bool_and(i.price_minor = s.price_minor) filter (where i.is_active and not i.deleted) as price_ok
      from sessions s left join payable_items i on i.session_id = s.id and i.event_id = s.event_id
      group by s.id, s.is_paid, s.price_minor, s.deleted, s.status`.execute(t.services.db);
    for (const r of rows.rows) {
      expect([r.id, r.active]).toEqual([r.id, r.wanted ? 1 : 0]);
      if (r.wanted) expect(r.priceOk).toBe(true);
    }
  });

  it('every live event keeps an active organizer, and every record its own event', async () => {
    const lonely = await sql<{ id: string }>`
      select e.id from events e where not e.deleted and not exists (
        select 1 from memberships m where m.event_id = e.id and m.role = 'organizer' and m.is_active and not m.deleted)`.execute(
      t.services.db,
    );
    expect(lonely.rows).toEqual([]);
    // The organizers can still work in their events (no override locked them out).
    for (const [event, token] of [
      [w.A, w.tokens.organizerA],
      [w.B, w.tokens.organizerB],
    ] as const) {
      expect((await t.request('GET', `/api/v1/events/${event}/memberships`, { token })).status).toBe(200);
    }
  });
});
