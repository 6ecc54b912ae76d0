import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { openSse } from './support/sse';
import { scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 10 });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

async function until(what: string, check: () => boolean) {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

describe('live stream: change sets larger than the stream buffer', () => {
  it('a push of 500 scans of 2 KiB badge codes (over 1 MiB) reaches the reader in several messages, and the reader stays connected', async () => {
    const controller = await t.login(DEMO_ACCOUNTS.controller);
    const stream = await openSse(`${base}/sync/v1/stream?collections=scans`, {
      authorization: `Bearer ${controller.accessToken}`,
      'x-makeplus-device': 'door-large-reader',
    });
    try {
      await until('hello', () => stream.events.some((m) => m.event === 'resync'));
      stream.events.splice(0); // hello, resync: from here on, a hello would be a reconnection
      const manager = await t.login(DEMO_ACCOUNTS.manager);
      const pusher = syncDevice(t, manager.accessToken, 'door-large-pusher');
      const docs = Array.from({ length: 500 }, (_, i) =>
        scanDoc(DEMO_EVENT_ID, pusher.deviceId, null, {
          badgeCode: `${String(i).padStart(4, '0')}${'X'.repeat(2040)}`,
        }),
      );
      const pushed = await pusher.push(
        'scans',
        docs.map((d) => ({ newDocumentState: d })),
      );
      expect(pushed.status).toBe(200);
      const received = new Set<string>();
      await until('every scan streamed', () => {
        for (const m of stream.events.splice(0))
          if (m.event === 'changes') {
            expect(m.bytes).toBeLessThan(1024 * 1024);
            const body = m.data as { documents: { id: string; seq: number }[]; checkpoint: { seq: number } };
            expect(body.checkpoint.seq).toBe(body.documents.at(-1)?.seq);
            for (const d of body.documents) received.add(d.id);
          } else expect(m.event).not.toBe('hello'); // a second hello would be a reconnection
        return docs.every((d) => received.has(d.id));
      });
      expect(stream.ended).toBe(false);
      // The same connection still carries the next change.
      const next = scanDoc(DEMO_EVENT_ID, pusher.deviceId, null);
      expect((await pusher.push('scans', [{ newDocumentState: next }])).status).toBe(200);
      await until('the next change on the same connection', () =>
        stream.events.some((m) => m.event === 'changes' && JSON.stringify(m.data).includes(next.id)),
      );
      expect(stream.ended).toBe(false);
    } finally {
      stream.close();
    }
  });
});
