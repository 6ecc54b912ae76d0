import { defaultPermissionsByRole, permissions } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let organizer: string;
let controller: string;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 3 });
  organizer = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
  controller = (await t.login(DEMO_ACCOUNTS.controller)).accessToken;
});
afterAll(() => t?.close());

const url = (role = '') => `/api/v1/events/${DEMO_EVENT_ID}/permissions${role ? `/${role}` : ''}`;

describe('permissions of an event', () => {
  it('organizers read the roles × permissions matrix with its bounds; nobody else', async () => {
    const r = await t.request('GET', url(), { token: organizer });
    expect(r.status).toBe(200);
    const cashier = r.body.roles.find((x: { role: string }) => x.role === 'cashier');
    expect(cashier).toMatchObject({ adjustable: true, adjusted: false });
    expect(cashier.effective).toEqual(cashier.defaults);
    expect(r.body.roles.find((x: { role: string }) => x.role === 'organizer').adjustable).toBe(false);
    expect(r.body.organizerOnly).toEqual(['event.manage', 'staff.manage', 'audit.read']);
    expect((await t.request('GET', url(), { token: controller })).status).toBe(403);
    expect((await t.request('GET', url())).status).toBe(401);
  });

  it('refuses anything outside the safe bounds with a 400 naming each permission, and writes nothing', async () => {
    const cases: [string, unknown, string][] = [
      ['cashier', { permissions: ['event.read', 'audit.read'] }, 'body.permissions.1'],
      ['badge_controller', { permissions: ['staff.manage'] }, 'body.permissions.0'],
      ['exhibitor', { permissions: ['sales.create'] }, 'body.permissions.0'],
      ['organizer', { permissions: ['event.read'] }, 'params.role'],
      ['cashier', { permissions: ['everything'] }, 'body.permissions.0'],
      ['king', { permissions: [] }, 'params.role'],
      ['cashier', { permissions: 'event.read' }, 'body.permissions'],
    ];
    for (const [role, body, field] of cases) {
      const r = await t.request('PUT', url(role), { token: organizer, body });
      expect(r.status, `${role} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const reserved = await t.request('PUT', url('cashier'), {
      token: organizer,
      body: { permissions: ['audit.read'] },
    });
    expect(reserved.body.fields[0].reason).toMatch(/reserved to organizers/);
    const rows = await t.services.db.selectFrom('permissionOverrides').selectAll().execute();
    expect(rows).toEqual([]);
    // A non-organizer cannot adjust, even its own role.
    const own = await t.request('PUT', url('badge_controller'), { token: controller, body: { permissions: [] } });
    expect(own.status).toBe(403);
  });

  it('an adjustment applies at once to the REST API, the mobile API and the sync scope, and is audited', async () => {
    const door = syncDevice(t, controller, 'perm-door-device');
    expect((await door.pull('scans')).status).toBe(200);
    expect((await t.request('GET', '/api/my-room/statistics/', { token: controller })).status).not.toBe(403);

    const narrowed = permissions.filter(
      (p) => defaultPermissionsByRole.badge_controller.includes(p) && !p.startsWith('scans.'),
    );
    const r = await t.request('PUT', url('badge_controller'), {
      token: organizer,
      body: { permissions: narrowed },
      headers: { 'x-makeplus-device': 'organizer-laptop-1' },
    });
    expect(r.status).toBe(200);
    const row = r.body.roles.find((x: { role: string }) => x.role === 'badge_controller');
    expect(row).toMatchObject({ adjusted: true, effective: narrowed });

    expect((await door.pull('scans')).status).toBe(403);
    expect((await door.push('scans', [])).status).toBe(403);
    const info = await t.request('GET', '/sync/v1/info', {
      token: controller,
      headers: { 'x-makeplus-device': door.deviceId },
    });
    expect(info.body.collections).not.toContain('scans');
    expect(info.body.permissions).not.toContain('scans.create');
    expect((await t.request('GET', '/api/my-room/statistics/', { token: controller })).status).toBe(403);
    const presence = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/presence`, { token: controller });
    expect(presence.status).toBe(403);

    const trail = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit?collection=permissionOverrides`, {
      token: organizer,
    });
    expect(trail.body.items[0]).toMatchObject({
      action: 'create',
      recordId: 'badge_controller',
      actorLabel: DEMO_ACCOUNTS.organizer,
      deviceId: 'organizer-laptop-1',
      via: 'rest',
      after: { role: 'badge_controller', permissions: narrowed },
    });
    expect(trail.body.items[0].before.permissions).toContain('scans.create');

    // Back to the defaults: the door syncs scans again.
    const back = await t.request('PUT', url('badge_controller'), {
      token: organizer,
      body: { permissions: [...defaultPermissionsByRole.badge_controller] },
    });
    expect(back.body.roles.find((x: { role: string }) => x.role === 'badge_controller').adjusted).toBe(false);
    expect((await door.pull('scans')).status).toBe(200);
  });

  it('a widened role gains the permission within its bounds only', async () => {
    const r = await t.request('PUT', url('cashier'), {
      token: organizer,
      body: { permissions: [...defaultPermissionsByRole.cashier, 'stats.read'] },
    });
    expect(r.status).toBe(200);
    const cashierToken = (await t.login(DEMO_ACCOUNTS.cashier)).accessToken;
    // The cashier still receives nothing it is not declared for (scans), whatever it holds.
    const device = syncDevice(t, cashierToken, 'perm-cash-device');
    expect((await device.pull('scans')).status).toBe(403);
    expect((await device.pull('transactions')).status).toBe(200);
  });
});
