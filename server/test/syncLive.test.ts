import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { createDatabase } from '../src/db/database';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { openSse } from './support/sse';
import { scanDoc, syncDevice } from './support/syncClient';
import { dbKind, postgresUrl, startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 10 });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

describe('live stream', () => {
  it('says hello, asks for a resync, then delivers a change pushed by another device', async () => {
    const controller = await t.login(DEMO_ACCOUNTS.controller);
    const stream = await openSse(`${base}/sync/v1/stream?collections=scans,participants`, {
      authorization: `Bearer ${controller.accessToken}`,
      'x-makeplus-device': 'door-device-1',
    });
    try {
      await stream.waitFor((e) => e.event === 'hello');
      await stream.waitFor((e) => e.event === 'resync');
      const manager = await t.login(DEMO_ACCOUNTS.manager);
      const other = syncDevice(t, manager.accessToken, 'door-device-2');
      const scan = scanDoc(DEMO_EVENT_ID, other.deviceId, null);
      expect((await other.push('scans', [{ newDocumentState: scan }])).status).toBe(200);
      const change = await stream.waitFor((e) => e.event === 'changes' && e.data.collection === 'scans');
      expect(change.data.documents.map((d: { id: string }) => d.id)).toContain(scan.id);
      expect(change.data.checkpoint.seq).toBe(change.data.documents.at(-1).seq);
    } finally {
      stream.close();
    }
  });

  it('sends a device only the collections and rows its role may read', async () => {
    const participant = await t.login(DEMO_ACCOUNTS.participant);
    const res = await fetch(`${base}/sync/v1/stream?collections=transactions`, {
      headers: { authorization: `Bearer ${participant.accessToken}`, 'x-makeplus-device': 'phone-device-1' },
    });
    expect(res.status).toBe(403);
  });
});

describe.runIf(dbKind === 'postgres')('several server instances on one database', () => {
  it('a push to one instance reaches a device streaming from the other', async () => {
    const schemaRow = await t.services.db
      .selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s'))
      .executeTakeFirstOrThrow();
    const database = await createDatabase({ databaseUrl: postgresUrl, schema: schemaRow.s });
    const second = await buildApp({ config: t.config, database });
    const secondBase = await second.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const controller = await t.login(DEMO_ACCOUNTS.controller);
      const stream = await openSse(`${secondBase}/sync/v1/stream?collections=scans`, {
        authorization: `Bearer ${controller.accessToken}`,
        'x-makeplus-device': 'door-on-instance-2',
      });
      await stream.waitFor((e) => e.event === 'resync');
      const pusher = syncDevice(t, controller.accessToken, 'door-on-instance-1');
      const scan = scanDoc(DEMO_EVENT_ID, pusher.deviceId, null);
      await pusher.push('scans', [{ newDocumentState: scan }]);
      const change = await stream.waitFor(
        (e) => e.event === 'changes' && e.data.documents.some((d: { id: string }) => d.id === scan.id),
      );
      expect(change.data.collection).toBe('scans');
      stream.close();
    } finally {
      await second.app.close();
      await database.close();
    }
  });
});

describe('checkpoints under concurrent writers', () => {
  it('every puller ends with every row, exactly once, while many devices push at once', async () => {
    const controller = await t.login(DEMO_ACCOUNTS.controller);
    const DEVICES = 8;
    const BATCHES = 12;
    const PER_BATCH = 10;
    const pushers = Array.from({ length: DEVICES }, (_, i) =>
      syncDevice(t, controller.accessToken, `pusher-device-${i}`),
    );
    const pullers = Array.from({ length: 3 }, (_, i) => syncDevice(t, controller.accessToken, `puller-device-${i}`));
    const start = await pullers[0]!.pullAll('scans');
    const seen = pullers.map(() => new Map<string, number>());
    const cursors = pullers.map(() => start.seq);
    let pushing = true;

    const pullLoop = async (i: number) => {
      const p = pullers[i]!;
      do {
        const r = await p.pull('scans', cursors[i], 37);
        for (const d of r.body.documents as { id: string }[]) seen[i]!.set(d.id, (seen[i]!.get(d.id) ?? 0) + 1);
        cursors[i] = r.body.checkpoint?.seq ?? cursors[i]!;
        if (r.body.documents.length === 0) await new Promise((res) => setTimeout(res, 5));
      } while (pushing);
      // Drain what committed after the last pushes.
      for (;;) {
        const r = await p.pull('scans', cursors[i], 500);
        for (const d of r.body.documents as { id: string }[]) seen[i]!.set(d.id, (seen[i]!.get(d.id) ?? 0) + 1);
        cursors[i] = r.body.checkpoint?.seq ?? cursors[i]!;
        if (r.body.documents.length === 0) break;
      }
    };
    const pushed = new Set<string>();
    const pushLoop = async (d: ReturnType<typeof syncDevice>) => {
      for (let b = 0; b < BATCHES; b++) {
        const docs = Array.from({ length: PER_BATCH }, () => scanDoc(DEMO_EVENT_ID, d.deviceId, null));
        for (const doc of docs) pushed.add(doc.id);
        const r = await d.push(
          'scans',
          docs.map((doc) => ({ newDocumentState: doc })),
        );
        expect(r.status).toBe(200);
      }
    };
    const pulling = pullers.map((_, i) => pullLoop(i));
    await Promise.all(pushers.map(pushLoop));
    pushing = false;
    await Promise.all(pulling);

    expect(pushed.size).toBe(DEVICES * BATCHES * PER_BATCH);
    for (const s of seen) {
      expect(s.size).toBe(pushed.size);
      for (const id of pushed) expect(s.get(id)).toBe(1);
    }
  });
});
