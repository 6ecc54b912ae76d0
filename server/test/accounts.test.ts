import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import type { RecordingMailer } from '../src/mail/mailer';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ demo: true });
});
afterAll(() => t?.close());

describe('accounts', () => {
  it('signs in a person with one event straight into it', async () => {
    const s = await t.login(DEMO_ACCOUNTS.organizer);
    expect(s.event.id).toBe(DEMO_EVENT_ID);
    expect(s.role).toBe('organizer');
    expect(s.requiresEventSelection).toBe(false);
  });

  it('refuses a wrong password without saying whether the email exists', async () => {
    const a = await t.request('POST', '/api/v1/auth/login', {
      body: { email: DEMO_ACCOUNTS.organizer, password: 'nope' },
    });
    const b = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'nobody@example.com', password: 'nope' },
    });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.message).toBe(b.body.message);
  });

  it('rejects a login with missing fields, naming them', async () => {
    const r = await t.request('POST', '/api/v1/auth/login', { body: { email: 'x@example.com' } });
    expect(r.status).toBe(400);
    expect(r.body.fields.map((f: { field: string }) => f.field)).toContain('body.password');
  });

  it('rotates refresh tokens and revokes the family when a spent one is replayed', async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const first = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect(first.status).toBe(200);
    const replay = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect(replay.status).toBe(401);
    // The token issued by the legitimate rotation is now revoked too.
    const next = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(next.status).toBe(401);
  });

  it('logout revokes the refresh token', async () => {
    const s = await t.login(DEMO_ACCOUNTS.manager);
    expect((await t.request('POST', '/api/v1/auth/logout', { body: { refreshToken: s.refreshToken } })).status).toBe(
      204,
    );
    expect((await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(
      401,
    );
  });

  it('a cash register signs in with its own login, bound to its event', async () => {
    const s = await t.login(DEMO_ACCOUNTS.cashier);
    expect(s.subject).toBe('cash_register');
    expect(s.role).toBe('cashier');
    expect(s.event.id).toBe(DEMO_EVENT_ID);
  });

  it('me needs a valid token', async () => {
    expect((await t.request('GET', '/api/v1/auth/me')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/me', { token: 'garbage' })).status).toBe(401);
    const s = await t.login(DEMO_ACCOUNTS.participant);
    const me = await t.request('GET', '/api/v1/auth/me', { token: s.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(DEMO_ACCOUNTS.participant);
    expect(me.body.events[0].role).toBe('participant');
  });
  it('registers an account, refusing weak passwords and taken emails; a placeholder is claimed with the mailed link', async () => {
    const weak = await t.request('POST', '/api/v1/auth/register', {
      body: { email: 'new@example.com', password: 'short1', firstName: 'New' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.fields[0].field).toBe('body.password');
    const common = await t.request('POST', '/api/v1/auth/register', {
      body: { email: 'new@example.com', password: 'password123', firstName: 'New' },
    });
    expect(common.status).toBe(400);
    const ok = await t.request('POST', '/api/v1/auth/register', {
      body: { email: 'New@Example.com', password: 'a-good-pass-42', firstName: 'New' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.user.email).toBe('new@example.com');
    expect(ok.body.user.badgeCode).toMatch(/^MKPL1\./);
    expect(
      (
        await t.request('POST', '/api/v1/auth/register', {
          body: { email: 'new@example.com', password: 'a-good-pass-42', firstName: 'Again' },
        })
      ).status,
    ).toBe(409);
    // A participant of the demo (a placeholder account made by the seed) claims it by registering,
    // with the link mailed to its address (register-claim.test.ts covers the cases).
    const placeholder = await t.services.db
      .selectFrom('participants')
      .select(['email', 'userId'])
      .where('email', '!=', DEMO_ACCOUNTS.participant)
      .where('email', '!=', '')
      .executeTakeFirstOrThrow();
    const withoutLink = await t.request('POST', '/api/v1/auth/register', {
      body: { email: placeholder.email, password: 'claimed-pass-77', firstName: 'Claimed' },
    });
    expect(withoutLink.status).toBe(403);
    const mail = (t.app.mailer as RecordingMailer).lastTo(placeholder.email);
    const invitation = /invitation=([\w.-]+)/.exec(mail?.text ?? '')?.[1];
    const claimed = await t.request('POST', '/api/v1/auth/register', {
      body: { email: placeholder.email, password: 'claimed-pass-77', firstName: 'Claimed', invitation },
    });
    expect(claimed.status).toBe(201);
    expect(claimed.body.user.id).toBe(placeholder.userId);
    expect(claimed.body.event.id).toBe(DEMO_EVENT_ID);
    expect(claimed.body.role).toBe('participant');
  });

  it('changing the password ends the other sessions and needs the current password', async () => {
    await t.request('POST', '/api/v1/auth/register', {
      body: { email: 'changer@example.com', password: 'first-pass-123', firstName: 'Changer' },
    });
    const a = await t.login('changer@example.com', 'first-pass-123');
    const b = await t.login('changer@example.com', 'first-pass-123');
    const wrong = await t.request('POST', '/api/v1/auth/change-password', {
      token: a.accessToken,
      body: { currentPassword: 'nope', newPassword: 'second-pass-456' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields[0].field).toBe('currentPassword');
    const ok = await t.request('POST', '/api/v1/auth/change-password', {
      token: a.accessToken,
      body: { currentPassword: 'first-pass-123', newPassword: 'second-pass-456' },
    });
    expect(ok.status).toBe(204);
    expect((await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: b.refreshToken } })).status).toBe(
      401,
    );
    expect(
      (
        await t.request('POST', '/api/v1/auth/login', {
          body: { email: 'changer@example.com', password: 'first-pass-123' },
        })
      ).status,
    ).toBe(401);
    await t.login('changer@example.com', 'second-pass-456');
  });

  it('a person with several events chooses one: tokens are then bound to it', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    await t.services.db
      .updateTable('users')
      .set({ isPlatformAdmin: true })
      .where('email', '=', DEMO_ACCOUNTS.organizer)
      .execute();
    const second = await t.request('POST', '/api/v1/events', {
      token: org.accessToken,
      body: {
        name: 'Second event',
        startsAt: new Date(Date.now() + 86400e3).toISOString(),
        endsAt: new Date(Date.now() + 2 * 86400e3).toISOString(),
      },
    });
    expect(second.status).toBe(201);
    const login = await t.login(DEMO_ACCOUNTS.organizer);
    expect(login.requiresEventSelection).toBe(true);
    expect(login.event).toBeNull();
    expect(login.events.map((e: { id: string }) => e.id).sort()).toEqual([DEMO_EVENT_ID, second.body.id].sort());
    // A token not yet bound to an event opens the events the person belongs to.
    expect((await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/rooms`, { token: login.accessToken })).status).toBe(
      200,
    );
    const mine = await t.request('GET', '/api/v1/auth/my-events', { token: login.accessToken });
    expect(mine.body.count).toBe(2);
    const chosen = await t.request('POST', '/api/v1/auth/select-event', {
      token: login.accessToken,
      body: { eventId: second.body.id },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.event.id).toBe(second.body.id);
    // Bound to the second event: the demo event is refused with this token.
    expect(
      (await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/rooms`, { token: chosen.body.accessToken })).status,
    ).toBe(403);
    expect(
      (await t.request('GET', `/api/v1/events/${second.body.id}`, { token: chosen.body.accessToken })).status,
    ).toBe(200);
    const refreshed = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: chosen.body.refreshToken },
    });
    const claims = JSON.parse(Buffer.from(refreshed.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.event_id).toBe(second.body.id);
    const notMine = await t.request('POST', '/api/v1/auth/select-event', {
      token: login.accessToken,
      body: { eventId: '01a20000-0000-7000-8000-000000000000' },
    });
    expect(notMine.status).toBe(404);
    const participant = await t.login(DEMO_ACCOUNTS.participant);
    expect(
      (
        await t.request('POST', '/api/v1/auth/select-event', {
          token: participant.accessToken,
          body: { eventId: second.body.id },
        })
      ).status,
    ).toBe(403);
  });
});

describe('login rate limit', () => {
  it('answers 429 with a clear code and a retry hint after too many attempts', async () => {
    const limited = await startTestApp({ config: { rateLimitLoginPerMinute: 3 } });
    try {
      const attempt = () =>
        limited.request('POST', '/api/v1/auth/login', { body: { email: 'someone@example.com', password: 'wrong' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
      const r = await attempt();
      expect(r.status).toBe(429);
      expect(r.body.error).toBe('rate_limited');
      expect(r.body.message).toMatch(/retry in \d+ (second|minute)/);
      expect(r.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});
