import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import type { RecordingMailer } from '../src/mail/mailer';
import { startTestApp, type TestApp } from './support/testApp';

/**
 * Creating an account for an email that an invitation (or a participant import) already gave a
 * placeholder account: claimed with the mailed link's invitation, never duplicated, never taken by
 * someone who only knows the address; an email with a real account gets a clear 409.
 */
let t: TestApp;
let organizer: string;
const PASSWORD = 'a-good-pass-42';
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 3, config: { publicUrl: 'https://makeplus.example.org/' } });
  organizer = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
});
afterAll(() => t?.close());

const mailer = () => t.app.mailer as RecordingMailer;
const register = (body: Record<string, unknown>) => t.request('POST', '/api/v1/auth/register', { body });
const invite = (email: string, role: string) =>
  t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/memberships`, {
    token: organizer,
    body: { email, role, firstName: 'Invitée', lastName: 'Caisse' },
  });

/** The link of a mail: the PWA's sign-up screen, the email and the invitation in its query. */
function linkIn(text: string | undefined) {
  const href = /https:\/\/makeplus\.example\.org\/signup\?\S+/.exec(text ?? '')?.[0];
  if (!href) throw new Error(`no sign-up link in: ${text}`);
  const url = new URL(href);
  return { email: url.searchParams.get('email'), invitation: url.searchParams.get('invitation') ?? '' };
}

describe('creating the account an invitation is waiting for', () => {
  const email = 'new.cashier@example.org';
  let placeholderId: string;
  let invitation: string;

  it('the invitation mail links to the sign-up screen with the email and the invitation', async () => {
    const r = await invite('New.Cashier@example.org', 'cashier');
    expect(r.status).toBe(201);
    placeholderId = r.body.userId;
    const mail = mailer().lastTo(email);
    expect(mail?.text).toContain(`Créez votre compte avec cette adresse e-mail (${email})`);
    expect(mail?.text).toContain('Create your account with this email address');
    const link = linkIn(mail?.text);
    expect(link.email).toBe(email);
    invitation = link.invitation;
    expect(invitation.length).toBeGreaterThan(20);
  });

  it('knowing the email is not enough: 403, and the owner of the address is mailed a fresh link', async () => {
    const before = mailer().sent.length;
    const r = await register({ email, password: PASSWORD, firstName: 'Intrus' });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('invitation_required');
    expect(r.body.fields).toEqual([{ field: 'invitation', reason: 'required' }]);
    expect(mailer().sent.length).toBe(before + 1);
    const fresh = mailer().lastTo(email);
    expect(fresh?.subject).toContain('créez votre compte');
    expect(linkIn(fresh?.text).email).toBe(email);
    // Asking again at once mails nothing more (one link per address per 10 minutes).
    expect((await register({ email, password: PASSWORD, firstName: 'Intrus' })).status).toBe(403);
    expect(mailer().sent.length).toBe(before + 1);
  });

  it('an invitation for another address, or an altered one, claims nothing', async () => {
    const other = await invite('other.placeholder@example.org', 'badge_controller');
    expect(other.status).toBe(201);
    const othersInvitation = linkIn(mailer().lastTo('other.placeholder@example.org')?.text).invitation;
    const wrongAccount = await register({
      email,
      password: PASSWORD,
      firstName: 'Intrus',
      invitation: othersInvitation,
    });
    expect(wrongAccount.status).toBe(403);
    expect(wrongAccount.body.fields).toEqual([{ field: 'invitation', reason: 'invalid or expired' }]);
    const altered = `${invitation.slice(0, -3)}AAA`;
    expect((await register({ email, password: PASSWORD, firstName: 'Intrus', invitation: altered })).status).toBe(403);
    const user = await t.services.db
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', placeholderId)
      .executeTakeFirstOrThrow();
    expect(user.passwordHash).toBeNull();
  });

  it('the password policy answers next to the field, before anything is claimed', async () => {
    const weak = await register({ email, password: 'short1', firstName: 'Nora', invitation });
    expect(weak.status).toBe(400);
    expect(weak.body.fields[0]).toEqual({ field: 'body.password', reason: 'at least 10 characters' });
    const common = await register({ email, password: 'monkey123456', firstName: 'Nora', invitation });
    expect(common.status).toBe(400);
    expect(common.body.fields[0]).toEqual({ field: 'password', reason: 'too common, choose another' });
  });

  it('with the link, the account is claimed: same account, its role waiting, an audit row and a sign-in', async () => {
    const r = await register({ email, password: PASSWORD, firstName: 'Nora', lastName: 'Caisse', invitation });
    expect(r.status).toBe(201);
    expect(r.body.user.id).toBe(placeholderId);
    expect(r.body.user.firstName).toBe('Nora');
    expect(r.body.events).toEqual([expect.objectContaining({ id: DEMO_EVENT_ID, role: 'cashier' })]);
    expect(r.body.event.id).toBe(DEMO_EVENT_ID);
    expect(r.body.role).toBe('cashier');
    const accounts = await t.services.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(accounts).toHaveLength(1);
    const audit = await t.services.db
      .selectFrom('auditLog')
      .select(['collection', 'after', 'actorId'])
      .where('recordId', '=', placeholderId)
      .where('collection', '=', 'users.password')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]?.after)).toContain('sign-up, invitation link');
    const attempts = await t.services.db
      .selectFrom('loginAttempts')
      .select(['reason', 'success'])
      .where('subjectId', '=', placeholderId)
      .execute();
    expect(attempts).toEqual([{ reason: 'sign-up (invitation)', success: true }]);
    // And the password works for the next sign-in.
    expect((await t.login(email, PASSWORD)).event?.id).toBe(DEMO_EVENT_ID);
  });

  it('an email with a real account: 409 « connectez-vous », the link included', async () => {
    for (const body of [
      { email, password: 'another-pass-77', firstName: 'Again' },
      { email, password: 'another-pass-77', firstName: 'Again', invitation },
    ]) {
      const r = await register(body);
      expect(r.status).toBe(409);
      expect(r.body.error).toBe('account_exists');
      expect(r.body.message).toContain('Un compte existe déjà avec cette adresse : connectez-vous.');
      expect(r.body.fields).toEqual([{ field: 'email', reason: 'an account already exists' }]);
    }
    expect((await t.login(email, PASSWORD)).accessToken).toBeTruthy();
  });

  it('a participant import placeholder is claimed the same way, through the mailed link', async () => {
    const placeholder = await t.services.db
      .selectFrom('participants')
      .select(['email', 'userId'])
      .where('email', '!=', DEMO_ACCOUNTS.participant)
      .where('email', '!=', '')
      .executeTakeFirstOrThrow();
    const first = await register({ email: placeholder.email, password: PASSWORD, firstName: 'Lina' });
    expect(first.status).toBe(403);
    const { invitation: link } = linkIn(mailer().lastTo(placeholder.email)?.text);
    const claimed = await register({
      email: placeholder.email,
      password: PASSWORD,
      firstName: 'Lina',
      invitation: link,
    });
    expect(claimed.status).toBe(201);
    expect(claimed.body.user.id).toBe(placeholder.userId);
    expect(claimed.body.role).toBe('participant');
  });

  it('a new email needs no invitation, and is then a real account', async () => {
    const r = await register({ email: 'fresh.person@example.org', password: PASSWORD, firstName: 'Fresh' });
    expect(r.status).toBe(201);
    expect(r.body.events).toEqual([]);
    expect((await register({ email: 'fresh.person@example.org', password: PASSWORD, firstName: 'X' })).status).toBe(
      409,
    );
  });
});

describe('two sign-ups for one email at the same moment', () => {
  it('one account: the first wins, the other gets the 409 (a new email, and a claim with the link)', async () => {
    const body = { email: 'race.new@example.org', password: PASSWORD, firstName: 'Race' };
    const both = await Promise.all([register(body), register(body)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)?.body.error).toBe('account_exists');

    expect((await invite('race.claim@example.org', 'cashier')).status).toBe(201);
    const { invitation } = linkIn(mailer().lastTo('race.claim@example.org')?.text);
    const claim = { email: 'race.claim@example.org', password: PASSWORD, firstName: 'Race', invitation };
    const claims = await Promise.all([register(claim), register(claim)]);
    expect(claims.map((r) => r.status).sort()).toEqual([201, 409]);
    const accounts = await t.services.db
      .selectFrom('users')
      .select('id')
      .where('email', 'in', ['race.new@example.org', 'race.claim@example.org'])
      .execute();
    expect(accounts).toHaveLength(2);
  });
});

describe('the sign-up budget', () => {
  it('answers 429 past the per-account budget, as sign-in does', async () => {
    const limited = await startTestApp({ config: { rateLimitLoginPerMinute: 2 } });
    try {
      const body = { email: 'budget@example.org', password: PASSWORD, firstName: 'B' };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await limited.request('POST', '/api/v1/auth/register', { body })).status);
      expect(statuses).toEqual([201, 409, 429]);
    } finally {
      await limited.close();
    }
  });
});
