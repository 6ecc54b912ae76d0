import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID, DEMO_PASSWORD } from '../src/demo/seed';
import { type ServerProcess, serverProcess } from './support/serverProcess';
import { scanDoc } from './support/syncClient';
import { dbKind, postgresUrl } from './support/testApp';

/**
 * The server dies (SIGKILL: no graceful shutdown, as on power loss) while a device pushes a batch;
 * the device retries after the restart: every fact is stored exactly once.
 */
let server: ServerProcess;
let databaseName: string | undefined;

beforeAll(async () => {
  let env: Record<string, string> = {};
  if (dbKind === 'postgres') {
    databaseName = `makeplus_fault_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    const url = new URL(postgresUrl);
    url.pathname = `/${databaseName}`;
    env = { DATABASE_URL: url.toString() };
  }
  server = await serverProcess(env);
}, 120_000);

afterAll(async () => {
  await server?.kill('SIGTERM');
  server?.cleanup();
  if (databaseName) {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
});

async function token(): Promise<string> {
  const r = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO_ACCOUNTS.controller, password: DEMO_PASSWORD }),
  });
  return ((await r.json()) as { accessToken: string }).accessToken;
}

async function push(accessToken: string, docs: unknown[]): Promise<number> {
  const r = await fetch(`${server.baseUrl}/sync/v1/scans/push`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${accessToken}`,
      'x-makeplus-device': 'crash-test-device',
    },
    body: JSON.stringify(docs.map((d) => ({ newDocumentState: d }))),
  });
  return r.status;
}

describe('server killed during a push', () => {
  it('after restart and retry, every fact is stored exactly once', async () => {
    const accessToken = await token();
    const batches = Array.from({ length: 5 }, () =>
      Array.from({ length: 200 }, () => scanDoc(DEMO_EVENT_ID, 'crash-test-device', null)),
    );
    // Fire the batches, kill the server while they are in flight.
    const inFlight = batches.map((b) => push(accessToken, b).catch(() => 0));
    await new Promise((r) => setTimeout(r, 40));
    await server.kill('SIGKILL');
    const outcomes = await Promise.all(inFlight);
    await server.start();
    // The device retries every batch it has no acknowledgement for (here: all of them, to include
    // those that were committed just before the kill).
    const again = await token();
    for (const b of batches) expect(await push(again, b)).toBe(200);
    void outcomes;

    const all = batches.flat().map((d) => d.id);
    const seen = new Map<string, number>();
    let after = 0;
    for (;;) {
      const r = await fetch(`${server.baseUrl}/sync/v1/scans/pull?after=${after}&limit=5000`, {
        headers: { authorization: `Bearer ${again}`, 'x-makeplus-device': 'crash-test-device' },
      });
      const body = (await r.json()) as { documents: { id: string; seq: number }[]; checkpoint: { seq: number } | null };
      for (const d of body.documents) seen.set(d.id, (seen.get(d.id) ?? 0) + 1);
      if (body.documents.length < 5000) break;
      after = body.checkpoint?.seq ?? after;
    }
    for (const id of all) expect(seen.get(id)).toBe(1);
    expect(seen.size).toBe(all.length);
  });
});
