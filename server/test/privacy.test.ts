import { newId } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID, DEMO_PASSWORD } from '../src/demo/seed';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 5 });
});
afterAll(() => t?.close());

describe('my data', () => {
  it('exports the account, registrations and the questions asked', async () => {
    const s = await t.login(DEMO_ACCOUNTS.participant);
    const d = syncDevice(t, s.accessToken);
    const session = (await d.pullAll('sessions')).docs[0] as { id: string; title: string };
    const me = (await d.pullAll('participants')).docs[0] as { id: string };
    const now = new Date().toISOString();
    const user = await t.services.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', DEMO_ACCOUNTS.participant)
      .executeTakeFirstOrThrow();
    const pushed = await d.push('questions', [
      {
        newDocumentState: {
          id: newId(),
          eventId: DEMO_EVENT_ID,
          seq: 0,
          rev: 1,
          createdAt: now,
          updatedAt: now,
          deleted: false,
          sessionId: session.id,
          participantId: me.id,
          askedBy: user.id,
          text: 'Quelle est la posologie chez l’enfant ?',
          askedAt: now,
          isAnswered: false,
          answeredBy: null,
          answeredAt: null,
          isHidden: false,
          legacyId: 0,
        },
        assumedMasterState: null,
      },
    ]);
    expect(pushed.status).toBe(200);
    const res = await t.request('GET', '/api/v1/auth/me/export', { token: s.accessToken });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.account.email).toBe(DEMO_ACCOUNTS.participant);
    expect(res.body.registrations).toHaveLength(1);
    expect(res.body.registrations[0].eventId).toBe(DEMO_EVENT_ID);
    expect(res.body.questions).toEqual([
      expect.objectContaining({
        session: session.title,
        text: 'Quelle est la posologie chez l’enfant ?',
        isAnswered: false,
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('passwordHash');
  });

  it('needs a signed-in person', async () => {
    expect((await t.request('GET', '/api/v1/auth/me/export')).status).toBe(401);
  });
});

describe('deleting my account', () => {
  it('refuses a wrong password and changes nothing', async () => {
    const s = await t.login(DEMO_ACCOUNTS.participant);
    const res = await t.request('DELETE', '/api/v1/auth/me', { token: s.accessToken, body: { password: 'nope-1234' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('Mot de passe incorrect');
    await t.login(DEMO_ACCOUNTS.participant);
  });

  it('anonymises the account and the registration, and ends every session', async () => {
    const s = await t.login(DEMO_ACCOUNTS.participant);
    const user = await t.services.db
      .selectFrom('users')
      .select(['id', 'legacyId'])
      .where('email', '=', DEMO_ACCOUNTS.participant)
      .executeTakeFirstOrThrow();
    const res = await t.request('DELETE', '/api/v1/auth/me', {
      token: s.accessToken,
      body: { password: DEMO_PASSWORD },
    });
    expect(res.status).toBe(200);
    const after = await t.services.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({
      email: `deleted-user-${user.legacyId}@makeplus.invalid`,
      firstName: '',
      lastName: '',
      isActive: false,
      passwordHash: null,
    });
    // The registration that devices hold is anonymised too (and syncs out).
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const people = (await syncDevice(t, org.accessToken).pullAll('participants')).docs;
    const mine = people.find((p) => p.userId === user.id);
    expect(mine).toMatchObject({ firstName: 'Compte supprimé', email: '', phone: '' });
    // Old refresh tokens no longer work, and nobody can sign in as that person.
    const refreshed = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect(refreshed.status).toBe(401);
    const login = await t.request('POST', '/api/v1/auth/login', {
      body: { email: DEMO_ACCOUNTS.participant, password: DEMO_PASSWORD },
    });
    expect(login.status).toBe(401);
  });
});
