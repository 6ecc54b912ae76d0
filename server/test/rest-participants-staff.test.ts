import { newId, parseBadgeCode, verifyBadgeSignature } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, mailedInvitation, register, type World, writeState } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 40 });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);
const participants = (e: string) => `/api/v1/events/${e}/participants`;
const memberships = (e: string) => `/api/v1/events/${e}/memberships`;
const as = (token: string) => ({
  get: (url: string) => t.request('GET', url, { token }),
  post: (url: string, body: unknown) => t.request('POST', url, { token, body }),
  patch: (url: string, body: unknown) => t.request('PATCH', url, { token, body }),
  del: (url: string) => t.request('DELETE', url, { token }),
});
const userByEmail = (email: string) =>
  t.services.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

/** True when a server key published to the event signed this badge. */
async function signedByServer(eventId: string, code: string) {
  const parsed = parseBadgeCode(code);
  if (parsed.format !== 'mkpl') return false;
  const keys = await t.services.db
    .selectFrom('badgeTrust')
    .select(['keyId', 'publicKey'])
    .where('eventId', '=', eventId)
    .where('kind', '=', 'signing_key')
    .execute();
  const key = keys.find((k) => k.keyId === parsed.payload.k);
  return !!key && verifyBadgeSignature(parsed, key.publicKey);
}

describe('participants', () => {
  it('with an email: linked to a placeholder account, with its permanent badge and legacy badge id', async () => {
    const org = as(w.tokens.organizerA);
    const r = await org.post(participants(w.A), {
      firstName: 'Rania',
      lastName: 'Touati',
      email: 'Rania.Touati@Example.org',
      organization: 'CHU Annaba',
      category: 'Résidente',
    });
    expect(r.status).toBe(201);
    const user = await userByEmail('rania.touati@example.org');
    expect(user).toBeDefined();
    expect(user?.passwordHash).toBeNull();
    expect(r.body).toMatchObject({
      userId: user?.id,
      userLegacyId: user?.legacyId,
      badgeCode: user?.badgeCode,
      legacyBadgeId: user?.legacyBadgeId,
      source: 'admin',
      allowedRoomIds: null,
    });
    expect(r.body.badgeCode).toMatch(/^MKPL1\./);
    expect(r.body.legacyBadgeId).toMatch(new RegExp(`^USER-${user?.legacyId}-[0-9A-F]{8}$`));
    const parsed = parseBadgeCode(r.body.badgeCode);
    expect(parsed.format === 'mkpl' && parsed.payload.p).toBe(user?.id);
    expect(await signedByServer(w.A, r.body.badgeCode)).toBe(true);

    // The same person in another event carries the same badge.
    const inB = await as(w.tokens.organizerB).post(participants(w.B), {
      firstName: 'Rania',
      email: 'rania.touati@example.org',
    });
    expect(inB.status).toBe(201);
    expect(inB.body).toMatchObject({
      userId: user?.id,
      badgeCode: r.body.badgeCode,
      legacyBadgeId: r.body.legacyBadgeId,
    });
  });

  it('an existing account is linked, not duplicated', async () => {
    const reg = await register(t, 'already.here@example.org', 'Already');
    const r = await as(w.tokens.organizerA).post(participants(w.A), {
      firstName: 'Already',
      email: 'already.here@example.org',
    });
    expect(r.status).toBe(201);
    expect(r.body.userId).toBe(reg.user.id);
    // The account now sees the event as a participant.
    const me = await t.request('GET', '/api/v1/auth/my-events', { token: reg.accessToken });
    expect(me.body.events.map((e: { id: string; role: string }) => [e.id, e.role])).toEqual([[w.A, 'participant']]);
  });

  it('without an email: a badge of its own, signed for this event', async () => {
    const r = await as(w.tokens.cashierA).post(participants(w.A), { firstName: 'Walk', lastName: 'In' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ userId: null, userLegacyId: 0, legacyBadgeId: '', email: '' });
    const parsed = parseBadgeCode(r.body.badgeCode);
    expect(parsed.format).toBe('mkpl');
    if (parsed.format === 'mkpl') expect(parsed.payload).toMatchObject({ p: r.body.id, e: w.A, n: 'Walk In' });
    expect(await signedByServer(w.A, r.body.badgeCode)).toBe(true);
  });

  it('refuses a second registration of the same email in an event, whatever its case', async () => {
    const before = await writeState(t);
    const r = await as(w.tokens.organizerB).post(participants(w.B), { firstName: 'Again', email: 'BEA@example.org' });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('duplicate');
    expect(fieldsOf(r.body)).toEqual(['body.email']);
    expect(await writeState(t)).toEqual(before);
  });

  it('links a participant when an email is added, and refuses to move a linked one to another email', async () => {
    const org = as(w.tokens.organizerA);
    const p = (await org.post(participants(w.A), { firstName: 'Later', lastName: 'Mail', phone: '0555' })).body;
    const linked = await org.patch(`${participants(w.A)}/${p.id}`, { email: 'later.mail@example.org' });
    expect(linked.status).toBe(200);
    const user = await userByEmail('later.mail@example.org');
    expect(linked.body).toMatchObject({
      userId: user?.id,
      badgeCode: user?.badgeCode,
      phone: '0555',
      lastName: 'Mail',
    });

    const before = await writeState(t);
    const moved = await org.patch(`${participants(w.A)}/${p.id}`, { email: 'someone.else@example.org' });
    expect(moved.status).toBe(409);
    expect(fieldsOf(moved.body)).toEqual(['body.email']);
    expect(await writeState(t)).toEqual(before);
    // Case only: same account, fine.
    expect((await org.patch(`${participants(w.A)}/${p.id}`, { email: 'Later.Mail@example.org' })).status).toBe(200);

    // An email already registered in this event: 409, nothing linked.
    const other = (await org.post(participants(w.A), { firstName: 'No', lastName: 'Mail' })).body;
    const taken = await org.patch(`${participants(w.A)}/${other.id}`, { email: 'later.mail@example.org' });
    expect(taken.status).toBe(409);
  });

  it('changes only the fields sent', async () => {
    const org = as(w.tokens.organizerA);
    const p = (
      await org.post(participants(w.A), {
        firstName: 'Keep',
        lastName: 'Fields',
        email: 'keep.fields@example.org',
        organization: 'Org',
        category: 'Cat',
        allowedRoomIds: [w.a.roomId],
      })
    ).body;
    const r = await org.patch(`${participants(w.A)}/${p.id}`, { firstName: 'Kept', rev: p.rev });
    expect(r.status).toBe(200);
    const { firstName: _f, rev: _r, seq: _s, updatedAt: _u, ...rest } = p;
    expect(r.body).toMatchObject({ ...rest, firstName: 'Kept', rev: p.rev + 1 });
    const stale = await org.patch(`${participants(w.A)}/${p.id}`, { firstName: 'Lost', rev: p.rev });
    expect(stale.status).toBe(409);
    expect(stale.body.current.firstName).toBe('Kept');
  });

  it("refuses allowedRoomIds naming another event's room, writing nothing", async () => {
    const org = as(w.tokens.organizerA);
    const before = await writeState(t);
    for (const allowedRoomIds of [[w.b.roomId], [w.a.roomId, w.b.roomId], [newId()]]) {
      const c = await org.post(participants(w.A), { firstName: 'Sly', email: 'sly@example.org', allowedRoomIds });
      expect(c.status).toBe(400);
      expect(c.body.fields).toEqual([{ field: 'body.allowedRoomIds', reason: 'no such room in this event' }]);
      const u = await org.patch(`${participants(w.A)}/${w.a.participantId}`, { allowedRoomIds });
      expect(u.status).toBe(400);
    }
    // Not even the placeholder account of the refused registration is left behind.
    expect(await userByEmail('sly@example.org')).toBeUndefined();
    expect(await writeState(t)).toEqual(before);
    const ok = await org.patch(`${participants(w.A)}/${w.a.participantId}`, { allowedRoomIds: [w.a.roomId] });
    expect(ok.status).toBe(200);
    expect(ok.body.allowedRoomIds).toEqual([w.a.roomId]);
  });

  it('searches full text, filters, sorts and pages', async () => {
    const org = as(w.tokens.organizerA);
    const list = async (qs: string) => {
      const r = await org.get(`${participants(w.A)}?${qs}`);
      expect(r.status, qs).toBe(200);
      return r.body;
    };
    const all = await list('pageSize=500');
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThan(40);
    const p = await list('pageSize=7&page=2');
    expect(p).toMatchObject({ total: all.total, page: 2, pageSize: 7, pages: Math.ceil(all.total / 7) });
    expect(p.items.map((x: { id: string }) => x.id)).toEqual(all.items.slice(7, 14).map((x: { id: string }) => x.id));

    // Prefix search on names, organisation, email and legacy badge id; several words narrow it.
    expect((await list('q=touat')).items.map((x: { lastName: string }) => x.lastName)).toEqual(['Touati']);
    expect((await list('q=rania%20annaba')).total).toBe(1);
    expect((await list('q=rania%20oran')).total).toBe(0);
    expect((await list('q=rania.touati@example.org')).total).toBe(1);
    const rania = (await list('q=touati')).items[0];
    expect((await list(`q=${rania.legacyBadgeId}`)).items.map((x: { id: string }) => x.id)).toEqual([rania.id]);
    // Characters with a meaning in tsquery are only text here.
    for (const q of ["o'brien", 'a & b', '!', ':*', '(x', '\\', '%', '___', '-', 'é', '@']) {
      await list(`q=${encodeURIComponent(q)}`);
    }

    const medecins = await list('category=M%C3%A9decin&pageSize=500');
    expect(medecins.total).toBeGreaterThan(0);
    expect(medecins.items.every((x: { category: string }) => x.category === 'Médecin')).toBe(true);
    const byOrg = await list('organization=CHU%20Oran');
    expect(byOrg.items.every((x: { organization: string }) => x.organization === 'CHU Oran')).toBe(true);
    expect((await list(`userLegacyId=${rania.userLegacyId}`)).items.map((x: { id: string }) => x.id)).toEqual([
      rania.id,
    ]);

    const desc = await list('sort=-legacyId&pageSize=500');
    const ids = desc.items.map((x: { legacyId: number }) => x.legacyId);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const byName = await list('sort=lastName&pageSize=500');
    const last = byName.items.map((x: { lastName: string }) => x.lastName.toLowerCase());
    expect(last[0] <= last[last.length - 1]).toBe(true);

    for (const bad of ['userLegacyId=abc', 'sort=badgeCode', 'pageSize=0', 'page=-1', `q=${'x'.repeat(201)}`]) {
      const r = await org.get(`${participants(w.A)}?${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.fields.length).toBeGreaterThan(0);
    }
  });

  it('gives the exact total on every page as participants are added, edited and deleted', async () => {
    const org = as(w.tokens.organizerA);
    const total = async (qs: string) => {
      const r = await org.get(`${participants(w.A)}?${qs}`);
      expect(r.status, qs).toBe(200);
      return r.body.total as number;
    };
    const before = await total('pageSize=5');
    const infirmiers = await total('category=Infirmier&pageSize=5');
    const p = (await org.post(participants(w.A), { firstName: 'Counted', email: 'counted@example.org' })).body;
    expect(await total('pageSize=5')).toBe(before + 1);
    // A page past the end still says how many there are.
    const far = await org.get(`${participants(w.A)}?pageSize=5&page=100000`);
    expect(far.body).toMatchObject({ items: [], total: before + 1 });
    expect(await total('category=Infirmier&pageSize=5')).toBe(infirmiers);
    const edited = await org.patch(`${participants(w.A)}/${p.id}`, { category: 'Infirmier' });
    expect(edited.status).toBe(200);
    expect(await total('category=Infirmier&pageSize=5')).toBe(infirmiers + 1);
    expect((await org.del(`${participants(w.A)}/${p.id}`)).status).toBe(204);
    expect(await total('pageSize=5')).toBe(before);
    expect(await total('category=Infirmier&pageSize=5')).toBe(infirmiers);
  });

  it('deletes, after which the email can register again', async () => {
    const org = as(w.tokens.organizerA);
    const p = (await org.post(participants(w.A), { firstName: 'Gone', email: 'gone@example.org' })).body;
    expect((await org.del(`${participants(w.A)}/${p.id}?rev=${p.rev + 5}`)).status).toBe(409);
    expect((await org.del(`${participants(w.A)}/${p.id}`)).status).toBe(204);
    expect((await org.get(`${participants(w.A)}/${p.id}`)).status).toBe(404);
    const again = await org.post(participants(w.A), { firstName: 'Back', email: 'gone@example.org' });
    expect(again.status).toBe(201);
    expect(again.body.badgeCode).toBe(p.badgeCode);
  });

  it('is read by staff that needs it and written by organizers and cash desks', async () => {
    expect((await as(w.tokens.controllerA).get(participants(w.A))).status).toBe(200);
    expect((await as(w.tokens.exhibitorA).get(participants(w.A))).status).toBe(403);
    expect((await as(w.tokens.participantA).get(`${participants(w.A)}/${w.a.participantId}`)).status).toBe(403);
    const before = await writeState(t);
    expect((await as(w.tokens.controllerA).post(participants(w.A), { firstName: 'X' })).status).toBe(403);
    expect(
      (await as(w.tokens.managerA).patch(`${participants(w.A)}/${w.a.participantId}`, { firstName: 'X' })).status,
    ).toBe(403);
    expect(await writeState(t)).toEqual(before);
  });
});

describe('memberships (staff)', () => {
  it('invites by email: a placeholder account with the role, claimed when its owner registers', async () => {
    const r = await as(w.tokens.organizerB).post(memberships(w.B), {
      email: 'New.Cashier@Example.org',
      firstName: 'Nora',
      lastName: 'Caissière',
      role: 'room_manager',
      assignedRoomId: w.b.roomId,
    });
    expect(r.status).toBe(201);
    const user = await userByEmail('new.cashier@example.org');
    expect(user).toMatchObject({ passwordHash: null, firstName: 'Nora', lastName: 'Caissière' });
    expect(r.body).toMatchObject({
      userId: user?.id,
      role: 'room_manager',
      isActive: true,
      assignedRoomId: w.b.roomId,
      userEmail: 'new.cashier@example.org',
      userFirstName: 'Nora',
      assignedBy: w.organizerB.userId,
    });
    // Claimed with the mailed link's invitation (knowing the address is not enough: register-claim.test.ts).
    const claimed = await register(
      t,
      'new.cashier@example.org',
      'Nora',
      mailedInvitation(t, 'new.cashier@example.org'),
    );
    expect(claimed.user.id).toBe(user?.id);
    const events = await t.request('GET', '/api/v1/events', { token: claimed.accessToken });
    expect(events.body.items.map((e: { id: string; role: string }) => [e.id, e.role])).toEqual([[w.B, 'room_manager']]);
  });

  it('adds an existing account by id, and refuses a second role for the same person', async () => {
    const reg = await register(t, 'by.id@example.org', 'ById');
    const org = as(w.tokens.organizerB);
    const r = await org.post(memberships(w.B), { userId: reg.user.id, role: 'cashier' });
    expect(r.status).toBe(201);
    expect(r.body.userEmail).toBe('by.id@example.org');
    const before = await writeState(t);
    const byId = await org.post(memberships(w.B), { userId: reg.user.id, role: 'committee' });
    expect(byId.status).toBe(409);
    expect(fieldsOf(byId.body)).toEqual(['body.userId']);
    const byEmail = await org.post(memberships(w.B), { email: 'BY.ID@example.org', role: 'committee' });
    expect(byEmail.status).toBe(409);
    expect(fieldsOf(byEmail.body)).toEqual(['body.email']);
    expect(await writeState(t)).toEqual(before);
  });

  it('rejects an unknown user, a missing person and a room of another event, writing nothing', async () => {
    const org = as(w.tokens.organizerB);
    const before = await writeState(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: newId(), role: 'cashier' }, 'body.userId'],
      [{ role: 'cashier' }, 'body.email'],
      [{ email: 'nobody.yet@example.org' }, 'body.role'],
      [{ email: 'nobody.yet@example.org', role: 'king' }, 'body.role'],
      [{ email: 'not-an-email', role: 'cashier' }, 'body.email'],
      [{ email: 'nobody.yet@example.org', role: 'room_manager', assignedRoomId: w.a.roomId }, 'body.assignedRoomId'],
      [{ email: 'nobody.yet@example.org', role: 'exhibitor', exhibitorId: newId() }, 'body.exhibitorId'],
    ];
    for (const [body, field] of cases) {
      const r = await org.post(memberships(w.B), body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(r.body)).toContain(field);
    }
    const u = await org.patch(`${memberships(w.B)}/${w.b.membershipId}`, { assignedRoomId: w.a.roomId });
    expect(u.status).toBe(400);
    expect(await userByEmail('nobody.yet@example.org')).toBeUndefined();
    expect(await writeState(t)).toEqual(before);
  });

  it('never leaves an event without an active organizer', async () => {
    const org = as(w.tokens.organizerB);
    const mine = (await org.get(`${memberships(w.B)}?role=organizer`)).body.items;
    expect(mine).toHaveLength(1);
    const self = mine[0];
    const before = await writeState(t);
    for (const patch of [{ role: 'cashier' }, { isActive: false }]) {
      const r = await org.patch(`${memberships(w.B)}/${self.id}`, patch);
      expect(r.status).toBe(409);
      expect(r.body.error).toBe('last_organizer');
    }
    expect((await org.del(`${memberships(w.B)}/${self.id}`)).status).toBe(409);
    expect(await writeState(t)).toEqual(before);

    // With a second organizer, one may step down; then the other is the last one.
    const second = await org.post(memberships(w.B), { email: 'co.organizer@example.org', role: 'organizer' });
    expect(second.status).toBe(201);
    const deactivated = await org.patch(`${memberships(w.B)}/${second.body.id}`, { isActive: false });
    expect(deactivated.status).toBe(200);
    // An inactive organizer is no safeguard, and removing it is allowed.
    expect((await org.patch(`${memberships(w.B)}/${self.id}`, { role: 'cashier' })).status).toBe(409);
    expect((await org.del(`${memberships(w.B)}/${second.body.id}`)).status).toBe(204);

    const third = await org.post(memberships(w.B), { email: 'co.organizer2@example.org', role: 'organizer' });
    const demoted = await org.patch(`${memberships(w.B)}/${third.body.id}`, { role: 'committee', rev: third.body.rev });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toMatchObject({ role: 'committee', isActive: true, userEmail: 'co.organizer2@example.org' });
  });

  it('lists with filters, search and sort', async () => {
    const org = as(w.tokens.organizerA);
    const all = (await org.get(memberships(w.A))).body;
    expect(all.items.map((m: { role: string }) => m.role).sort()).toEqual([
      'badge_controller',
      'exhibitor',
      'organizer',
      'room_manager',
    ]);
    expect((await org.get(`${memberships(w.A)}?q=samir`)).body.items.map((m: { role: string }) => m.role)).toEqual([
      'badge_controller',
    ]);
    const byRole = (await org.get(`${memberships(w.A)}?sort=-role`)).body.items.map((m: { role: string }) => m.role);
    expect(byRole).toEqual([...byRole].sort().reverse());
    expect((await org.get(`${memberships(w.A)}?assignedRoomId=${w.a.roomId}`)).body.total).toBe(1);
    expect((await org.get(`${memberships(w.A)}?isActive=false`)).body.total).toBe(0);
  });

  it('is managed by organizers only', async () => {
    const before = await writeState(t);
    for (const token of [w.tokens.controllerA, w.tokens.managerA, w.tokens.cashierA]) {
      expect((await as(token).get(memberships(w.A))).status).toBe(403);
      expect((await as(token).post(memberships(w.A), { email: 'x@example.org', role: 'organizer' })).status).toBe(403);
      expect((await as(token).patch(`${memberships(w.A)}/${w.a.membershipId}`, { role: 'organizer' })).status).toBe(
        403,
      );
    }
    expect(await writeState(t)).toEqual(before);
  });
});
