import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema';
import { requireUser } from '../http/auth';
import { AppError } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { updateRecord, type WriteContext } from '../sync/recordStore';
import { verifyPassword } from './passwords';
import { accountQueries } from './queries';

/**
 * A person's own data: export it, or delete the account. Deletion anonymises rather than deletes
 * (contract §3.6), so registrations, scans, sales and leads stay consistent for the organizers:
 * - the account: email `deleted-user-<legacyId>@makeplus.invalid`, names and phone blanked, inactive,
 *   password unusable, every refresh token revoked;
 * - each registration (participant record, synced to devices): names replaced by "Compte supprimé",
 *   email and phone blanked;
 * - contact details that stands received after scanning the badge are blanked on their leads too.
 */
export function privacyQueries(db: Kysely<DB>) {
  return {
    async export(userId: string) {
      const user = await db
        .selectFrom('users')
        .select(['id', 'email', 'firstName', 'lastName', 'phone', 'locale', 'createdAt', 'lastLoginAt'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!user) return null;
      const registrations = await db
        .selectFrom('participants')
        .innerJoin('events', 'events.id', 'participants.eventId')
        .select([
          'participants.id',
          'participants.eventId',
          'events.name as eventName',
          'events.startsAt',
          'events.endsAt',
          'participants.firstName',
          'participants.lastName',
          'participants.email',
          'participants.phone',
          'participants.organization',
          'participants.category',
          'participants.badgeCode',
          'participants.legacyBadgeId',
          'participants.createdAt',
        ])
        .where('participants.userId', '=', userId)
        .where('participants.deleted', '=', false)
        .execute();
      const participantIds = registrations.map((r) => r.id);
      const memberships = await db
        .selectFrom('memberships')
        .innerJoin('events', 'events.id', 'memberships.eventId')
        .select(['memberships.eventId', 'events.name as eventName', 'memberships.role', 'memberships.isActive'])
        .where('memberships.userId', '=', userId)
        .where('memberships.deleted', '=', false)
        .execute();
      const questions = await db
        .selectFrom('questions')
        .innerJoin('sessions', 'sessions.id', 'questions.sessionId')
        .select([
          'questions.eventId',
          'sessions.title as session',
          'questions.text',
          'questions.askedAt',
          'questions.isAnswered',
        ])
        .where('questions.askedBy', '=', userId)
        .where('questions.deleted', '=', false)
        .orderBy('questions.askedAt')
        .execute();
      const entitlements = participantIds.length
        ? await db
            .selectFrom('entitlements')
            .leftJoin('sessions', 'sessions.id', 'entitlements.sessionId')
            .select([
              'entitlements.eventId',
              'entitlements.status',
              'entitlements.revoked',
              'sessions.title as session',
            ])
            .where('entitlements.participantId', 'in', participantIds)
            .where('entitlements.deleted', '=', false)
            .execute()
        : [];
      const scans = participantIds.length
        ? await db
            .selectFrom('scans')
            .leftJoin('rooms', 'rooms.id', 'scans.roomId')
            .select(['scans.eventId', 'rooms.name as room', 'scans.direction', 'scans.granted', 'scans.occurredAt'])
            .where('scans.participantId', 'in', participantIds)
            .where('scans.deleted', '=', false)
            .orderBy('scans.occurredAt')
            .execute()
        : [];
      const standVisits = participantIds.length
        ? await db
            .selectFrom('leadScans')
            .innerJoin('exhibitors', 'exhibitors.id', 'leadScans.exhibitorId')
            .select(['leadScans.eventId', 'exhibitors.name as stand', 'leadScans.occurredAt'])
            .where('leadScans.participantId', 'in', participantIds)
            .where('leadScans.deleted', '=', false)
            .orderBy('leadScans.occurredAt')
            .execute()
        : [];
      return {
        exportedAt: new Date().toISOString(),
        account: user,
        registrations,
        memberships,
        questions,
        entitlements,
        roomScans: scans,
        standVisits,
      };
    },
  };
}

/**
 * Anonymise an account (contract §3.6), for our API and the mobile app's DELETE /api/auth/me/ alike:
 * the account row, the person's registrations and staff entries and the contact details stands got
 * from their badge, through the record store (synced, audited); then every session is revoked.
 */
export async function anonymiseAccount(
  db: Kysely<DB>,
  user: { id: string; legacyId: number; email: string },
  write: Omit<WriteContext, 'actor'>,
) {
  const ctx: WriteContext = { ...write, actor: { kind: 'user', id: user.id, label: user.email } };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        email: `deleted-user-${user.legacyId}@makeplus.invalid`,
        firstName: '',
        lastName: '',
        phone: '',
        isActive: false,
        passwordHash: null,
        totpSecret: null,
        totpEnabled: false,
        updatedAt: new Date().toISOString(),
      })
      .where('id', '=', user.id)
      .execute();
    const registrations = await trx
      .selectFrom('participants')
      .select(['id', 'eventId'])
      .where('userId', '=', user.id)
      .where('deleted', '=', false)
      .execute();
    for (const r of registrations) {
      await updateRecord(
        trx,
        'participants',
        r.eventId,
        r.id,
        { firstName: 'Compte supprimé', lastName: '', email: '', phone: '', organization: '' },
        ctx,
      );
      const leads = await trx
        .selectFrom('leads')
        .select('id')
        .where('eventId', '=', r.eventId)
        .where('participantId', '=', r.id)
        .where('deleted', '=', false)
        .execute();
      for (const l of leads)
        await updateRecord(trx, 'leads', r.eventId, l.id, { visitorEmail: '', visitorPhone: '' }, ctx);
    }
    const memberships = await trx
      .selectFrom('memberships')
      .select(['id', 'eventId'])
      .where('userId', '=', user.id)
      .where('deleted', '=', false)
      .execute();
    for (const m of memberships)
      await updateRecord(
        trx,
        'memberships',
        m.eventId,
        m.id,
        {
          userEmail: `deleted-user-${user.legacyId}@makeplus.invalid`,
          userFirstName: '',
          userLastName: '',
          isActive: false,
        },
        ctx,
      );
  });
  await accountQueries(db).revokeAllOfSubject(user.id, 'account deleted');
}

const deleteInput = z.object({ password: z.string().max(200) });

export function privacyRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  const q = privacyQueries(db);
  return async (app) => {
    app.get(
      '/auth/me/export',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Everything the platform holds about the signed-in person (JSON download)',
          response: errorResponses,
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const data = await q.export(user.userId);
        if (!data) throw new AppError(404, 'not_found', 'Account not found');
        return reply
          .header(
            'content-disposition',
            `attachment; filename="makeplus-mes-donnees-${data.exportedAt.slice(0, 10)}.json"`,
          )
          .send(data);
      },
    );

    app.delete(
      '/auth/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Delete my account (anonymised, password required; contract §3.6)',
          body: deleteInput,
          response: errorResponses,
        },
      },
      async (req) => {
        const principal = requireUser(req);
        const user = await db
          .selectFrom('users')
          .select(['id', 'legacyId', 'email', 'passwordHash'])
          .where('id', '=', principal.userId)
          .executeTakeFirst();
        if (!user || !(await verifyPassword(user.passwordHash, req.body.password)))
          throw new AppError(
            400,
            'wrong_password',
            'Mot de passe incorrect : le compte n’a pas été supprimé. / Wrong password: the account was not deleted.',
          );
        await anonymiseAccount(db, user, { via: 'rest', ip: req.ip });
        return { message: 'Compte supprimé avec succès. / Account deleted.' };
      },
    );
  };
}
