import type { EventRecord } from '@makeplus/shared';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID, DEMO_PASSWORD } from '../../src/demo/seed';
import { insertRecord, systemContext, updateRecord } from '../../src/sync/recordStore';
import type { TestApp } from './testApp';

/** The mobile app's calls: JSON, `Authorization: Bearer`, trailing slashes. */
export function mobile(t: TestApp) {
  return {
    get: (url: string, token?: string) => t.request('GET', url, token ? { token } : {}),
    post: (url: string, body: unknown, token?: string) =>
      t.request('POST', url, { body: body as object, ...(token ? { token } : {}) }),
    patch: (url: string, body: unknown, token?: string) =>
      t.request('PATCH', url, { body: body as object, ...(token ? { token } : {}) }),
    delete: (url: string, body: unknown, token?: string) =>
      t.request('DELETE', url, {
        ...(body !== undefined ? { body: body as object } : {}),
        ...(token ? { token } : {}),
      }),
    /** Sign in as the app does; with several events, choose `eventId` (default: the demo event). */
    async login(email: string, password = DEMO_PASSWORD, eventId = DEMO_EVENT_ID) {
      let r = await t.request('POST', '/api/auth/token/', { body: { email, password } });
      if (r.status === 200 && r.body.requires_event_selection)
        r = await t.request('POST', '/api/auth/select-event/', {
          body: { event_id: eventId },
          headers: { authorization: `Bearer ${r.body.temp_token}` },
        });
      if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as {
        access: string;
        refresh: string;
        role: string;
        event: { id: string } | null;
        [k: string]: unknown;
      };
    },
  };
}

/** The demo event runs from yesterday, so door verdicts do not depend on the hour the tests run. */
export async function demoEventRunning(t: TestApp): Promise<void> {
  const e = (await t.services.db
    .selectFrom('events')
    .selectAll()
    .where('id', '=', DEMO_EVENT_ID)
    .executeTakeFirstOrThrow()) as unknown as EventRecord;
  const start = new Date(Date.now() - 86_400_000).toISOString();
  await t.services.db
    .transaction()
    .execute((trx) =>
      updateRecord(
        trx,
        'events',
        DEMO_EVENT_ID,
        DEMO_EVENT_ID,
        { startsAt: start, endsAt: new Date(Date.parse(e.endsAt) + 86_400_000).toISOString() },
        systemContext,
      ),
    );
}

/** A second event, with the demo participant (and optionally the controller) in it. */
export async function secondEvent(t: TestApp, options: { name?: string; controller?: boolean } = {}): Promise<string> {
  const { db } = t.services;
  const organizer = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', DEMO_ACCOUNTS.organizer)
    .executeTakeFirstOrThrow();
  const start = new Date(Date.now() + 30 * 86_400_000);
  const session = await t.login(DEMO_ACCOUNTS.organizer);
  const created = await t.request('POST', '/api/v1/events', {
    token: session.accessToken,
    body: {
      name: options.name ?? 'Journées B',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 86_400_000).toISOString(),
      venue: 'Oran',
      primaryColor: '#123456',
    },
  });
  if (created.status !== 201) throw new Error(`event: ${created.status} ${JSON.stringify(created.body)}`);
  const event = created.body as EventRecord;
  const participant = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', DEMO_ACCOUNTS.participant)
    .executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    await insertRecord(
      trx,
      'participants',
      event.id,
      {
        firstName: participant.firstName,
        lastName: participant.lastName,
        email: participant.email,
        phone: '',
        organization: '',
        category: '',
        allowedRoomIds: null,
        userId: participant.id,
        userLegacyId: participant.legacyId,
        badgeCode: participant.badgeCode,
        legacyBadgeId: participant.legacyBadgeId,
        source: 'admin',
      },
      systemContext,
    );
    if (options.controller) {
      const c = await trx
        .selectFrom('users')
        .selectAll()
        .where('email', '=', DEMO_ACCOUNTS.controller)
        .executeTakeFirstOrThrow();
      await insertRecord(
        trx,
        'memberships',
        event.id,
        {
          userId: c.id,
          role: 'badge_controller',
          isActive: true,
          assignedRoomId: null,
          exhibitorId: null,
          userEmail: c.email,
          userFirstName: c.firstName,
          userLastName: c.lastName,
          assignedBy: organizer.id,
        },
        systemContext,
      );
    }
  });
  return event.id;
}
