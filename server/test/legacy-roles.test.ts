import { newId } from '@makeplus/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { insertRecord, systemContext } from '../src/sync/recordStore';
import { demoEventRunning, mobile, secondEvent } from './support/legacyFixtures';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * Each role's screens, replayed in the order the Flutter app calls them, against the real app
 * (contract §2, §4, §5), with the error rows of the contract's tables.
 */
let t: TestApp;
let m: ReturnType<typeof mobile>;
let visitor: { legacyId: number; legacyBadgeId: string; id: string; email: string };
let stranger: { legacyId: number; legacyBadgeId: string };

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 6 });
  m = mobile(t);
  await demoEventRunning(t);
  visitor = await t.services.db
    .selectFrom('users')
    .select(['legacyId', 'legacyBadgeId', 'id', 'email'])
    .where('email', '=', DEMO_ACCOUNTS.participant)
    .executeTakeFirstOrThrow();
  // An account registered in no event.
  const other = await t.services.accounts.createUser(t.services.db, {
    email: 'stranger@example.com',
    firstName: 'Not',
    lastName: 'Here',
    passwordHash: null,
  });
  stranger = other;
});
afterAll(() => t?.close());

describe('badge controller: scan (plain id, JSON, badge id) and statistics (§4.1, §5.1, §7.4 #62)', () => {
  it('#62: accepts a plain-id and a JSON QR (and a badge id, §10.4) and answers with the fields the app parses', async () => {
    const c = await m.login(DEMO_ACCOUNTS.controller);
    for (const qr of [
      String(visitor.legacyId),
      JSON.stringify({ user_id: visitor.legacyId, email: visitor.email }),
      visitor.legacyBadgeId,
    ]) {
      const r = await m.post('/api/participants/scan/', { qr_data: qr }, c.access);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(
        ['event', 'has_access', 'paid_items', 'participant', 'status', 'total_amount', 'total_paid_items'].sort(),
      );
      expect(r.body.status).toBe('success');
      expect(Object.keys(r.body.participant).sort()).toEqual(['badge_id', 'email', 'id', 'name']);
      expect(typeof r.body.participant.id).toBe('string');
      expect(r.body.event).toEqual({ id: DEMO_EVENT_ID, name: expect.any(String) });
      expect(r.body.has_access).toBe(true);
    }
    // Older builds send the JSON object itself.
    const obj = await m.post('/api/participants/scan/', { qr_data: { user_id: visitor.legacyId } }, c.access);
    expect(obj.status).toBe(200);
  });

  it('every error row of §4.1', async () => {
    const c = await m.login(DEMO_ACCOUNTS.controller);
    const cases: [unknown, number, Record<string, unknown>][] = [
      [undefined, 400, { status: 'invalid', message: 'QR data is required' }],
      ['', 400, { status: 'invalid', message: 'QR data is required' }],
      ['{"email":"x@y.z"}', 400, { status: 'invalid', message: 'Invalid QR code format - user_id missing' }],
      ['hello world', 400, { status: 'invalid', message: 'Invalid QR code format' }],
      ['987654', 404, { status: 'invalid', message: 'Invalid QR code - user not found' }],
      [String(stranger.legacyId), 403, { status: 'error', message: 'Participant not registered for this event' }],
      [stranger.legacyBadgeId, 403, { status: 'error', message: 'Participant not registered for this event' }],
    ];
    for (const [qr, status, body] of cases) {
      const r = await m.post('/api/participants/scan/', qr === undefined ? {} : { qr_data: qr }, c.access);
      expect(r.status, String(qr)).toBe(status);
      expect(r.body).toMatchObject(body);
    }
    const notRegistered = await m.post('/api/participants/scan/', { qr_data: String(stranger.legacyId) }, c.access);
    expect(notRegistered.body.event.id).toBe(DEMO_EVENT_ID);
    expect(notRegistered.body.participant.name).toBe('Not Here');
    // A participant may not scan badges (our permission), and no token is DRF's 401.
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const refused = await m.post('/api/participants/scan/', { qr_data: String(visitor.legacyId) }, p.access);
    expect(refused.status).toBe(403);
    expect(refused.body.status).toBe('error');
    expect((await m.post('/api/participants/scan/', { qr_data: '1' })).status).toBe(401);
  });

  it("#62: the scans drive statistics: this controller's scans today, not_registered ones included, newest first", async () => {
    const c = await m.login(DEMO_ACCOUNTS.controller);
    const r = await m.get('/api/my-room/statistics/', c.access);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(
      [
        'event',
        'my_check_ins_today',
        'recent_scans',
        'role',
        'successful_scans_today',
        'total_rooms',
        'total_sessions_today',
      ].sort(),
    );
    // 4 granted + 1 object + 2 refused for a known person + 1 unknown user (unreadable codes are not scans).
    expect(r.body.my_check_ins_today).toBe(8);
    expect(r.body.successful_scans_today).toBe(4);
    expect(r.body.role).toBe('controlleur_des_badges');
    const first = r.body.recent_scans[0];
    expect(Object.keys(first).sort()).toEqual(
      ['error_message', 'id', 'participant', 'scanned_at', 'status', 'total_amount', 'total_paid_items'].sort(),
    );
    expect(Object.keys(first.participant).sort()).toEqual(['badge_id', 'email', 'name', 'user_id']);
    expect(r.body.recent_scans.some((s: { status: string }) => s.status === 'not_registered')).toBe(true);
    const ok = r.body.recent_scans.find((s: { status: string }) => s.status === 'success');
    expect(ok.participant.email).toBe(DEMO_ACCOUNTS.participant);
    expect(ok.error_message).toBeNull();
    // A plain participant has no staff assignment.
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const none = await m.get('/api/my-room/statistics/', p.access);
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ error: 'No active event assignment found' });
  });

  it('paid items come from live entitlements: a cancelled sale (revoked entitlement) no longer counts (§10.7)', async () => {
    const { db } = t.services;
    const participant = await db
      .selectFrom('participants')
      .selectAll()
      .where('eventId', '=', DEMO_EVENT_ID)
      .where('userId', '=', visitor.id)
      .executeTakeFirstOrThrow();
    const item = await db
      .selectFrom('payableItems')
      .selectAll()
      .where('eventId', '=', DEMO_EVENT_ID)
      .where('kind', '=', 'session')
      .executeTakeFirstOrThrow();
    const dinner = await db
      .selectFrom('payableItems')
      .selectAll()
      .where('eventId', '=', DEMO_EVENT_ID)
      .where('kind', '=', 'dinner')
      .executeTakeFirstOrThrow();
    await db.transaction().execute(async (trx) => {
      for (const [it, revoked] of [
        [item, false],
        [dinner, true],
      ] as const)
        await insertRecord(
          trx,
          'entitlements',
          DEMO_EVENT_ID,
          {
            id: newId(),
            participantId: participant.id,
            payableItemId: it.id,
            sessionId: it.sessionId,
            status: 'paid',
            amountMinor: it.priceMinor,
            source: 'manual',
            transactionId: null,
            revoked,
          },
          systemContext,
        );
    });
    const c = await m.login(DEMO_ACCOUNTS.controller);
    const r = await m.post('/api/participants/scan/', { qr_data: String(visitor.legacyId) }, c.access);
    expect(r.body.total_paid_items).toBe(1);
    expect(r.body.total_amount).toBe(item.priceMinor / 100);
    const [paid] = r.body.paid_items;
    expect(paid).toMatchObject({
      type: 'session',
      id: item.sessionId,
      is_paid: true,
      payment_status: 'paid',
      has_access: true,
    });
    expect(Object.keys(paid.session_details).sort()).toEqual(['end_time', 'room', 'room_id', 'start_time']);
    // The same through the participant's own screens: /auth/me/ qr_code and /my-ateliers/.
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const me = await m.get('/api/auth/me/', p.access);
    expect(me.body.qr_code.paid_items).toHaveLength(1);
    const ateliers = await m.get('/api/my-ateliers/', p.access);
    expect(ateliers.body.count).toBe(1);
    expect(ateliers.body.results[0]).toMatchObject({
      payment_status: 'paid',
      amount_paid: (item.priceMinor / 100).toFixed(2),
    });
  });
});

describe('exhibitor: scan a visitor, my_scans, Excel export (§4.2, §5.2)', () => {
  it('looks the visitor up, records the visit (201) and lists it', async () => {
    const e = await m.login(DEMO_ACCOUNTS.exhibitor);
    const lookup = await m.get(`/api/participants/?user_id=${visitor.legacyId}`, e.access);
    expect(lookup.status).toBe(200);
    expect(lookup.body.results[0].user.email).toBe(DEMO_ACCOUNTS.participant);
    expect((await m.get('/api/participants/', e.access)).status).toBe(403);
    const r = await m.post(
      '/api/exposant-scans/scan_participant/',
      { qr_data: String(visitor.legacyId), event_id: DEMO_EVENT_ID, notes: 'Intéressé par l’échographe' },
      e.access,
    );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('success');
    expect(r.body.message).toBe('Booth visit recorded successfully');
    expect(Object.keys(r.body.scan).sort()).toEqual(
      [
        'event',
        'event_name',
        'exposant',
        'exposant_name',
        'id',
        'notes',
        'scanned_at',
        'scanned_participant',
        'scanned_participant_badge',
        'scanned_participant_email',
        'scanned_participant_name',
      ].sort(),
    );
    expect(Number.isInteger(r.body.scan.id)).toBe(true);
    const again = await m.post(
      '/api/exposant-scans/scan_participant/',
      { qr_data: visitor.legacyBadgeId, event_id: DEMO_EVENT_ID, notes: null },
      e.access,
    );
    expect(again.status).toBe(201);
    expect(again.body.scan.notes).toBeNull();
    // One lead per stand and visitor, one fact per scan: the records the exhibitor's PWA syncs.
    const leads = await t.services.db.selectFrom('leads').selectAll().where('eventId', '=', DEMO_EVENT_ID).execute();
    expect(leads).toHaveLength(1);
    const mine = await m.get(`/api/exposant-scans/my_scans/?event_id=${DEMO_EVENT_ID}`, e.access);
    expect(mine.body.total_visits).toBe(2);
    expect(mine.body.today_visits).toBe(2);
    expect(mine.body.scans[0].id).toBe(again.body.scan.id);
    const list = await m.get('/api/exposant-scans/', e.access);
    expect(list.body.count).toBe(2);
    expect((await m.get(`/api/exposant-scans/${r.body.scan.id}/`, e.access)).body.notes).toBe(
      'Intéressé par l’échographe',
    );
  });

  it('every error row of §4.2 and §5.2', async () => {
    const e = await m.login(DEMO_ACCOUNTS.exhibitor);
    const scan = (body: unknown) => m.post('/api/exposant-scans/scan_participant/', body, e.access);
    const cases: [unknown, number, string][] = [
      [{ event_id: DEMO_EVENT_ID }, 400, 'qr_data is required'],
      [{ qr_data: '1' }, 400, 'event_id is required'],
      [{ qr_data: '{"x":1}', event_id: DEMO_EVENT_ID }, 400, 'Invalid QR code format - user_id missing'],
      [{ qr_data: 'garbage', event_id: DEMO_EVENT_ID }, 400, 'Invalid QR code format'],
      [{ qr_data: '1', event_id: 'not-a-uuid' }, 404, 'Event not found'],
      [{ qr_data: '1', event_id: '0193a000-0000-7000-8000-000000000abc' }, 404, 'Event not found'],
      [{ qr_data: '987654', event_id: DEMO_EVENT_ID }, 404, 'Participant not found'],
      [
        { qr_data: String(stranger.legacyId), event_id: DEMO_EVENT_ID },
        403,
        'Scanned participant not registered for this event',
      ],
    ];
    for (const [body, status, error] of cases) {
      const r = await scan(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toEqual({ error });
    }
    expect((await m.get('/api/exposant-scans/my_scans/', e.access)).body).toEqual({ error: 'event_id is required' });
    const c = await m.login(DEMO_ACCOUNTS.controller);
    const notExhibitor = await m.post(
      '/api/exposant-scans/scan_participant/',
      { qr_data: '1', event_id: DEMO_EVENT_ID },
      c.access,
    );
    expect(notExhibitor.status).toBe(403);
    expect(Object.keys(notExhibitor.body)).toEqual(['error']);
    const o = await m.login(DEMO_ACCOUNTS.organizer);
    expect((await m.get(`/api/exposant-scans/my_scans/?event_id=${DEMO_EVENT_ID}`, o.access)).body).toEqual({
      error: 'Exposant participant record not found',
    });
  });

  it('export_excel is a real .xlsx with every visit', async () => {
    const e = await m.login(DEMO_ACCOUNTS.exhibitor);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/exposant-scans/export_excel/',
      headers: { authorization: `Bearer ${e.access}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['x-filename'])).toMatch(/\.xlsx$/);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const visits = wb.getWorksheet('Visites');
    expect(visits?.rowCount).toBe(3);
    expect(visits?.getRow(2).getCell(4).value).toBe(DEMO_ACCOUNTS.participant);
    expect(wb.getWorksheet('Résumé')).toBeTruthy();
    const share = await t.app.inject({
      method: 'GET',
      url: '/api/exposant-scans/export_excel/?action=share',
      headers: { authorization: `Bearer ${e.access}` },
    });
    expect(String(share.headers['content-disposition'])).toMatch(/^inline/);
  });
});

describe('room manager: its room, its sessions, start and end (§2.2 UEA, §7.4 #65)', () => {
  it('#65: finds its room through user-assignments, lists the sessions, starts, ends and cancels one (status and is_live), swaps times', async () => {
    const g = await m.login(DEMO_ACCOUNTS.manager);
    const me = await m.get('/api/auth/me/', g.access);
    const ua = await m.get(`/api/user-assignments/?user=${me.body.id}&event=${DEMO_EVENT_ID}&is_active=true`, g.access);
    expect(ua.status).toBe(200);
    expect(ua.body.results[0].role).toBe('gestionnaire_des_salles');
    const roomId = ua.body.results[0].room_assignment.room_id;
    expect(roomId).toBeTruthy();
    const room = await m.get(`/api/rooms/${roomId}/`, g.access);
    expect(room.body).toMatchObject({ id: roomId, name: 'Auditorium A', event: DEMO_EVENT_ID });
    const sessions = await m.get(`/api/sessions/?event=${DEMO_EVENT_ID}&room=${roomId}`, g.access);
    expect(sessions.body.count).toBeGreaterThan(0);
    expect(sessions.body.results.every((s: { room: string }) => s.room === roomId)).toBe(true);
    const s = sessions.body.results[0];
    expect(s.price).toMatch(/^\d+\.\d{2}$/);
    expect(s.status).toBe('pas_encore');
    const started = await m.post(`/api/sessions/${s.id}/start/`, undefined, g.access);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ id: s.id, status: 'en_cours', is_live: true });
    const ended = await m.post(`/api/sessions/${s.id}/end/`, {}, g.access);
    expect(ended.body).toMatchObject({ status: 'termine', is_live: false });
    const cancelled = await m.post(`/api/sessions/${s.id}/cancel/`, {}, g.access);
    expect(cancelled.body).toMatchObject({ status: 'pas_encore', is_live: false });
    // swap-times exchanges start and end.
    const [a, b] = sessions.body.results;
    const swapped = await m.post('/api/sessions/swap-times/', { session_1_id: a.id, session_2_id: b.id }, g.access);
    expect(swapped.body.success).toBe(true);
    expect(swapped.body.sessions[0]).toMatchObject({ start_time: b.start_time, end_time: b.end_time });
    expect((await m.post('/api/sessions/swap-times/', { session_1_id: a.id }, g.access)).body).toEqual({
      success: false,
      error: 'Both session_1_id and session_2_id are required',
    });
    const other = (await m.get(`/api/sessions/?event=${DEMO_EVENT_ID}`, g.access)).body.results.find(
      (x: { room: string }) => x.room !== roomId,
    );
    const cross = await m.post('/api/sessions/swap-times/', { session_1_id: a.id, session_2_id: other.id }, g.access);
    expect(cross.status).toBe(400);
    expect(cross.body.message).toBe('Cannot swap sessions from different rooms');
    // A participant may not run sessions.
    const p = await m.login(DEMO_ACCOUNTS.participant);
    expect((await m.post(`/api/sessions/${s.id}/start/`, {}, p.access)).status).toBe(403);
    expect((await m.get('/api/sessions/not-a-uuid/', g.access)).status).toBe(404);
  });
});

describe('participant: announcements and questions (§2.4, §7.1 #19-22, §7.4 #66)', () => {
  it('reads the announcements of its audiences only, in this event', async () => {
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const r = await m.get(`/api/annonces/?_t=${Date.now()}`, p.access);
    expect(r.status).toBe(200);
    expect(r.body.results.map((a: { target: string }) => a.target).sort()).toEqual(['all', 'participants']);
    expect(Object.keys(r.body.results[0]).sort()).toEqual(
      [
        'created_at',
        'created_by',
        'created_by_name',
        'description',
        'event',
        'event_name',
        'id',
        'target',
        'title',
        'updated_at',
      ].sort(),
    );
    expect(
      (await m.post('/api/annonces/', { event: DEMO_EVENT_ID, title: 'x', description: 'y', target: 'all' }, p.access))
        .status,
    ).toBe(403);
  });

  let asked: Awaited<ReturnType<typeof m.post>>;
  let sessionId: string;
  it('#19: a participant asks a question: 201, no participant field, the row linked to the participant', async () => {
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const sessions = await m.get(`/api/sessions/?event=${DEMO_EVENT_ID}`, p.access);
    sessionId = sessions.body.results[0].id;
    asked = await m.post(
      '/api/session-questions/',
      { session: sessionId, question_text: 'Quand sort le replay ?' },
      p.access,
    );
    expect(asked.status).toBe(201);
    expect(asked.body).not.toHaveProperty('participant');
    expect(asked.body).not.toHaveProperty('participant_name');
    expect(asked.body).not.toHaveProperty('answered_by_name');
    const row = await t.services.db
      .selectFrom('questions')
      .selectAll()
      .where('legacyId', '=', asked.body.id)
      .executeTakeFirstOrThrow();
    expect(row.participantId).toBeTruthy();
    expect((await m.post('/api/session-questions/', { session: sessionId }, p.access)).body).toHaveProperty(
      'question_text',
    );
    const list = await m.get(`/api/session-questions/?session=${sessionId}`, p.access);
    expect(list.body.results.map((x: { id: number }) => x.id)).toContain(asked.body.id);
  });

  it('#22: a participant (not a room manager) answering gets 403', async () => {
    const p = await m.login(DEMO_ACCOUNTS.participant);
    expect((await m.post(`/api/session-questions/${asked.body.id}/answer/`, {}, p.access)).status).toBe(403);
  });

  it('#21: a room manager answers: 200, answered by them, no participant_name', async () => {
    const g = await m.login(DEMO_ACCOUNTS.manager);
    const answered = await m.post(
      `/api/session-questions/${asked.body.id}/answer/`,
      { answer_text: 'ignored' },
      g.access,
    );
    expect(answered.status).toBe(200);
    expect(answered.body.is_answered).toBe(true);
    expect(answered.body.answered_by).toBe((await m.get('/api/auth/me/', g.access)).body.id);
    expect(answered.body.answered_by_name).toBe('Mourad Gestionnaire');
    expect(answered.body).not.toHaveProperty('participant_name');
  });

  it('#66: the answer is a toggle: a second call clears it; answer_text is ignored', async () => {
    const g = await m.login(DEMO_ACCOUNTS.manager);
    const toggled = await m.post(`/api/session-questions/${asked.body.id}/answer/`, { answer_text: 'x' }, g.access);
    expect(toggled.body).toMatchObject({ is_answered: false, answered_by: null, answered_at: null });
    expect(toggled.body.answer_text).toBe('');
  });

  it('#20: a token for an event the participant is not registered in is 403; no event claim is 400', async () => {
    const p = await m.login(DEMO_ACCOUNTS.participant);
    const session = (await m.get(`/api/sessions/?event=${DEMO_EVENT_ID}`, p.access)).body.results[0].id;
    const elsewhere = await secondEvent(t, { name: 'Sans ce participant' });
    await t.services.db.deleteFrom('participants').where('eventId', '=', elsewhere).execute();
    const forged = t.app.jwt.sign({
      sub: visitor.id,
      kind: 'user',
      token_type: 'access',
      jti: 'x'.repeat(32),
      user_id: visitor.legacyId,
      event_id: elsewhere,
    });
    const r = await m.post('/api/session-questions/', { session, question_text: 'Q' }, forged);
    expect(r.status).toBe(403);
    expect(Object.keys(r.body)).toEqual(['error']);
    const noEvent = t.app.jwt.sign({
      sub: visitor.id,
      kind: 'user',
      token_type: 'access',
      jti: 'y'.repeat(32),
      user_id: visitor.legacyId,
    });
    const n = await m.post('/api/session-questions/', { session, question_text: 'Q' }, noEvent);
    expect(n.status).toBe(400);
    expect(n.body).toEqual({ error: 'No event context found. Please select an event first.' });
    const staff = await m.login(DEMO_ACCOUNTS.controller);
    const s = await m.post('/api/session-questions/', { session, question_text: 'Q' }, staff.access);
    expect(s.body).toEqual({ error: 'Participant is not registered for this event' });
  });
});

describe('organizer: CRUD through the app, synced with our own API (§2.1)', () => {
  it('rooms, sessions (null text fields, decimal price), announcements; the other way round too', async () => {
    const o = await m.login(DEMO_ACCOUNTS.organizer);
    // The app's create-room body has no location (a 400 upstream; optional here).
    const room = await m.post(
      '/api/rooms/',
      { event: DEMO_EVENT_ID, name: 'Salle mobile', capacity: 40, description: 'créée depuis l’app', is_active: true },
      o.access,
    );
    expect(room.status).toBe(201);
    expect(room.body).toMatchObject({ name: 'Salle mobile', capacity: 40, location: '' });
    const dup = await m.post('/api/rooms/', { event: DEMO_EVENT_ID, name: 'Salle mobile', capacity: 40 }, o.access);
    expect(dup.status).toBe(400);
    const invalid = await m.post('/api/rooms/', { event: DEMO_EVENT_ID, capacity: 0 }, o.access);
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body).sort()).toEqual(['capacity', 'name']);
    const body = {
      event: DEMO_EVENT_ID,
      room: room.body.id,
      title: 'Atelier mobile',
      description: null,
      start_time: '2031-05-01T09:00:00+01:00',
      end_time: '2031-05-01T11:00:00+01:00',
      speaker_name: null,
      speaker_title: null,
      theme: null,
      session_type: 'atelier',
      is_paid: true,
      price: '2000.00',
      youtube_live_url: null,
    };
    const created = await m.post('/api/sessions/', body, o.access);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      session_type: 'atelier',
      price: '2000.00',
      description: '',
      status: 'pas_encore',
      is_paid: true,
    });
    // The paid session is sold through its payable item, as if created in the console.
    const item = await t.services.db
      .selectFrom('payableItems')
      .selectAll()
      .where('sessionId', '=', created.body.id)
      .executeTakeFirst();
    expect(item?.priceMinor).toBe(200_000);
    const badTimes = await m.post('/api/sessions/', { ...body, end_time: body.start_time }, o.access);
    expect(badTimes.status).toBe(400);
    expect(badTimes.body).toHaveProperty('end_time');
    const badType = await m.post('/api/sessions/', { ...body, session_type: 'nope' }, o.access);
    expect(badType.body).toEqual({ session_type: ['"nope" is not a valid choice.'] });
    const patched = await m.patch(
      `/api/sessions/${created.body.id}/`,
      { title: 'Atelier mobile (modifié)', description: null },
      o.access,
    );
    expect(patched.body.title).toBe('Atelier mobile (modifié)');
    expect((await t.request('DELETE', `/api/sessions/${created.body.id}/`, { token: o.access })).status).toBe(204);
    expect((await m.get(`/api/sessions/${created.body.id}/`, o.access)).status).toBe(404);

    const ann = await m.post(
      '/api/annonces/',
      { event: DEMO_EVENT_ID, title: 'Pause café', description: 'Salle B, 10 h 30', target: 'exposants' },
      o.access,
    );
    expect(ann.status).toBe(201);
    expect(ann.body).toMatchObject({ target: 'exposants', created_by_name: 'Nadia Organisatrice' });
    expect(
      (await m.post('/api/annonces/', { event: DEMO_EVENT_ID, title: 'x', description: 'y' }, o.access)).body,
    ).toEqual({ target: ['This field is required.'] });
    // Written through the mobile API, read through ours (the PWA's source), and the reverse.
    const v1 = await t.login(DEMO_ACCOUNTS.organizer);
    const ours = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/rooms?pageSize=100`, {
      token: v1.accessToken,
    });
    expect(ours.body.items.map((r: { name: string }) => r.name)).toContain('Salle mobile');
    const audit = await t.services.db
      .selectFrom('auditLog')
      .select(['via', 'collection'])
      .where('via', '=', 'mobile')
      .execute();
    expect(audit.map((a) => a.collection)).toEqual(
      expect.arrayContaining(['rooms', 'sessions', 'announcements', 'scans', 'leads', 'leadScans', 'questions']),
    );
    const e = await m.login(DEMO_ACCOUNTS.exhibitor);
    const seen = await m.get('/api/annonces/', e.access);
    expect(seen.body.results.map((a: { title: string }) => a.title)).toContain('Pause café');
    const upd = await m.patch(`/api/annonces/${ann.body.id}/`, { title: 'Pause café (décalée)' }, o.access);
    expect(upd.body.title).toBe('Pause café (décalée)');
    expect((await t.request('DELETE', `/api/annonces/${ann.body.id}/`, { token: o.access })).status).toBe(204);
    expect((await t.request('DELETE', `/api/rooms/${room.body.id}/`, { token: o.access })).status).toBe(204);
  });

  it('the whole programme from the app, in the order of its screens: event, rooms, sessions, participants; each synced to the PWA, then taken down', async () => {
    const o = await m.login(DEMO_ACCOUNTS.organizer);
    // Events screen: the list, then a new event.
    const before = await m.get('/api/events/', o.access);
    expect(before.status).toBe(200);
    const start = new Date(Date.now() + 120 * 86_400_000);
    const event = await m.post(
      '/api/events/',
      {
        name: 'Salon mobile 2031',
        description: 'Créé depuis l’app',
        start_date: start.toISOString(),
        end_date: new Date(start.getTime() + 2 * 86_400_000).toISOString(),
        location: 'Tlemcen',
        primary_color: '#5E35B1',
      },
      o.access,
    );
    expect(event.status, JSON.stringify(event.body)).toBe(201);
    const eventId = event.body.id as string;
    expect((await m.get('/api/events/', o.access)).body.count).toBe(before.body.count + 1);
    // Into the new event (the token's event is the one every screen works in).
    const switched = await m.post('/api/auth/switch-event/', { event_id: eventId }, o.access);
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    expect(switched.body).toMatchObject({ role: 'event_owner', event: { id: eventId } });
    const token = switched.body.access as string;
    const edited = await m.patch(`/api/events/${eventId}/`, { location_details: 'Palais des congrès' }, token);
    expect(edited.body).toMatchObject({ location_details: 'Palais des congrès', location: 'Tlemcen' });

    // Rooms screen.
    expect((await m.get(`/api/rooms/?event=${eventId}`, token)).body.count).toBe(0);
    const room = await m.post(
      '/api/rooms/',
      { event: eventId, name: 'Amphi 1', capacity: 120, is_active: true },
      token,
    );
    expect(room.status, JSON.stringify(room.body)).toBe(201);
    const resized = await m.patch(`/api/rooms/${room.body.id}/`, { capacity: 150 }, token);
    expect(resized.body).toMatchObject({ id: room.body.id, capacity: 150 });

    // Sessions screen of that room.
    const session = await m.post(
      '/api/sessions/',
      {
        event: eventId,
        room: room.body.id,
        title: 'Ouverture',
        description: null,
        start_time: new Date(start.getTime() + 3_600_000).toISOString(),
        end_time: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
        speaker_name: 'Pr Benali',
        session_type: 'conference',
        is_paid: false,
        price: '0.00',
      },
      token,
    );
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    const listed = await m.get(`/api/sessions/?event=${eventId}&room=${room.body.id}`, token);
    expect(listed.body.results.map((x: { id: string }) => x.id)).toEqual([session.body.id]);
    const retitled = await m.patch(`/api/sessions/${session.body.id}/`, { title: 'Séance d’ouverture' }, token);
    expect(retitled.body.title).toBe('Séance d’ouverture');

    // Participants screen: register one, correct them, look them up.
    const person = await m.post(
      '/api/participants/',
      { event_id: eventId, email: 'visiteur.salon@example.com', first_name: 'Yasmine', last_name: 'Salon' },
      token,
    );
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    const fixed = await m.patch(`/api/participants/${person.body.id}/`, { organization: 'Clinique du Parc' }, token);
    expect(fixed.status).toBe(200);
    const found = await m.get(`/api/participants/?event_id=${eventId}&search=Yasmine`, token);
    expect(found.body.results.map((x: { id: number }) => x.id)).toEqual([person.body.id]);

    // The organizer's PWA on the same event receives every record written from the app.
    const pwa = syncDevice(t, token);
    const pulled = async (c: string) => (await pwa.pullAll(c)).docs;
    expect((await pulled('events')).find((d) => d.id === eventId)).toMatchObject({
      name: 'Salon mobile 2031',
      venue: 'Tlemcen',
      locationDetails: 'Palais des congrès',
    });
    expect((await pulled('rooms')).find((d) => d.id === room.body.id)).toMatchObject({
      name: 'Amphi 1',
      capacity: 150,
    });
    expect((await pulled('sessions')).find((d) => d.id === session.body.id)).toMatchObject({
      title: 'Séance d’ouverture',
      roomId: room.body.id,
    });
    expect((await pulled('participants')).find((d) => d.legacyId === person.body.id)).toMatchObject({
      firstName: 'Yasmine',
      organization: 'Clinique du Parc',
    });

    // Taken down in the reverse order; the deletions reach the PWA too.
    const del = (url: string) => t.request('DELETE', url, { token });
    expect((await del(`/api/participants/${person.body.id}/`)).status).toBe(204);
    expect((await del(`/api/sessions/${session.body.id}/`)).status).toBe(204);
    expect((await del(`/api/rooms/${room.body.id}/`)).status).toBe(204);
    expect((await pulled('participants')).find((d) => d.legacyId === person.body.id)?.deleted).toBe(true);
    expect((await pulled('sessions')).find((d) => d.id === session.body.id)?.deleted).toBe(true);
    expect((await pulled('rooms')).find((d) => d.id === room.body.id)?.deleted).toBe(true);
    // No sale: the event itself may go.
    expect((await del(`/api/events/${eventId}/`)).status).toBe(204);
    expect((await m.get('/api/events/', o.access)).body.count).toBe(before.body.count);
  });

  it('lists paginate as DRF does; bad input is never a 500', async () => {
    const o = await m.login(DEMO_ACCOUNTS.organizer);
    const rooms = await m.get('/api/rooms/?page=1', o.access);
    expect(Object.keys(rooms.body).sort()).toEqual(['count', 'next', 'previous', 'results']);
    expect((await m.get('/api/rooms/?page=99', o.access)).body).toEqual({ detail: 'Invalid page.' });
    for (const url of [
      '/api/rooms/zzz/',
      '/api/annonces/abc/',
      '/api/session-questions/-1/',
      '/api/exposant-scans/9999999999/',
      '/api/events/1/',
    ]) {
      const r = await m.get(url, o.access);
      expect(r.status, url).toBe(404);
      expect(r.body).toEqual({ detail: 'Not found.' });
    }
    const badJson = await t.request('POST', '/api/sessions/', {
      token: o.access,
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.status).toBe(400);
    const wrongTypes = await m.post('/api/sessions/', { event: 5, room: [], title: {}, price: 'abc' }, o.access);
    expect(wrongTypes.status).toBe(400);
    const expired = await m.get('/api/rooms/', 'not.a.token');
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('token_not_valid');
    const stats = await m.get(`/api/events/${DEMO_EVENT_ID}/statistics/`, o.access);
    expect(Object.keys(stats.body).sort()).toEqual(
      [
        'checked_in_count',
        'completed_sessions',
        'live_sessions',
        'total_participants',
        'total_rooms',
        'total_sessions',
      ].sort(),
    );
  });
});
