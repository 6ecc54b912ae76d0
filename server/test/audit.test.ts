import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 5 });
});
afterAll(() => t?.close());

describe('audit trail', () => {
  it('records REST and sync changes with who, device, before/after and both times; organizers read it', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const created = await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/rooms`, {
      token: org.accessToken,
      body: { name: 'Audited room', capacity: 12 },
    });
    await t.request('PATCH', `/api/v1/events/${DEMO_EVENT_ID}/rooms/${created.body.id}`, {
      token: org.accessToken,
      body: { capacity: 14 },
    });
    const controller = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken, 'audit-door-device');
    const occurredAt = new Date(Date.now() - 3600e3).toISOString();
    const scan = scanDoc(DEMO_EVENT_ID, controller.deviceId, null, { occurredAt });
    await controller.push('scans', [{ newDocumentState: scan }]);

    const rooms = await t.request(
      'GET',
      `/api/v1/events/${DEMO_EVENT_ID}/audit?collection=rooms&recordId=${created.body.id}`,
      { token: org.accessToken },
    );
    expect(rooms.status).toBe(200);
    expect(rooms.body.items.map((i: { action: string }) => i.action)).toEqual(['update', 'create']);
    const update = rooms.body.items[0];
    expect(update.before.capacity).toBe(12);
    expect(update.after.capacity).toBe(14);
    expect(update.actorLabel).toBe(DEMO_ACCOUNTS.organizer);
    expect(update.via).toBe('rest');

    const scans = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit?deviceId=audit-door-device`, {
      token: org.accessToken,
    });
    expect(scans.body.items).toHaveLength(1);
    expect(scans.body.items[0]).toMatchObject({ via: 'sync', collection: 'scans', recordId: scan.id, occurredAt });
    expect(Date.parse(scans.body.items[0].receivedAt)).toBeGreaterThan(Date.parse(occurredAt));

    expect((await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit`, { token: controller.token })).status).toBe(
      403,
    );
    expect(
      (await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit?limit=0`, { token: org.accessToken })).status,
    ).toBe(400);
  });

  it('cannot be changed, even by SQL', async () => {
    await expect(t.services.db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
    await expect(t.services.db.updateTable('auditLog').set({ actorLabel: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});
