import { sql } from 'kysely';
import { grantOrganizer } from '../../src/bin/adminCommands';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../../src/demo/seed';
import type { RecordingMailer } from '../../src/mail/mailer';
import type { TestApp } from './testApp';

/**
 * Two events with their own organizers, for the REST suites:
 *  - A: the demo event, its organizer and staff signed in (tokens bound to A);
 *  - B: created through the API by a second organizer (token bound to B), with a room, a session,
 *    a participant and an invited staff member of its own;
 *  - an outsider: an account with no role anywhere (token bound to no event).
 */
export interface World {
  A: string;
  B: string;
  tokens: {
    organizerA: string;
    managerA: string;
    controllerA: string;
    cashierA: string;
    exhibitorA: string;
    participantA: string;
    organizerB: string;
    outsider: string;
  };
  organizerB: { email: string; userId: string };
  /** Records of A (from the demo) and of B (made by B's organizer). */
  a: { roomId: string; sessionId: string; participantId: string; membershipId: string };
  b: { roomId: string; sessionId: string; participantId: string; membershipId: string };
}

export const PASSWORD = 'a-good-password-42';

export const eventBody = (over: Record<string, unknown> = {}) => ({
  name: 'Journées de test',
  startsAt: '2027-03-01T08:00:00.000Z',
  endsAt: '2027-03-02T18:00:00.000Z',
  venue: 'Oran',
  ...over,
});

/** Register an account through the API; returns its session payload. */
export async function register(t: TestApp, email: string, firstName = 'Test', invitation?: string) {
  const r = await t.request('POST', '/api/v1/auth/register', {
    body: { email, password: PASSWORD, firstName, lastName: 'Person', ...(invitation ? { invitation } : {}) },
  });
  if (r.status !== 201) throw new Error(`register ${email}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { accessToken: string; user: { id: string } };
}

/** The invitation carried by the link of the last mail sent to `email` (an account waiting for its owner). */
export function mailedInvitation(t: TestApp, email: string): string {
  const text = (t.app.mailer as RecordingMailer).lastTo(email)?.text ?? '';
  const invitation = /[?&]invitation=([^\s&]+)/.exec(text)?.[1];
  if (!invitation) throw new Error(`no invitation link in the mail to ${email}: ${text}`);
  return decodeURIComponent(invitation);
}

/** Token bound to `eventId` for an account. */
export async function selectEvent(t: TestApp, token: string, eventId: string): Promise<string> {
  const r = await t.request('POST', '/api/v1/auth/select-event', { token, body: { eventId } });
  if (r.status !== 200) throw new Error(`select-event: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken as string;
}

/** Create an event as a new organizer (granted with the admin command), bound to it. */
export async function newOrganizerWithEvent(t: TestApp, email: string, over: Record<string, unknown> = {}) {
  const reg = await register(t, email, 'Second');
  await grantOrganizer(t.services, email);
  const created = await t.request('POST', '/api/v1/events', { token: reg.accessToken, body: eventBody(over) });
  if (created.status !== 201) throw new Error(`create event: ${created.status} ${JSON.stringify(created.body)}`);
  const token = await selectEvent(t, reg.accessToken, created.body.id);
  return { eventId: created.body.id as string, token, userId: reg.user.id };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of the API under test
async function ok(p: Promise<{ status: number; body: any }>, status = 201) {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function buildWorld(t: TestApp): Promise<World> {
  const A = DEMO_EVENT_ID;
  const token = async (k: keyof typeof DEMO_ACCOUNTS) => (await t.login(DEMO_ACCOUNTS[k])).accessToken;
  const organizerA = await token('organizer');
  const managerA = await token('manager');
  const controllerA = await token('controller');
  const cashierA = await token('cashier');
  const exhibitorA = await token('exhibitor');
  const participantA = await token('participant');
  const organizerBEmail = 'second.organizer@example.org';
  const second = await newOrganizerWithEvent(t, organizerBEmail, { name: 'Second event' });
  const B = second.eventId;
  const outsider = (await register(t, 'outsider@example.org', 'Outsider')).accessToken;

  const tokB = second.token;
  const roomB = await ok(
    t.request('POST', `/api/v1/events/${B}/rooms`, { token: tokB, body: { name: 'Room of B', capacity: 40 } }),
  );
  const sessionB = await ok(
    t.request('POST', `/api/v1/events/${B}/sessions`, {
      token: tokB,
      body: {
        roomId: roomB.id,
        title: 'Session of B',
        startsAt: '2027-03-01T09:00:00.000Z',
        endsAt: '2027-03-01T10:00:00.000Z',
      },
    }),
  );
  const participantB = await ok(
    t.request('POST', `/api/v1/events/${B}/participants`, {
      token: tokB,
      body: { firstName: 'Bea', lastName: 'Of-B', email: 'bea@example.org' },
    }),
  );
  const membershipB = await ok(
    t.request('POST', `/api/v1/events/${B}/memberships`, {
      token: tokB,
      body: { email: 'staff.of.b@example.org', role: 'badge_controller' },
    }),
  );

  const get = (path: string) => ok(t.request('GET', path, { token: organizerA }), 200);
  const roomA = (await get(`/api/v1/events/${A}/rooms?q=Auditorium`)).items[0];
  const sessionA = (await get(`/api/v1/events/${A}/sessions?roomId=${roomA.id}`)).items[0];
  const participantA1 = (await get(`/api/v1/events/${A}/participants?pageSize=1`)).items[0];
  const membershipA = (await get(`/api/v1/events/${A}/memberships?role=badge_controller`)).items[0];

  return {
    A,
    B,
    tokens: { organizerA, managerA, controllerA, cashierA, exhibitorA, participantA, organizerB: tokB, outsider },
    organizerB: { email: organizerBEmail, userId: second.userId },
    a: { roomId: roomA.id, sessionId: sessionA.id, participantId: participantA1.id, membershipId: membershipA.id },
    b: { roomId: roomB.id, sessionId: sessionB.id, participantId: participantB.id, membershipId: membershipB.id },
  };
}

/**
 * Everything a write leaves behind: each event's change sequence (every synced write takes a
 * number), the audit trail, and the accounts. Equal before and after means nothing was written.
 */
export async function writeState(t: TestApp) {
  const db = t.services.db;
  const seqs = await db.selectFrom('eventSyncState').select(['eventId', 'lastSeq']).orderBy('eventId').execute();
  const audit = await sql<{ n: string }>`select count(*)::text as n from audit_log`.execute(db);
  const users = await sql<{ n: string }>`select count(*)::text as n from users`.execute(db);
  const userRows = await sql<{
    h: string;
  }>`select md5(string_agg(id::text || email || is_platform_admin::text || coalesce(password_hash, ''), ',' order by id)) as h from users`.execute(
    db,
  );
  return {
    seqs: Object.fromEntries(seqs.map((s) => [s.eventId, s.lastSeq])),
    audit: audit.rows[0]?.n,
    users: users.rows[0]?.n,
    usersHash: userRows.rows[0]?.h,
  };
}
