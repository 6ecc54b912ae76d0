import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseBadgeCode, passwordSchema } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminError,
  generatePassword,
  grantOrganizer,
  listUsers,
  resetPassword,
  rotateBadgeKey,
  runAdminCommand,
} from '../src/bin/adminCommands';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID, DEMO_PARTICIPANT_COUNT, DEMO_PASSWORD } from '../src/demo/seed';
import { eventBody, PASSWORD, register, selectEvent } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ demo: true });
});
afterAll(() => t?.close());

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCommand(argv, t.services, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const signIn = (email: string, password: string) =>
  t.request('POST', '/api/v1/auth/login', { body: { email, password } });

describe('list-users', () => {
  it('lists every account with whether it may create events, searchable', async () => {
    const users = await listUsers(t.services);
    const organizer = users.find((u) => u.email === DEMO_ACCOUNTS.organizer);
    expect(organizer).toMatchObject({ hasPassword: true, isPlatformAdmin: false, staffEvents: 1, isActive: true });
    const invited = users.find((u) => u.email.endsWith('.1@demo.makeplus.local'));
    expect(invited).toMatchObject({ hasPassword: false, staffEvents: 0 });
    expect((await listUsers(t.services, 'ORGANIZER')).map((u) => u.email)).toEqual([DEMO_ACCOUNTS.organizer]);

    const table = await run('list-users', 'controller');
    expect(table.code).toBe(0);
    expect(table.out).toContain(DEMO_ACCOUNTS.controller);
    expect(table.out).toMatch(/1 account\(s\)$/);
    const json = await run('list-users', '--json');
    expect(JSON.parse(json.out)).toHaveLength(users.length);
  });
});

describe('reset-password', () => {
  it('prints a new password that works, and signs the account out everywhere', async () => {
    const before = await t.login(DEMO_ACCOUNTS.manager);
    const r = await run('reset-password', DEMO_ACCOUNTS.manager);
    expect(r.code).toBe(0);
    const password = /New password for \S+: (\S+)/.exec(r.out)?.[1] ?? '';
    expect(passwordSchema.safeParse(password).success).toBe(true);
    expect((await signIn(DEMO_ACCOUNTS.manager, DEMO_PASSWORD)).status).toBe(401);
    expect((await signIn(DEMO_ACCOUNTS.manager, password)).status).toBe(200);
    const refresh = await t.request('POST', '/api/v1/auth/refresh', { body: { refreshToken: before.refreshToken } });
    expect(refresh.status).toBe(401);
  });

  it('lets an invited account (no password yet) sign in', async () => {
    const email = (await listUsers(t.services)).find((u) => !u.hasPassword)?.email ?? '';
    const { password } = await resetPassword(t.services, email);
    expect((await signIn(email, password)).status).toBe(200);
  });

  it('refuses an unknown email or a missing one', async () => {
    await expect(resetPassword(t.services, 'nobody@example.org')).rejects.toThrow(AdminError);
    const r = await run('reset-password', 'nobody@example.org');
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(/No account with the email nobody@example.org/);
    expect((await run('reset-password')).code).toBe(2);
  });

  it('generates passwords that satisfy the rules and differ', () => {
    const many = Array.from({ length: 200 }, () => generatePassword());
    for (const p of many) expect(passwordSchema.safeParse(p).success).toBe(true);
    expect(new Set(many).size).toBe(many.length);
  });
});

describe('grant-organizer', () => {
  it('lets an account create events', async () => {
    const reg = await register(t, 'future.organizer@example.org');
    const body = eventBody({ name: 'Granted' });
    expect((await t.request('POST', '/api/v1/events', { token: reg.accessToken, body })).status).toBe(403);
    const r = await run('grant-organizer', 'Future.Organizer@example.org');
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/can now create events/);
    expect((await t.request('POST', '/api/v1/events', { token: reg.accessToken, body })).status).toBe(201);
    expect(await grantOrganizer(t.services, 'future.organizer@example.org')).toEqual({
      email: 'future.organizer@example.org',
      alreadyGranted: true,
    });
    expect((await listUsers(t.services, 'future.organizer')).map((u) => u.isPlatformAdmin)).toEqual([true]);
  });

  it('refuses an unknown email', async () => {
    const r = await run('grant-organizer', 'ghost@example.org');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/register first/);
  });
});

describe('rotate-badge-key', () => {
  it('publishes a new key to every event; old badges stay valid, new ones use the new key', async () => {
    const db = t.services.db;
    const liveEvents = await db.selectFrom('events').select('id').where('deleted', '=', false).execute();
    const oldKey = await t.services.badges.activeKey();
    const r = await rotateBadgeKey(t.services);
    expect(r.keyId).not.toBe(oldKey.keyId);
    expect(r.events).toBe(liveEvents.length);
    for (const e of liveEvents) {
      const keys = await db
        .selectFrom('badgeTrust')
        .select(['keyId', 'publicKey', 'revoked'])
        .where('eventId', '=', e.id)
        .where('kind', '=', 'signing_key')
        .execute();
      expect(keys.map((k) => k.keyId)).toEqual(expect.arrayContaining([oldKey.keyId, r.keyId]));
      expect(keys.find((k) => k.keyId === r.keyId)).toMatchObject({ publicKey: r.publicKey, revoked: false });
    }
    // A badge issued now is signed with the new key.
    const organizer = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
    const p = await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/participants`, {
      token: organizer,
      body: { firstName: 'After', lastName: 'Rotation' },
    });
    const parsed = parseBadgeCode(p.body.badgeCode);
    expect(parsed.format === 'mkpl' && parsed.payload.k).toBe(r.keyId);

    const printed = await run('rotate-badge-key');
    expect(printed.code).toBe(0);
    expect(printed.out).toMatch(/New badge signing key \S+, published to \d+ event\(s\)/);
  });
});

describe('reset-demo', () => {
  it('puts the demo back as seeded, keeps other events, and continues the change sequence', async () => {
    const db = t.services.db;
    // Another organizer's event, which must survive.
    const reg = await register(t, 'keeps.his.event@example.org');
    await grantOrganizer(t.services, 'keeps.his.event@example.org');
    const other = await t.request('POST', '/api/v1/events', { token: reg.accessToken, body: eventBody() });
    const otherToken = await selectEvent(t, reg.accessToken, other.body.id);
    // Organizer B invites the demo controller: an account with a role elsewhere is kept.
    await t.request('POST', `/api/v1/events/${other.body.id}/memberships`, {
      token: otherToken,
      body: { email: DEMO_ACCOUNTS.controller, role: 'badge_controller' },
    });
    // Changes to the demo that the reset must undo.
    const organizer = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
    await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/rooms`, {
      token: organizer,
      body: { name: 'Added before reset', capacity: 5 },
    });
    const seqBefore = (
      await db
        .selectFrom('eventSyncState')
        .select('lastSeq')
        .where('eventId', '=', DEMO_EVENT_ID)
        .executeTakeFirstOrThrow()
    ).lastSeq;

    const r = await run('reset-demo');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Demo event reset/);
    expect(r.out).toContain(DEMO_ACCOUNTS.cashier);

    const fresh = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
    const rooms = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/rooms`, { token: fresh });
    expect(rooms.body.items.map((x: { name: string }) => x.name)).not.toContain('Added before reset');
    expect(rooms.body.total).toBe(5);
    const participants = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/participants?pageSize=1`, {
      token: fresh,
    });
    expect(participants.body.total).toBe(DEMO_PARTICIPANT_COUNT);
    // Every record of the new demo sorts after what devices pulled before the reset.
    const minSeq = await db
      .selectFrom('rooms')
      .select((eb) => eb.fn.min('seq').as('s'))
      .where('eventId', '=', DEMO_EVENT_ID)
      .executeTakeFirstOrThrow();
    expect(Number(minSeq.s)).toBeGreaterThan(seqBefore);
    // The other event, its organizer and the demo account it uses are untouched.
    expect((await t.request('GET', `/api/v1/events/${other.body.id}`, { token: otherToken })).status).toBe(200);
    expect((await signIn('keeps.his.event@example.org', PASSWORD)).status).toBe(200);
    const controller = await t.login(DEMO_ACCOUNTS.controller);
    expect(controller.events.map((e: { id: string }) => e.id).sort()).toEqual([DEMO_EVENT_ID, other.body.id].sort());
  });
});

describe('the command line', () => {
  it('prints usage for help, and refuses unknown commands', async () => {
    expect(await run('help')).toMatchObject({ code: 0 });
    expect((await run('help')).out).toMatch(/reset-password <email>/);
    const unknown = await run('drop-everything');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown command "drop-everything"/);
    expect((await run()).code).toBe(2);
  });

  it('runs as `pnpm admin` against the embedded database of DATA_DIR', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'makeplus-cli-'));
    const exec = promisify(execFile);
    const cwd = path.resolve(import.meta.dirname, '..');
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    try {
      const help = await exec('npx', ['tsx', 'src/cli.ts', 'help'], { cwd, env });
      expect(help.stdout).toMatch(/MakePlus admin CLI/);
      const list = await exec('npx', ['tsx', 'src/cli.ts', 'list-users'], { cwd, env });
      expect(list.stdout.trim()).toBe('No accounts.');
      const failed = await exec('npx', ['tsx', 'src/cli.ts', 'grant-organizer', 'nobody@example.org'], {
        cwd,
        env,
      }).catch((e: { code: number; stderr: string }) => e);
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stderr: string }).stderr).toMatch(/No account with the email nobody@example.org/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
