import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { scanDoc, syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let orgToken: string;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 10 });
  orgToken = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
});
afterAll(() => t?.close());
const base = `/api/v1/events/${DEMO_EVENT_ID}`;

describe('presence (derived from scans)', () => {
  it('counts who checked in and who is inside each room', async () => {
    const { db } = t.services;
    const room = await db
      .selectFrom('rooms')
      .select(['id', 'capacity'])
      .where('name', '=', 'Salle B')
      .executeTakeFirstOrThrow();
    const people = (await db.selectFrom('participants').select('id').limit(3).execute()).map((p) => p.id);
    const door = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken, 'presence-door');
    const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    await door.push('scans', [
      { newDocumentState: scanDoc(DEMO_EVENT_ID, door.deviceId, people[0]!, { roomId: room.id, occurredAt: at(30) }) },
      { newDocumentState: scanDoc(DEMO_EVENT_ID, door.deviceId, people[1]!, { roomId: room.id, occurredAt: at(20) }) },
      {
        newDocumentState: scanDoc(DEMO_EVENT_ID, door.deviceId, people[1]!, {
          roomId: room.id,
          direction: 'out',
          reason: 'exit',
          occurredAt: at(10),
        }),
      },
      {
        newDocumentState: scanDoc(DEMO_EVENT_ID, door.deviceId, people[2]!, {
          roomId: room.id,
          granted: false,
          reason: 'payment_required',
          occurredAt: at(5),
        }),
      },
    ]);
    const r = await t.request('GET', `${base}/presence`, { token: door.token });
    expect(r.status).toBe(200);
    expect(r.body.registered).toBe(10);
    expect(r.body.checkedIn).toBe(2);
    const salle = r.body.rooms.find((x: { roomId: string }) => x.roomId === room.id);
    expect(salle).toMatchObject({ inside: 1, entries: 2, uniquePeople: 2, refused: 1, capacity: room.capacity });
    const one = await t.request('GET', `${base}/presence?participantId=${people[0]}`, { token: orgToken });
    expect(one.body).toMatchObject({ checkedIn: true, insideRoomIds: [room.id] });
    const gone = await t.request('GET', `${base}/presence?participantId=${people[1]}`, { token: orgToken });
    expect(gone.body).toMatchObject({ checkedIn: true, insideRoomIds: [] });
    const participant = await t.login(DEMO_ACCOUNTS.participant);
    expect((await t.request('GET', `${base}/presence`, { token: participant.accessToken })).status).toBe(403);
  });
});

describe('reconciliation flags over REST', () => {
  it('organizers list, filter and resolve flags; nobody creates or deletes them by hand', async () => {
    const door = syncDevice(t, (await t.login(DEMO_ACCOUNTS.controller)).accessToken, 'flag-door');
    await door.push('scans', [
      { newDocumentState: scanDoc(DEMO_EVENT_ID, door.deviceId, null, { issuedOffline: true }) },
    ]);
    const list = await t.request('GET', `${base}/reconciliation-flags?kind=offline_badge&status=open`, {
      token: orgToken,
    });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    const flag = list.body.items[0];
    const resolved = await t.request('PATCH', `${base}/reconciliation-flags/${flag.id}`, {
      token: orgToken,
      body: { status: 'resolved', resolution: 'Badge vérifié à l’accueil', rev: flag.rev },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: 'Badge vérifié à l’accueil' });
    expect(resolved.body.resolvedAt).toBeTruthy();
    const stale = await t.request('PATCH', `${base}/reconciliation-flags/${flag.id}`, {
      token: orgToken,
      body: { status: 'open', rev: flag.rev },
    });
    expect(stale.status).toBe(409);
    expect((await t.request('POST', `${base}/reconciliation-flags`, { token: orgToken, body: {} })).status).toBe(400);
    expect((await t.request('DELETE', `${base}/reconciliation-flags/${flag.id}`, { token: orgToken })).status).toBe(
      405,
    );
    expect((await t.request('GET', `${base}/reconciliation-flags`, { token: door.token })).status).toBe(403);
    expect(
      (
        await t.request('PATCH', `${base}/reconciliation-flags/${flag.id}`, {
          token: orgToken,
          body: { status: 'nope' },
        })
      ).status,
    ).toBe(400);
  });
});
