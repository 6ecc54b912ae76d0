import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../src/demo/seed';
import { mobile } from './support/legacyFixtures';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

/** My account: profile (issue #7), through our API and the mobile app's; one service behind both. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 3 });
});
afterAll(() => t?.close());

const userOf = (email: string) =>
  t.services.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();

describe('PATCH /api/v1/auth/me', () => {
  it('changes names, phone and language; the registration follows and syncs to the organizer', async () => {
    const organizer = await t.login(DEMO_ACCOUNTS.organizer);
    const console = syncDevice(t, organizer.accessToken);
    const { seq } = await console.pullAll('participants');

    const s = await t.login(DEMO_ACCOUNTS.participant);
    const res = await t.request('PATCH', '/api/v1/auth/me', {
      token: s.accessToken,
      body: { firstName: '  Amina ', lastName: 'Benali', phone: '+213 555 12 34 56', locale: 'en' },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      email: DEMO_ACCOUNTS.participant,
      firstName: 'Amina',
      lastName: 'Benali',
      phone: '+213 555 12 34 56',
      locale: 'en',
    });
    const me = await t.request('GET', '/api/v1/auth/me', { token: s.accessToken });
    expect(me.body.user).toMatchObject({ firstName: 'Amina', lastName: 'Benali', locale: 'en' });

    const user = await userOf(DEMO_ACCOUNTS.participant);
    const changed = (await console.pullAll('participants', seq)).docs as {
      userId: string;
      firstName: string;
      lastName: string;
      phone: string;
    }[];
    expect(changed.filter((p) => p.userId === user.id)).toEqual([
      expect.objectContaining({ firstName: 'Amina', lastName: 'Benali', phone: '+213 555 12 34 56' }),
    ]);
    const audit = await t.services.db
      .selectFrom('auditLog')
      .selectAll()
      .where('collection', '=', 'participants')
      .where('actorId', '=', user.id)
      .execute();
    expect(audit.map((a) => [a.action, a.via])).toEqual([['update', 'rest']]);
    const accountAudit = await t.services.db
      .selectFrom('auditLog')
      .selectAll()
      .where('collection', '=', 'users.profile')
      .where('recordId', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(accountAudit.after).toEqual({
      firstName: 'Amina',
      lastName: 'Benali',
      phone: '+213 555 12 34 56',
      locale: 'en',
    });
    expect(accountAudit.before).toMatchObject({ locale: 'fr' });
  });

  it("a staff member's name changes on the staff list too", async () => {
    const s = await t.login(DEMO_ACCOUNTS.controller);
    const res = await t.request('PATCH', '/api/v1/auth/me', { token: s.accessToken, body: { lastName: 'Haddad' } });
    expect(res.status).toBe(200);
    const user = await userOf(DEMO_ACCOUNTS.controller);
    const membership = await t.services.db
      .selectFrom('memberships')
      .selectAll()
      .where('userId', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(membership.userLastName).toBe('Haddad');
    expect(membership.userFirstName).toBe(user.firstName);
  });

  it('refuses bad input with the field and the reason, and changes nothing', async () => {
    const s = await t.login(DEMO_ACCOUNTS.exhibitor);
    const before = await userOf(DEMO_ACCOUNTS.exhibitor);
    const cases: [unknown, string][] = [
      [{ firstName: '   ' }, 'firstName'],
      [{ lastName: 'x'.repeat(151) }, 'lastName'],
      [{ phone: 'call me maybe' }, 'phone'],
      [{ locale: 'de' }, 'locale'],
      [{ email: 'other@example.com' }, ''],
      [{}, ''],
    ];
    for (const [body, field] of cases) {
      const r = await t.request('PATCH', '/api/v1/auth/me', { token: s.accessToken, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body), JSON.stringify(body)).toContain(field);
    }
    expect(await userOf(DEMO_ACCOUNTS.exhibitor)).toEqual(before);
    expect((await t.request('PATCH', '/api/v1/auth/me', { body: { firstName: 'X' } })).status).toBe(401);
  });
});

describe('PATCH /api/auth/me/ (mobile app, contract §3.6) uses the same service', () => {
  it('renames the account and the registration; French errors as the original', async () => {
    const m = mobile(t);
    const login = await m.login(DEMO_ACCOUNTS.manager);
    const r = await m.patch('/api/auth/me/', { first_name: 'Yacine', last_name: 'Mansouri' }, login.access);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      id: expect.any(Number),
      email: DEMO_ACCOUNTS.manager,
      first_name: 'Yacine',
      last_name: 'Mansouri',
      full_name: 'Yacine Mansouri',
    });
    const user = await userOf(DEMO_ACCOUNTS.manager);
    const audit = await t.services.db
      .selectFrom('auditLog')
      .select(['collection', 'via'])
      .where('actorId', '=', user.id)
      .where('collection', '=', 'memberships')
      .execute();
    expect(audit).toEqual([{ collection: 'memberships', via: 'mobile' }]);
    expect((await m.patch('/api/auth/me/', { first_name: '' }, login.access)).body).toEqual({
      error: 'Le prénom ne peut pas être vide.',
    });
    expect((await m.patch('/api/auth/me/', { first_name: 'a'.repeat(151) }, login.access)).body).toEqual({
      error: 'Le prénom est trop long.',
    });
    expect((await m.patch('/api/auth/me/', { last_name: 'a'.repeat(151) }, login.access)).body).toEqual({
      error: 'Le nom est trop long.',
    });
    // An empty body changes nothing and answers the profile.
    expect((await m.patch('/api/auth/me/', {}, login.access)).body.first_name).toBe('Yacine');
  });
});
