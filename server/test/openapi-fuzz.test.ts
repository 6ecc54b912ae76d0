import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nasty } from './support/fuzzValues';
import { buildWorld, type World, writeState } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * Property, for EVERY operation of the OpenAPI document the app generates (the same document as
 * docs/api/openapi.json, so a new route is fuzzed as soon as it exists): random and malformed path
 * parameters, query strings, bodies (random JSON, near-valid objects built from the operation's own
 * schema with odd values, broken JSON text) and headers (content types, device ids, broken bearer
 * tokens) never produce a 5xx or a hang, and a request answered 4xx changes nothing: the data
 * fingerprint (every event's change sequence, the audit trail, the accounts) is the same before and
 * after it. Targeted checks of valid bodies with one field replaced stay in rest-fuzz.test.ts.
 *
 * FUZZ_RUNS (default 6) is the number of random requests per operation.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
/** Live streams: they answer by staying open (covered by their own tests). */
const STREAMS = new Set(['GET /sync/v1/stream', 'GET /api/v1/events/{eventId}/statistics/changes']);

interface Operation {
  key: string;
  method: string;
  path: string;
  pathParams: string[];
  queryKeys: string[];
  bodyKeys: string[] | null;
}

let t: TestApp;
let w: World;
const operations: Operation[] = [];

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 3 });
  w = await buildWorld(t);
  // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is plain JSON
  const doc = (t.app as any).swagger() as { paths: Record<string, Record<string, any>> };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      if (STREAMS.has(key)) continue;
      const params = (op.parameters ?? []) as { in: string; name: string }[];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      operations.push({
        key,
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
        queryKeys: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyKeys: schema ? Object.keys(schema.properties ?? {}) : null,
      });
    }
  }
});
afterAll(() => t?.close());

const queryValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  nasty.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
  fc.constantFrom('%', '%00', '%FF%FE', '-1', '1e9', 'true', 'null', '[]'),
);

const headerValue = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', 'null', 'x'.repeat(300)));

function request(op: Operation) {
  const pathValue = (name: string) =>
    fc.oneof(
      { arbitrary: fc.constant(name === 'eventId' ? w.A : name === 'id' ? w.a.roomId : 'x'), weight: 2 },
      { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
      { arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', '-1', '1', '%00', '..', w.B), weight: 1 },
    );
  const body: fc.Arbitrary<{ raw: string } | { json: unknown } | null> = fc.oneof(
    fc.constant(null),
    fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })),
    fc
      .dictionary(
        fc.constantFrom(...(op.bodyKeys?.length ? op.bodyKeys : ['id']), 'eventId', 'seq', '__proto__', 'extra'),
        nasty,
        { maxKeys: 4 },
      )
      .map((json) => ({ json })),
    fc.constantFrom('{', '[1,', 'null', '"', '\u0000', '{"a":1}}', 'ÿ').map((raw) => ({ raw })),
  );
  return fc.record({
    params: fc.tuple(...op.pathParams.map(pathValue)),
    query: fc.array(fc.tuple(fc.constantFrom(...op.queryKeys, 'limit', 'page', 'x'), queryValue), { maxLength: 4 }),
    body,
    contentType: fc.constantFrom(
      'application/json',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=zz',
      'application/xml',
    ),
    token: fc.oneof(
      { arbitrary: fc.constant('organizer'), weight: 4 },
      { arbitrary: fc.constantFrom('none', 'garbage', 'cashier', 'participant'), weight: 1 },
    ),
    device: fc.oneof(fc.constant(undefined), headerValue),
    accept: fc.oneof(fc.constant(undefined), headerValue),
  });
}

/** Encode a query value; lone surrogates cannot be percent-encoded and raw `%` forms test the parser. */
const encode = (v: string) => (/^%/.test(v) ? v : encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd')));

describe('every OpenAPI operation under random and malformed input', () => {
  it('the document lists the API (a guard against fuzzing nothing)', () => {
    expect(operations.length).toBeGreaterThan(100);
  });

  it('never answers 5xx, and a 4xx changes no data', async () => {
    const tokenOf = (k: string) =>
      k === 'organizer'
        ? w.tokens.organizerA
        : k === 'cashier'
          ? w.tokens.cashierA
          : k === 'participant'
            ? w.tokens.participantA
            : k === 'garbage'
              ? 'not.a.jwt'
              : undefined;
    const failures: string[] = [];
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(request(op), async (r) => {
          let url = op.path;
          op.pathParams.forEach((name, i) => {
            url = url.replace(`{${name}}`, encode(String(r.params[i])));
          });
          const qs = r.query.map(([k, v]) => `${k}=${encode(v)}`).join('&');
          if (qs) url += `?${qs}`;
          const token = tokenOf(r.token);
          const headers: Record<string, string> = {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(r.device !== undefined ? { 'x-makeplus-device': r.device } : {}),
            ...(r.accept !== undefined ? { accept: r.accept } : {}),
          };
          let payload: string | undefined;
          if (r.body && op.method !== 'GET') {
            payload = 'raw' in r.body ? r.body.raw : JSON.stringify(r.body.json);
            headers['content-type'] = r.contentType;
          }
          const write = op.method !== 'GET';
          const before = write ? await writeState(t) : null;
          const res = await t.app.inject({
            method: op.method as 'GET',
            url,
            headers,
            ...(payload !== undefined ? { payload } : {}),
          });
          const where = `${op.key} → ${res.statusCode} for ${url} ${payload?.slice(0, 120) ?? ''}`;
          if (res.statusCode >= 500) failures.push(`${where}: ${res.body.slice(0, 200)}`);
          if (before && res.statusCode >= 400 && res.statusCode < 500) {
            const after = await writeState(t);
            if (JSON.stringify(after) !== JSON.stringify(before))
              failures.push(`${where}: data changed on a ${res.statusCode}`);
          }
          return true;
        }),
        { numRuns: RUNS },
      );
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
