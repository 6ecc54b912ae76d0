import { sql } from 'kysely';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { routeTableOf } from '../src/http/routeTable';
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
    const pushed = await controller.push('scans', [{ newDocumentState: scan }]);
    expect(pushed.status).toBe(200);

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
    // The trail's copy of a fact is the stored record, exactly as the device received it back.
    expect(scans.body.items[0].after).toEqual(pushed.body[0]);
    expect(scans.body.items[0].before).toBeNull();

    expect((await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit`, { token: controller.token })).status).toBe(
      403,
    );
    expect(
      (await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit?limit=0`, { token: org.accessToken })).status,
    ).toBe(400);
  });

  it('records mobile-API writes and device enrolments too, with the device of the request', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const headers = { 'x-makeplus-device': 'flutter-phone-01' };
    const created = await t.request('POST', '/api/rooms/', {
      token: org.accessToken,
      headers,
      body: { name: 'Salle mobile', capacity: 30 },
    });
    expect(created.status).toBe(201);
    const trail = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit?via=mobile&collection=rooms`, {
      token: org.accessToken,
    });
    expect(trail.body.items[0]).toMatchObject({
      action: 'create',
      deviceId: 'flutter-phone-01',
      actorId: org.user.id,
      after: { name: 'Salle mobile', capacity: 30 },
      before: null,
    });

    const enrol = await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/devices`, {
      token: org.accessToken,
      body: { deviceId: 'audit-tablet-1', name: 'Tablette', publicKey: 'A'.repeat(43) },
    });
    expect(enrol.status).toBeLessThan(300);
    const devices = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit?collection=devices`, {
      token: org.accessToken,
    });
    expect(devices.body.items[0]).toMatchObject({ action: 'create', recordId: 'audit-tablet-1' });
  });

  it('filters by actor, record type, device, API and date; lists its facets; exports the same as CSV', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const base = `/api/v1/events/${DEMO_EVENT_ID}/audit`;
    const all = await t.request('GET', `${base}?limit=1000`, { token: org.accessToken });
    const mine = await t.request('GET', `${base}?actorId=${org.user.id}&limit=1000`, { token: org.accessToken });
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((i: { actorId: string }) => i.actorId === org.user.id)).toBe(true);
    expect(mine.body.items.length).toBeLessThan(all.body.items.length);

    const future = await t.request('GET', `${base}?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`, {
      token: org.accessToken,
    });
    expect(future.body.items).toEqual([]);
    const past = await t.request('GET', `${base}?to=${encodeURIComponent('2999-01-01T00:00:00Z')}&limit=1000`, {
      token: org.accessToken,
    });
    expect(past.body.items.length).toBe(all.body.items.length);
    for (const bad of ['from=yesterday', 'actorId=bob', 'via=fax', 'action=erase']) {
      const r = await t.request('GET', `${base}?${bad}`, { token: org.accessToken });
      expect(r.status, bad).toBe(400);
      expect(r.body.fields[0].field).toBe(`querystring.${bad.split('=')[0]}`);
    }

    const facets = await t.request('GET', `${base}/facets`, { token: org.accessToken });
    expect(facets.status).toBe(200);
    expect(facets.body.collections).toEqual(expect.arrayContaining(['rooms', 'scans', 'devices']));
    expect(facets.body.devices).toEqual(expect.arrayContaining(['audit-door-device', 'flutter-phone-01']));
    expect(facets.body.actors.map((a: { label: string }) => a.label)).toContain(DEMO_ACCOUNTS.organizer);

    const csv = await t.app.inject({
      method: 'GET',
      url: `${base}.csv?collection=rooms&via=rest`,
      headers: { authorization: `Bearer ${org.accessToken}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-/);
    const rows = Papa.parse<string[]>(csv.body.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    const header = rows[0] ?? [];
    expect(header).toContain('Avant / Before');
    const restRooms = await t.request('GET', `${base}?collection=rooms&via=rest&limit=1000`, {
      token: org.accessToken,
    });
    expect(rows.length - 1).toBe(restRooms.body.items.length);
    expect(Number(csv.headers['x-total-rows'])).toBe(restRooms.body.items.length);
    const update = rows.find((r) => r[header.indexOf('Action')] === 'update') ?? [];
    expect(update[header.indexOf('Champs modifiés / Changed fields')]).toBe('capacity');
    expect(JSON.parse(update[header.indexOf('Avant / Before')] ?? '{}').capacity).toBe(12);
    expect(JSON.parse(update[header.indexOf('Après / After')] ?? '{}').capacity).toBe(14);

    const door = await t.login(DEMO_ACCOUNTS.controller);
    expect((await t.request('GET', `${base}.csv`, { token: door.accessToken })).status).toBe(403);
    expect((await t.request('GET', `${base}/facets`, { token: door.accessToken })).status).toBe(403);
  });

  it('no API edits or deletes it: every route under /audit is a GET', async () => {
    const org = await t.login(DEMO_ACCOUNTS.organizer);
    const auditRoutes = routeTableOf(t.app).filter((r) => /\/audit/.test(r.url));
    expect(auditRoutes.length).toBeGreaterThan(0);
    for (const r of auditRoutes) expect(`${r.method} ${r.url}`).toMatch(/^GET /);
    const [entry] = (
      await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/audit?limit=1`, { token: org.accessToken })
    ).body.items;
    const count = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(t.services.db)).rows[0]?.n);
    const before = await count();
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      for (const url of [
        `/api/v1/events/${DEMO_EVENT_ID}/audit`,
        `/api/v1/events/${DEMO_EVENT_ID}/audit/${entry.id}`,
      ]) {
        const r = await t.request(method, url, { token: org.accessToken, body: { actorLabel: 'forged' } });
        expect(r.status, `${method} ${url}`).toBe(404);
      }
    }
    expect(await count()).toBe(before);
  });

  it('cannot be changed, even by SQL', async () => {
    await expect(t.services.db.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
    await expect(t.services.db.updateTable('auditLog').set({ actorLabel: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate audit_log`.execute(t.services.db)).rejects.toThrow(/append-only/);
  });
});
