import { type ProfileUpdate, profileUpdateInput } from '@makeplus/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { requireUser } from '../http/auth';
import { unauthorized } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { updateRecord, type WriteContext } from '../sync/recordStore';
import { recordAccountChange } from './accountAudit';
import { toUserPublic } from './service';

/**
 * A person edits their own profile: names, phone, language. The account row changes, and so do
 * the copies other devices hold, through the record store (so they sync and the audit trail
 * records them): the name on the person's staff memberships, and the name and phone of each of
 * their registrations (what the door, the cash desk and the organizer's lists show).
 * The mobile app's PATCH /api/auth/me/ calls the same function.
 */
export async function updateProfile(
  db: Kysely<DB>,
  userId: string,
  patch: ProfileUpdate,
  write: Omit<WriteContext, 'actor'>,
) {
  return db.transaction().execute(async (trx) => {
    const previous = await trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    const user = await trx
      .updateTable('users')
      .set({ ...patch, updatedAt: new Date().toISOString() })
      .where('id', '=', userId)
      .where('isActive', '=', true)
      .returningAll()
      .executeTakeFirst();
    if (!user || !previous) throw unauthorized('This account no longer exists');
    const changed = Object.keys(patch) as (keyof ProfileUpdate)[];
    await recordAccountChange(trx, user, {
      field: 'profile',
      before: Object.fromEntries(changed.map((k) => [k, previous[k]])),
      after: Object.fromEntries(changed.map((k) => [k, user[k]])),
      at: user.updatedAt,
      ip: write.ip,
    });
    const ctx: WriteContext = { ...write, actor: { kind: 'user', id: user.id, label: user.email } };
    const names = patch.firstName !== undefined || patch.lastName !== undefined;
    if (names) {
      const memberships = await trx
        .selectFrom('memberships')
        .select(['id', 'eventId', 'userFirstName', 'userLastName'])
        .where('userId', '=', userId)
        .where('deleted', '=', false)
        .execute();
      for (const m of memberships) {
        if (m.userFirstName === user.firstName && m.userLastName === user.lastName) continue;
        await updateRecord(
          trx,
          'memberships',
          m.eventId,
          m.id,
          { userFirstName: user.firstName, userLastName: user.lastName },
          ctx,
        );
      }
    }
    if (names || patch.phone !== undefined) {
      const registrations = await trx
        .selectFrom('participants')
        .select(['id', 'eventId', 'firstName', 'lastName', 'phone'])
        .where('userId', '=', userId)
        .where('deleted', '=', false)
        .execute();
      for (const r of registrations) {
        const change: Record<string, string> = {};
        if (names && r.firstName !== user.firstName) change.firstName = user.firstName;
        if (names && r.lastName !== user.lastName) change.lastName = user.lastName;
        if (patch.phone !== undefined && r.phone !== user.phone) change.phone = user.phone;
        if (Object.keys(change).length) await updateRecord(trx, 'participants', r.eventId, r.id, change, ctx);
      }
    }
    return toUserPublic(user);
  });
}

/** PATCH /api/v1/auth/me: the signed-in person's profile. */
export function profileRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  return async (app) => {
    app.patch(
      '/auth/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Edit my profile (names, phone, language); my registrations and staff entries follow',
          body: profileUpdateInput,
          response: errorResponses,
        },
      },
      async (req) => {
        const principal = requireUser(req);
        const user = await updateProfile(db, principal.userId, req.body, { via: 'rest', ip: req.ip });
        return { user };
      },
    );
  };
}
