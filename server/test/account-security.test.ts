import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LOCKOUT, IP_LOCKOUT, lockSeconds } from '../src/accounts/lockout';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID, DEMO_PASSWORD } from '../src/demo/seed';
import { startTestApp, type TestApp } from './support/testApp';

// The app's clock: lockouts and TOTP windows are stepped, never waited for.
let now = Date.UTC(2026, 10, 22, 8, 0, 0);
const clock = () => now;
const advance = (seconds: number) => {
  now += seconds * 1000;
};
const totp = (secret: string) => generate({ secret, epoch: Math.floor(now / 1000) });

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 5, clock });
});
afterAll(() => t?.close());

async function register(email: string, password = 'long-enough-pass-42') {
  const r = await t.request('POST', '/api/v1/auth/register', { body: { email, password, firstName: 'Test' } });
  expect(r.status).toBe(201);
  return r.body as { accessToken: string; refreshToken: string };
}

/** Turn 2FA on for a signed-in account; returns the secret and the recovery codes. */
async function enrol(token: string, password: string) {
  const setup = await t.request('POST', '/api/v1/auth/2fa/setup', { token, body: { password } });
  expect(setup.status).toBe(200);
  const secret = setup.body.secret as string;
  const confirm = await t.request('POST', '/api/v1/auth/2fa/confirm', { token, body: { code: await totp(secret) } });
  expect(confirm.status).toBe(200);
  return { secret, recoveryCodes: confirm.body.recoveryCodes as string[] };
}

describe('two-factor authentication', () => {
  it('enrols with a QR URI and a code, then asks for a code at sign-in (never a token before it)', async () => {
    const s = await register('totp@example.com');
    const wrongPassword = await t.request('POST', '/api/v1/auth/2fa/setup', {
      token: s.accessToken,
      body: { password: 'not-my-password-1' },
    });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.fields[0].field).toBe('password');

    const setup = await t.request('POST', '/api/v1/auth/2fa/setup', {
      token: s.accessToken,
      body: { password: 'long-enough-pass-42' },
    });
    expect(setup.status).toBe(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/MakePlus:totp%40example\.com\?secret=[A-Z2-7]+/);
    expect(setup.body).toMatchObject({ period: 30, digits: 6 });
    const secret = setup.body.secret as string;

    const wrong = await t.request('POST', '/api/v1/auth/2fa/confirm', {
      token: s.accessToken,
      body: { code: '000000' },
    });
    expect(wrong.status).toBe(400);
    expect((await t.request('GET', '/api/v1/auth/2fa', { token: s.accessToken })).body.enabled).toBe(false);

    const confirm = await t.request('POST', '/api/v1/auth/2fa/confirm', {
      token: s.accessToken,
      body: { code: await totp(secret) },
    });
    expect(confirm.status).toBe(200);
    const codes = confirm.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Stored hashed: no recovery code and not the list in clear in the database.
    const row = await t.services.db
      .selectFrom('users')
      .select(['totpRecoveryCodes', 'totpEnabled'])
      .where('email', '=', 'totp@example.com')
      .executeTakeFirstOrThrow();
    expect(row.totpEnabled).toBe(true);
    expect(row.totpRecoveryCodes).toHaveLength(10);
    for (const c of codes) expect(JSON.stringify(row.totpRecoveryCodes)).not.toContain(c);
    expect((await t.request('GET', '/api/v1/auth/2fa', { token: s.accessToken })).body).toMatchObject({
      enabled: true,
      recoveryCodesLeft: 10,
    });

    const step1 = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'totp@example.com', password: 'long-enough-pass-42' },
    });
    expect(step1.status).toBe(200);
    expect(step1.body.twoFactorRequired).toBe(true);
    expect(step1.body.accessToken).toBeUndefined();
    expect(step1.body.refreshToken).toBeUndefined();
    // The challenge is no access token.
    expect((await t.request('GET', '/api/v1/auth/me', { token: step1.body.challengeToken })).status).toBe(401);

    // The code used to confirm (same 30-second step) cannot be replayed.
    const replay = await t.request('POST', '/api/v1/auth/login/2fa', {
      body: { challengeToken: step1.body.challengeToken, code: await totp(secret) },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_two_factor_code');

    advance(30);
    const step2 = await t.request('POST', '/api/v1/auth/login/2fa', {
      body: { challengeToken: step1.body.challengeToken, code: await totp(secret) },
    });
    expect(step2.status).toBe(200);
    expect(step2.body.accessToken).toBeTruthy();
    expect(step2.body.user.totpEnabled).toBe(true);

    // A code one step old still works (clock drift); two steps old does not.
    advance(60);
    const previous = await generate({ secret, epoch: Math.floor(now / 1000) - 30 });
    const tooOld = await generate({ secret, epoch: Math.floor(now / 1000) - 60 });
    const withOld = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'totp@example.com', password: 'long-enough-pass-42', totpCode: tooOld },
    });
    expect(withOld.status).toBe(401);
    const withPrevious = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'totp@example.com', password: 'long-enough-pass-42', totpCode: previous },
    });
    // `previous` is the step before the current one, and newer than the last accepted step.
    expect(withPrevious.status).toBe(200);
  });

  it('a recovery code works once; disabling needs the password and a code', async () => {
    const s = await register('recovery@example.com');
    const { secret, recoveryCodes } = await enrol(s.accessToken, 'long-enough-pass-42');
    const challenge = async () =>
      (
        await t.request('POST', '/api/v1/auth/login', {
          body: { email: 'recovery@example.com', password: 'long-enough-pass-42' },
        })
      ).body.challengeToken as string;

    const code = recoveryCodes[3] ?? '';
    const first = await t.request('POST', '/api/v1/auth/login/2fa', {
      body: { challengeToken: await challenge(), code: code.toUpperCase() },
    });
    expect(first.status).toBe(200);
    const again = await t.request('POST', '/api/v1/auth/login/2fa', {
      body: { challengeToken: await challenge(), code },
    });
    expect(again.status).toBe(401);
    expect((await t.request('GET', '/api/v1/auth/2fa', { token: first.body.accessToken })).body.recoveryCodesLeft).toBe(
      9,
    );

    const noCode = await t.request('POST', '/api/v1/auth/2fa/disable', {
      token: first.body.accessToken,
      body: { password: 'long-enough-pass-42', code: '123456' },
    });
    expect(noCode.status).toBe(400);
    advance(30);
    const badPassword = await t.request('POST', '/api/v1/auth/2fa/disable', {
      token: first.body.accessToken,
      body: { password: 'wrong-password-99', code: await totp(secret) },
    });
    expect(badPassword.status).toBe(400);
    const off = await t.request('POST', '/api/v1/auth/2fa/disable', {
      token: first.body.accessToken,
      body: { password: 'long-enough-pass-42', code: await totp(secret) },
    });
    expect(off.status).toBe(204);
    const plain = await t.login('recovery@example.com', 'long-enough-pass-42');
    expect(plain.accessToken).toBeTruthy();
  });
});

describe('progressive lockout', () => {
  it('locks after 5 failures for 1 minute, doubling, and says when to come back', async () => {
    await register('locked@example.com');
    const attempt = (password: string) =>
      t.request('POST', '/api/v1/auth/login', { body: { email: 'locked@example.com', password } });
    for (let i = 0; i < 4; i++) expect((await attempt('wrong-password-1')).status).toBe(401);
    const fifth = await attempt('wrong-password-1');
    expect(fifth.status).toBe(429);
    expect(fifth.body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 60 });
    expect(fifth.headers['retry-after']).toBe('60');
    expect(fifth.body.message).toMatch(/réessayez dans 60 s/);

    // Even the right password waits.
    advance(30);
    const meanwhile = await attempt('long-enough-pass-42');
    expect(meanwhile.status).toBe(429);
    expect(meanwhile.body.retryAfterSeconds).toBe(30);

    advance(31);
    const sixth = await attempt('wrong-password-1');
    expect(sixth.status).toBe(429);
    expect(sixth.body.retryAfterSeconds).toBe(120);

    advance(121);
    expect((await attempt('long-enough-pass-42')).status).toBe(200);
    // A success clears the count: the next mistake is a plain 401.
    expect((await attempt('wrong-password-1')).status).toBe(401);

    const history = await t.request('GET', '/api/v1/auth/login-history', {
      token: (await t.login('locked@example.com', 'long-enough-pass-42')).accessToken,
    });
    const reasons = (history.body.items as { reason: string }[]).map((i) => i.reason);
    expect(reasons).toContain('locked out');
    expect(reasons).toContain('wrong password');
    expect(reasons).toContain('password');
  });

  it('doubles the lock at each further failure up to its cap', () => {
    expect([4, 5, 6, 7, 8].map((n) => lockSeconds(ACCOUNT_LOCKOUT, n))).toEqual([0, 60, 120, 240, 480]);
    expect(lockSeconds(ACCOUNT_LOCKOUT, 40)).toBe(3600);
    expect(lockSeconds(IP_LOCKOUT, 49)).toBe(0);
    expect(lockSeconds(IP_LOCKOUT, 80)).toBe(1800);
  });

  it('counts failures sent at the same time (one atomic count per key)', async () => {
    await register('parallel@example.com');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        t.request('POST', '/api/v1/auth/login', {
          body: { email: 'parallel@example.com', password: `wrong-${i}-pass` },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 429]);
    const next = await t.request('POST', '/api/v1/auth/login', {
      body: { email: 'parallel@example.com', password: 'long-enough-pass-42' },
    });
    expect(next.status).toBe(429);
    advance(3600);
  });

  it('rate-limits sign-in requests per IP address across accounts', async () => {
    const limited = await startTestApp({ config: { rateLimitLoginPerMinute: 100, rateLimitLoginPerIpPerMinute: 3 } });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await limited.request('POST', '/api/v1/auth/login', {
          body: { email: `someone${i}@example.com`, password: 'wrong' },
        });
        expect(r.status).toBe(401);
      }
      const r = await limited.request('POST', '/api/v1/auth/login', {
        body: { email: 'another@example.com', password: 'wrong' },
      });
      expect(r.status).toBe(429);
      expect(r.body.error).toBe('rate_limited');
      expect(r.body.retryAfterSeconds).toBeGreaterThan(0);
      expect(r.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});

describe('event 2FA policy', () => {
  it('staff of a role the organizer requires 2FA for get no event token until they enrol', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const before = await t.login(DEMO_ACCOUNTS.controller);
    const denied = await t.request('PUT', `/api/v1/events/${DEMO_EVENT_ID}/two-factor-policy`, {
      token: before.accessToken,
      body: { requiredRoles: ['badge_controller'] },
    });
    expect(denied.status).toBe(403);
    const badRole = await t.request('PUT', `/api/v1/events/${DEMO_EVENT_ID}/two-factor-policy`, {
      token: org.accessToken,
      body: { requiredRoles: ['participant'] },
    });
    expect(badRole.status).toBe(400);
    const set = await t.request('PUT', `/api/v1/events/${DEMO_EVENT_ID}/two-factor-policy`, {
      token: org.accessToken,
      body: { requiredRoles: ['badge_controller', 'badge_controller'] },
    });
    expect(set.status).toBe(200);
    expect(set.body.requiredRoles).toEqual(['badge_controller']);

    // A session opened before the policy ends at its next refresh.
    const refresh = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: before.refreshToken } });
    expect(refresh.status).toBe(403);
    expect(refresh.body.error).toBe('two_factor_enrolment_required');

    const s = await t.login(DEMO_ACCOUNTS.controller);
    expect(s.event).toBeNull();
    expect(s.role).toBeNull();
    const select = await t.request('POST', '/api/v1/auth/select-event', {
      token: s.accessToken,
      body: { eventId: DEMO_EVENT_ID },
    });
    expect(select.status).toBe(403);
    expect(select.body.error).toBe('two_factor_enrolment_required');
    const legacySelect = await t.request('POST', '/api/auth/switch-event/', {
      token: s.accessToken,
      body: { event_id: DEMO_EVENT_ID },
    });
    expect(legacySelect.status).toBe(403);
    expect(legacySelect.body.detail).toMatch(/two-factor/);
    // Other roles are not concerned.
    expect((await t.login(DEMO_ACCOUNTS.manager)).event.id).toBe(DEMO_EVENT_ID);

    const { secret } = await enrol(s.accessToken, DEMO_PASSWORD);
    advance(30);
    const challenge = await t.request('POST', '/api/v1/auth/login', {
      body: { email: DEMO_ACCOUNTS.controller, password: DEMO_PASSWORD },
    });
    advance(30);
    const ok = await t.request('POST', '/api/v1/auth/login/2fa', {
      body: { challengeToken: challenge.body.challengeToken, code: await totp(secret) },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.event.id).toBe(DEMO_EVENT_ID);
    expect(ok.body.role).toBe('badge_controller');

    // The original mobile app cannot ask for a code: a clear DRF error, and it may send totp_code.
    const mobile = await t.request('POST', '/api/auth/token/', {
      body: { email: DEMO_ACCOUNTS.controller, password: DEMO_PASSWORD },
    });
    expect(mobile.status).toBe(400);
    expect(mobile.body.code).toBe('two_factor_required');
    expect(mobile.body.non_field_errors[0]).toMatch(/Two-factor authentication is enabled/);
    advance(30);
    const mobileWithCode = await t.request('POST', '/api/auth/token/', {
      body: { email: DEMO_ACCOUNTS.controller, password: DEMO_PASSWORD, totp_code: await totp(secret) },
    });
    expect(mobileWithCode.status).toBe(200);
    expect(mobileWithCode.body.access).toBeTruthy();

    await t.request('PUT', `/api/v1/events/${DEMO_EVENT_ID}/two-factor-policy`, {
      token: org.accessToken,
      body: { requiredRoles: [] },
    });
  });
});

describe('login history and devices', () => {
  it('organizers see the sign-ins of their own event staff only', async () => {
    // A wrong password by the room manager, a sign-in by a stranger.
    await t.request('POST', '/api/v1/auth/login', { body: { email: DEMO_ACCOUNTS.manager, password: 'wrong-one-1' } });
    await register('stranger@example.com');
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const list = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/staff-logins?limit=200`, {
      token: org.accessToken,
    });
    expect(list.status).toBe(200);
    const items = list.body.items as {
      email: string;
      success: boolean;
      reason: string;
      ip: string;
      userAgent: string;
    }[];
    expect(items.some((i) => i.email === DEMO_ACCOUNTS.manager && !i.success && i.reason === 'wrong password')).toBe(
      true,
    );
    expect(items.some((i) => i.email === DEMO_ACCOUNTS.cashier && i.success)).toBe(false);
    await t.login(DEMO_ACCOUNTS.cashier);
    const withRegister = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/staff-logins`, {
      token: org.accessToken,
    });
    expect((withRegister.body.items as { email: string }[]).some((i) => i.email === DEMO_ACCOUNTS.cashier)).toBe(true);
    expect(items.some((i) => i.email === 'stranger@example.com')).toBe(false);
    expect(items.some((i) => i.email === DEMO_ACCOUNTS.participant)).toBe(false);

    // Staff without staff.manage, and an organizer of another event, are refused.
    const manager = await t.login(DEMO_ACCOUNTS.manager);
    expect(
      (await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/staff-logins`, { token: manager.accessToken })).status,
    ).toBe(403);
    const other = await register('other-organizer@example.com');
    await t.services.db
      .updateTable('users')
      .set({ isPlatformAdmin: true })
      .where('email', '=', 'other-organizer@example.com')
      .execute();
    const created = await t.request('POST', '/api/v1/events', {
      token: other.accessToken,
      body: { name: 'Autre salon', startsAt: '2026-12-01T08:00:00.000Z', endsAt: '2026-12-02T18:00:00.000Z' },
    });
    expect(created.status).toBe(201);
    const otherOrg = await t.login('other-organizer@example.com', 'long-enough-pass-42');
    expect(otherOrg.event.id).toBe(created.body.id);
    const cross = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/staff-logins`, {
      token: otherOrg.accessToken,
    });
    expect(cross.status).toBe(403);
    const own = await t.request('GET', `/api/v1/events/${created.body.id}/staff-logins`, {
      token: otherOrg.accessToken,
    });
    expect(own.status).toBe(200);
    expect((own.body.items as { email: string }[]).every((i) => i.email === 'other-organizer@example.com')).toBe(true);
  });

  it('lists my signed-in devices; revoking one ends its refresh token', async () => {
    const phone = await t.request('POST', '/api/v1/auth/login', {
      body: { email: DEMO_ACCOUNTS.exhibitor, password: DEMO_PASSWORD },
      headers: { 'user-agent': 'Phone/1.0' },
    });
    const laptop = await t.request('POST', '/api/v1/auth/login', {
      body: { email: DEMO_ACCOUNTS.exhibitor, password: DEMO_PASSWORD },
      headers: { 'user-agent': 'Laptop/2.0' },
    });
    const list = await t.request('GET', '/api/v1/auth/sessions', { token: laptop.body.accessToken });
    expect(list.status).toBe(200);
    const items = list.body.items as { id: string; userAgent: string; current: boolean }[];
    const phoneSession = items.find((i) => i.userAgent === 'Phone/1.0');
    const laptopSession = items.find((i) => i.userAgent === 'Laptop/2.0');
    expect(phoneSession?.current).toBe(false);
    expect(laptopSession?.current).toBe(true);

    const revoke = await t.request('DELETE', `/api/v1/auth/sessions/${phoneSession?.id}`, {
      token: laptop.body.accessToken,
    });
    expect(revoke.status).toBe(204);
    const refresh = await t.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: phone.body.refreshToken },
    });
    expect(refresh.status).toBe(401);
    const still = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: laptop.body.refreshToken } });
    expect(still.status).toBe(200);
    const after = await t.request('GET', '/api/v1/auth/sessions', { token: still.body.accessToken });
    expect((after.body.items as { id: string }[]).map((i) => i.id)).not.toContain(phoneSession?.id);

    // Someone else's session is not mine to end.
    const organizer = await t.login(DEMO_ACCOUNTS.organizer);
    const notMine = await t.request('DELETE', `/api/v1/auth/sessions/${laptopSession?.id}`, {
      token: organizer.accessToken,
    });
    expect(notMine.status).toBe(404);
  });
});

describe('password policy', () => {
  it('refuses well-known passwords on sign-up, change and mobile reset', async () => {
    const common = await t.request('POST', '/api/v1/auth/register', {
      body: { email: 'weak@example.com', password: 'monkey123456', firstName: 'Weak' },
    });
    expect(common.status).toBe(400);
    expect(common.body.fields[0]).toEqual({ field: 'password', reason: 'too common, choose another' });
    const s = await register('policy@example.com');
    const change = await t.request('POST', '/api/v1/auth/change-password', {
      token: s.accessToken,
      body: { currentPassword: 'long-enough-pass-42', newPassword: 'qwertyuiop1' },
    });
    expect(change.status).toBe(400);
    const reset = await t.request('POST', '/api/auth/password-reset/request/', {
      body: { email: 'policy@example.com', new_password: 'sunshine2026' },
    });
    expect(reset.status).toBe(400);
    expect(reset.body.message).toMatch(/too common/);
  });
});

describe('audit of account security changes', () => {
  it('records the sign-up, 2FA on/off and a password change append-only, with no secret in before/after', async () => {
    const s = await register('audited@example.com');
    const { secret } = await enrol(s.accessToken, 'long-enough-pass-42');
    advance(60);
    const off = await t.request('POST', '/api/v1/auth/2fa/disable', {
      token: s.accessToken,
      body: { password: 'long-enough-pass-42', code: await totp(secret) },
    });
    expect(off.status).toBe(204);
    const changed = await t.request('POST', '/api/v1/auth/change-password', {
      token: s.accessToken,
      body: { currentPassword: 'long-enough-pass-42', newPassword: 'another-long-pass-43' },
    });
    expect(changed.status).toBeLessThan(300);

    const user = await t.services.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'audited@example.com')
      .executeTakeFirstOrThrow();
    const rows = await t.services.db
      .selectFrom('auditLog')
      .selectAll()
      .where('recordId', '=', user.id)
      .where('collection', 'like', 'users.%')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.collection, r.after])).toEqual([
      // The sign-up itself: the account got its password.
      ['users.password', { hasPassword: true, via: 'sign-up' }],
      ['users.twoFactor', { enabled: true }],
      ['users.twoFactor', { enabled: false }],
      ['users.password', { changed: true }],
    ]);
    expect(rows.every((r) => r.actorId === user.id && r.eventId === null)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain('argon2');
  });
});
