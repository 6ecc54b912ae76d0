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
});
