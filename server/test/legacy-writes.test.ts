import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { demoEventRunning, mobile, secondEvent } from './support/legacyFixtures';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * The original's server-side REST writes (contract §2.1 "S" rows: user assignments, room
 * assignments, session access, room access, exhibitor scans, questions, room lookups), each through
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

  it('dashboard/stats/ (older home screens)', async () => {
    const r = await m.get('/api/dashboard/stats/', organizer.access);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      role: 'event_owner',
      event: { id: DEMO_EVENT_ID, name: expect.any(String), status: expect.any(String) },
      total_participants: expect.any(Number),
      total_rooms: expect.any(Number),
    });
    expect((await m.get('/api/dashboard/stats/')).status).toBe(401);
  });
});
