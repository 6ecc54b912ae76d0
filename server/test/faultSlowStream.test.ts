import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { openSse } from './support/sse';
import { scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * A device whose connection stays open but which stops reading its live stream (half-open link,
 * frozen app) while an event is busy. The kernel's socket buffers fill, then the server would
 * queue the stream's messages in memory without end. The server must drop that stream once its
 * send buffer passes the limit (1 MiB, MAX_STREAM_BUFFER in server/src/sync/routes.ts), while a
 * device that does read keeps receiving everything.
 */
const MAX_STREAM_BUFFER = 1024 * 1024;
/**
 * A stream message carries at most 500 documents; ours weigh ~1.4 kB each (a message stays under the
 * limit: the server checks the buffer right after writing, so a single message above 1 MiB would
 * drop even a device that reads).
 */
const LARGEST_MESSAGE = 500 * 1500;

let t: TestApp;
let baseUrl: string;
const serverSockets: net.Socket[] = [];

beforeAll(async () => {
  t = await startTestApp({ demo: true });
  t.app.server.on('connection', (s: net.Socket) => serverSockets.push(s));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
});

/** Open the stream on a raw socket, read until the server said hello, then stop reading. */
async function stalledStream(token: string): Promise<net.Socket> {
  const socket = net.connect((t.app.server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `GET /sync/v1/stream?collections=scans HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\nx-makeplus-device: stalled-device-1\r\n\r\n`,
  );
  let received = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.includes('event: hello')) {
        socket.off('data', onData);
        socket.pause();
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    setTimeout(() => reject(new Error(`no hello on the stream: ${received.slice(0, 200)}`)), 15_000).unref();
  });
  expect(received).toMatch(/^HTTP\/1\.1 200/);
  return socket;
}

describe('a stream client that stops reading', () => {
  it('is dropped once its send buffer passes the limit; memory stays bounded; readers unaffected', {
    timeout: 240_000,
  }, async () => {
    const { accessToken } = await t.login(DEMO_ACCOUNTS.controller);
    const reader = await openSse(`${baseUrl}/sync/v1/stream?collections=scans`, {
      authorization: `Bearer ${accessToken}`,
      'x-makeplus-device': 'reading-device-1',
    });
    await reader.waitFor((e) => e.event === 'hello');
    const stalled = await stalledStream(accessToken);
    const serverSide = serverSockets.find((s) => s.remotePort === stalled.localPort);
    expect(serverSide).toBeDefined();
    expect(t.services.changeHub.connections).toBe(2);

    const device = syncDevice(t, accessToken, 'busy-door-device');
    const pushed: string[] = [];
    let maxBuffered = 0;
    let batches = 0;
    // Bounded: far more than the kernel's socket buffers and the limit can hold.
    while (t.services.changeHub.connections === 2 && batches < 200) {
      const docs = Array.from({ length: 500 }, () =>
        scanDoc(DEMO_EVENT_ID, device.deviceId, null, { badgeCode: `B${'x'.repeat(1000)}${batches}` }),
      );
      const r = await device.push(
        'scans',
        docs.map((d) => ({ newDocumentState: d })),
      );
      expect(r.status).toBe(200);
      pushed.push(...docs.map((d) => d.id));
      batches++;
      // Let the streams flush this commit, then see what waits in the stalled stream's buffer.
      const last = docs.at(-1)?.id;
      await reader.waitFor(
        (e) => e.event === 'changes' && (e.data.documents as { id: string }[]).some((d) => d.id === last),
        30_000,
      );
      maxBuffered = Math.max(maxBuffered, serverSide?.writableLength ?? 0);
    }
    process.stdout.write(
      `[fault] stalled stream dropped after ${batches} batches of 500 scans (~${Math.round((batches * 500 * 1.4) / 1024)} MB sent); largest send buffer seen ${Math.round(maxBuffered / 1024)} kB\n`,
    );

    // The stalled stream is gone from the hub and its socket destroyed; its buffer never grew past
    // the limit plus the one message that crossed it.
    expect(t.services.changeHub.connections).toBe(1);
    expect(serverSide?.destroyed).toBe(true);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_STREAM_BUFFER + LARGEST_MESSAGE);
    // The device that reads got every scan.
    const delivered = new Set(
      reader.events
        .filter((e) => e.event === 'changes')
        .flatMap((e) => (e.data.documents as { id: string }[]).map((d) => d.id)),
    );
    expect(pushed.filter((id) => !delivered.has(id))).toEqual([]);
    reader.close();
    stalled.destroy();
  });
});
