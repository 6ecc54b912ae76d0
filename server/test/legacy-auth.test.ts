import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/accounts/passwords';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import type { RecordingMailer } from '../src/mail/mailer';
import { mobile, secondEvent } from './support/legacyFixtures';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * The mobile app's sign-in, replayed in the order its screens call it (contract §3), with the
 * acceptance cases of §7.1 and §7.2 and every error row of the §3 tables.
 */
let t: TestApp;
let m: ReturnType<typeof mobile>;
let eventB: string;
type Reply = Awaited<ReturnType<TestApp['request']>>;
const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
const codeFrom = (email: string) => {
  const text = (t.app.mailer as RecordingMailer).lastTo(email)?.text ?? '';
  return /(\d{6})/.exec(text)?.[1] ?? '';
};

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 5 });
  m = mobile(t);
});
afterAll(() => t?.close());

describe('login with one event (§3.2 b, §7.2 #23, §7.1 #17-18)', () => {
  let r: Reply;
  it('#17, #23: a participant with one event gets tokens, role participant, the compact event, the qr_code and an event_id claim', async () => {
    r = await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.participant, password: 'makeplus-demo' });
    expect(r.status).toBe(200);
    expect(r.body.requires_event_selection).toBeUndefined();
    expect(r.body.role).toBe('participant');
    expect(r.body.event.id).toBe(DEMO_EVENT_ID);
    expect(Object.keys(r.body.event).sort()).toEqual(
      [
        'banner',
        'description',
        'end_date',
        'guide_file',
        'id',
        'location',
        'logo',
        'name',
        'primary_color',
        'programme_file',
        'start_date',
        'status',
      ].sort(),
    );
    // Media fields are absolute URLs the app can load as they are (the demo has a programme and a guide).
    expect(r.body.event.programme_file).toMatch(/^https?:\/\/[^/]+\/api\/v1\/files\/[0-9a-f-]+$/);
    expect(r.body.event.guide_file).toMatch(/^https?:\/\/[^/]+\/api\/v1\/files\/[0-9a-f-]+$/);
    expect(Number.isInteger(r.body.user.id)).toBe(true);
    expect(r.body.qr_code.user_id).toBe(r.body.user.id);
    expect(r.body.qr_code.badge_id).toMatch(/^USER-\d+-[0-9A-F]{8}$/);
    expect(typeof r.body.qr_code.participant_id).toBe('string');
    const claims = decode(r.body.access);
    expect(claims).toMatchObject({ token_type: 'access', user_id: r.body.user.id, event_id: DEMO_EVENT_ID });
    expect(claims.jti).toMatch(/^[0-9a-f]{32}$/);
  });

  it('#18: the event_id claim survives a refresh; the refresh token rotates and a replay is refused', async () => {
    const refreshed = await m.post('/api/auth/token/refresh/', { refresh: r.body.refresh });
    expect(refreshed.status).toBe(200);
    expect(decode(refreshed.body.access).event_id).toBe(DEMO_EVENT_ID);
    expect(refreshed.body.refresh).not.toBe(r.body.refresh);
    const replay = await m.post('/api/auth/token/refresh/', { refresh: r.body.refresh });
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
  });

  it('the staff roles are the exact legacy strings', async () => {
    const roles: Record<string, string> = {};
    for (const who of ['organizer', 'manager', 'controller', 'exhibitor'] as const)
      roles[who] = (await m.login(DEMO_ACCOUNTS[who])).role;
    expect(roles).toEqual({
      organizer: 'event_owner',
      manager: 'gestionnaire_des_salles',
      controller: 'controlleur_des_badges',
      exhibitor: 'exposant',
    });
  });

  it('the slash-less path works too, and answers are never cached (§10.1)', async () => {
    const r = await m.post('/api/auth/token', { email: DEMO_ACCOUNTS.controller, password: 'makeplus-demo' });
    expect(r.status).toBe(200);
    const a = await m.get('/api/auth/me/', r.body.access);
    expect(a.headers['cache-control']).toContain('no-store');
    const anonymous = await m.get('/api/auth/me/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' });
  });
});

describe('login errors (§3.2, §7.4 #59)', () => {
  it('missing fields are DRF field errors', async () => {
    const r = await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.participant });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ password: ['This field is required.'] });
    const empty = await m.post('/api/auth/token/', {});
    expect(Object.keys(empty.body).sort()).toEqual(['email', 'password']);
  });
  it('unknown email and wrong password: 400 non_field_errors (same message: no account enumeration)', async () => {
    const unknown = await m.post('/api/auth/token/', { email: 'nobody@example.com', password: 'x' });
    const wrong = await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.participant, password: 'wrong-password' });
    for (const r of [unknown, wrong]) {
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ non_field_errors: ['No active account found with the given credentials'] });
    }
  });
  it('a cash register login is not a mobile account', async () => {
    const r = await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.cashier, password: 'makeplus-demo' });
    expect(r.status).toBe(400);
    expect(r.body.non_field_errors).toHaveLength(1);
  });
  it('#60: a user with no event logs in with role participant, event null and no event_id', async () => {
    const reg = await m.post('/api/auth/signup/request/', {
      email: 'lonely@example.com',
      first_name: 'Solo',
      last_name: 'User',
      password: 'solo-password-42',
    });
    expect(reg.status).toBe(200);
    const v = await m.post('/api/auth/signup/verify/', {
      email: 'lonely@example.com',
      code: codeFrom('lonely@example.com'),
    });
    expect(v.status).toBe(201);
    const r = await m.post('/api/auth/token/', { email: 'lonely@example.com', password: 'solo-password-42' });
    expect(r.status).toBe(200);
    expect(r.body.role).toBe('participant');
    expect(r.body.event).toBeNull();
    expect(decode(r.body.access).event_id).toBeUndefined();
    expect(Object.keys(r.body.qr_code).sort()).toEqual([
      'badge_id',
      'email',
      'first_name',
      'full_name',
      'last_name',
      'user_id',
    ]);
  });
});

describe('several events: temp token, select, switch, my-events (§3.5, §7.2 #24-31)', () => {
  let temp: string;
  beforeAll(async () => {
    eventB = await secondEvent(t, { controller: true });
  });

  it('#24: two registrations give requires_event_selection, a temp token and no tokens', async () => {
    const r = await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.participant, password: 'makeplus-demo' });
    expect(r.status).toBe(200);
    expect(r.body.requires_event_selection).toBe(true);
    expect(r.body.temp_token).toBeTruthy();
    expect(r.body.access).toBeUndefined();
    expect(r.body.refresh).toBeUndefined();
    expect(r.body.available_events.map((e: { id: string }) => e.id).sort()).toEqual([DEMO_EVENT_ID, eventB].sort());
    expect(r.body.user.email).toBe(DEMO_ACCOUNTS.participant);
    temp = r.body.temp_token;
  });

  it('#25: a staff role in two events gets the selection flow too', async () => {
    const r = await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.controller, password: 'makeplus-demo' });
    expect(r.body.requires_event_selection).toBe(true);
  });

  it('#28: select-event without, with a garbage or an empty bearer is 401', async () => {
    const none = await t.request('POST', '/api/auth/select-event/', { body: { event_id: eventB } });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ detail: 'Temporary token required.' });
    const garbage = await t.request('POST', '/api/auth/select-event/', {
      body: { event_id: eventB },
      headers: { authorization: 'Bearer garbage' },
    });
    expect(garbage.status).toBe(401);
    expect(garbage.body).toEqual({ detail: 'Invalid or expired selection token. Please log in again.' });
    const empty = await t.request('POST', '/api/auth/select-event/', {
      body: { event_id: eventB },
      headers: { authorization: 'Bearer ' },
    });
    expect(empty.status).toBe(401);
  });

  it('select-event errors: missing, malformed, unknown and foreign events', async () => {
    const h = { authorization: `Bearer ${temp}` };
    const missing = await t.request('POST', '/api/auth/select-event/', { body: {}, headers: h });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ detail: 'event_id is required.' });
    const malformed = await t.request('POST', '/api/auth/select-event/', { body: { event_id: 'nope' }, headers: h });
    expect(malformed.status).toBe(404);
    expect(malformed.body).toEqual({ detail: 'Event not found.' });
    const unknown = await t.request('POST', '/api/auth/select-event/', {
      body: { event_id: '0193a000-0000-7000-8000-000000000001' },
      headers: h,
    });
    expect(unknown.status).toBe(404);
    // #27: an event the person is not attached to.
    const third = await secondEvent(t, { name: 'Autre événement' });
    await t.services.db.deleteFrom('participants').where('eventId', '=', third).execute();
    const foreign = await t.request('POST', '/api/auth/select-event/', { body: { event_id: third }, headers: h });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({ detail: 'You do not have access to this event.' });
  });

  let selected: Reply;
  let switched: Reply;
  it('#26: select-event B with the temp token: event B, role participant, event_id B', async () => {
    selected = await t.request('POST', '/api/auth/select-event/', {
      body: { event_id: eventB },
      headers: { authorization: `Bearer ${temp}` },
    });
    expect(selected.status).toBe(200);
    expect(selected.body.event.id).toBe(eventB);
    expect(selected.body.role).toBe('participant');
    expect(decode(selected.body.access).event_id).toBe(eventB);
    // The event in scope is the token's: /auth/me/ returns the selected event.
    const me = await m.get('/api/auth/me/', selected.body.access);
    expect(me.body.event.id).toBe(eventB);
  });

  it('#29: the temp token is no access token', async () => {
    const asAccess = await m.get('/api/auth/me/', temp);
    expect([401, 403]).toContain(asAccess.status);
  });

  it('#30: switch-event to the other event with the access token', async () => {
    switched = await m.post('/api/auth/switch-event/', { event_id: DEMO_EVENT_ID }, selected.body.access);
    expect(switched.status).toBe(200);
    expect(switched.body.event.id).toBe(DEMO_EVENT_ID);
    expect(decode(switched.body.access).event_id).toBe(DEMO_EVENT_ID);
    const badSwitch = await m.post('/api/auth/switch-event/', {}, selected.body.access);
    expect(badSwitch.status).toBe(400);
    expect(badSwitch.body).toEqual({ detail: 'event_id is required.' });
  });

  it('#31: my-events lists both, role participant, the current one marked', async () => {
    const mine = await m.get('/api/auth/my-events/', switched.body.access);
    expect(mine.status).toBe(200);
    expect(mine.body.count).toBe(2);
    expect(mine.body.current_event_id).toBe(DEMO_EVENT_ID);
    expect(mine.body.events.map((e: { id: string }) => e.id).sort()).toEqual([DEMO_EVENT_ID, eventB].sort());
    expect(mine.body.events.every((e: { role: string }) => e.role === 'participant')).toBe(true);
    expect(mine.body.events.find((e: { id: string }) => e.id === DEMO_EVENT_ID).is_current).toBe(true);
  });
});

describe('/auth/me/ (§3.6, §7.4 #61)', () => {
  it('a plain participant: role null, event of the token, participant with registered events', async () => {
    const s = await m.login(DEMO_ACCOUNTS.exhibitor);
    const me = await m.get('/api/auth/me/', s.access);
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('exposant');
    expect(me.body.participant).toBeNull();
    const c = await t.request('POST', '/api/auth/token/', {
      body: { email: DEMO_ACCOUNTS.participant, password: 'makeplus-demo' },
    });
    const sel = await t.request('POST', '/api/auth/select-event/', {
      body: { event_id: DEMO_EVENT_ID },
      headers: { authorization: `Bearer ${c.body.temp_token}` },
    });
    const pme = await m.get('/api/auth/me/', sel.body.access);
    expect(pme.body.role).toBeNull();
    expect(pme.body.event.id).toBe(DEMO_EVENT_ID);
    expect(pme.body.participant.registered_events).toHaveLength(2);
    expect(typeof pme.body.participant.id).toBe('string');
    expect(pme.body.participant.qr_code_data.paid_items).toEqual([]);
  });

  it('PATCH names, with the French errors; export; DELETE anonymises', async () => {
    await m.post('/api/auth/signup/request/', {
      email: 'temp.user@example.com',
      first_name: 'Tem',
      last_name: 'P',
      password: 'temporary-pass-9',
    });
    await m.post('/api/auth/signup/verify/', {
      email: 'temp.user@example.com',
      code: codeFrom('temp.user@example.com'),
    });
    const s = await m.login('temp.user@example.com', 'temporary-pass-9');
    const blank = await m.patch('/api/auth/me/', { first_name: '  ' }, s.access);
    expect(blank.status).toBe(400);
    expect(blank.body).toEqual({ error: 'Le prénom ne peut pas être vide.' });
    const long = await m.patch('/api/auth/me/', { last_name: 'x'.repeat(151) }, s.access);
    expect(long.body).toEqual({ error: 'Le nom est trop long.' });
    const ok = await m.patch('/api/auth/me/', { first_name: 'Temo' }, s.access);
    expect(ok.body).toEqual(expect.objectContaining({ first_name: 'Temo', full_name: 'Temo P' }));
    const exp = await m.get('/api/auth/me/export/', s.access);
    expect(Object.keys(exp.body).sort()).toEqual(
      ['account', 'event_assignment', 'exported_at', 'participant', 'questions_asked', 'registered_events'].sort(),
    );
    const wrong = await m.delete('/api/auth/me/', { password: 'nope' }, s.access);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'Mot de passe incorrect.' });
    const del = await m.delete('/api/auth/me/', { password: 'temporary-pass-9' }, s.access);
    expect(del.body).toEqual({ message: 'Compte supprimé avec succès.' });
    expect((await m.post('/api/auth/token/refresh/', { refresh: s.refresh })).status).toBe(401);
    expect(
      (await m.post('/api/auth/token/', { email: 'temp.user@example.com', password: 'temporary-pass-9' })).status,
    ).toBe(400);
  });

  it('DELETE anonymises the registrations too, as our own API does (one service)', async () => {
    const { db } = t.services;
    const person = await db
      .selectFrom('users')
      .innerJoin('participants', 'participants.userId', 'users.id')
      .select(['users.id', 'users.email', 'participants.id as participantId'])
      .where('users.passwordHash', 'is', null)
      .where('users.email', 'like', '%@demo.makeplus.local')
      .orderBy('users.legacyId', 'desc')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('users')
      .set({ passwordHash: await hashPassword('leaving-soon-42') })
      .where('id', '=', person.id)
      .execute();
    const s = await m.login(person.email, 'leaving-soon-42');
    const del = await m.delete('/api/auth/me/', { password: 'leaving-soon-42' }, s.access);
    expect(del.body).toEqual({ message: 'Compte supprimé avec succès.' });
    const registration = await db
      .selectFrom('participants')
      .selectAll()
      .where('id', '=', person.participantId)
      .executeTakeFirstOrThrow();
    expect(registration).toMatchObject({ firstName: 'Compte supprimé', lastName: '', email: '', phone: '' });
    const audit = await db
      .selectFrom('auditLog')
      .select(['via'])
      .where('collection', '=', 'participants')
      .where('recordId', '=', person.participantId)
      .execute();
    expect(audit.map((a) => a.via)).toContain('mobile');
  });

  it('token verify and logout', async () => {
    const s = await m.login(DEMO_ACCOUNTS.manager);
    expect((await m.post('/api/auth/token/verify/', { token: s.access })).body).toEqual({});
    const bad = await m.post('/api/auth/token/verify/', { token: 'x.y.z' });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('token_not_valid');
    expect((await m.post('/api/auth/logout/', { refresh: s.refresh }, s.access)).status).toBe(200);
    expect((await m.post('/api/auth/token/refresh/', { refresh: s.refresh })).status).toBe(401);
  });
});

describe('signup and password reset (§3.7, §7.1 #1, #3, #7-16)', () => {
  it('#1, #3: a garbage bearer does not stop the public views', async () => {
    const h = { authorization: 'Bearer not-a-real-token' };
    const a = await t.request('POST', '/api/auth/signup/request/', {
      body: { email: 'fresh@example.com', first_name: 'F', last_name: 'R', password: 'fresh-password-1' },
      headers: h,
    });
    expect(a.status).not.toBe(401);
    const b = await t.request('POST', '/api/auth/password-reset/request/', {
      body: { email: DEMO_ACCOUNTS.manager, new_password: 'another-pass-77' },
      headers: h,
    });
    expect(b.status).not.toBe(401);
  });

  it('#7: an email with a real account cannot sign up', async () => {
    const r = await m.post('/api/auth/signup/request/', {
      email: DEMO_ACCOUNTS.manager,
      first_name: 'X',
      last_name: 'Y',
      password: 'whatever-pass-1',
    });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ success: false, message: 'Cet email est déjà utilisé par un compte existant' });
  });

  describe('a placeholder account (a registered attendee) is claimed', () => {
    /** A registered attendee nobody has claimed yet (an account without a password), its own per test. */
    const unclaimed = async (email: string) => {
      const user = await t.services.accounts.createUser(t.services.db, {
        email,
        firstName: 'Inscrit',
        lastName: 'Au salon',
        passwordHash: null,
      });
      return { email, legacyId: user.legacyId };
    };
    it('#8: signing up with the email of a placeholder account is accepted (a code is sent)', async () => {
      const placeholder = await unclaimed('placeholder.eight@example.com');
      const r = await m.post('/api/auth/signup/request/', {
        email: placeholder.email,
        first_name: 'Claimed',
        last_name: 'Owner',
        password: 'claimed-pass-12',
      });
      expect(r.status).toBe(200);
      expect(r.body.success).toBe(true);
      expect(codeFrom(placeholder.email)).toMatch(/^\d{6}$/);
    });
    it('#9: verify claims it: same user, names and usable password, still one account, no event_id', async () => {
      const placeholder = await t.services.db
        .selectFrom('users')
        .select(['email', 'legacyId'])
        .where('passwordHash', 'is', null)
        .where('email', 'like', '%@demo.makeplus.local')
        .executeTakeFirstOrThrow();
      const r = await m.post('/api/auth/signup/request/', {
        email: placeholder.email,
        first_name: 'Claimed',
        last_name: 'Owner',
        password: 'claimed-pass-12',
      });
      expect(r.status).toBe(200);
      const v = await m.post('/api/auth/signup/verify/', {
        email: placeholder.email,
        code: codeFrom(placeholder.email),
      });
      expect(v.status).toBe(201);
      expect(v.body.user).toMatchObject({ id: placeholder.legacyId, first_name: 'Claimed', last_name: 'Owner' });
      expect(decode(v.body.access).event_id).toBeUndefined();
      const users = await t.services.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', placeholder.email)
        .execute();
      expect(users).toHaveLength(1);
      const login = await m.login(placeholder.email, 'claimed-pass-12');
      expect(login.role).toBe('participant');
      expect(login.event?.id).toBe(DEMO_EVENT_ID);
    });
  });

  it('signup errors: weak password, wrong code, resend cooldown', async () => {
    const weak = await m.post('/api/auth/signup/request/', {
      email: 'weak@example.com',
      first_name: 'W',
      last_name: 'K',
      password: '1234',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.success).toBe(false);
    const missing = await m.post('/api/auth/signup/request/', { email: 'weak@example.com' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('first_name');
    await m.post('/api/auth/signup/request/', {
      email: 'cool@example.com',
      first_name: 'C',
      last_name: 'D',
      password: 'cooldown-pass-1',
    });
    const resend = await m.post('/api/auth/signup/resend/', {
      email: 'cool@example.com',
      first_name: 'C',
      last_name: 'D',
      password: 'cooldown-pass-1',
    });
    expect(resend.status).toBe(400);
    expect(resend.body.wait_seconds).toBeGreaterThan(0);
    const wrong = await m.post('/api/auth/signup/verify/', { email: 'cool@example.com', code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ success: false, message: 'Code invalide ou expiré' });
  });

  describe('password reset', () => {
    it('#10: an unknown email has no account', async () => {
      const unknown = await m.post('/api/auth/password-reset/request/', {
        email: 'ghost@example.com',
        new_password: 'ghost-pass-123',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ success: false, message: 'Aucun compte trouvé avec cet email' });
    });
    it('#11: a placeholder account cannot reset either', async () => {
      await t.services.accounts.createUser(t.services.db, {
        email: 'placeholder.eleven@example.com',
        firstName: 'Pas',
        lastName: 'Réclamé',
        passwordHash: null,
      });
      const ph = await m.post('/api/auth/password-reset/request/', {
        email: 'placeholder.eleven@example.com',
        new_password: 'ghost-pass-123',
      });
      expect(ph.status).toBe(400);
      expect(ph.body).toEqual({ success: false, message: 'Aucun compte trouvé avec cet email' });
      expect(codeFrom('placeholder.eleven@example.com')).toBe('');
    });
    it('#12: a weak new password is refused', async () => {
      const weak = await m.post('/api/auth/password-reset/request/', {
        email: DEMO_ACCOUNTS.exhibitor,
        new_password: '1234',
      });
      expect(weak.status).toBe(400);
      expect(weak.body.success).toBe(false);
    });
    it('#13: a real account with a strong password gets a code', async () => {
      const ok = await m.post('/api/auth/password-reset/request/', {
        email: DEMO_ACCOUNTS.exhibitor,
        new_password: 'brand-new-pass-5',
      });
      expect(ok.body).toEqual({ success: true, message: 'Code de vérification envoyé à votre email' });
      expect(codeFrom(DEMO_ACCOUNTS.exhibitor)).toMatch(/^\d{6}$/);
    });
    it('#15: a wrong code (000000) fails', async () => {
      const bad = await m.post('/api/auth/password-reset/verify/', { email: DEMO_ACCOUNTS.exhibitor, code: '000000' });
      expect(bad.status).toBe(400);
      expect(bad.body.success).toBe(false);
    });
    it('#14: the right code applies the new password; the old one no longer works', async () => {
      const good = await m.post('/api/auth/password-reset/verify/', {
        email: DEMO_ACCOUNTS.exhibitor,
        code: codeFrom(DEMO_ACCOUNTS.exhibitor),
      });
      expect(good.body).toEqual({ success: true, message: 'Mot de passe réinitialisé avec succès' });
      expect(
        (await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.exhibitor, password: 'makeplus-demo' })).status,
      ).toBe(400);
      expect(
        (await m.post('/api/auth/token/', { email: DEMO_ACCOUNTS.exhibitor, password: 'brand-new-pass-5' })).status,
      ).toBe(200);
    });
    it('#16: a successful reset revokes the refresh tokens issued before it', async () => {
      const email = 'reset.sixteen@example.com';
      await t.services.accounts.createUser(t.services.db, {
        email,
        firstName: 'Seize',
        lastName: 'Reset',
        passwordHash: await hashPassword('before-reset-16'),
      });
      const first = await m.login(email, 'before-reset-16');
      const second = await m.login(email, 'before-reset-16');
      // A refresh token rotated before the reset is revoked as well as one never used.
      const rotated = await m.post('/api/auth/token/refresh/', { refresh: first.refresh });
      expect(rotated.status).toBe(200);
      const asked = await m.post('/api/auth/password-reset/request/', { email, new_password: 'after-reset-1616' });
      expect(asked.body.success).toBe(true);
      const done = await m.post('/api/auth/password-reset/verify/', { email, code: codeFrom(email) });
      expect(done.body).toEqual({ success: true, message: 'Mot de passe réinitialisé avec succès' });
      for (const refresh of [rotated.body.refresh, second.refresh]) {
        const r = await m.post('/api/auth/token/refresh/', { refresh });
        expect(r.status).toBe(401);
        expect(r.body.code).toBe('token_not_valid');
      }
      // A sign-in after the reset gets tokens that refresh.
      const after = await m.login(email, 'after-reset-1616');
      expect((await m.post('/api/auth/token/refresh/', { refresh: after.refresh })).status).toBe(200);
    });
  });
});
