import { newId } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let otherEventId: string;
let otherOrganizerToken: string;

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 30 });
  // A second event with its own organizer, to check that nothing crosses events.
  const reg = await t.request('POST', '/api/v1/auth/register', {
    body: { email: 'other-org@example.com', password: 'another-pass-123', firstName: 'Other' },
  });
  const user = await t.services.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'other-org@example.com')
    .executeTakeFirstOrThrow();
  await t.services.db.updateTable('users').set({ isPlatformAdmin: true }).where('id', '=', user.id).execute();
  const created = await t.request('POST', '/api/v1/events', {
    token: reg.body.accessToken,
    body: {
      name: 'Other event',
      startsAt: new Date(Date.now() - 3600e3).toISOString(),
      endsAt: new Date(Date.now() + 86400e3).toISOString(),
    },
  });
  expect(created.status).toBe(201);
  otherEventId = created.body.id;
  const sel = await t.request('POST', '/api/v1/auth/select-event', {
    token: reg.body.accessToken,
    body: { eventId: otherEventId },
  });
  otherOrganizerToken = sel.body.accessToken;
  const room = await t.request('POST', `/api/v1/events/${otherEventId}/rooms`, {
    token: otherOrganizerToken,
    body: { name: 'Secret room', capacity: 10 },
  });
  expect(room.status).toBe(201);
  await t.request('POST', `/api/v1/events/${otherEventId}/participants`, {
    token: otherOrganizerToken,
    body: { firstName: 'Secret', lastName: 'Person', email: 'secret@example.com' },
  });
});
afterAll(() => t?.close());

describe('pull', () => {
  it('returns documents in change order with a checkpoint, and honours the batch size', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const d = syncDevice(t, s.accessToken);
    const first = await d.pull('participants', 0, 10);
    expect(first.status).toBe(200);
    expect(first.body.documents).toHaveLength(10);
    const seqs = first.body.documents.map((x: { seq: number }) => x.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect(first.body.checkpoint.seq).toBe(seqs.at(-1));
    const all = await d.pullAll('participants');
    expect(all.docs).toHaveLength(30);
    const again = await d.pull('participants', all.seq);
    expect(again.body.documents).toEqual([]);
    expect(again.body.checkpoint.seq).toBe(all.seq);
  });

  it('a device of event A receives zero rows of event B, whatever it asks', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const d = syncDevice(t, s.accessToken);
    for (const c of [
      'events',
      'rooms',
      'sessions',
      'participants',
      'badgeTrust',
      'announcements',
      'scans',
      'entitlements',
    ]) {
      const { docs } = await d.pullAll(c);
      expect(
        docs.every((doc) => doc.eventId === DEMO_EVENT_ID),
        c,
      ).toBe(true);
    }
    const other = syncDevice(t, otherOrganizerToken);
    const { docs } = await other.pullAll('participants');
    expect(docs.map((p) => p.firstName)).toEqual(['Secret']);
  });

  it('scopes by role: no transactions for a door, contact-free visitors for exhibitors, only themselves for participants', async () => {
    const controller = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken);
    expect((await controller.pull('transactions')).status).toBe(403);
    expect((await controller.pull('leads')).status).toBe(403);

    const exhibitor = syncDevice(t, (await t.login(DEMO_ACCOUNTS.exhibitor)).accessToken);
    const visitors = await exhibitor.pullAll('participants');
    expect(visitors.docs.length).toBe(30);
    expect(visitors.docs.every((p) => p.email === '' && p.phone === '' && p.userId === null)).toBe(true);
    expect(visitors.docs.every((p) => typeof p.badgeCode === 'string' && (p.badgeCode as string).length > 10)).toBe(
      true,
    );

    const participant = syncDevice(t, (await t.login(DEMO_ACCOUNTS.participant)).accessToken);
    const me = await participant.pullAll('participants');
    expect(me.docs.map((p) => p.email)).toEqual([DEMO_ACCOUNTS.participant]);
    const ann = await participant.pullAll('announcements');
    expect(ann.docs.every((a) => a.audience === 'all' || a.audience === 'participants')).toBe(true);
    expect(ann.docs.length).toBeGreaterThan(0);
  });

  it('refuses unknown collections, missing device ids and missing tokens', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    expect((await syncDevice(t, s.accessToken).pull('nope')).status).toBe(404);
    expect((await t.request('GET', '/sync/v1/rooms/pull', { token: s.accessToken })).status).toBe(400);
    expect(
      (await t.request('GET', '/sync/v1/rooms/pull', { headers: { 'x-makeplus-device': 'device-12345' } })).status,
    ).toBe(401);
    expect((await syncDevice(t, s.accessToken).pull('rooms', -1)).status).toBe(400);
  });

  it('answers 426 to an outdated client', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    expect((await t.request('GET', '/sync/v0/rooms/pull', { token: s.accessToken })).status).toBe(426);
    const r = await t.request('GET', '/sync/v1/rooms/pull', {
      token: s.accessToken,
      headers: { 'x-makeplus-device': 'device-12345', 'x-makeplus-protocol': '0' },
    });
    expect(r.status).toBe(426);
    expect(r.body.error).toBe('upgrade_required');
  });
});

describe('push of facts', () => {
  it('stores a fact once however often it is pushed, keeping device time and arrival time', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const d = syncDevice(t, s.accessToken);
    const { docs } = await d.pullAll('participants');
    const occurredAt = new Date(Date.now() - 3600e3).toISOString();
    const scan = scanDoc(DEMO_EVENT_ID, d.deviceId, docs[0]?.id as string, { occurredAt });
    for (let i = 0; i < 3; i++) {
      const r = await d.push('scans', [{ newDocumentState: scan }, { newDocumentState: scan }]);
      expect(r.status).toBe(200);
      // The answer is the server's copy, completed with its sequence and arrival time.
      expect(r.body.map((d: { id: string }) => d.id)).toEqual([scan.id]);
      expect(r.body[0].seq).toBeGreaterThan(0);
      expect(r.body[0].receivedAt).toBeTruthy();
    }
    const rows = await t.services.db.selectFrom('scans').selectAll().where('id', '=', scan.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.occurredAt).toBe(occurredAt);
    expect(Date.parse(rows[0]?.receivedAt as string)).toBeGreaterThan(Date.parse(occurredAt));
    const audit = await t.services.db.selectFrom('auditLog').selectAll().where('recordId', '=', scan.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.via).toBe('sync');
    expect(audit[0]?.deviceId).toBe(d.deviceId);
  });

  it('writes nothing when one document of a batch is invalid, and names the field', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const d = syncDevice(t, s.accessToken);
    const good = scanDoc(DEMO_EVENT_ID, d.deviceId, null);
    const bad = { ...scanDoc(DEMO_EVENT_ID, d.deviceId, null), direction: 'sideways' };
    const r = await d.push('scans', [{ newDocumentState: good }, { newDocumentState: bad }]);
    expect(r.status).toBe(400);
    expect(r.body.fields[0].field).toBe('documents[1].direction');
    expect(
      await t.services.db.selectFrom('scans').select('id').where('id', '=', good.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it('refuses documents of another event, server-owned collections and roles that may not write', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const d = syncDevice(t, s.accessToken);
    expect((await d.push('scans', [{ newDocumentState: scanDoc(otherEventId, d.deviceId, null) }])).status).toBe(403);
    expect((await d.push('entitlements', [])).status).toBe(403);
    const participant = syncDevice(t, (await t.login(DEMO_ACCOUNTS.participant)).accessToken);
    expect(
      (await participant.push('scans', [{ newDocumentState: scanDoc(DEMO_EVENT_ID, participant.deviceId, null) }]))
        .status,
    ).toBe(403);
    expect(await t.services.db.selectFrom('scans').select('id').where('eventId', '=', otherEventId).execute()).toEqual(
      [],
    );
  });
});

describe('push of editable records', () => {
  it('applies an edit made on the current revision and answers a stale one with the server state', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const d = syncDevice(t, org.accessToken);
    const { docs } = await d.pullAll('rooms');
    const room = docs.find((r) => r.name === 'Salle B') as Record<string, unknown> & { rev: number };
    const edited = { ...room, capacity: 150, rev: room.rev + 1, updatedAt: new Date().toISOString() };
    const ok = await d.push('rooms', [{ newDocumentState: edited, assumedMasterState: room }]);
    expect(ok.body).toEqual([]);
    const afterOk = await t.services.db
      .selectFrom('rooms')
      .selectAll()
      .where('id', '=', room.id as string)
      .executeTakeFirstOrThrow();
    expect(afterOk.capacity).toBe(150);
    expect(afterOk.rev).toBe(room.rev + 1);

    // A second device still holds the old revision.
    const stale = { ...room, capacity: 90, rev: room.rev + 1 };
    const conflict = await d.push('rooms', [{ newDocumentState: stale, assumedMasterState: room }]);
    expect(conflict.status).toBe(200);
    expect(conflict.body).toHaveLength(1);
    expect(conflict.body[0].capacity).toBe(150);
    expect(conflict.body[0].rev).toBe(room.rev + 1);
    const afterConflict = await t.services.db
      .selectFrom('rooms')
      .selectAll()
      .where('id', '=', room.id as string)
      .executeTakeFirstOrThrow();
    expect(afterConflict.capacity).toBe(150);
  });

  it('keeps a device revision after several offline edits, so its next edit does not conflict', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const d = syncDevice(t, org.accessToken);
    const { docs } = await d.pullAll('rooms');
    const room = docs.find((r) => r.name === 'Atelier 2') as Record<string, unknown> & { rev: number };
    const thirdEdit = { ...room, location: 'Niveau 3', rev: room.rev + 3 };
    expect((await d.push('rooms', [{ newDocumentState: thirdEdit, assumedMasterState: room }])).body).toEqual([]);
    const next = { ...thirdEdit, location: 'Niveau 4', rev: room.rev + 4 };
    expect((await d.push('rooms', [{ newDocumentState: next, assumedMasterState: thirdEdit }])).body).toEqual([]);
  });

  it('creates a record made offline, and a retry of the same creation is not a conflict', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const d = syncDevice(t, org.accessToken);
    const now = new Date().toISOString();
    const doc = {
      id: newId(),
      eventId: DEMO_EVENT_ID,
      seq: 0,
      rev: 1,
      createdAt: now,
      updatedAt: now,
      deleted: false,
      title: 'Offline news',
      body: 'Written offline',
      audience: 'all',
      createdBy: null,
      createdByName: 'Org',
      legacyId: 0,
    };
    for (let i = 0; i < 2; i++) {
      expect((await d.push('announcements', [{ newDocumentState: doc, assumedMasterState: null }])).body).toEqual([]);
    }
    const rows = await t.services.db.selectFrom('announcements').selectAll().where('id', '=', doc.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.legacyId).toBeGreaterThan(0);
  });
});

describe('reconciliation flags from devices', () => {
  it('a device reports a losing edit; it gets an arrival time and the organizer receives it', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const d = syncDevice(t, org.accessToken);
    const now = new Date().toISOString();
    const flag = {
      id: newId(),
      eventId: DEMO_EVENT_ID,
      seq: 0,
      rev: 1,
      createdAt: now,
      updatedAt: now,
      deleted: false,
      deviceId: d.deviceId,
      occurredAt: now,
      receivedAt: null,
      kind: 'conflicting_edit',
      status: 'open',
      subjectCollection: 'rooms',
      subjectId: newId(),
      summary: 'lost edit',
      details: { local: { capacity: 80 } },
      resolution: null,
      resolvedBy: null,
      resolvedAt: null,
    };
    const r = await d.push('reconciliationFlags', [{ newDocumentState: flag, assumedMasterState: null }]);
    expect(r.status).toBe(200);
    const { docs } = await d.pullAll('reconciliationFlags');
    const stored = docs.find((f) => f.id === flag.id);
    expect(stored?.receivedAt).toBeTruthy();
    const controller = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken);
    const other = { ...flag, id: newId(), deviceId: 'someone-elses-device' };
    expect(
      (await controller.push('reconciliationFlags', [{ newDocumentState: other, assumedMasterState: null }])).status,
    ).toBe(403);
  });
});

describe('snapshot', () => {
  it('gives the position and counts, pages live documents up to it, then later changes come by pull', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const d = syncDevice(t, s.accessToken);
    const snap = await d.snapshot(['participants', 'rooms']);
    expect(snap.status).toBe(200);
    expect(snap.body.counts.participants).toBe(30);
    const header = snap.body;
    const headers = { 'x-makeplus-device': d.deviceId };
    const url = (after: number) => `/sync/v1/participants/pull?after=${after}&limit=20&upTo=${header.seq}`;
    const page1 = await t.request('GET', url(0), { token: s.accessToken, headers });
    const page2 = await t.request('GET', url(page1.body.checkpoint.seq), { token: s.accessToken, headers });
    const firstSync = [...page1.body.documents, ...page2.body.documents];
    expect(firstSync).toHaveLength(30);
    expect(firstSync.every((p: { seq: number; deleted: boolean }) => p.seq <= header.seq && !p.deleted)).toBe(true);
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const created = await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/participants`, {
      token: org.accessToken,
      body: { firstName: 'Late', lastName: 'Comer' },
    });
    expect(created.status).toBe(201);
    const later = await d.pullAll('participants', header.seq);
    expect(later.docs.map((p) => p.firstName)).toEqual(['Late']);
  });
});
