import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
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
});
