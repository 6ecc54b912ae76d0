import { newId } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, eventBody, type World, writeState } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * Every route of the organizer REST API, and what each must refuse: no token, a role without the
 * permission, a token of another event, an unknown id, another event's id, missing fields, wrong
 * types. Every refusal is a 4xx with a reason, and leaves the database as it was.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Resource = 'rooms' | 'sessions' | 'participants' | 'memberships';
type Token = keyof World['tokens'];

interface Route {
  method: Method;
  /** As in the OpenAPI document. */
  path: string;
  /** The record of `resource` named by `{id}`. */
  resource?: Resource;
  /** A body that would succeed (sent with every refused request, so a missed check would write). */
  body?: (w: World) => Record<string, unknown>;
  /** Required fields: dropping each one from `body` must be a 400 naming it. */
  required?: string[];
  /** Bodies or query strings of the wrong type, and the field the 400 must name. */
  wrongTypes: { body?: Record<string, unknown>; query?: string; id?: string; field: string }[];
  /** Roles of event A without the permission (none when every role has it). */
  denied: Token[];
}

const slot = { startsAt: '2027-03-01T09:00:00.000Z', endsAt: '2027-03-01T10:00:00.000Z' };
const listWrongTypes = [
  { query: 'page=abc', field: 'querystring.page' },
  { query: 'pageSize=-5', field: 'querystring.pageSize' },
  { query: 'sort=nope', field: 'querystring.sort' },
];
const idWrongTypes = [{ id: 'not-a-uuid', field: 'params.id' }];

function resourceRoutes(
  resource: Resource,
  o: {
    body: (w: World) => Record<string, unknown>;
    required: string[];
    createWrong: { body: Record<string, unknown>; field: string }[];
    patch: (w: World) => Record<string, unknown>;
    patchWrong: { body: Record<string, unknown>; field: string }[];
    readDenied: Token[];
    writeDenied: Token[];
    listWrong?: { query: string; field: string }[];
  },
): Route[] {
  const base = `/api/v1/events/{eventId}/${resource}`;
  return [
    { method: 'GET', path: base, wrongTypes: [...listWrongTypes, ...(o.listWrong ?? [])], denied: o.readDenied },
    { method: 'GET', path: `${base}/{id}`, resource, wrongTypes: idWrongTypes, denied: o.readDenied },
    {
      method: 'POST',
      path: base,
      body: o.body,
      required: o.required,
      wrongTypes: o.createWrong,
      denied: o.writeDenied,
    },
    {
      method: 'PATCH',
      path: `${base}/{id}`,
      resource,
      body: o.patch,
      wrongTypes: [...o.patchWrong, ...idWrongTypes.map((x) => ({ ...x, body: {} }))],
      denied: o.writeDenied,
    },
    {
      method: 'DELETE',
      path: `${base}/{id}`,
      resource,
      wrongTypes: [...idWrongTypes, { query: 'rev=abc', field: 'querystring.rev' }],
      denied: o.writeDenied,
    },
  ];
}

const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/events',
    wrongTypes: [...listWrongTypes, { query: 'status=closed', field: 'querystring.status' }],
    denied: ['cashierA'],
  },
  {
    method: 'POST',
    path: '/api/v1/events',
    body: () => eventBody({ name: 'Never created' }),
    required: ['name', 'startsAt', 'endsAt'],
    wrongTypes: [
      { body: eventBody({ name: 42 }), field: 'body.name' },
      { body: eventBody({ startsAt: 20270301 }), field: 'body.startsAt' },
      { body: eventBody({ themes: 'cardio' }), field: 'body.themes' },
      { body: eventBody({ settings: [] }), field: 'body.settings' },
    ],
    // Neither a platform admin nor an organizer anywhere; a cash register.
    denied: ['outsider', 'cashierA', 'controllerA'],
  },
  { method: 'GET', path: '/api/v1/events/{eventId}', wrongTypes: [], denied: [] },
  {
    method: 'PATCH',
    path: '/api/v1/events/{eventId}',
    body: () => ({ venue: 'Never changed' }),
    wrongTypes: [
      { body: { registrationEnabled: 'yes' }, field: 'body.registrationEnabled' },
      { body: { rev: '1' }, field: 'body.rev' },
      { body: { endsAt: 'soon' }, field: 'body.endsAt' },
    ],
    denied: ['managerA', 'controllerA', 'cashierA', 'exhibitorA', 'participantA'],
  },
  {
    method: 'DELETE',
    path: '/api/v1/events/{eventId}',
    wrongTypes: [{ query: 'rev=0', field: 'querystring.rev' }],
    denied: ['managerA', 'controllerA', 'cashierA', 'exhibitorA', 'participantA'],
  },
  ...resourceRoutes('rooms', {
    body: () => ({ name: 'Never created', capacity: 10 }),
    required: ['name', 'capacity'],
    createWrong: [
      { body: { name: 'X', capacity: '10' }, field: 'body.capacity' },
      { body: { name: 'X', capacity: 0 }, field: 'body.capacity' },
      { body: { name: 'X', capacity: 10, reentryPolicy: 'always' }, field: 'body.reentryPolicy' },
    ],
    patch: () => ({ capacity: 11 }),
    patchWrong: [{ body: { isActive: 1 }, field: 'body.isActive' }],
    readDenied: [],
    writeDenied: ['managerA', 'controllerA', 'cashierA', 'exhibitorA', 'participantA'],
    listWrong: [{ query: 'isActive=yes', field: 'querystring.isActive' }],
  }),
  ...resourceRoutes('sessions', {
    body: (w) => ({ roomId: w.a.roomId, title: 'Never created', ...slot }),
    required: ['roomId', 'title', 'startsAt', 'endsAt'],
    createWrong: [
      { body: { roomId: 'room-1', title: 'X', ...slot }, field: 'body.roomId' },
      { body: { roomId: newId(), title: 'X', ...slot, priceMinor: '100' }, field: 'body.priceMinor' },
      { body: { roomId: newId(), title: 'X', ...slot, sessionType: 'party' }, field: 'body.sessionType' },
    ],
    patch: () => ({ title: 'Never changed' }),
    patchWrong: [
      { body: { isPaid: 'true' }, field: 'body.isPaid' },
      { body: { priceMinor: 9.99 }, field: 'body.priceMinor' },
    ],
    readDenied: [],
    writeDenied: ['managerA', 'controllerA', 'cashierA', 'exhibitorA', 'participantA'],
    listWrong: [{ query: 'roomId=1', field: 'querystring.roomId' }],
  }),
  ...resourceRoutes('participants', {
    body: () => ({ firstName: 'Never', email: 'never.created@example.org' }),
    required: ['firstName'],
    createWrong: [
      { body: { firstName: 'X', email: 'not-an-email' }, field: 'body.email' },
      { body: { firstName: 'X', allowedRoomIds: 'all' }, field: 'body.allowedRoomIds' },
      { body: { firstName: ['X'] }, field: 'body.firstName' },
    ],
    patch: () => ({ organization: 'Never changed' }),
    patchWrong: [{ body: { allowedRoomIds: ['room-1'] }, field: 'body.allowedRoomIds.0' }],
    readDenied: ['exhibitorA', 'participantA'],
    writeDenied: ['managerA', 'controllerA', 'exhibitorA', 'participantA'],
    listWrong: [{ query: 'userLegacyId=x', field: 'querystring.userLegacyId' }],
  }),
  ...resourceRoutes('memberships', {
    body: () => ({ email: 'never.invited@example.org', role: 'cashier' }),
    required: ['role'],
    createWrong: [
      { body: { email: 'x@example.org', role: 'boss' }, field: 'body.role' },
      { body: { userId: 12, role: 'cashier' }, field: 'body.userId' },
      { body: { email: 'x@example.org', role: 'cashier', isActive: 'no' }, field: 'body.isActive' },
    ],
    patch: () => ({ role: 'committee' }),
    patchWrong: [{ body: { role: 'boss' }, field: 'body.role' }],
    readDenied: ['managerA', 'controllerA', 'cashierA', 'exhibitorA', 'participantA'],
    writeDenied: ['managerA', 'controllerA', 'cashierA', 'exhibitorA', 'participantA'],
    listWrong: [{ query: 'role=1&isActive=2', field: 'querystring.isActive' }],
  }),
];

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const isScoped = (r: Route) => r.path.includes('{eventId}');
function url(r: Route, eventId: string, id?: string, query?: string) {
  const p = r.path.replace('{eventId}', eventId).replace('{id}', id ?? '');
  return query ? `${p}?${query}` : p;
}
const idIn = (r: Route, side: 'a' | 'b') => (r.resource ? w[side][idKey(r.resource)] : undefined);
const idKey = (res: Resource) =>
  (({ rooms: 'roomId', sessions: 'sessionId', participants: 'participantId', memberships: 'membershipId' }) as const)[
    res
  ];

async function send(r: Route, o: { token?: string; eventId?: string; id?: string; body?: unknown; query?: string }) {
  const body = o.body !== undefined ? o.body : r.body?.(w);
  return t.request(r.method, url(r, o.eventId ?? w.A, o.id ?? idIn(r, 'a'), o.query), {
    ...(o.token ? { token: o.token } : {}),
    ...(body !== undefined ? { body } : {}),
  });
}

/** Run a request that must be refused: status, a reason, and no write anywhere. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of the replies under test
type Reply = { status: number; body: any };
async function refused(status: number | number[], run: () => Promise<Reply>): Promise<Reply> {
  const before = await writeState(t);
  const res = await run();
  expect([status].flat(), JSON.stringify(res.body)).toContain(res.status);
  expect(typeof res.body?.error).toBe('string');
  expect(res.body?.message?.length).toBeGreaterThan(3);
  expect(await writeState(t)).toEqual(before);
  return res;
}

describe('the route table covers every organizer route', () => {
  it('matches the OpenAPI document', async () => {
    await t.app.ready();
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const mine = /^\/api\/v1\/events(\/\{eventId\}(\/(rooms|sessions|participants|memberships)(\/\{id\})?)?)?$/;
    const documented = Object.entries(doc.paths)
      .filter(([p]) => mine.test(p))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented);
    expect(documented).toHaveLength(25);
  });
});

for (const r of ROUTES) {
  describe(`${r.method} ${r.path}`, () => {
    it('401 without a token or with a bad one', async () => {
      await refused(401, () => send(r, {}));
      await refused(401, () => send(r, { token: 'not.a.jwt' }));
      // Authentication comes before validation: no schema details for anonymous callers.
      if (r.body) await refused(401, () => send(r, { body: { nonsense: true } }));
    });

    if (r.denied.length > 0) {
      it(`403 for roles without the permission (${r.denied.join(', ')})`, async () => {
        for (const who of r.denied) {
          const res = await refused(403, () => send(r, { token: w.tokens[who] }));
          expect(res.body.error).toBe('forbidden');
          // Authorization comes before validation too.
          if (r.body) await refused(403, () => send(r, { token: w.tokens[who], body: { nonsense: true } }));
        }
      });
    }

    if (isScoped(r)) {
      it('403 with a token of another event, or for someone with no role in it', async () => {
        // B's organizer on A's path (B's records' ids, so only the event differs), and the reverse.
        await refused(403, () => send(r, { token: w.tokens.organizerB }));
        await refused(403, () => send(r, { token: w.tokens.organizerA, eventId: w.B, id: idIn(r, 'b') }));
        await refused(403, () => send(r, { token: w.tokens.outsider }));
      });

      it('404 for an unknown event; 400 for an event id that is no id', async () => {
        // An unbound token reaches the lookup; a token bound to A is stopped at the binding.
        await refused(404, () => send(r, { token: w.tokens.outsider, eventId: newId() }));
        await refused(403, () => send(r, { token: w.tokens.organizerA, eventId: newId() }));
        const bad = await refused(400, () => send(r, { token: w.tokens.organizerA, eventId: 'event-1' }));
        expect(bad.body).toMatchObject({ error: 'validation_failed', fields: [{ field: 'params.eventId' }] });
      });
    }

    if (r.resource) {
      it('404 for an unknown id and for the id of a record of another event', async () => {
        const res = await refused(404, () => send(r, { token: w.tokens.organizerA, id: newId() }));
        expect(res.body.error).toBe('not_found');
        const resource = r.resource as Resource;
        const foreignId = idIn(r, 'b') as string;
        const beforeB = await t.request('GET', url(r, w.B, foreignId).replace(/\/$/, ''), {
          token: w.tokens.organizerB,
        });
        await refused(404, () => send(r, { token: w.tokens.organizerA, id: foreignId }));
        const afterB = await t.request('GET', `/api/v1/events/${w.B}/${resource}/${foreignId}`, {
          token: w.tokens.organizerB,
        });
        expect(afterB.status).toBe(200);
        if (r.method !== 'GET') expect(afterB.body).toEqual(beforeB.body);
      });
    }

    if (r.required?.length) {
      it(`400 naming each missing required field (${r.required.join(', ')})`, async () => {
        for (const field of r.required ?? []) {
          const { [field]: _dropped, ...body } = r.body?.(w) ?? {};
          const res = await refused(400, () => send(r, { token: w.tokens.organizerA, body }));
          expect(res.body.error).toBe('validation_failed');
          expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(`body.${field}`);
        }
      });
    }

    if (r.body) {
      it('400 for a missing body, a body that is no object, and malformed JSON', async () => {
        const token = w.tokens.organizerA;
        const path = url(r, w.A, idIn(r, 'a'));
        await refused(400, () => t.request(r.method, path, { token }));
        await refused(400, () => t.request(r.method, path, { token, body: [1, 2] }));
        await refused(400, () =>
          t.request(r.method, path, { token, body: '{"name": ', headers: { 'content-type': 'application/json' } }),
        );
      });
    }

    if (r.wrongTypes.length) {
      it(`400 naming the field for wrong types (${r.wrongTypes.map((x) => x.field).join(', ')})`, async () => {
        for (const wrong of r.wrongTypes) {
          const res = await refused(400, () =>
            send(r, {
              token: w.tokens.organizerA,
              ...(wrong.body ? { body: wrong.body } : {}),
              ...(wrong.query ? { query: wrong.query } : {}),
              ...(wrong.id ? { id: wrong.id } : {}),
            }),
          );
          expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(wrong.field);
          expect(res.body.fields.every((f: { reason: string }) => f.reason.length > 0)).toBe(true);
        }
      });
    }
  });
}
