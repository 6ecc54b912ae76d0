import { parseBadgeCode } from '@makeplus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, type World } from './support/restWorld';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 20 });
  w = await buildWorld(t);
});
afterAll(() => t?.close());

const url = (e: string) => `/api/v1/events/${e}/participants/import`;
const row = (n: number, values: Record<string, unknown>) => ({ row: n, values });
const registrations = (eventId: string, email: string) =>
  t.services.db
    .selectFrom('participants')
    .selectAll()
    .where('eventId', '=', eventId)
    .where('deleted', '=', false)
    .where('email', '=', email)
    .execute();

describe('participants import', () => {
  it('imports a batch: accounts for emails, badges, source import, one registration per email', async () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      row(i + 1, {
        firstName: `Prénom${i}`,
        lastName: `Nom${i}`,
        email: `import${i}@example.org`,
        organization: 'CHU Oran',
        category: i % 2 ? 'Médecin' : 'Résident',
      }),
    );
    // The same person twice in the file (other case), and someone without an email.
    rows.push(row(301, { firstName: 'Prénom0', lastName: 'Nom0', email: 'IMPORT0@example.org', phone: '0555' }));
    rows.push(row(302, { firstName: 'Sans', lastName: 'Courriel' }));
    const imported = async () =>
      (
        await t.request('GET', `/api/v1/events/${w.A}/participants?source=import&pageSize=1`, {
          token: w.tokens.organizerA,
        })
      ).body.total as number;
    const before = await imported();
    const r = await t.request('POST', url(w.A), { token: w.tokens.organizerA, body: { rows } });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(301);
    expect(r.body.merged).toBe(1);
    expect(r.body.ids).toHaveLength(302);
    expect(r.body.ids[0].id).toBe(r.body.ids[300].id);

    const [first] = await registrations(w.A, 'import0@example.org');
    expect(first).toMatchObject({ source: 'import', phone: '0555', organization: 'CHU Oran' });
    expect(first?.userId).toBeTruthy();
    expect(first?.badgeCode).toMatch(/^MKPL1/);
    const noEmail = await t.services.db
      .selectFrom('participants')
      .selectAll()
      .where('eventId', '=', w.A)
      .where('lastName', '=', 'Courriel')
      .executeTakeFirstOrThrow();
    expect(noEmail.userId).toBeNull();
    expect(noEmail.badgeCode).toMatch(/^MKPL1/);

    // Readable through the list like any other registration.
    expect(await imported()).toBe(before + 301);
  });

  it('merges rows whose email is already registered instead of refusing them', async () => {
    const r = await t.request('POST', url(w.A), {
      token: w.tokens.organizerA,
      body: { rows: [row(1, { firstName: 'Prénom5', email: 'import5@example.org', organization: 'CHU Annaba' })] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ created: 0, merged: 1 });
    const regs = await registrations(w.A, 'import5@example.org');
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ organization: 'CHU Annaba', lastName: 'Nom5' });
  });

  it('all or report: one bad row refuses the batch and names each row and field', async () => {
    const before = await t.services.db
      .selectFrom('participants')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('eventId', '=', w.A)
      .executeTakeFirstOrThrow();
    const r = await t.request('POST', url(w.A), {
      token: w.tokens.organizerA,
      body: {
        rows: [
          row(1, { firstName: 'Bon', email: 'bon@example.org' }),
          row(2, { firstName: '', email: 'vide@example.org' }),
          row(3, { firstName: 'Mauvais', email: 'pas-un-courriel' }),
        ],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('validation_failed');
    expect(r.body.fields.map((f: { field: string }) => f.field)).toEqual(['rows.2.firstName', 'rows.3.email']);
    const after = await t.services.db
      .selectFrom('participants')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('eventId', '=', w.A)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await registrations(w.A, 'bon@example.org')).toHaveLength(0);
  });

  it('refuses rooms of another event, callers without the right, and batches too large', async () => {
    const other = await t.request('POST', url(w.A), {
      token: w.tokens.organizerA,
      body: { rows: [row(1, { firstName: 'X', allowedRoomIds: [w.b.roomId] })] },
    });
    expect(other.status).toBe(400);
    expect(other.body.fields[0].field).toBe('rows.1.allowedRoomIds');

    const ok = await t.request('POST', url(w.A), {
      token: w.tokens.organizerA,
      body: { rows: [row(1, { firstName: 'Salle', lastName: 'Limitée', allowedRoomIds: [w.a.roomId] })] },
    });
    expect(ok.status).toBe(200);

    const controller = await t.request('POST', url(w.A), {
      token: w.tokens.controllerA,
      body: { rows: [row(1, { firstName: 'X' })] },
    });
    expect(controller.status).toBe(403);
    const otherEvent = await t.request('POST', url(w.B), {
      token: w.tokens.organizerA,
      body: { rows: [row(1, { firstName: 'X' })] },
    });
    expect(otherEvent.status).toBe(403);
    const tooMany = await t.request('POST', url(w.A), {
      token: w.tokens.organizerA,
      body: { rows: Array.from({ length: 2001 }, (_, i) => row(i + 1, { firstName: 'X' })) },
    });
    expect(tooMany.status).toBe(400);
  });
  it('one batch mixing registered people, known accounts, new people and repeats: accounts made in bulk', async () => {
    // Already registered in this event (merged), known elsewhere (an account from event B), new.
    const known = await t.request('POST', url(w.B), {
      token: w.tokens.organizerB,
      body: { rows: [row(1, { firstName: 'Connue', lastName: 'Ailleurs', email: 'mix.known@example.org' })] },
    });
    expect(known.status).toBe(200);
    const knownUser = await t.services.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'mix.known@example.org')
      .executeTakeFirstOrThrow();
    const usersBefore = await t.services.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();

    const rows = [
      row(1, { firstName: 'Prénom7', email: 'import7@example.org', organization: 'CHU Sétif' }),
      row(2, { firstName: 'Connue', lastName: 'Ici', email: 'MIX.KNOWN@example.org' }),
      ...Array.from({ length: 1200 }, (_, i) =>
        row(i + 3, { firstName: `Nouveau${i}`, lastName: 'Mix', email: `mix.new${i}@example.org` }),
      ),
      // The same new person again (other case, a phone added) and the registered one again.
      row(1203, { firstName: 'Nouveau0', lastName: 'Mix', email: 'Mix.New0@example.org', phone: '0661' }),
      row(1204, { firstName: 'Prénom7', email: 'import7@example.org', phone: '0770' }),
    ];
    const r = await t.request('POST', url(w.A), { token: w.tokens.organizerA, body: { rows } });
    expect(r.status).toBe(200);
    // New registrations: 1,200 new people and the one known from event B; merged: the repeat of a
    // new person and the registered person's two rows (one registration).
    expect(r.body).toMatchObject({ created: 1201, merged: 2 });
    const idOf = (n: number) => r.body.ids.find((x: { row: number }) => x.row === n);
    expect(idOf(1203).id).toBe(idOf(3).id);
    expect(idOf(1203).merged).toBe(true);
    expect(idOf(1).id).toBe(idOf(1204).id);
    expect(idOf(1).merged).toBe(true);

    // One account per new email, none for the known one.
    const usersAfter = await t.services.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(usersAfter.n) - Number(usersBefore.n)).toBe(1200);
    const [knownReg] = await registrations(w.A, 'mix.known@example.org');
    expect(knownReg).toMatchObject({ userId: knownUser.id, badgeCode: knownUser.badgeCode });

    // Each new account: a placeholder with its own permanent badge and legacy id, as a single create makes.
    const created = await t.services.db
      .selectFrom('users')
      .selectAll()
      .where('email', 'like', 'mix.new%@example.org')
      .execute();
    expect(created).toHaveLength(1200);
    expect(new Set(created.map((u) => u.badgeCode)).size).toBe(1200);
    for (const u of created) {
      expect(u.passwordHash).toBeNull();
      expect(u.legacyBadgeId).toBe(`USER-${u.legacyId}-${u.id.replace(/-/g, '').slice(-8).toUpperCase()}`);
      const badge = parseBadgeCode(u.badgeCode ?? '');
      expect(badge.format === 'mkpl' && badge.payload.p).toBe(u.id);
    }
    const [newcomer] = await registrations(w.A, 'mix.new0@example.org');
    const account = created.find((u) => u.email === 'mix.new0@example.org');
    expect(newcomer).toMatchObject({
      userId: account?.id,
      userLegacyId: account?.legacyId,
      badgeCode: account?.badgeCode,
      legacyBadgeId: account?.legacyBadgeId,
      phone: '0661',
      source: 'import',
    });
    const [registered] = await registrations(w.A, 'import7@example.org');
    expect(registered).toMatchObject({ organization: 'CHU Sétif', phone: '0770' });

    // Every new registration and the merge are in the audit trail.
    const audited = await t.services.db
      .selectFrom('auditLog')
      .select(['action', 'recordId'])
      .where('eventId', '=', w.A)
      .where('collection', '=', 'participants')
      .where('recordId', 'in', [idOf(3).id, idOf(1).id, knownReg?.id as string])
      .execute();
    expect(audited.map((a) => `${a.recordId === idOf(1).id ? 'registered' : 'new'} ${a.action}`).sort()).toEqual(
      expect.arrayContaining(['new create', 'new create', 'registered update']),
    );

    // Sent again (a retried batch): nothing new, everything merged.
    const again = await t.request('POST', url(w.A), { token: w.tokens.organizerA, body: { rows } });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(0);
    expect(again.body.ids.map((x: { id: string }) => x.id)).toEqual(r.body.ids.map((x: { id: string }) => x.id));
  });
});
