import { readdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World, writeState } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

const LIMIT = 64 * 1024;
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true, config: { uploadMaxBytes: LIMIT } });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const pdf = (text = 'programme') =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2]);

async function upload(
  eventId: string,
  slot: string,
  payload: Buffer | Readable,
  options: { token?: string; filename?: string; contentType?: string } = {},
) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/events/${eventId}/files/${slot}${options.filename ? `?filename=${encodeURIComponent(options.filename)}` : ''}`,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      'content-type': options.contentType ?? 'application/octet-stream',
    },
    payload,
  });
  return { status: res.statusCode, body: res.json() };
}

const fetchFile = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const storedFiles = async () => {
  const dir = path.join(t.config.fileStorage.root, 'events');
  const out: string[] = [];
  for (const event of await readdir(dir).catch(() => [] as string[])) {
    for (const f of await readdir(path.join(dir, event))) out.push(`${event}/${f}`);
  }
  return out.sort();
};

describe('the demo event', () => {
  it('comes with a programme and a guide PDF, made from its sessions and stored like uploads', async () => {
    const event = await t.request('GET', `/api/v1/events/${w.A}`, { token: w.tokens.participantA });
    for (const url of [event.body.programmeUrl, event.body.guideUrl]) {
      expect(url).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}$/);
      const served = await fetchFile(url);
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('application/pdf');
      const text = served.rawPayload.toString('latin1');
      expect(text.startsWith('%PDF-1.4')).toBe(true);
      expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      // The cross-reference table points at the objects where they are.
      const xref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
      expect(text.slice(xref, xref + 4)).toBe('xref');
    }
    const programme = (await fetchFile(event.body.programmeUrl)).rawPayload.toString('latin1');
    expect(programme).toContain('Atelier \xe9chographie cardiaque');
  });
});

describe('uploading an event file', () => {
  it('stores a PDF programme, links it from the event and serves it back without a token', async () => {
    const res = await upload(w.A, 'programme', pdf(), {
      token: w.tokens.organizerA,
      filename: 'Programme 2026.pdf',
      contentType: 'application/pdf',
    });
    expect(res.status).toBe(201);
    expect(res.body.file).toMatchObject({
      eventId: w.A,
      slot: 'programme',
      filename: 'Programme 2026.pdf',
      contentType: 'application/pdf',
      sizeBytes: pdf().length,
    });
    expect(res.body.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.event.programmeUrl).toBe(res.body.file.url);

    // The event (as every device syncs it) points at the file.
    const event = await t.request('GET', `/api/v1/events/${w.A}`, { token: w.tokens.participantA });
    expect(event.body.programmeUrl).toBe(res.body.file.url);

    const served = await fetchFile(res.body.file.url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('application/pdf');
    expect(served.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(served.rawPayload.equals(pdf())).toBe(true);
    expect(served.headers['content-disposition']).toContain("filename*=UTF-8''Programme%202026.pdf");
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const again = await fetchFile(res.body.file.url, { 'if-none-match': String(served.headers.etag) });
    expect(again.statusCode).toBe(304);

    const listed = await t.request('GET', `/api/v1/events/${w.A}/files`, { token: w.tokens.organizerA });
    // One file per slot: the demo's programme was replaced, its guide is still there.
    expect(listed.body.map((f: { slot: string; id: string }) => [f.slot, f.id === res.body.file.id])).toEqual([
      ['guide', false],
      ['programme', true],
    ]);
  });

  it('replaces the previous file of the slot: one file kept, the old URL gone', async () => {
    const first = await upload(w.A, 'guide', pdf('v1'), { token: w.tokens.organizerA });
    const second = await upload(w.A, 'guide', pdf('v2'), { token: w.tokens.organizerA });
    expect(second.status).toBe(201);
    expect((await fetchFile(first.body.file.url)).statusCode).toBe(404);
    expect((await fetchFile(second.body.file.url)).rawPayload.toString()).toContain('v2');
    const rows = await t.services.db.selectFrom('files').select('id').where('purpose', '=', 'guide').execute();
    expect(rows.map((r) => r.id)).toEqual([second.body.file.id]);
    expect(await storedFiles()).toContain(`${w.A}/${second.body.file.id}`);
    expect(await storedFiles()).not.toContain(`${w.A}/${first.body.file.id}`);
  });

  it('takes images for the logo and banner', async () => {
    const logo = await upload(w.A, 'logo', png, { token: w.tokens.organizerA, filename: 'logo.png' });
    expect(logo.status).toBe(201);
    expect(logo.body.event.logoUrl).toBe(logo.body.file.url);
    expect((await fetchFile(logo.body.file.url)).headers['content-type']).toBe('image/png');
  });
});

describe('refused uploads change nothing', () => {
  async function refused(
    send: () => Promise<{ status: number; body: { error: string; message: string } }>,
    status: number,
    error: string,
  ) {
    const before = await writeState(t);
    const files = await storedFiles();
    const rows = await t.services.db.selectFrom('files').select('id').execute();
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error).toBe(error);
    expect(await writeState(t)).toEqual(before);
    expect(await storedFiles()).toEqual(files);
    expect(await t.services.db.selectFrom('files').select('id').execute()).toEqual(rows);
    return res.body;
  }

  it('a PNG named programme.pdf and sent as application/pdf: 415, judged by its bytes', async () => {
    const body = await refused(
      () =>
        upload(w.A, 'programme', png, {
          token: w.tokens.organizerA,
          filename: 'programme.pdf',
          contentType: 'application/pdf',
        }),
      415,
      'unsupported_file_type',
    );
    expect(body.message).toContain('PNG image');
    expect(body.message).toContain('PDF');
  });

  it('a text file named .pdf, and a PDF as the logo: 415', async () => {
    const text = await refused(
      () => upload(w.A, 'programme', Buffer.from('just some text, not a pdf'), { token: w.tokens.organizerA }),
      415,
      'unsupported_file_type',
    );
    expect(text.message).toContain('not a PDF, PNG, JPEG or WebP');
    await refused(() => upload(w.A, 'logo', pdf(), { token: w.tokens.organizerA }), 415, 'unsupported_file_type');
  });

  it('too big: 413 from its Content-Length, and from its bytes when streamed without one', async () => {
    const big = Buffer.concat([pdf(), Buffer.alloc(LIMIT)]);
    const body = await refused(
      () => upload(w.A, 'programme', big, { token: w.tokens.organizerA }),
      413,
      'file_too_large',
    );
    expect(body.message).toContain(String(LIMIT));
    // A chunked upload (no Content-Length) is cut off once it passes the limit.
    const chunks = Array.from({ length: 20 }, (_, i) => (i === 0 ? pdf() : Buffer.alloc(8 * 1024, 1)));
    await refused(
      () => upload(w.A, 'programme', Readable.from(chunks), { token: w.tokens.organizerA }),
      413,
      'file_too_large',
    );
  });

  it('over a real connection, a chunked upload cut off mid-way still gets its 413 answer', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: `/api/v1/events/${w.A}/files/programme`,
          headers: { authorization: `Bearer ${w.tokens.organizerA}`, 'content-type': 'application/pdf' },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      // Keep sending well past the limit, as a client that does not look at the answer would.
      req.write(pdf());
      let sent = 0;
      const more = () => {
        while (sent < LIMIT * 8) {
          sent += 16 * 1024;
          if (!req.write(Buffer.alloc(16 * 1024, 1))) return void req.once('drain', more);
        }
        req.end();
      };
      req.on('error', () => {});
      more();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toBe('file_too_large');
  });

  it('an empty body: 400', async () => {
    await refused(() => upload(w.A, 'guide', Buffer.alloc(0), { token: w.tokens.organizerA }), 400, 'empty_file');
  });

  it('another event’s token, a participant, no token, an unknown slot', async () => {
    // Organizer B's token is bound to event B: A's files are out of its reach.
    await refused(() => upload(w.A, 'programme', pdf(), { token: w.tokens.organizerB }), 403, 'forbidden');
    await refused(() => upload(w.A, 'programme', pdf(), { token: w.tokens.participantA }), 403, 'forbidden');
    await refused(() => upload(w.A, 'programme', pdf(), {}), 401, 'unauthorized');
    await refused(() => upload(w.A, 'poster', pdf(), { token: w.tokens.organizerA }), 400, 'validation_failed');
    const list = await t.request('GET', `/api/v1/events/${w.A}/files`, { token: w.tokens.organizerB });
    expect(list.status).toBe(403);
  });
});

describe('clearing a slot and deleted events', () => {
  it('clears the programme: the event’s field is null and the file is gone', async () => {
    const up = await upload(w.B, 'programme', pdf('B'), { token: w.tokens.organizerB });
    expect(up.status).toBe(201);
    const cleared = await t.request('DELETE', `/api/v1/events/${w.B}/files/programme`, { token: w.tokens.organizerB });
    expect(cleared.status).toBe(200);
    expect(cleared.body.programmeUrl).toBeNull();
    expect((await fetchFile(up.body.file.url)).statusCode).toBe(404);
    expect(await storedFiles()).not.toContain(`${w.B}/${up.body.file.id}`);
  });

  it('stops serving the files of a deleted event', async () => {
    const up = await upload(w.B, 'guide', pdf('B guide'), { token: w.tokens.organizerB });
    expect((await fetchFile(up.body.file.url)).statusCode).toBe(200);
    expect((await t.request('DELETE', `/api/v1/events/${w.B}`, { token: w.tokens.organizerB })).status).toBe(204);
    expect((await fetchFile(up.body.file.url)).statusCode).toBe(404);
    expect((await fetchFile('/api/v1/files/not-a-uuid')).statusCode).toBe(400);
  });
});

describe('session cover images', () => {
  const cover = (payload: Buffer | Readable, token = w.tokens.organizerA, filename?: string) =>
    t.app
      .inject({
        method: 'PUT',
        url: `/api/v1/events/${w.A}/session-covers${filename ? `?filename=${encodeURIComponent(filename)}` : ''}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        payload,
      })
      .then((res) => ({ status: res.statusCode, body: res.json() }));

  it('stores an image, serves it, and the session keeps its URL in coverImageUrl', async () => {
    const before = await t.request('GET', `/api/v1/events/${w.A}/files`, { token: w.tokens.organizerA });
    const res = await cover(png, w.tokens.organizerA, 'Atelier écho.png');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ eventId: w.A, filename: 'Atelier écho.png', contentType: 'image/png' });
    expect(res.body.url).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}$/);
    expect((await fetchFile(res.body.url)).headers['content-type']).toBe('image/png');
    // Not one of the event's slots: the event's file list is unchanged.
    const after = await t.request('GET', `/api/v1/events/${w.A}/files`, { token: w.tokens.organizerA });
    expect(after.body).toEqual(before.body);

    const session = await t.request('GET', `/api/v1/events/${w.A}/sessions/${w.a.sessionId}`, {
      token: w.tokens.organizerA,
    });
    const patched = await t.request('PATCH', `/api/v1/events/${w.A}/sessions/${w.a.sessionId}`, {
      token: w.tokens.organizerA,
      body: { coverImageUrl: res.body.url, rev: session.body.rev },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.coverImageUrl).toBe(res.body.url);
    // Any other server-relative path is not a cover.
    const odd = await t.request('PATCH', `/api/v1/events/${w.A}/sessions/${w.a.sessionId}`, {
      token: w.tokens.organizerA,
      body: { coverImageUrl: '/etc/passwd', rev: patched.body.rev },
    });
    expect(odd.status).toBe(400);
    expect(odd.body.fields.map((f: { field: string }) => f.field)).toEqual(['body.coverImageUrl']);
  });

  it('refuses a PDF or a text file (415), an empty file (400) and a too large one (413), storing nothing', async () => {
    const rows = await t.services.db.selectFrom('files').select('id').execute();
    const stored = await storedFiles();
    const asPdf = await cover(pdf());
    expect(asPdf.status).toBe(415);
    expect(asPdf.body.message).toContain('a session cover takes PNG, JPEG, WEBP');
    expect((await cover(Buffer.from('not an image at all'))).status).toBe(415);
    const empty = await cover(Buffer.alloc(0));
    expect([empty.status, empty.body.error]).toEqual([400, 'empty_file']);
    const big = await cover(Buffer.concat([png, Buffer.alloc(LIMIT)]));
    expect([big.status, big.body.error]).toEqual([413, 'file_too_large']);
    const streamed = await cover(Readable.from(Array.from({ length: 20 }, (_, i) => (i ? Buffer.alloc(8192) : png))));
    expect(streamed.status).toBe(413);
    expect(await t.services.db.selectFrom('files').select('id').execute()).toEqual(rows);
    expect(await storedFiles()).toEqual(stored);
  });

  it('is for people who manage sessions: a participant or another event’s organizer is refused', async () => {
    expect((await cover(png, w.tokens.participantA)).status).toBe(403);
    expect([403, 404]).toContain((await cover(png, w.tokens.organizerB)).status);
  });
});

describe('unreachable files are swept', () => {
  const cover = async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/events/${w.A}/session-covers`,
      headers: { authorization: `Bearer ${w.tokens.organizerA}`, 'content-type': 'application/octet-stream' },
      payload: png,
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; url: string };
  };
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
  const week = 7 * 86_400_000;

  it('deletes old covers no session shows and the files of events deleted long ago; keeps the rest', async () => {
    const replaced = await cover();
    const shown = await cover();
    const fresh = await cover();
    const session = await t.request('GET', `/api/v1/events/${w.A}/sessions/${w.a.sessionId}`, {
      token: w.tokens.organizerA,
    });
    const patched = await t.request('PATCH', `/api/v1/events/${w.A}/sessions/${w.a.sessionId}`, {
      token: w.tokens.organizerA,
      body: { coverImageUrl: shown.url, rev: session.body.rev },
    });
    expect(patched.status).toBe(200);
    // Uploaded ten days ago: the replaced cover, the one shown, and event B's files (B deleted ten days ago).
    const db = t.services.db;
    await db
      .updateTable('files')
      .set({ createdAt: daysAgo(10) })
      .where('id', 'in', [replaced.id, shown.id])
      .execute();
    await db
      .updateTable('files')
      .set({ createdAt: daysAgo(10) })
      .where('eventId', '=', w.B)
      .execute();
    const filesOfB = await db.selectFrom('files').select(['id', 'storageKey']).where('eventId', '=', w.B).execute();
    expect(filesOfB.length).toBeGreaterThan(0);
    const event = await t.request('GET', `/api/v1/events/${w.A}`, { token: w.tokens.organizerA });

    expect(await t.services.files.collectUnused({ graceMs: week })).toBe(1); // B deleted just now: kept a week
    expect((await fetchFile(replaced.url)).statusCode).toBe(404);
    expect(await storedFiles()).not.toContain(`${w.A}/${replaced.id}`);

    await db
      .updateTable('events')
      .set({ updatedAt: daysAgo(10) })
      .where('id', '=', w.B)
      .execute();
    expect(await t.services.files.collectUnused({ graceMs: week })).toBe(filesOfB.length);
    expect(await db.selectFrom('files').select('id').where('eventId', '=', w.B).execute()).toEqual([]);
    for (const f of filesOfB) expect(await t.services.files.storage.get(f.storageKey)).toBeNull();

    // Kept: the cover a session shows, a cover uploaded within the week (its session edit may still
    // be on its way from an offline console), and the live event's own files.
    for (const url of [shown.url, fresh.url, event.body.programmeUrl, event.body.guideUrl])
      expect((await fetchFile(url)).statusCode, url).toBe(200);
    expect(await t.services.files.collectUnused({ graceMs: week })).toBe(0);
  });
});
