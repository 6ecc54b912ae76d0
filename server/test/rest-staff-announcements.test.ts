import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingMailer } from '../src/mail/mailer';
import { buildWorld, register, type World, writeState } from './support/restWorld';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 5 });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);
const memberships = (e: string) => `/api/v1/events/${e}/memberships`;
const assignments = (e: string) => `/api/v1/events/${e}/room-assignments`;
const announcements = (e: string) => `/api/v1/events/${e}/announcements`;
const as = (token: string) => ({
  get: (url: string) => t.request('GET', url, { token }),
  post: (url: string, body: unknown) => t.request('POST', url, { token, body }),
  patch: (url: string, body: unknown) => t.request('PATCH', url, { token, body }),
  del: (url: string) => t.request('DELETE', url, { token }),
});
// biome-ignore lint/suspicious/noExplicitAny: JSON documents of the sync protocol
const syncPull = async (token: string, collection: string): Promise<any[]> =>
  (await syncDevice(t, token).pullAll(collection)).docs;
const mailer = () => t.app.mailer as RecordingMailer;
const slot = (day: number, from: number, to: number) => ({
  startsAt: `2030-05-0${day}T${String(from).padStart(2, '0')}:00:00.000Z`,
  endsAt: `2030-05-0${day}T${String(to).padStart(2, '0')}:00:00.000Z`,
});

describe('staff invitations', () => {
  it('mails a new person how to claim the role, and an existing account how to sign in', async () => {
    const org = as(w.tokens.organizerB);
    const r = await org.post(memberships(w.B), { email: 'Invited.Cashier@example.org', role: 'cashier' });
    expect(r.status).toBe(201);
    const mail = mailer().lastTo('invited.cashier@example.org');
    expect(mail?.subject).toContain('caissier');
    expect(mail?.subject).toContain('Second event');
    expect(mail?.text).toContain('Créez votre compte avec cette adresse e-mail (invited.cashier@example.org)');
    expect(mail?.text).toContain('as cashier');

    await register(t, 'has.account@example.org', 'Hasan');
    expect((await org.post(memberships(w.B), { email: 'has.account@example.org', role: 'room_manager' })).status).toBe(
      201,
    );
    const second = mailer().lastTo('has.account@example.org');
    expect(second?.text).toContain('Connectez-vous avec votre compte habituel');
    expect(second?.text).toContain('as room manager');
  });

  it('sends nothing when the invitation is refused', async () => {
    const before = mailer().sent.length;
    const org = as(w.tokens.organizerB);
    expect((await org.post(memberships(w.B), { email: 'not-an-email', role: 'cashier' })).status).toBe(400);
    expect((await org.post(memberships(w.B), { email: 'invited.cashier@example.org', role: 'cashier' })).status).toBe(
      409,
    );
    expect(
      (await as(w.tokens.managerA).post(memberships(w.A), { email: 'x@example.org', role: 'cashier' })).status,
    ).toBe(403);
    expect(mailer().sent.length).toBe(before);
  });
});

describe('an invitation whose mail cannot be sent', () => {
  it('keeps the membership (the mail is the edge of the world; the failure is logged)', async () => {
    const attempts: string[] = [];
    const broken = await startTestApp({
      demo: true,
      participants: 1,
      mailer: {
        async send(m) {
          attempts.push(m.to);
          throw new Error('SMTP server unreachable');
        },
      },
    });
    try {
      const { accessToken } = await broken.login('organizer@demo.makeplus.local');
      const eventId = (await broken.login('organizer@demo.makeplus.local')).event.id as string;
      const r = await broken.request('POST', memberships(eventId), {
        token: accessToken,
        body: { email: 'no.mail@example.org', role: 'badge_controller' },
      });
      expect(r.status).toBe(201);
      expect(attempts).toEqual(['no.mail@example.org']);
      const listed = await broken.request('GET', `${memberships(eventId)}?q=no.mail`, { token: accessToken });
      expect(listed.body.items.map((m: { role: string }) => m.role)).toEqual(['badge_controller']);
    } finally {
      await broken.close();
    }
  });
});

describe('room assignments', () => {
  let controllerB: string;
  beforeAll(async () => {
    const list = (await as(w.tokens.organizerB).get(`${memberships(w.B)}?role=badge_controller`)).body.items;
    controllerB = list[0].userId;
  });

  it('gives a badge controller a room for a time slot, with the role of the person', async () => {
    const r = await as(w.tokens.organizerB).post(assignments(w.B), {
      userId: controllerB,
      roomId: w.b.roomId,
      ...slot(1, 8, 12),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ userId: controllerB, roomId: w.b.roomId, role: 'badge_controller', isActive: true });
    const listed = await as(w.tokens.organizerB).get(`${assignments(w.B)}?roomId=${w.b.roomId}`);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toContain(r.body.id);
  });

  it('refuses an overlapping slot of the same person (409), accepts one that touches', async () => {
    const org = as(w.tokens.organizerB);
    const clash = await org.post(assignments(w.B), { userId: controllerB, roomId: w.b.roomId, ...slot(1, 11, 13) });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toBe('overlap');
    const next = await org.post(assignments(w.B), { userId: controllerB, roomId: w.b.roomId, ...slot(1, 12, 14) });
    expect(next.status).toBe(201);
    // Moving it back over the first is refused too; deactivated, it no longer counts.
    expect((await org.patch(`${assignments(w.B)}/${next.body.id}`, slot(1, 9, 10))).status).toBe(409);
    const off = await org.patch(`${assignments(w.B)}/${next.body.id}`, { isActive: false });
    expect(off.status).toBe(200);
    expect((await org.patch(`${assignments(w.B)}/${next.body.id}`, slot(1, 9, 10))).status).toBe(200);
    expect((await org.patch(`${assignments(w.B)}/${next.body.id}`, { isActive: true })).status).toBe(409);
  });

  it('answers 400 naming the field, writing nothing', async () => {
    const org = as(w.tokens.organizerB);
    const before = await writeState(t);
    const cashier = (await org.get(`${memberships(w.B)}?role=cashier`)).body.items[0].userId;
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: controllerB, roomId: w.b.roomId, ...slot(2, 12, 10) }, 'body.endsAt'],
      [
        { userId: controllerB, roomId: w.b.roomId, startsAt: 'tomorrow', endsAt: slot(2, 1, 2).endsAt },
        'body.startsAt',
      ],
      [{ userId: controllerB, roomId: w.a.roomId, ...slot(2, 8, 9) }, 'body.roomId'],
      [{ userId: w.organizerB.userId, roomId: w.b.roomId, ...slot(2, 8, 9) }, 'body.userId'],
      [{ userId: cashier, roomId: w.b.roomId, ...slot(2, 8, 9) }, 'body.userId'],
      [{ userId: controllerB, roomId: w.b.roomId, role: 'room_manager', ...slot(2, 8, 9) }, 'body.role'],
      [{ roomId: w.b.roomId, ...slot(2, 8, 9) }, 'body.userId'],
    ];
    for (const [body, field] of cases) {
      const r = await org.post(assignments(w.B), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(r.body)).toContain(field);
    }
    expect(await writeState(t)).toEqual(before);
  });

  it("keeps to the caller's event: another event's organizer gets 403, another event's slot 404", async () => {
    const mine = (await as(w.tokens.organizerB).get(assignments(w.B))).body.items[0];
    expect((await as(w.tokens.organizerA).get(assignments(w.B))).status).toBe(403);
    expect((await as(w.tokens.organizerA).get(`${assignments(w.A)}/${mine.id}`)).status).toBe(404);
    expect((await as(w.tokens.organizerA).patch(`${assignments(w.A)}/${mine.id}`, { isActive: false })).status).toBe(
      404,
    );
    for (const token of [w.tokens.managerA, w.tokens.controllerA, w.tokens.participantA, w.tokens.outsider])
      expect((await as(token).get(assignments(w.A))).status).toBe(403);
  });

  it("reaches the assigned person's device by sync, and no one else's", async () => {
    const list = (await as(w.tokens.organizerA).get(assignments(w.A))).body.items as { userId: string }[];
    expect(list.length).toBeGreaterThan(0);
    const own = await syncPull(w.tokens.controllerA, 'roomAssignments');
    expect(own.length).toBeGreaterThan(0);
    const manager = await syncPull(w.tokens.managerA, 'roomAssignments');
    expect(manager.every((a) => !own.some((o) => o.id === a.id))).toBe(true);
  });
});

describe('announcements', () => {
  it('creates with the caller as author, edits with a revision, deletes', async () => {
    const org = as(w.tokens.organizerA);
    const r = await org.post(announcements(w.A), {
      title: 'Pause café',
      body: 'À 10 h 30 au hall.',
      audience: 'participants',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ audience: 'participants', createdByName: expect.any(String) });
    expect(r.body.createdBy).not.toBeNull();
    const stale = await org.patch(`${announcements(w.A)}/${r.body.id}`, { title: 'Pause', rev: r.body.rev + 5 });
    expect(stale.status).toBe(409);
    const edited = await org.patch(`${announcements(w.A)}/${r.body.id}`, {
      title: 'Pause café (11 h)',
      rev: r.body.rev,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.title).toBe('Pause café (11 h)');
    const found = await org.get(`${announcements(w.A)}?q=11 h&audience=participants`);
    expect(found.body.items.map((a: { id: string }) => a.id)).toEqual([r.body.id]);
    expect((await org.del(`${announcements(w.A)}/${r.body.id}`)).status).toBe(204);
    expect((await org.get(`${announcements(w.A)}/${r.body.id}`)).status).toBe(404);
  });

  it('reaches the devices of its audience only', async () => {
    const org = as(w.tokens.organizerA);
    const text = `Pour les contrôleurs ${Date.now()}`;
    const r = await org.post(announcements(w.A), { title: text, body: 'Porte B fermée.', audience: 'controllers' });
    expect(r.status).toBe(201);
    const titles = async (token: string) =>
      (await syncPull(token, 'announcements')).filter((a) => !a.deleted).map((a) => a.title);
    expect(await titles(w.tokens.controllerA)).toContain(text);
    expect(await titles(w.tokens.participantA)).not.toContain(text);
    expect(await titles(w.tokens.exhibitorA)).not.toContain(text);
  });

  it('validates every field and keeps to its event', async () => {
    const org = as(w.tokens.organizerA);
    const before = await writeState(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '', body: 'x' }, 'body.title'],
      [{ title: 'x', body: '   ' }, 'body.body'],
      [{ title: 'x', body: 'y', audience: 'cashiers' }, 'body.audience'],
      [{ title: 'x'.repeat(201), body: 'y' }, 'body.title'],
    ];
    for (const [body, field] of cases) {
      const r = await org.post(announcements(w.A), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(r.body)).toContain(field);
    }
    expect(await writeState(t)).toEqual(before);
    const mine = await org.post(announcements(w.A), { title: 'A seulement', body: 'x' });
    expect((await as(w.tokens.organizerB).get(`${announcements(w.B)}/${mine.body.id}`)).status).toBe(404);
    expect((await as(w.tokens.organizerB).del(`${announcements(w.B)}/${mine.body.id}`)).status).toBe(404);
    expect((await as(w.tokens.organizerB).get(announcements(w.A))).status).toBe(403);
    for (const token of [w.tokens.managerA, w.tokens.participantA, w.tokens.cashierA])
      expect((await as(token).post(announcements(w.A), { title: 'x', body: 'y' })).status).toBe(403);
  });
});
