import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 10 });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t?.close());

/** A raw reader of the stream that keeps each message's size (what a device's reader buffers). */
async function rawStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`stream: ${res.status}`);
  const messages: { event: string; bytes: number; data: string }[] = [];
  const state = { ended: false };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let idx = buffer.indexOf('\n\n');
        while (idx >= 0) {
          const block = buffer.slice(0, idx);
          buffer = buffer.slice(idx + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) messages.push({ event, bytes: Buffer.byteLength(block), data });
          idx = buffer.indexOf('\n\n');
        }
      }
    } catch {}
    state.ended = true;
  })();
  return { messages, state, close: () => controller.abort() };
}

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
    const stream = await rawStream(`${base}/sync/v1/stream?collections=scans`, {
      authorization: `Bearer ${controller.accessToken}`,
      'x-makeplus-device': 'door-large-reader',
    });
    try {
      await until('hello', () => stream.messages.some((m) => m.event === 'resync'));
      stream.messages.splice(0); // hello, resync: from here on, a hello would be a reconnection
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
        for (const m of stream.messages.splice(0))
          if (m.event === 'changes') {
            expect(m.bytes).toBeLessThan(1024 * 1024);
            const body = JSON.parse(m.data) as {
              documents: { id: string; seq: number }[];
              checkpoint: { seq: number };
            };
            expect(body.checkpoint.seq).toBe(body.documents.at(-1)?.seq);
            for (const d of body.documents) received.add(d.id);
          } else expect(m.event).not.toBe('hello'); // a second hello would be a reconnection
        return docs.every((d) => received.has(d.id));
      });
      expect(stream.state.ended).toBe(false);
      // The same connection still carries the next change.
      const next = scanDoc(DEMO_EVENT_ID, pusher.deviceId, null);
      expect((await pusher.push('scans', [{ newDocumentState: next }])).status).toBe(200);
      await until('the next change on the same connection', () =>
        stream.messages.some((m) => m.event === 'changes' && m.data.includes(next.id)),
      );
      expect(stream.state.ended).toBe(false);
    } finally {
      stream.close();
    }
  });
});
