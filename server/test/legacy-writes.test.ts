import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import type { RecordingMailer } from '../src/mail/mailer';
import { demoEventRunning, mobile, secondEvent } from './support/legacyFixtures';
import { saleDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * The original's server-side REST writes (contract §2.1 "S" rows: participants, events, user
 * assignments, room assignments, session access, room access, exhibitor scans, questions, room
 * lookups), each through
 * our own resources and record store: DRF shapes and errors, synced to the devices, audited.
 */
let t: TestApp;
let m: ReturnType<typeof mobile>;
let organizer: { access: string };
let rooms: { id: string; name: string }[];
let newcomer: { legacyId: number; id: string };
let visitor: { legacyId: number; participantId: string; userLegacyId: number };

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 4 });
  m = mobile(t);
  await demoEventRunning(t);
  organizer = await m.login(DEMO_ACCOUNTS.organizer);
  rooms = (await m.get('/api/rooms/', organizer.access)).body.results;
  newcomer = await t.services.accounts.createUser(t.services.db, {
    email: 'newcomer@example.com',
    firstName: 'Nouveau',
    lastName: 'Venu',
    passwordHash: null,
  });
  const p = await t.services.db
    .selectFrom('participants')
    .innerJoin('users', 'users.id', 'participants.userId')
    .select(['participants.legacyId', 'participants.id', 'users.legacyId as userLegacyId'])
    .where('users.email', '=', DEMO_ACCOUNTS.participant)
    .executeTakeFirstOrThrow();
  visitor = { legacyId: p.legacyId, participantId: p.id, userLegacyId: p.userLegacyId };
});
afterAll(() => t?.close());

const auditOf = (collection: string, recordId: string) =>
  t.services.db
    .selectFrom('auditLog')
    .select(['action', 'via'])
    .where('collection', '=', collection)
    .where('recordId', '=', recordId)
    .orderBy('id')
    .execute();

describe('user-assignments/ writes (UserEventAssignment → our memberships)', () => {
  it('an organizer assigns, changes and removes a role; devices get it by sync', async () => {
    const room = rooms[0] as { id: string; name: string };
    const created = await m.post(
      '/api/user-assignments/',
      {
        user_id: newcomer.legacyId,
        event_id: DEMO_EVENT_ID,
        role: 'gestionnaire_des_salles',
        metadata: { assigned_room_id: room.id },
      },
      organizer.access,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(Number),
      user: { id: newcomer.legacyId, email: 'newcomer@example.com' },
      event: { id: DEMO_EVENT_ID },
      role: 'gestionnaire_des_salles',
      is_active: true,
      metadata: { assigned_room_id: room.id },
      room_assignment: { id: null, room_id: room.id, room_name: room.name },
    });
    const member = await t.services.db
      .selectFrom('memberships')
      .selectAll()
      .where('legacyId', '=', created.body.id)
      .executeTakeFirstOrThrow();
    const console = syncDevice(t, (await t.login(DEMO_ACCOUNTS.organizer)).accessToken);
    const synced = (await console.pullAll('memberships')).docs.find((d) => d.id === member.id);
    expect(synced).toMatchObject({ role: 'room_manager', assignedRoomId: room.id, userId: newcomer.id });

    const patched = await m.patch(
      `/api/user-assignments/${created.body.id}/`,
      { role: 'controlleur_des_badges', is_active: false, metadata: { assigned_room_id: null } },
      organizer.access,
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ role: 'controlleur_des_badges', is_active: false, room_assignment: null });
    expect((await m.delete(`/api/user-assignments/${created.body.id}/`, undefined, organizer.access)).status).toBe(204);
    expect((await m.get(`/api/user-assignments/${created.body.id}/`, organizer.access)).status).toBe(404);
    expect(await auditOf('memberships', member.id)).toEqual([
      { action: 'create', via: 'mobile' },
      { action: 'update', via: 'mobile' },
      { action: 'delete', via: 'mobile' },
    ]);
  });

  it('every refusal in DRF shapes', async () => {
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    const other = await secondEvent(t, { name: 'Journées C' });
    const body = { user_id: newcomer.legacyId, event_id: DEMO_EVENT_ID, role: 'exposant' };
    const cases: [Record<string, unknown>, string, number, Record<string, unknown>][] = [
      [{ ...body, user_id: undefined }, organizer.access, 400, { user_id: ['This field is required.'] }],
      [
        { ...body, user_id: 999999 },
        organizer.access,
        400,
        { user_id: ['Invalid pk "999999" - object does not exist.'] },
      ],
      [{ ...body, role: 'boss' }, organizer.access, 400, { role: ['"boss" is not a valid choice.'] }],
      [{ ...body, role: undefined }, organizer.access, 400, { role: ['This field is required.'] }],
      [{ ...body, event_id: other }, organizer.access, 403, { detail: expect.stringContaining('switch event') }],
      [body, controller.access, 403, { detail: 'You do not have permission to perform this action.' }],
    ];
    for (const [b, token, status, expected] of cases) {
      const r = await m.post('/api/user-assignments/', b, token);
      expect(r.status, JSON.stringify(b)).toBe(status);
      expect(r.body).toEqual(expected);
    }
    // One role per person and event (the original's unique together).
    const manager = await t.services.db
      .selectFrom('users')
      .select('legacyId')
      .where('email', '=', DEMO_ACCOUNTS.manager)
      .executeTakeFirstOrThrow();
    const dup = await m.post('/api/user-assignments/', { ...body, user_id: manager.legacyId }, organizer.access);
    expect(dup.status).toBe(400);
    expect(Object.keys(dup.body)).toEqual(['non_field_errors']);
    expect((await m.post('/api/user-assignments/', body)).status).toBe(401);
    expect((await m.patch('/api/user-assignments/abc/', {}, organizer.access)).status).toBe(404);
  });
});

describe('user-assignments/ invitations', () => {
  const mailer = () => t.app.mailer as RecordingMailer;
  it('staff added from the app get the same invitation mail as staff invited in the console', async () => {
    const fresh = await t.services.accounts.createUser(t.services.db, {
      email: 'invited.from.app@example.com',
      firstName: 'Inès',
      lastName: 'Invitée',
      passwordHash: null,
    });
    const created = await m.post(
      '/api/user-assignments/',
      { user_id: fresh.legacyId, event_id: DEMO_EVENT_ID, role: 'controlleur_des_badges' },
      organizer.access,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const mail = mailer().lastTo('invited.from.app@example.com');
    const event = await t.services.db
      .selectFrom('events')
      .select('name')
      .where('id', '=', DEMO_EVENT_ID)
      .executeTakeFirstOrThrow();
    expect(mail?.subject).toContain('contrôleur de badges');
    expect(mail?.subject).toContain(event.name);
    expect(mail?.text).toContain('Créez votre compte avec cette adresse e-mail (invited.from.app@example.com)');
    expect(mail?.text).toContain('as badge controller');

    // The same mail the console sends for the same person and role (one invitation, two doors).
    const console = await t.login(DEMO_ACCOUNTS.organizer);
    const consoleUser = await t.services.accounts.createUser(t.services.db, {
      email: 'invited.from.console@example.com',
      firstName: 'Inès',
      lastName: 'Console',
      passwordHash: null,
    });
    expect(
      (
        await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/memberships`, {
          token: console.accessToken,
          body: { userId: consoleUser.id, role: 'badge_controller' },
        })
      ).status,
    ).toBe(201);
    const fromConsole = mailer().lastTo('invited.from.console@example.com');
    expect(fromConsole?.subject).toBe(mail?.subject);
    // Each link carries its own person's invitation.
    const sameBut = (text: string | undefined) => text?.replace(/invitation=[\w.-]+/g, 'invitation=…');
    expect(sameBut(fromConsole?.text.replaceAll('invited.from.console', 'invited.from.app'))).toBe(sameBut(mail?.text));

    // An account with a password is told to sign in.
    const exhibitor = await t.services.db
      .selectFrom('users')
      .select('legacyId')
      .where('email', '=', DEMO_ACCOUNTS.exhibitor)
      .executeTakeFirstOrThrow();
    const other = await secondEvent(t, { name: 'Journées invitations' });
    const organizerB = await m.login(DEMO_ACCOUNTS.organizer, undefined, other);
    const again = await m.post(
      '/api/user-assignments/',
      { user_id: exhibitor.legacyId, event_id: other, role: 'controlleur_des_badges' },
      organizerB.access,
    );
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const second = mailer().lastTo(DEMO_ACCOUNTS.exhibitor);
    expect(second?.subject).toContain('Journées invitations');
    expect(second?.text).toContain('Connectez-vous avec votre compte habituel');
  });

  it('a refused assignment sends nothing', async () => {
    const before = mailer().sent.length;
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    const body = { user_id: newcomer.legacyId, event_id: DEMO_EVENT_ID, role: 'exposant' };
    expect((await m.post('/api/user-assignments/', body, controller.access)).status).toBe(403);
    expect((await m.post('/api/user-assignments/', { ...body, role: 'boss' }, organizer.access)).status).toBe(400);
    expect(mailer().sent.length).toBe(before);
  });
});

describe('room-assignments/ writes', () => {
  it('a slot for a badge controller: created, moved, refused when it overlaps or ends first, removed', async () => {
    const controller = await t.services.db
      .selectFrom('users')
      .select(['legacyId', 'id'])
      .where('email', '=', DEMO_ACCOUNTS.controller)
      .executeTakeFirstOrThrow();
    // Far after the demo's own slots.
    const start = new Date(Date.now() + 60 * 86_400_000);
    const iso = (h: number) => new Date(start.getTime() + h * 3_600_000).toISOString();
    const room = rooms[0] as { id: string };
    const created = await m.post(
      '/api/room-assignments/',
      { user: controller.legacyId, room: room.id, event: DEMO_EVENT_ID, start_time: iso(0), end_time: iso(2) },
      organizer.access,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      user: controller.legacyId,
      room: room.id,
      event: DEMO_EVENT_ID,
      role: 'controlleur_des_badges',
      is_active: true,
    });
    const overlap = await m.post(
      '/api/room-assignments/',
      { user: controller.legacyId, room: room.id, start_time: iso(1), end_time: iso(3) },
      organizer.access,
    );
    expect(overlap.status).toBe(400);
    expect(overlap.body).toHaveProperty('non_field_errors');
    const backwards = await m.post(
      '/api/room-assignments/',
      { user: controller.legacyId, room: room.id, start_time: iso(5), end_time: iso(4) },
      organizer.access,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body).toHaveProperty('end_time');
    const wrongRole = await m.post(
      '/api/room-assignments/',
      {
        user: controller.legacyId,
        room: room.id,
        role: 'gestionnaire_des_salles',
        start_time: iso(6),
        end_time: iso(7),
      },
      organizer.access,
    );
    expect(wrongRole.status).toBe(400);
    expect(wrongRole.body).toHaveProperty('role');

    const moved = await m.patch(
      `/api/room-assignments/${created.body.id}/`,
      { start_time: iso(4), end_time: iso(6) },
      organizer.access,
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.start_time).toBe(iso(4));
    // The controller's own device receives its slot.
    const device = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken);
    expect((await device.pullAll('roomAssignments')).docs).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: controller.id, startsAt: iso(4) })]),
    );
    expect((await m.delete(`/api/room-assignments/${created.body.id}/`, undefined, organizer.access)).status).toBe(204);
    expect((await m.get(`/api/room-assignments/${created.body.id}/`, organizer.access)).status).toBe(404);
  });
});

describe('session-access/ writes (manual entitlements)', () => {
  it('an organizer grants a workshop by hand: the door and the participant see it; withdrawn, it is gone', async () => {
    const workshop = (await m.get('/api/sessions/?is_paid=true', organizer.access)).body.results[0];
    const grant = await m.post(
      '/api/session-access/',
      { participant: visitor.legacyId, session: workshop.id, has_access: true, payment_status: 'free' },
      organizer.access,
    );
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);
    expect(grant.body).toMatchObject({
      participant: visitor.legacyId,
      session: workshop.id,
      session_title: workshop.title,
      has_access: true,
      payment_status: 'free',
      amount_paid: '0.00',
    });
    const dup = await m.post(
      '/api/session-access/',
      { participant: visitor.legacyId, session: workshop.id },
      organizer.access,
    );
    expect(dup.body).toEqual({ non_field_errors: ['The fields participant, session must make a unique set.'] });
    const p = await m.login(DEMO_ACCOUNTS.participant);
    expect(
      (await m.get('/api/my-ateliers/', p.access)).body.results.map((r: { session: string }) => r.session),
    ).toEqual([workshop.id]);

    const paid = await m.patch(
      `/api/session-access/${grant.body.id}/`,
      { payment_status: 'paid', amount_paid: '1500.00' },
      organizer.access,
    );
    expect(paid.body).toMatchObject({ payment_status: 'paid', amount_paid: '1500.00', has_access: true });
    const revoked = await m.patch(`/api/session-access/${grant.body.id}/`, { has_access: false }, organizer.access);
    expect(revoked.body.has_access).toBe(false);
    expect((await m.get('/api/my-ateliers/', p.access)).body.count).toBe(0);
    expect((await m.delete(`/api/session-access/${grant.body.id}/`, undefined, organizer.access)).status).toBe(204);
    expect(await auditOf('entitlements', grant.body.id)).toEqual([
      { action: 'create', via: 'mobile' },
      { action: 'update', via: 'mobile' },
      { action: 'update', via: 'mobile' },
      { action: 'delete', via: 'mobile' },
    ]);

    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ session: workshop.id }, { participant: ['This field is required.'] }],
      [
        { participant: 999999, session: workshop.id },
        { participant: ['Invalid pk "999999" - object does not exist.'] },
      ],
      [
        { participant: visitor.legacyId, session: workshop.id, amount_paid: 'beaucoup' },
        { amount_paid: ['A valid number is required.'] },
      ],
      [
        { participant: visitor.legacyId, session: workshop.id, payment_status: 'gift' },
        { payment_status: expect.any(Array) },
      ],
    ];
    for (const [b, expected] of cases) {
      const r = await m.post('/api/session-access/', b, organizer.access);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.body).toEqual(expected);
    }
    const cashier = await m.post(
      '/api/session-access/',
      { participant: visitor.legacyId, session: workshop.id },
      p.access,
    );
    expect(cashier.status).toBe(403);
  });
});

describe('room-access/ writes, room lookups', () => {
  it('a RoomAccess posted is a door scan judged by the verdict; facts are never edited or deleted', async () => {
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    const open = rooms.find((r) => r.name === 'Auditorium A') ?? rooms[0];
    const posted = await m.post(
      '/api/room-access/',
      { participant: visitor.legacyId, room: open?.id, status: 'denied' },
      controller.access,
    );
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(Object.keys(posted.body).sort()).toEqual(
      [
        'accessed_at',
        'denial_reason',
        'direction',
        'id',
        'participant',
        'participant_name',
        'room',
        'room_name',
        'session',
        'session_title',
        'status',
        'verified_by',
        'verified_by_name',
      ].sort(),
    );
    expect(posted.body.participant).toBe(visitor.legacyId);
    expect(['granted', 'denied']).toContain(posted.body.status);
    // The same fact reaches the door devices.
    const device = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken);
    expect((await device.pullAll('scans')).docs.some((d) => d.id === posted.body.id)).toBe(true);
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const r = await t.request(method, `/api/room-access/${posted.body.id}/`, {
        token: controller.access,
        body: { status: 'granted' },
      });
      expect(r.status).toBe(405);
      expect(r.body).toEqual({ detail: `Method "${method}" not allowed.` });
    }
    const bad = await m.post('/api/room-access/', { room: open?.id }, controller.access);
    expect(bad.body).toEqual({ participant: ['This field is required.'] });
    const participant = await m.login(DEMO_ACCOUNTS.participant);
    expect(
      (await m.post('/api/room-access/', { participant: visitor.legacyId, room: open?.id }, participant.access)).status,
    ).toBe(403);

    // Who came in through that door (plain list, as the original).
    const inside = await m.get(`/api/rooms/${open?.id}/participants/`, organizer.access);
    expect(inside.status).toBe(200);
    expect(Array.isArray(inside.body)).toBe(true);
    if (posted.body.status === 'granted')
      expect(inside.body.map((x: { id: number }) => x.id)).toContain(visitor.legacyId);
  });

  it('rooms/{id}/scan_participant/ answers paid and free items and writes nothing', async () => {
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    const room = rooms[0] as { id: string; name: string };
    const before = await t.services.db
      .selectFrom('scans')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    const r = await m.post(
      `/api/rooms/${room.id}/scan_participant/`,
      { qr_data: String(visitor.userLegacyId) },
      controller.access,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'success', room: { id: room.id, name: room.name }, has_access: true });
    expect(Object.keys(r.body).sort()).toEqual(
      [
        'event',
        'free_items',
        'has_access',
        'paid_items',
        'participant',
        'room',
        'status',
        'total_free_items',
        'total_paid_items',
      ].sort(),
    );
    expect(r.body.total_free_items).toBe(r.body.free_items.length);
    const after = await t.services.db
      .selectFrom('scans')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
    expect((await m.post(`/api/rooms/${room.id}/scan_participant/`, {}, controller.access)).body).toEqual({
      status: 'invalid',
      message: 'QR data is required',
    });
    expect(
      (await m.post(`/api/rooms/${room.id}/scan_participant/`, { qr_data: '987654' }, controller.access)).status,
    ).toBe(404);
  });
});

describe('a room door through the app: verify_access (§4.3) and the room statistics (§5.3)', () => {
  it('every row of §4.3 on our verdict: 402 for an unpaid workshop, 200 once access is given; statistics count them', async () => {
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    const room = await m.post(
      '/api/rooms/',
      { event: DEMO_EVENT_ID, name: 'Salle atelier test', capacity: 20, is_active: true },
      organizer.access,
    );
    expect(room.status, JSON.stringify(room.body)).toBe(201);
    const now = Date.now();
    const workshop = await m.post(
      '/api/sessions/',
      {
        event: DEMO_EVENT_ID,
        room: room.body.id,
        title: 'Atelier échographie',
        description: null,
        start_time: new Date(now - 10 * 60_000).toISOString(),
        end_time: new Date(now + 50 * 60_000).toISOString(),
        speaker_name: null,
        is_paid: true,
        price: '2000.00',
      },
      organizer.access,
    );
    expect(workshop.status, JSON.stringify(workshop.body)).toBe(201);
    const elsewhere = (await m.get('/api/sessions/', organizer.access)).body.results.find(
      (x: { room: string }) => x.room !== room.body.id,
    );
    const url = `/api/rooms/${room.body.id}/verify_access/`;
    const qr = JSON.stringify({ user_id: visitor.userLegacyId });
    const rows: [Record<string, unknown>, number, Record<string, unknown>][] = [
      [{}, 400, { status: 'invalid', message: 'QR data is required' }],
      [{ qr_data: qr, session_id: elsewhere.id }, 400, { status: 'invalid', message: 'Session is not in this room' }],
      [
        { qr_data: qr, session_id: '0193a000-0000-7000-8000-0000000000ff' },
        404,
        { status: 'invalid', message: 'Session not found' },
      ],
      [{ qr_data: '{"user_id": 987654}' }, 404, { status: 'invalid', message: 'Invalid QR code - user not found' }],
      [{ qr_data: 'not a badge' }, 400, { status: 'invalid', message: 'Invalid QR code format' }],
    ];
    for (const [body, status, expected] of rows) {
      const r = await m.post(url, body, controller.access);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject(expected);
    }
    const unpaid = await m.post(url, { qr_data: qr, session_id: workshop.body.id }, controller.access);
    expect(unpaid.status).toBe(402);
    expect(unpaid.body).toMatchObject({
      status: 'denied',
      message: 'Payment required for this session',
      participant: { id: String(visitor.legacyId) },
      session: { id: workshop.body.id, title: 'Atelier échographie', price: '2000.00' },
    });
    const given = await m.post(
      '/api/session-access/',
      {
        participant: visitor.legacyId,
        session: workshop.body.id,
        has_access: true,
        payment_status: 'paid',
        amount_paid: '2000.00',
      },
      organizer.access,
    );
    expect(given.status).toBe(201);
    const granted = await m.post(url, { qr_data: qr, session_id: workshop.body.id }, controller.access);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({
      status: 'granted',
      message: 'Access granted successfully',
      session: { id: workshop.body.id, room: 'Salle atelier test' },
      access: { id: expect.any(String), accessed_at: expect.any(String) },
    });
    const participant = await m.login(DEMO_ACCOUNTS.participant);
    expect((await m.post(url, { qr_data: qr }, participant.access)).status).toBe(403);

    const stats = await m.get(`/api/rooms/${room.body.id}/statistics/`, organizer.access);
    expect(stats.status).toBe(200);
    expect(stats.body.room).toEqual({ id: room.body.id, name: 'Salle atelier test', capacity: 20 });
    // Every attempt at the door is a fact: the unknown badge (404) and the unpaid workshop (402).
    expect(stats.body.statistics).toMatchObject({ granted: 1, denied: 2, unique_participants: 1 });
    expect(stats.body.recent_scans[0]).toMatchObject({ status: 'granted', session: 'Atelier échographie' });
    const refused = await m.get(`/api/rooms/${room.body.id}/statistics/`, participant.access);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ detail: 'You do not have permission to view statistics for this room.' });
  });
});

describe('older builds and moderators', () => {
  it('POST exposant-scans/ records a visit from ids, for the caller’s stand', async () => {
    const exhibitor = await m.login(DEMO_ACCOUNTS.exhibitor);
    const r = await m.post(
      '/api/exposant-scans/',
      { exposant: 1, scanned_participant: visitor.legacyId, event: DEMO_EVENT_ID, notes: 'Vu au salon' },
      exhibitor.access,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ scanned_participant: visitor.legacyId, event: DEMO_EVENT_ID, notes: 'Vu au salon' });
    const mine = await m.get(`/api/exposant-scans/my_scans/?event_id=${DEMO_EVENT_ID}`, exhibitor.access);
    expect(mine.body.scans.map((s: { id: number }) => s.id)).toContain(r.body.id);
    expect((await m.post('/api/exposant-scans/', { event: DEMO_EVENT_ID }, exhibitor.access)).body).toEqual({
      scanned_participant: ['This field is required.'],
    });
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    expect(
      (
        await m.post(
          '/api/exposant-scans/',
          { scanned_participant: visitor.legacyId, event: DEMO_EVENT_ID },
          controller.access,
        )
      ).status,
    ).toBe(403);
  });

  it('a moderator edits a question (PATCH session-questions/{id}/); a participant may not', async () => {
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const session = (await m.get('/api/sessions/', p.access)).body.results[0];
    const asked = await m.post(
      '/api/session-questions/',
      { session: session.id, question_text: 'Et le dosage ?' },
      p.access,
    );
    expect(asked.status).toBe(201);
    const manager = await m.login(DEMO_ACCOUNTS.manager);
    const edited = await m.patch(
      `/api/session-questions/${asked.body.id}/`,
      { question_text: 'Et le dosage chez l’enfant ?', is_answered: true },
      manager.access,
    );
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      question_text: 'Et le dosage chez l’enfant ?',
      is_answered: true,
      answered_by: expect.any(Number),
    });
    expect(
      (await m.patch(`/api/session-questions/${asked.body.id}/`, { question_text: ' ' }, manager.access)).status,
    ).toBe(400);
    expect((await m.patch(`/api/session-questions/${asked.body.id}/`, { is_answered: false }, p.access)).status).toBe(
      403,
    );
  });
});

describe('participants/ writes (Participant → our registrations)', () => {
  it('an organizer registers an account by user_id and a new person by email, edits and removes them; devices get each change', async () => {
    const device = syncDevice(t, organizer.access);
    const { seq } = await device.pullAll('participants');
    const byUser = await m.post('/api/participants/', { user_id: newcomer.legacyId }, organizer.access);
    expect(byUser.status, JSON.stringify(byUser.body)).toBe(201);
    expect(byUser.body).toMatchObject({
      id: expect.any(Number),
      user: { id: newcomer.legacyId, email: 'newcomer@example.com', first_name: 'Nouveau', last_name: 'Venu' },
      badge_id: expect.stringMatching(/^USER-\d+-[0-9A-F]{8}$/),
      role: 'participant',
      registered_events: [{ id: DEMO_EVENT_ID, name: expect.any(String) }],
      events_count: 1,
    });
    const byEmail = await m.post(
      '/api/participants/',
      {
        event_id: DEMO_EVENT_ID,
        email: 'Walk.In@Example.com',
        first_name: 'Walid',
        last_name: 'Inscrit',
        metadata: { allowed_rooms: [(rooms[0] as { id: string }).id] },
      },
      organizer.access,
    );
    expect(byEmail.status, JSON.stringify(byEmail.body)).toBe(201);
    expect(byEmail.body.user).toMatchObject({ email: 'walk.in@example.com', first_name: 'Walid' });
    // A placeholder account, claimed when its owner signs up (as the console's registrations).
    const placeholder = await t.services.db
      .selectFrom('users')
      .select('passwordHash')
      .where('email', '=', 'walk.in@example.com')
      .executeTakeFirstOrThrow();
    expect(placeholder.passwordHash).toBeNull();

    // The organizer's devices (the PWA) receive both registrations by sync.
    const pulled = (await device.pullAll('participants', seq)).docs;
    const synced = pulled.find((d) => d.legacyId === byEmail.body.id);
    expect(synced).toMatchObject({
      firstName: 'Walid',
      lastName: 'Inscrit',
      // The registration keeps the address as typed; its account's is lower case.
      email: 'Walk.In@Example.com',
      allowedRoomIds: [(rooms[0] as { id: string }).id],
      deleted: false,
    });
    expect(pulled.some((d) => d.legacyId === byUser.body.id && d.userLegacyId === newcomer.legacyId)).toBe(true);

    const patched = await m.patch(
      `/api/participants/${byEmail.body.id}/`,
      { last_name: 'Inscrite', organization: 'CHU Oran', metadata: { allowed_rooms: null } },
      organizer.access,
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    // `user` is the linked account (its own names); the registration's names are what we edited.
    expect(patched.body).toMatchObject({ id: byEmail.body.id, user: { email: 'walk.in@example.com' } });
    const put = await t.request('PUT', `/api/participants/${byEmail.body.id}/`, {
      token: organizer.access,
      body: { first_name: 'Walida' },
    });
    expect(put.status).toBe(200);
    const afterEdit = (await device.pullAll('participants', seq)).docs.find((d) => d.legacyId === byEmail.body.id);
    expect(afterEdit).toMatchObject({
      firstName: 'Walida',
      lastName: 'Inscrite',
      organization: 'CHU Oran',
      allowedRoomIds: null,
    });

    expect((await m.delete(`/api/participants/${byEmail.body.id}/`, undefined, organizer.access)).status).toBe(204);
    expect((await m.get(`/api/participants/${byEmail.body.id}/`, organizer.access)).status).toBe(404);
    const gone = (await device.pullAll('participants', seq)).docs.find((d) => d.legacyId === byEmail.body.id);
    expect(gone?.deleted).toBe(true);
    expect(await auditOf('participants', String(synced?.id))).toEqual([
      { action: 'create', via: 'mobile' },
      { action: 'update', via: 'mobile' },
      { action: 'update', via: 'mobile' },
      { action: 'delete', via: 'mobile' },
    ]);
  });

  it('every refusal in DRF shapes, never a 500, nothing written', async () => {
    const controller = await m.login(DEMO_ACCOUNTS.controller);
    const other = await secondEvent(t, { name: 'Journées D' });
    const manager = await t.services.db
      .selectFrom('users')
      .select('legacyId')
      .where('email', '=', DEMO_ACCOUNTS.participant)
      .executeTakeFirstOrThrow();
    const foreignRoom = await t.services.db
      .selectFrom('rooms')
      .select('id')
      .where('eventId', '!=', DEMO_EVENT_ID)
      .executeTakeFirst();
    const before = await t.services.db
      .selectFrom('participants')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const cases: [unknown, string, number, Record<string, unknown>][] = [
      [{}, organizer.access, 400, { first_name: ['This field is required.'] }],
      [{ first_name: 'A', email: 'not-an-email' }, organizer.access, 400, { email: expect.any(Array) }],
      [{ user_id: 999999 }, organizer.access, 400, { user_id: ['Invalid pk "999999" - object does not exist.'] }],
      [{ user_id: 'abc' }, organizer.access, 400, { user_id: expect.any(Array) }],
      // Already registered in this event (one registration per person and event).
      [
        { user_id: manager.legacyId },
        organizer.access,
        400,
        { user_id: ['participant with this user already exists.'] },
      ],
      [
        { first_name: 'A', metadata: { allowed_rooms: [foreignRoom?.id ?? '0193a000-0000-7000-8000-0000000000ff'] } },
        organizer.access,
        400,
        { 'metadata.allowed_rooms': expect.any(Array) },
      ],
      [
        { first_name: 'A', event_id: other },
        organizer.access,
        403,
        { detail: expect.stringContaining('switch event') },
      ],
      // Permission before the body: a badge controller reads participants but may not register them.
      [{ first_name: 'A' }, controller.access, 403, { detail: 'You do not have permission to perform this action.' }],
      [
        { user_id: 'abc', email: 5 },
        controller.access,
        403,
        { detail: 'You do not have permission to perform this action.' },
      ],
    ];
    for (const [body, token, status, expected] of cases) {
      const r = await m.post('/api/participants/', body, token);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body, JSON.stringify(body)).toEqual(expected);
    }
    const mine = await m.get(`/api/participants/?user_id=${manager.legacyId}`, organizer.access);
    const id = mine.body.results[0].id;
    const linked = await m.patch(`/api/participants/${id}/`, { email: 'someone.else@example.com' }, organizer.access);
    expect(linked.status).toBe(400);
    expect(Object.keys(linked.body)).toEqual(['email']);
    const moved = await m.patch(`/api/participants/${id}/`, { user_id: newcomer.legacyId }, organizer.access);
    expect(moved.status).toBe(400);
    expect(Object.keys(moved.body)).toEqual(['user_id']);
    const blank = await m.patch(`/api/participants/${id}/`, { first_name: null }, organizer.access);
    expect(blank.status).toBe(400);
    expect(Object.keys(blank.body)).toEqual(['first_name']);
    expect((await m.patch(`/api/participants/${id}/`, { first_name: 'X' }, controller.access)).status).toBe(403);
    expect((await m.delete(`/api/participants/${id}/`, undefined, controller.access)).status).toBe(403);
    expect((await m.patch('/api/participants/abc/', {}, organizer.access)).status).toBe(404);
    expect((await m.delete('/api/participants/999999/', undefined, organizer.access)).status).toBe(404);
    expect((await m.post('/api/participants/', { first_name: 'A' })).status).toBe(401);
    const after = await t.services.db
      .selectFrom('participants')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    // Only secondEvent() registered people (the demo participant in event D).
    expect(Number(after.n) - Number(before.n)).toBe(0);
  });
});

describe('dashboard/stats/ (older home screens)', () => {
  it('the roles of the original’s branches and statistics readers get the figures; a participant 403', async () => {
    const expectedShape = (role: string) => ({
      role,
      event: { id: DEMO_EVENT_ID, name: expect.any(String), status: expect.any(String) },
      total_participants: expect.any(Number),
      total_rooms: expect.any(Number),
    });
    for (const [email, role] of [
      [DEMO_ACCOUNTS.organizer, 'event_owner'],
      [DEMO_ACCOUNTS.manager, 'gestionnaire_des_salles'],
      [DEMO_ACCOUNTS.controller, 'controlleur_des_badges'],
      [DEMO_ACCOUNTS.exhibitor, 'exposant'],
    ] as const) {
      const r = await m.get('/api/dashboard/stats/', (await m.login(email)).access);
      expect(r.status, email).toBe(200);
      expect(r.body).toEqual(expectedShape(role));
    }
    const p = await m.get('/api/dashboard/stats/', (await m.login(DEMO_ACCOUNTS.participant)).access);
    expect(p.status).toBe(403);
    expect(p.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    expect((await m.get('/api/dashboard/stats/')).status).toBe(401);
  });
});

// Last: it ends with the demo event deleted.
describe('events/ writes (Event → our events)', () => {
  it('an organizer edits its event; a bad body is DRF 400s; others 403; devices get the change', async () => {
    const device = syncDevice(t, organizer.access);
    const { seq } = await device.pullAll('events');
    const current = (await m.get(`/api/events/${DEMO_EVENT_ID}/`, organizer.access)).body;
    const patched = await m.patch(
      `/api/events/${DEMO_EVENT_ID}/`,
      { name: 'Congrès (modifié depuis l’app)', location: 'Oran', primary_color: '#123ABC', description: null },
      organizer.access,
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      id: DEMO_EVENT_ID,
      name: 'Congrès (modifié depuis l’app)',
      location: 'Oran',
      primary_color: '#123ABC',
      description: '',
      start_date: current.start_date,
    });
    const synced = (await device.pullAll('events', seq)).docs.find((d) => d.id === DEMO_EVENT_ID);
    expect(synced).toMatchObject({ name: 'Congrès (modifié depuis l’app)', venue: 'Oran', primaryColor: '#123ABC' });

    const rows: [unknown, Record<string, unknown>][] = [
      [{ end_date: '2000-01-01T00:00:00+01:00' }, { end_date: ['must be after startsAt'] }],
      [{ start_date: 'tomorrow' }, { start_date: expect.any(Array) }],
      [{ primary_color: 'violet' }, { primary_color: expect.any(Array) }],
      [{ status: 'finished' }, { status: expect.any(Array) }],
      [{ name: '' }, { name: expect.any(Array) }],
      [{ location_url: 'not a url' }, { location_url: expect.any(Array) }],
    ];
    for (const [body, expected] of rows) {
      const r = await m.patch(`/api/events/${DEMO_EVENT_ID}/`, body, organizer.access);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body, JSON.stringify(body)).toEqual(expected);
    }
    const manager = await m.login(DEMO_ACCOUNTS.manager);
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const r = await t.request(method, `/api/events/${DEMO_EVENT_ID}/`, {
        token: manager.access,
        body: { name: 'x' },
      });
      expect(r.status, method).toBe(403);
      expect(r.body).toEqual({ detail: 'You do not have permission to perform this action.' });
    }
    const other = await secondEvent(t, { name: 'Journées E' });
    expect((await m.patch(`/api/events/${other}/`, { name: 'x' }, organizer.access)).status).toBe(404);
    expect((await m.patch('/api/events/zzz/', { name: 'x' }, organizer.access)).status).toBe(404);
  });

  it('POST events/: an organizer creates one (becoming its organizer); a participant may not', async () => {
    const start = new Date(Date.now() + 90 * 86_400_000);
    const body = {
      name: 'Journées créées depuis l’app',
      description: 'Deux jours',
      start_date: start.toISOString(),
      end_date: new Date(start.getTime() + 2 * 86_400_000).toISOString(),
      location: 'Constantine',
      primary_color: '#00897B',
      payment_link: 'https://pay.example.org/x',
    };
    const created = await m.post('/api/events/', body, organizer.access);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      name: body.name,
      location: 'Constantine',
      primary_color: '#00897B',
      status: 'upcoming',
    });
    const mine = await m.get('/api/auth/my-events/', organizer.access);
    expect(mine.body.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: created.body.id, role: 'event_owner' })]),
    );
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const refused = await m.post('/api/events/', body, p.access);
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.body)).toEqual(['detail']);
    // Permission before the body.
    expect((await m.post('/api/events/', { name: 5 }, p.access)).status).toBe(403);
    const missing = await m.post('/api/events/', { name: 'Sans dates' }, organizer.access);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ start_date: ['This field is required.'], end_date: ['This field is required.'] });
  });

  it('DELETE events/{id}/ keeps our rule: refused while it has sales, unless completed or cancelled', async () => {
    const { db } = t.services;
    const registerId = (await db.selectFrom('cashRegisters').select('id').executeTakeFirstOrThrow()).id;
    const item = await db
      .selectFrom('payableItems')
      .selectAll()
      .where('eventId', '=', DEMO_EVENT_ID)
      .executeTakeFirstOrThrow();
    const cashier = syncDevice(t, (await t.login(DEMO_ACCOUNTS.cashier)).accessToken);
    const sale = saleDoc(DEMO_EVENT_ID, cashier.deviceId, registerId, visitor.participantId, 7001, [
      { id: item.id, name: item.name, priceMinor: item.priceMinor, sessionId: item.sessionId },
    ]);
    expect((await cashier.push('transactions', [{ newDocumentState: sale }])).status).toBe(200);

    const refused = await m.delete(`/api/events/${DEMO_EVENT_ID}/`, undefined, organizer.access);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ non_field_errors: [expect.stringContaining('sale')] });
    expect((await m.get(`/api/events/${DEMO_EVENT_ID}/`, organizer.access)).status).toBe(200);

    const archived = await m.patch(`/api/events/${DEMO_EVENT_ID}/`, { status: 'completed' }, organizer.access);
    expect(archived.status).toBe(200);
    const device = syncDevice(t, organizer.access);
    const { seq } = await device.pullAll('events');
    expect((await m.delete(`/api/events/${DEMO_EVENT_ID}/`, undefined, organizer.access)).status).toBe(204);
    const gone = await db.selectFrom('events').select('deleted').where('id', '=', DEMO_EVENT_ID).executeTakeFirst();
    expect(gone?.deleted).toBe(true);
    expect(await auditOf('events', DEMO_EVENT_ID)).toEqual(
      expect.arrayContaining([
        { action: 'update', via: 'mobile' },
        { action: 'delete', via: 'mobile' },
      ]),
    );
    expect(seq).toBeGreaterThan(0);
  });
});
