import {
  type BadgeTrustRecord,
  buildTrustList,
  generateSigningKey,
  newId,
  resolveBadge,
  signBadge,
} from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let organizer: string;
let cashier: string;
let controller: string;
let participant: string;
const E = DEMO_EVENT_ID;
const devices = `/api/v1/events/${E}/devices`;

beforeAll(async () => {
  t = await startTestApp({ demo: true });
  organizer = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
  cashier = (await t.login(DEMO_ACCOUNTS.cashier)).accessToken;
  controller = (await t.login(DEMO_ACCOUNTS.controller)).accessToken;
  participant = (await t.login(DEMO_ACCOUNTS.participant)).accessToken;
});
afterAll(() => t?.close());

/** What a door downloads: the event's trust list, through the sync protocol. */
async function doorTrust(): Promise<BadgeTrustRecord[]> {
  const door = syncDevice(t, controller);
  return (await door.pullAll('badgeTrust')).docs as unknown as BadgeTrustRecord[];
}

function walkInBadge(key: ReturnType<typeof generateSigningKey>, eventId = E) {
  return signBadge({ p: newId(), e: eventId, n: 'Amel Walk-in', t: Math.floor(Date.now() / 1000) }, key);
}

describe('device key enrollment', () => {
  it('publishes a cash desk tablet key to every door; a badge it signs offline is genuine at the door', async () => {
    const deviceId = `d-${newId().replace(/-/g, '')}`;
    const pair = generateSigningKey('pending');
    const r = await t.request('POST', devices, {
      token: cashier,
      body: { deviceId, name: 'Tablette entrée', publicKey: pair.publicKey },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      deviceId,
      name: 'Tablette entrée',
      publicKey: pair.publicKey,
      subjectKind: 'cash_register',
      revoked: false,
    });
    const key = { ...pair, keyId: r.body.keyId as string };

    const trust = await doorTrust();
    const mine = trust.filter((x) => x.deviceId === deviceId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'signing_key', keyOwner: 'device', keyId: key.keyId, revoked: false });

    const verdict = resolveBadge(walkInBadge(key), buildTrustList(trust));
    expect(verdict.status).toBe('valid');
    // Signed by a key the door does not hold: forged.
    const stranger = { ...generateSigningKey('x'), keyId: key.keyId };
    expect(resolveBadge(walkInBadge(stranger), buildTrustList(trust))).toMatchObject({
      status: 'forged',
      why: 'bad_signature',
    });
  });

  it('is idempotent per device: the same key again is a 200 and adds nothing to the trust list', async () => {
    const deviceId = `d-${newId().replace(/-/g, '')}`;
    const pair = generateSigningKey('k');
    const body = { deviceId, name: 'Caisse 2', publicKey: pair.publicKey };
    const first = await t.request('POST', devices, { token: cashier, body });
    const again = await t.request('POST', devices, { token: cashier, body });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await doorTrust()).filter((x) => x.deviceId === deviceId)).toHaveLength(1);

    // A new key for the same device (its storage was wiped) is published alongside the old one.
    const fresh = generateSigningKey('k2');
    const rotated = await t.request('POST', devices, {
      token: cashier,
      body: { ...body, publicKey: fresh.publicKey },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.keyId).not.toBe(first.body.keyId);
    const trust = buildTrustList(await doorTrust());
    expect(trust.keys.get(first.body.keyId)?.usable).toBe(true);
    expect(trust.keys.get(rotated.body.keyId)?.usable).toBe(true);
  });

  it('lets an organizer enroll and list devices; other roles may not enroll or list', async () => {
    const deviceId = `d-${newId().replace(/-/g, '')}`;
    const body = { deviceId, name: 'Poste accueil', publicKey: generateSigningKey('k').publicKey };
    expect((await t.request('POST', devices, { token: organizer, body })).status).toBe(201);
    const list = await t.request('GET', devices, { token: organizer });
    expect(list.status).toBe(200);
    expect(list.body.map((d: { deviceId: string }) => d.deviceId)).toContain(deviceId);

    const other = { ...body, deviceId: `d-${newId().replace(/-/g, '')}` };
    expect((await t.request('POST', devices, { token: controller, body: other })).status).toBe(403);
    expect((await t.request('POST', devices, { token: participant, body: other })).status).toBe(403);
    expect((await t.request('POST', devices, { body: other })).status).toBe(401);
    expect((await t.request('GET', devices, { token: cashier })).status).toBe(403);
  });

  it('validates the body and names each field at fault', async () => {
    const r = await t.request('POST', devices, {
      token: cashier,
      body: { deviceId: 'has spaces!', name: '', publicKey: 'not-a-key' },
    });
    expect(r.status).toBe(400);
    const fields = (r.body.fields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(['body.deviceId', 'body.name', 'body.publicKey']);
    // A key some other device already published is refused.
    const pair = generateSigningKey('k');
    const a = { deviceId: `d-${newId().replace(/-/g, '')}`, name: 'A', publicKey: pair.publicKey };
    expect((await t.request('POST', devices, { token: cashier, body: a })).status).toBe(201);
    const b = { ...a, deviceId: `d-${newId().replace(/-/g, '')}` };
    const dup = await t.request('POST', devices, { token: cashier, body: b });
    expect(dup.status).toBe(409);
  });

  it('revokes a device key: the trust record says revoked and doors refuse what it signed', async () => {
    const deviceId = `d-${newId().replace(/-/g, '')}`;
    const pair = generateSigningKey('k');
    const enrolled = await t.request('POST', devices, {
      token: cashier,
      body: { deviceId, name: 'Tablette volée', publicKey: pair.publicKey },
    });
    const key = { ...pair, keyId: enrolled.body.keyId as string };
    const badge = walkInBadge(key);
    expect(resolveBadge(badge, buildTrustList(await doorTrust())).status).toBe('valid');

    // Only an organizer revokes.
    expect(
      (await t.request('PATCH', `${devices}/${deviceId}`, { token: cashier, body: { revoked: true } })).status,
    ).toBe(403);
    const r = await t.request('PATCH', `${devices}/${deviceId}`, {
      token: organizer,
      body: { revoked: true, reason: 'Tablette perdue' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ deviceId, revoked: true });
    expect(r.body.revokedAt).toEqual(expect.any(String));

    const trust = await doorTrust();
    expect(trust.find((x) => x.deviceId === deviceId)).toMatchObject({ revoked: true, reason: 'Tablette perdue' });
    expect(resolveBadge(badge, buildTrustList(trust))).toMatchObject({ status: 'forged', why: 'key_revoked' });

    // A revoked device cannot enroll again; revoking twice changes nothing.
    const again = await t.request('POST', devices, {
      token: cashier,
      body: { deviceId, name: 'Tablette volée', publicKey: pair.publicKey },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('device_revoked');
    const twice = await t.request('PATCH', `${devices}/${deviceId}`, { token: organizer, body: { revoked: true } });
    expect(twice.status).toBe(200);
    expect(twice.body.revokedAt).toBe(r.body.revokedAt);
    expect(
      (await t.request('PATCH', `${devices}/d-unknown`, { token: organizer, body: { revoked: true } })).status,
    ).toBe(404);
  });
});
