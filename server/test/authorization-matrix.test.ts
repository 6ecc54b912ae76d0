/**
 * AUTHORIZATION MATRIX — every route of the app × every kind of caller, and every synced collection
 * × every role, with the exact allow/deny expected.
 *
 * The routes come from the app itself (`routeTableOf(app)`, filled by an `onRoute` hook in buildApp),
 * so a route nobody described here fails the first test. To add a route:
 *   1. add a line to `RULES` below: `'METHOD /url/:as/registered': rule`, where rule is one of
 *      - `PUBLIC`            anybody, no token needed (sign-in, sign-up, health, docs);
 *      - `SIGNED_IN`         any valid token, with or without an event (the caller's own account);
 *      - `perm('x.y')`       a route of one event: allowed to the roles holding permission `x.y` by
 *                            default (shared/src/permissions), refused to every other role, to a token
 *                            of another event and to a token whose event claim names an event the
 *                            person has no role in;
 *      - `roles(...)`        the same with an explicit list of roles (mobile-API routes whose rule is
 *                            "this role's screen" rather than one permission);
 *      - `SYNC`              a sync endpoint: covered by the collection matrix further down;
 *      - `FRAMEWORK`         not ours (CORS preflight, Swagger UI, the outdated-sync answer).
 *   2. if the route needs an id in its path, `PARAMS` says which record of the event it gets.
 * `MATRIX_PROBE=1 npx vitest run test/authorization-matrix.test.ts` prints what every caller gets from
 * every route instead of asserting (a starting point for a new route's line; then decide what it should be).
 * "Allowed" means the answer is neither 401 nor 403 (the probe sends no valid body, so an allowed
 * caller usually gets a 400 or 404 after passing authorization and nothing is written); "refused"
 * means 401 without a valid token (none, expired, signed with another secret) and 403/404 for a
 * valid token without the right.
 */
import { createHmac } from 'node:crypto';
import {
  type CollectionName,
  collectionNames,
  collectionScope,
  defaultPermissionsByRole,
  type EventRole,
  eventRoles,
  newId,
  type Permission,
  permissionsFor,
} from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTableOf } from '../src/http/routeTable';
import { buildWorld, register, selectEvent, type World } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

type Rule =
  | { kind: 'public'; strictToken?: boolean }
  | { kind: 'signedIn' }
  | { kind: 'person' }
  | { kind: 'roles'; roles: readonly EventRole[] }
  | { kind: 'sync' }
  | { kind: 'framework' }
  | { kind: 'nobody' };

/** Modifiers: see the top of the file. */
interface RuleOptions {
  /**
   * Validates its input before it authorizes: a refused caller sending the probe's empty input gets a
   * 400 (nothing is done) instead of 401/403. Never a success.
   */
  bodyFirst?: boolean;
  /** A live stream (server-sent events): only refusals are checked here, an allowed call would not end. */
  stream?: boolean;
  /** A mobile-API route working in the token's own event: a token of another event works in that event. */
  ownEvent?: boolean;
  /** Needs the role in any event, not in the token's: a swapped or other-event token of that person works. */
  anyEvent?: boolean;
}
type Expectation = Rule & RuleOptions;

const PUBLIC: Rule = { kind: 'public' };
const SIGNED_IN: Rule = { kind: 'signedIn' };
const SYNC: Rule = { kind: 'sync' };
const FRAMEWORK: Rule = { kind: 'framework' };
const ROLES: readonly EventRole[] = eventRoles;
const roles = (...r: EventRole[]): Rule => ({ kind: 'roles', roles: r });
const holders = (p: Permission): EventRole[] => ROLES.filter((r) => defaultPermissionsByRole[r].includes(p));
const perm = (p: Permission): Rule => ({ kind: 'roles', roles: holders(p) });
/** A person's own account: any person's token (of any event, or none), not a cash register's. */
const PERSON: Rule = { kind: 'person' };
/** Anybody who is an organizer of some event (creating a new event). */
const ORGANIZER_ANYWHERE: Expectation = { ...roles('organizer'), anyEvent: true };
/** Nobody in this matrix may use it: it needs a credential none holds, or answers 405 to all (see the route's comment). */
const NOBODY: Rule = { kind: 'nobody' };
/** A mobile-API route of the token's event for every person with a role there (the app's common screens). */
const LEGACY_PEOPLE: Expectation = { ...roles(...ROLES.filter((r) => r !== 'cashier')), ownEvent: true };
/** A mobile-API route of the token's event needing one permission. */
const legacyRoles = (...r: EventRole[]): Expectation => ({
  ...roles(...r.filter((x) => x !== 'cashier')),
  ownEvent: true,
});
/** The mobile API is for people: a cash register's token is refused there whatever its permissions. */
const legacy = (p: Permission): Expectation =>
  legacyRoles(...ROLES.filter((r) => defaultPermissionsByRole[r].includes(p)));

const RULES: Record<string, Expectation> = {
  // RULES_START
  // Not ours: CORS preflight, the Swagger UI, the answer to outdated sync clients.
  'OPTIONS *': FRAMEWORK,
  'GET /docs': FRAMEWORK,
  'GET /docs/static/index.html': FRAMEWORK,
  'GET /docs/static/swagger-initializer.js': FRAMEWORK,
  'GET /docs/json': FRAMEWORK,
  'GET /docs/yaml': FRAMEWORK,
  'GET /docs/static/*': FRAMEWORK,
  'GET /sync/:version/*': FRAMEWORK,
  'TRACE /sync/:version/*': FRAMEWORK,
  'DELETE /sync/:version/*': FRAMEWORK,
  'OPTIONS /sync/:version/*': FRAMEWORK,
  'PATCH /sync/:version/*': FRAMEWORK,
  'PUT /sync/:version/*': FRAMEWORK,
  'POST /sync/:version/*': FRAMEWORK,
  'QUERY /sync/:version/*': FRAMEWORK,
  'GET /health': PUBLIC,

  // Accounts (/api/v1/auth)
  'POST /api/v1/auth/register': PUBLIC,
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/refresh': PUBLIC,
  'POST /api/v1/auth/logout': PUBLIC,
  'POST /api/v1/auth/login/2fa': PUBLIC,
  'GET /api/v1/auth/me': SIGNED_IN,
  'GET /api/v1/auth/my-events': PERSON,
  'POST /api/v1/auth/select-event': { ...SIGNED_IN, bodyFirst: true },
  'POST /api/v1/auth/change-password': { ...PERSON, bodyFirst: true },
  'GET /api/v1/auth/2fa': PERSON,
  'POST /api/v1/auth/2fa/setup': { ...PERSON, bodyFirst: true },
  'POST /api/v1/auth/2fa/confirm': { ...PERSON, bodyFirst: true },
  'POST /api/v1/auth/2fa/disable': { ...PERSON, bodyFirst: true },
  'POST /api/v1/auth/2fa/recovery-codes': { ...PERSON, bodyFirst: true },
  'GET /api/v1/auth/login-history': PERSON,
  'GET /api/v1/auth/sessions': PERSON,
  'DELETE /api/v1/auth/sessions/:sessionId': PERSON,
  'GET /api/v1/auth/me/export': PERSON,
  'DELETE /api/v1/auth/me': { ...PERSON, bodyFirst: true },
  'PATCH /api/v1/auth/me': { ...PERSON, bodyFirst: true },

  // Events
  'GET /api/v1/events': PERSON,
  'POST /api/v1/events': ORGANIZER_ANYWHERE,
  'GET /api/v1/events/:eventId': perm('event.read'),
  'PATCH /api/v1/events/:eventId': perm('event.manage'),
  'DELETE /api/v1/events/:eventId': perm('event.manage'),
  'PUT /api/v1/events/:eventId/files/:slot': perm('event.manage'),
  'GET /api/v1/events/:eventId/files': perm('event.manage'),
  'PUT /api/v1/events/:eventId/session-covers': perm('sessions.manage'),
  'DELETE /api/v1/events/:eventId/files/:slot': perm('event.manage'),
  'GET /api/v1/files/:fileId': PUBLIC,
  'GET /api/v1/events/:eventId/staff-logins': perm('staff.manage'),
  'GET /api/v1/events/:eventId/two-factor-policy': perm('staff.manage'),
  'PUT /api/v1/events/:eventId/two-factor-policy': perm('staff.manage'),

  // Audit trail and permissions
  'GET /api/v1/events/:eventId/audit': perm('audit.read'),
  'GET /api/v1/events/:eventId/audit/facets': perm('audit.read'),
  'GET /api/v1/events/:eventId/audit.csv': perm('audit.read'),
  'GET /api/v1/events/:eventId/permissions': perm('staff.manage'),
  'PUT /api/v1/events/:eventId/permissions/:role': perm('staff.manage'),

  // Records of the event (REST)
  'GET /api/v1/events/:eventId/presence': perm('scans.read'),
  'GET /api/v1/events/:eventId/reconciliation-flags': perm('flags.read'),
  'GET /api/v1/events/:eventId/reconciliation-flags/:id': perm('flags.read'),
  'POST /api/v1/events/:eventId/reconciliation-flags': perm('flags.resolve'),
  'PATCH /api/v1/events/:eventId/reconciliation-flags/:id': perm('flags.resolve'),
  'DELETE /api/v1/events/:eventId/reconciliation-flags/:id': perm('flags.resolve'),
  'GET /api/v1/events/:eventId/rooms': perm('event.read'),
  'GET /api/v1/events/:eventId/rooms/:id': perm('event.read'),
  'POST /api/v1/events/:eventId/rooms': perm('rooms.manage'),
  'PATCH /api/v1/events/:eventId/rooms/:id': perm('rooms.manage'),
  'DELETE /api/v1/events/:eventId/rooms/:id': perm('rooms.manage'),
  'GET /api/v1/events/:eventId/sessions': perm('event.read'),
  'GET /api/v1/events/:eventId/sessions/:id': perm('event.read'),
  'POST /api/v1/events/:eventId/sessions': perm('sessions.manage'),
  'PATCH /api/v1/events/:eventId/sessions/:id': perm('sessions.manage'),
  'DELETE /api/v1/events/:eventId/sessions/:id': perm('sessions.manage'),
  'GET /api/v1/events/:eventId/participants': perm('participants.read'),
  'GET /api/v1/events/:eventId/participants/:id': perm('participants.read'),
  'POST /api/v1/events/:eventId/participants': perm('participants.manage'),
  'PATCH /api/v1/events/:eventId/participants/:id': perm('participants.manage'),
  'DELETE /api/v1/events/:eventId/participants/:id': perm('participants.manage'),
  'POST /api/v1/events/:eventId/participants/import': perm('participants.manage'),
  'GET /api/v1/events/:eventId/memberships': perm('staff.manage'),
  'GET /api/v1/events/:eventId/memberships/:id': perm('staff.manage'),
  'POST /api/v1/events/:eventId/memberships': perm('staff.manage'),
  'PATCH /api/v1/events/:eventId/memberships/:id': perm('staff.manage'),
  'DELETE /api/v1/events/:eventId/memberships/:id': perm('staff.manage'),
  'GET /api/v1/events/:eventId/room-assignments': perm('staff.manage'),
  'GET /api/v1/events/:eventId/room-assignments/:id': perm('staff.manage'),
  'POST /api/v1/events/:eventId/room-assignments': perm('staff.manage'),
  'PATCH /api/v1/events/:eventId/room-assignments/:id': perm('staff.manage'),
  'DELETE /api/v1/events/:eventId/room-assignments/:id': perm('staff.manage'),
  'GET /api/v1/events/:eventId/announcements': perm('announcements.manage'),
  'GET /api/v1/events/:eventId/announcements/:id': perm('announcements.manage'),
  'POST /api/v1/events/:eventId/announcements': perm('announcements.manage'),
  'PATCH /api/v1/events/:eventId/announcements/:id': perm('announcements.manage'),
  'DELETE /api/v1/events/:eventId/announcements/:id': perm('announcements.manage'),
  'GET /api/v1/events/:eventId/cash-registers': perm('cashRegisters.manage'),
  'GET /api/v1/events/:eventId/cash-registers/:id': perm('cashRegisters.manage'),
  'POST /api/v1/events/:eventId/cash-registers': perm('cashRegisters.manage'),
  'PATCH /api/v1/events/:eventId/cash-registers/:id': perm('cashRegisters.manage'),
  'DELETE /api/v1/events/:eventId/cash-registers/:id': perm('cashRegisters.manage'),
  'GET /api/v1/events/:eventId/cash-registers/statistics': perm('cashRegisters.manage'),
  'GET /api/v1/events/:eventId/cash-registers/:id/statistics': perm('cashRegisters.manage'),
  // The cash desk reads its price list.
  'GET /api/v1/events/:eventId/payable-items': perm('sales.create'),
  'GET /api/v1/events/:eventId/payable-items/:id': perm('sales.create'),
  'POST /api/v1/events/:eventId/payable-items': perm('items.manage'),
  'PATCH /api/v1/events/:eventId/payable-items/:id': perm('items.manage'),
  'DELETE /api/v1/events/:eventId/payable-items/:id': perm('items.manage'),
  'GET /api/v1/events/:eventId/devices': perm('event.manage'),
  // A cash desk enrols its own signing key (badges issued offline).
  'POST /api/v1/events/:eventId/devices': perm('sales.create'),
  'PATCH /api/v1/events/:eventId/devices/:deviceId': perm('event.manage'),
  'GET /api/v1/events/:eventId/statistics/dashboard': perm('stats.read'),
  'GET /api/v1/events/:eventId/statistics/changes': { ...perm('stats.read'), stream: true },
  'GET /api/v1/events/:eventId/statistics/participants/:participantId/activity': perm('participants.read'),
  'GET /api/v1/events/:eventId/leads/export': roles('organizer', 'exhibitor'),
  'GET /api/v1/events/:eventId/exports/:dataset': perm('exports.read'),

  // The original mobile app's API (/api): accounts
  'POST /api/auth/token': PUBLIC,
  // Needs the temporary selection token the sign-in gives a person with several events.
  'POST /api/auth/select-event': NOBODY,
  'POST /api/auth/switch-event': PERSON,
  'POST /api/auth/token/refresh': PUBLIC,
  'POST /api/auth/token/verify': PUBLIC,
  'POST /api/auth/logout': PUBLIC,
  'GET /api/auth/my-events': PERSON,
  'GET /api/auth/me': PERSON,
  'PATCH /api/auth/me': PERSON,
  'DELETE /api/auth/me': PERSON,
  'GET /api/auth/me/export': PERSON,
  'POST /api/auth/signup/request': PUBLIC,
  'POST /api/auth/signup/resend': PUBLIC,
  'POST /api/auth/signup/verify': PUBLIC,
  'POST /api/auth/password-reset/request': PUBLIC,
  'POST /api/auth/password-reset/resend': PUBLIC,
  'POST /api/auth/password-reset/verify': PUBLIC,
  'GET /api/my-events': PERSON,
  'GET /api/events': PERSON,
  // Mobile API: the event's data, in the token's event
  'GET /api/events/:id': LEGACY_PEOPLE,
  'GET /api/events/:id/statistics': legacy('stats.read'),
  'POST /api/events': ORGANIZER_ANYWHERE,
  'PATCH /api/events/:id': legacy('event.manage'),
  'PUT /api/events/:id': legacy('event.manage'),
  'DELETE /api/events/:id': legacy('event.manage'),
  // The contract's branches (room manager, badge controller, exhibitor) and those who read statistics.
  'GET /api/dashboard/stats': legacyRoles('room_manager', 'badge_controller', 'exhibitor', ...holders('stats.read')),
  'GET /api/rooms': LEGACY_PEOPLE,
  'GET /api/rooms/:id': LEGACY_PEOPLE,
  'GET /api/rooms/:id/sessions': LEGACY_PEOPLE,
  'POST /api/rooms': legacy('rooms.manage'),
  'PATCH /api/rooms/:id': legacy('rooms.manage'),
  'PUT /api/rooms/:id': legacy('rooms.manage'),
  'DELETE /api/rooms/:id': legacy('rooms.manage'),
  'GET /api/sessions': LEGACY_PEOPLE,
  'GET /api/sessions/:id': LEGACY_PEOPLE,
  'POST /api/sessions': legacy('sessions.manage'),
  'PATCH /api/sessions/:id': legacy('sessions.manage'),
  'PUT /api/sessions/:id': legacy('sessions.manage'),
  'DELETE /api/sessions/:id': legacy('sessions.manage'),
  'POST /api/sessions/:id/start': legacy('sessions.run'),
  'POST /api/sessions/:id/mark_live': legacy('sessions.run'),
  'POST /api/sessions/:id/end': legacy('sessions.run'),
  'POST /api/sessions/:id/mark_completed': legacy('sessions.run'),
  'POST /api/sessions/:id/cancel': legacy('sessions.run'),
  'POST /api/sessions/swap-times': legacy('sessions.run'),
  'GET /api/participants': legacy('participants.read'),
  'GET /api/participants/:id': LEGACY_PEOPLE,
  'POST /api/participants': legacy('participants.manage'),
  'PATCH /api/participants/:id': legacy('participants.manage'),
  'PUT /api/participants/:id': legacy('participants.manage'),
  'DELETE /api/participants/:id': legacy('participants.manage'),
  'GET /api/user-assignments': LEGACY_PEOPLE,
  'GET /api/user-assignments/:id': LEGACY_PEOPLE,
  'POST /api/user-assignments': legacy('staff.manage'),
  'PATCH /api/user-assignments/:id': legacy('staff.manage'),
  'PUT /api/user-assignments/:id': legacy('staff.manage'),
  'DELETE /api/user-assignments/:id': legacy('staff.manage'),
  'GET /api/room-assignments': LEGACY_PEOPLE,
  'GET /api/room-assignments/:id': LEGACY_PEOPLE,
  'POST /api/room-assignments': legacy('staff.manage'),
  'PATCH /api/room-assignments/:id': legacy('staff.manage'),
  'PUT /api/room-assignments/:id': legacy('staff.manage'),
  'DELETE /api/room-assignments/:id': legacy('staff.manage'),
  // A participant sees its own paid access; organizers everyone's.
  'GET /api/session-access': legacyRoles('organizer', 'participant'),
  'GET /api/session-access/:id': legacyRoles('organizer', 'participant'),
  'POST /api/session-access': legacy('participants.manage'),
  'PATCH /api/session-access/:id': legacy('participants.manage'),
  'PUT /api/session-access/:id': legacy('participants.manage'),
  'DELETE /api/session-access/:id': legacy('participants.manage'),
  'GET /api/my-ateliers': LEGACY_PEOPLE,
  'POST /api/participants/scan': legacy('scans.create'),
  'GET /api/my-room/statistics': legacy('scans.read'),
  'POST /api/rooms/:id/verify_access': legacy('scans.create'),
  'GET /api/rooms/:id/statistics': legacy('stats.read'),
  'GET /api/rooms/:id/participants': legacy('participants.read'),
  'POST /api/rooms/:id/scan_participant': legacy('scans.create'),
  'GET /api/room-access': legacy('scans.read'),
  'GET /api/room-access/:id': legacy('scans.read'),
  'POST /api/room-access': legacy('scans.create'),
  // Scans are facts: the original's edit and delete answer 405 to everybody.
  'PATCH /api/room-access/:id': NOBODY,
  'PUT /api/room-access/:id': NOBODY,
  'DELETE /api/room-access/:id': NOBODY,
  'POST /api/exposant-scans/scan_participant': legacy('leads.capture'),
  'GET /api/exposant-scans/my_scans': legacy('leads.capture'),
  'GET /api/exposant-scans/export_excel': legacy('leads.capture'),
  'GET /api/exposant-scans': legacyRoles('organizer', 'exhibitor'),
  'GET /api/exposant-scans/:id': legacyRoles('organizer', 'exhibitor'),
  'POST /api/exposant-scans': legacy('leads.capture'),
  'GET /api/annonces': LEGACY_PEOPLE,
  'GET /api/annonces/:id': LEGACY_PEOPLE,
  'POST /api/annonces': legacy('announcements.manage'),
  'PATCH /api/annonces/:id': legacy('announcements.manage'),
  'PUT /api/annonces/:id': legacy('announcements.manage'),
  'DELETE /api/annonces/:id': legacy('announcements.manage'),
  'GET /api/session-questions': LEGACY_PEOPLE,
  'POST /api/session-questions': legacyRoles('participant'),
  'PATCH /api/session-questions/:id': legacy('questions.moderate'),
  'PUT /api/session-questions/:id': legacy('questions.moderate'),
  'POST /api/session-questions/:id/answer': legacy('questions.moderate'),
  'GET /api/session-questions/:id': LEGACY_PEOPLE,
  'DELETE /api/session-questions/:id': legacy('questions.moderate'),
  // Public, but a token that is sent must be valid.
  'GET /api/eposter/:eventId/gallery': { kind: 'public', strictToken: true },

  // Sync: see the collection matrix below.
  'GET /sync/v1/info': SYNC,
  'GET /sync/v1/:collection/pull': SYNC,
  'POST /sync/v1/:collection/push': SYNC,
  'GET /sync/v1/snapshot': SYNC,
  'GET /sync/v1/stream': SYNC,
  // RULES_END
};

type Caller = EventRole | 'anonymous' | 'expired' | 'forged' | 'swapped' | 'otherEvent' | 'outsider';
const CALLERS: readonly Caller[] = ['anonymous', 'expired', 'forged', 'swapped', 'otherEvent', 'outsider', ...ROLES];

/** A signed-in person or register can only be refused with 401 when its token is unusable. */
const UNUSABLE_TOKEN: readonly Caller[] = ['anonymous', 'expired', 'forged'];

/** What a caller should get from a route under a rule (`url` tells whether it names a record of event A). */
function expected(rule: Expectation, caller: Caller, url: string): 'allow' | 'deny' {
  if (rule.kind === 'public')
    return rule.strictToken && (caller === 'expired' || caller === 'forged') ? 'deny' : 'allow';
  if (UNUSABLE_TOKEN.includes(caller) || rule.kind === 'nobody') return 'deny';
  if (rule.kind === 'signedIn') return 'allow';
  // A person's own account: whoever the token's person is, whatever its event.
  if (rule.kind === 'person') return caller === 'cashier' ? 'deny' : 'allow';
  if (rule.kind !== 'roles') throw new Error(`no expectation for ${rule.kind}`);
  if (rule.anyEvent && (caller === 'otherEvent' || caller === 'swapped')) return 'allow';
  // The organizer of event B, working in B through a route without a record of A in its path: as an organizer.
  if (caller === 'otherEvent' && rule.ownEvent && !/:(id|eventId)/.test(url))
    return rule.roles.includes('organizer') ? 'allow' : 'deny';
  return (rule.roles as readonly string[]).includes(caller) ? 'allow' : 'deny';
}

function base64url(s: string | Buffer): string {
  return Buffer.from(s).toString('base64url');
}

/** An HS256 JWT signed with any secret (here: not the server's). */
function signWith(secret: string, claims: Record<string, unknown>): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

let t: TestApp;
let w: World;
const tokens = {} as Record<Caller, string | undefined>;

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 3 });
  NOWHERE = newId();
  w = await buildWorld(t);
  const committee = await register(t, 'committee.member@example.org', 'Comité');
  const invited = await t.request('POST', `/api/v1/events/${w.A}/memberships`, {
    token: w.tokens.organizerA,
    body: { email: 'committee.member@example.org', role: 'committee' },
  });
  if (invited.status !== 201) throw new Error(`committee: ${invited.status} ${JSON.stringify(invited.body)}`);
  const claims = t.app.jwt.decode<Record<string, unknown>>(w.tokens.organizerA) ?? {};
  const now = Math.floor(Date.now() / 1000);
  Object.assign(tokens, {
    anonymous: undefined,
    expired: t.app.jwt.sign({ ...claims, iat: now - 7200, exp: now - 3600 }),
    forged: signWith('not-the-server-secret-but-long-enough-for-hs256', { ...claims, iat: now, exp: now + 600 }),
    // Validly signed (as if the secret had leaked or a claim were swapped in transit and re-signed):
    // the event claim names event B, where this person has no role. It must open nothing in B.
    swapped: t.app.jwt.sign({ ...claims, event_id: w.B, iat: now, exp: now + 600 }),
    otherEvent: w.tokens.organizerB,
    outsider: w.tokens.outsider,
    organizer: w.tokens.organizerA,
    room_manager: w.tokens.managerA,
    badge_controller: w.tokens.controllerA,
    cashier: w.tokens.cashierA,
    exhibitor: w.tokens.exhibitorA,
    participant: w.tokens.participantA,
    committee: await selectEvent(t, committee.accessToken, w.A),
  });
});
afterAll(() => t?.close());

/** The event a caller's request names: the swapped token aims at the event its claim names. */
const targetEvent = (caller: Caller) => (caller === 'swapped' ? w.B : w.A);

const LEGACY_INT_IDS =
  /^(annonces|session-questions|exposant-scans|participants|user-assignments|room-assignments|session-access)$/;
let NOWHERE = '';

/**
 * Fill a route's path parameters: reads get real records of event A (or what the caller's token
 * aims at), writes an id that does not exist, so an allowed write passes authorization and then
 * finds nothing. Mobile-API ids are the original's integers where it used them.
 */
function urlFor(method: string, url: string, caller: Caller): string {
  const write = method !== 'GET';
  const legacy = !url.startsWith('/api/v1/');
  const record = (segment: string): string => {
    if (legacy && LEGACY_INT_IDS.test(segment)) return '999999';
    // A mobile-API event write names no real event: an allowed one passes authorization, then finds nothing.
    if (segment === 'events') return legacy && write ? NOWHERE : targetEvent(caller);
    // The mobile API finds a room or session before it knows the event: real ones of event A.
    if (legacy && segment === 'rooms') return w.a.roomId;
    if (legacy && segment === 'sessions') return w.a.sessionId;
    if (write) return NOWHERE;
    if (segment === 'rooms') return w.a.roomId;
    if (segment === 'sessions') return w.a.sessionId;
    if (segment === 'participants') return w.a.participantId;
    if (segment === 'memberships') return w.a.membershipId;
    return NOWHERE;
  };
  const filled = url
    .replace(':eventId', targetEvent(caller))
    .replace(/\/([^/:]+)\/:id/g, (_m, seg: string) => `/${seg}/${record(seg)}`)
    .replace(':participantId', w.a.participantId)
    .replace(':sessionId', NOWHERE)
    .replace(':fileId', NOWHERE)
    .replace(':slot', 'logo')
    .replace(':role', 'cashier')
    .replace(':deviceId', 'no-such-device')
    .replace(':dataset', 'participants.csv')
    .replace(':collection', 'rooms')
    .replace(':version', 'v0')
    .replace('*', 'x');
  // An invalid revision: an allowed delete passes authorization, then stops at validation.
  return method === 'DELETE' && !legacy ? `${filled}?rev=0` : filled;
}

async function call(method: string, url: string, caller: Caller) {
  const token = tokens[caller];
  const res = await t.app.inject({
    method: method as 'GET',
    url: urlFor(method, url, caller),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'x-makeplus-device': 'matrix-device-01',
    },
    // An empty object: no route accepts it as a complete input, so nothing is created.
    ...(method === 'GET' || method === 'DELETE' || method === 'OPTIONS' ? {} : { payload: {} }),
  });
  return res.statusCode;
}

/** 401 without a usable token; 403 (or 404, "no such event for you") with one; a swapped claim may also be 401. */
function denied(status: number, caller: Caller): boolean {
  if (UNUSABLE_TOKEN.includes(caller)) return status === 401;
  if (caller === 'swapped' && status === 401) return true;
  return status === 403 || status === 404;
}
const allowed = (status: number) => status !== 401 && status !== 403;

function routeKeys(): string[] {
  return [...new Set(routeTableOf(t.app).map((r) => `${r.method} ${r.url}`))];
}

describe('authorization matrix: routes', () => {
  it('every registered route has an expectation here, and every expectation a route', () => {
    const keys = routeKeys();
    expect(
      keys.filter((k) => !(k in RULES)),
      'routes without an expectation: add them to RULES',
    ).toEqual([]);
    expect(
      Object.keys(RULES).filter((k) => !keys.includes(k)),
      'expectations of routes that no longer exist',
    ).toEqual([]);
  });

  it('every route × every caller: exactly the expected allow or deny', async () => {
    if (process.env.MATRIX_PROBE) {
      for (const key of routeKeys()) {
        const [method, url] = key.split(' ') as [string, string];
        const row: string[] = [];
        for (const c of CALLERS) row.push(`${c}=${await call(method, url, c)}`);
        console.log(`PROBE ${key} | ${row.join(' ')}`);
      }
      return;
    }
    const wrong: string[] = [];
    const checked = Object.entries(RULES).filter(([, r]) => r.kind !== 'sync' && r.kind !== 'framework');
    // Refusals first, then the allowed calls (which may change data, e.g. a sign-out).
    for (const phase of ['deny', 'allow'] as const) {
      for (const [key, rule] of checked) {
        const [method, url] = key.split(' ') as [string, string];
        for (const caller of CALLERS) {
          if (rule.stream && phase === 'allow') continue;
          const want = expected(rule, caller, url);
          if (want !== phase) continue;
          const status = await call(method, url, caller);
          const ok =
            phase === 'allow'
              ? allowed(status)
              : denied(status, caller) ||
                (rule.kind === 'nobody' && [401, 405].includes(status)) ||
                (!!rule.bodyFirst && status === 400);
          if (!ok) wrong.push(`${key} as ${caller}: expected ${phase}, got ${status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('authorization matrix: sync collections', () => {
  const device = { 'x-makeplus-device': 'matrix-sync-device-01' };
  const sync = (method: 'GET' | 'POST', path: string, caller: Caller) => {
    const token = tokens[caller];
    return t.app.inject({
      method,
      url: `/sync/v1${path}`,
      headers: { ...device, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(method === 'POST' ? { payload: [] } : {}),
    });
  };
  /** The role a caller syncs as in its own token's event (null: it has none there). */
  const syncRole = (caller: Caller): EventRole | null =>
    (ROLES as readonly string[]).includes(caller)
      ? (caller as EventRole)
      : caller === 'otherEvent'
        ? 'organizer'
        : null;

  it('every collection × every caller: pull and push allowed exactly by the role and its permissions', async () => {
    const wrong: string[] = [];
    for (const collection of collectionNames as CollectionName[]) {
      for (const caller of CALLERS) {
        const role = syncRole(caller);
        for (const mode of ['read', 'write'] as const) {
          const res =
            mode === 'read'
              ? await sync('GET', `/${collection}/pull?after=0&limit=50`, caller)
              : await sync('POST', `/${collection}/push`, caller);
          let want: number[];
          if (UNUSABLE_TOKEN.includes(caller)) want = [401];
          else if (caller === 'outsider')
            want = [400]; // no event in the token: "select an event first"
          else if (!role)
            want = [403]; // swapped claim: no role in the event it names
          else want = collectionScope(collection, mode, role, permissionsFor(role)) ? [200] : [403];
          if (!want.includes(res.statusCode))
            wrong.push(`${mode} ${collection} as ${caller}: expected ${want}, got ${res.statusCode}`);
          // A token of event B never receives a row of event A.
          if (mode === 'read' && res.statusCode === 200) {
            const docs = (res.json() as { documents: { eventId: string }[] }).documents;
            const foreign = docs.filter((d) => d.eventId !== (caller === 'otherEvent' ? w.B : w.A));
            if (foreign.length) wrong.push(`pull ${collection} as ${caller}: ${foreign.length} rows of another event`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('info and snapshot: every role of the event; never an unusable token, a swapped claim or no event', async () => {
    for (const caller of CALLERS) {
      for (const path of ['/info', '/snapshot']) {
        const res = await sync('GET', path, caller);
        const want = UNUSABLE_TOKEN.includes(caller)
          ? 401
          : caller === 'outsider'
            ? 400
            : caller === 'swapped'
              ? 403
              : 200;
        expect(res.statusCode, `${path} as ${caller}`).toBe(want);
      }
      // The live stream refuses the same callers before it opens (an allowed stream would not end here).
      if (UNUSABLE_TOKEN.includes(caller) || caller === 'swapped' || caller === 'outsider') {
        const res = await sync('GET', '/stream', caller);
        expect([400, 401, 403], `/stream as ${caller}`).toContain(res.statusCode);
      }
    }
  });

  it("the mobile API's lists, for a token of event B, hold nothing of event A", async () => {
    for (const path of [
      '/api/rooms/',
      '/api/sessions/',
      '/api/participants/',
      '/api/annonces/',
      '/api/user-assignments/',
    ]) {
      const res = await t.request('GET', path, { token: w.tokens.organizerB });
      expect(res.status, path).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of [w.A, w.a.roomId, w.a.sessionId, w.a.participantId]) expect(text, path).not.toContain(id);
    }
  });
});
